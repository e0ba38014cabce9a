/**
 * Answers of read-model queries kept until the read model changes: the `record` table moves only
 * when the projector commits a batch, so an answer is valid for exactly one projector checkpoint
 * (`version`). A new checkpoint drops every entry; nothing is ever served from an older one. Only
 * queries of the projected records may use it (not matcher runs, alerts or accounts, which change
 * without a ledger event). Answers are shared between requests: never mutate one.
 */
export class ReadCache {
  private version: string | undefined;
  private readonly entries = new Map<string, Promise<unknown>>();

  constructor(
    private readonly versionOf: () => string,
    private readonly maxEntries = 20_000,
  ) {}

  get<T>(key: string, load: () => Promise<T>): Promise<T> {
    const version = this.versionOf();
    if (version !== this.version) {
      this.entries.clear();
      this.version = version;
    }
    const cached = this.entries.get(key) as Promise<T> | undefined;
    if (cached !== undefined) return cached;
    // Bounded: a flood of distinct queries starts the cache over rather than growing it.
    if (this.entries.size >= this.maxEntries) this.entries.clear();
    const loading = load();
    this.entries.set(key, loading);
    // A failed load is not an answer: the next request tries again.
    loading.catch(() => {
      if (this.entries.get(key) === loading) this.entries.delete(key);
    });
    return loading;
  }

  get size(): number {
    return this.entries.size;
  }
}
