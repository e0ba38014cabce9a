/**
 * Keys in sorted order with their values: what LevelDB gives a Fabric peer (ordered keys, prefix
 * and range scans). Keys compare as JavaScript strings, which matches LevelDB's byte order for
 * every key below U+E000.
 */
export class KeySpace<V> {
  private readonly values = new Map<string, V>();
  private readonly sorted: string[] = [];

  get size(): number {
    return this.values.size;
  }

  get(key: string): V | undefined {
    return this.values.get(key);
  }

  set(key: string, value: V): void {
    if (!this.values.has(key)) this.sorted.splice(this.lowerBound(key), 0, key);
    this.values.set(key, value);
  }

  delete(key: string): void {
    if (!this.values.delete(key)) return;
    this.sorted.splice(this.lowerBound(key), 1);
  }

  /** Keys in [start, end) in order; an empty end means no upper bound. */
  *range(start: string, end: string): Generator<[string, V]> {
    for (let i = this.lowerBound(start); i < this.sorted.length; i++) {
      const key = this.sorted[i];
      if (key === undefined || (end !== '' && key >= end)) return;
      const value = this.values.get(key);
      if (value !== undefined) yield [key, value];
    }
  }

  *withPrefix(prefix: string): Generator<[string, V]> {
    for (let i = this.lowerBound(prefix); i < this.sorted.length; i++) {
      const key = this.sorted[i];
      if (key === undefined || !key.startsWith(prefix)) return;
      const value = this.values.get(key);
      if (value !== undefined) yield [key, value];
    }
  }

  private lowerBound(key: string): number {
    let lo = 0;
    let hi = this.sorted.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((this.sorted[mid] ?? '') < key) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}
