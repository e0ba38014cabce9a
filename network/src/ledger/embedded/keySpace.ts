/**
 * Keys in sorted order with their values: what LevelDB gives a Fabric peer (ordered keys, prefix
 * and range scans). Keys compare as JavaScript strings, which matches LevelDB's byte order for
 * every key below U+E000.
 *
 * New keys go into a small sorted side list that is merged into the main one when it grows, so an
 * insert costs a short shift instead of moving every key (the log-structured idea, in memory).
 */
export class KeySpace<V> {
  private readonly values = new Map<string, V>();
  private main: string[] = [];
  private recent: string[] = [];
  private static readonly MERGE_AT = 2048;

  get size(): number {
    return this.values.size;
  }

  clear(): void {
    this.values.clear();
    this.main = [];
    this.recent = [];
  }

  get(key: string): V | undefined {
    return this.values.get(key);
  }

  set(key: string, value: V): void {
    if (!this.values.has(key)) {
      this.recent.splice(lowerBound(this.recent, key), 0, key);
      if (this.recent.length >= KeySpace.MERGE_AT) this.merge();
    }
    this.values.set(key, value);
  }

  delete(key: string): void {
    if (!this.values.delete(key)) return;
    for (const list of [this.recent, this.main]) {
      const at = lowerBound(list, key);
      if (list[at] === key) {
        list.splice(at, 1);
        return;
      }
    }
  }

  /** Keys in [start, end) in order; an empty end means no upper bound. */
  *range(start: string, end: string): Generator<[string, V]> {
    for (const key of this.keysFrom(start)) {
      if (end !== '' && key >= end) return;
      const value = this.values.get(key);
      if (value !== undefined) yield [key, value];
    }
  }

  *withPrefix(prefix: string): Generator<[string, V]> {
    for (const key of this.keysFrom(prefix)) {
      if (!key.startsWith(prefix)) return;
      const value = this.values.get(key);
      if (value !== undefined) yield [key, value];
    }
  }

  /** Both sorted lists from `start`, merged in order. */
  private *keysFrom(start: string): Generator<string> {
    let i = lowerBound(this.main, start);
    let j = lowerBound(this.recent, start);
    for (;;) {
      const a = this.main[i];
      const b = this.recent[j];
      if (a !== undefined && (b === undefined || a < b)) {
        i += 1;
        yield a;
      } else if (b !== undefined) {
        j += 1;
        yield b;
      } else return;
    }
  }

  private merge(): void {
    const merged: string[] = new Array<string>(this.main.length + this.recent.length);
    let i = 0;
    let j = 0;
    for (let k = 0; k < merged.length; k++) {
      const a = this.main[i];
      const b = this.recent[j];
      if (a !== undefined && (b === undefined || a < b)) {
        merged[k] = a;
        i += 1;
      } else if (b !== undefined) {
        merged[k] = b;
        j += 1;
      }
    }
    this.main = merged;
    this.recent = [];
  }
}

function lowerBound(list: readonly string[], key: string): number {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((list[mid] ?? '') < key) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
