import type { MatchInput, MatchQuota, Process } from './model.js';

/** Minutes a lot of `units` holds: standard minutes × units, rounded up, as the chaincode counts them. */
export function lotMinutes(standardMinutes: number, units: number): number {
  return Math.ceil(Math.round(standardMinutes * units * 1e6) / 1e6);
}

const fp = (factoryId: string, process: string): string => `${factoryId}/${process}`;

/**
 * The minutes of every factory's process in every bucket, and of every quota, as a plan uses them.
 * It answers how many minutes one more lot may take at a slot under the three capacity rules:
 * the bucket's free minutes; a quota's minutes, for its buyer only; and every quota's unused
 * minutes still fitting in its window after everyone else's work (reservations stay honourable).
 */
export class CapacityBook {
  private readonly free = new Map<string, number[]>();
  private readonly used = new Map<string, number[]>();
  private readonly quotasOf = new Map<string, MatchQuota[]>();
  private readonly quotaUsed = new Map<string, number>();
  readonly quotas = new Map<string, MatchQuota>();

  constructor(private readonly input: MatchInput) {
    for (const c of input.capacity) {
      const key = fp(c.factoryId, c.process);
      const row = this.free.get(key) ?? new Array<number>(input.buckets).fill(0);
      row[c.bucket] = (row[c.bucket] ?? 0) + c.freeMinutes;
      this.free.set(key, row);
    }
    for (const q of [...input.quotas].sort((a, b) => (a.quotaId < b.quotaId ? -1 : 1))) {
      this.quotas.set(q.quotaId, q);
      const key = fp(q.factoryId, q.process);
      this.quotasOf.set(key, [...(this.quotasOf.get(key) ?? []), q]);
      this.quotaUsed.set(q.quotaId, 0);
    }
  }

  freeAt(factoryId: string, process: Process, bucket: number): number {
    return this.free.get(fp(factoryId, process))?.[bucket] ?? 0;
  }

  usedAt(factoryId: string, process: Process, bucket: number): number {
    return this.used.get(fp(factoryId, process))?.[bucket] ?? 0;
  }

  /** The free and used minutes by bucket of one factory's process (live arrays: read, do not write). */
  rowsOf(
    factoryId: string,
    process: Process,
  ): { free: readonly number[]; used: readonly number[]; quotas: readonly MatchQuota[] } {
    const key = fp(factoryId, process);
    let used = this.used.get(key);
    if (used === undefined) {
      used = new Array<number>(this.input.buckets).fill(0);
      this.used.set(key, used);
    }
    return { free: this.free.get(key) ?? [], used, quotas: this.quotasOf.get(key) ?? [] };
  }

  quotaUsedMinutes(quotaId: string): number {
    return this.quotaUsed.get(quotaId) ?? 0;
  }

  quotasFor(factoryId: string, process: Process): readonly MatchQuota[] {
    return this.quotasOf.get(fp(factoryId, process)) ?? [];
  }

  /** The most minutes one more use may take at (factory, process, bucket), through `quota` or none. */
  headroom(
    factoryId: string,
    process: Process,
    bucket: number,
    quota: MatchQuota | undefined,
    rows = this.rowsOf(factoryId, process),
  ): number {
    let room = (rows.free[bucket] ?? 0) - (rows.used[bucket] ?? 0);
    if (room <= 0) return 0;
    if (quota !== undefined) room = Math.min(room, quota.minutesLeft - this.quotaUsedMinutes(quota.quotaId));
    for (const q of rows.quotas) {
      if (bucket < q.windowStart || bucket > q.windowEnd) continue;
      // Using quota q itself (or one inside q's window) takes from what q's window must keep too.
      const inside = this.reservedInside(factoryId, process, q.windowStart, q.windowEnd);
      const own = quota !== undefined && quota.windowStart >= q.windowStart && quota.windowEnd <= q.windowEnd;
      if (own) continue;
      room = Math.min(room, this.slack(factoryId, process, q.windowStart, q.windowEnd) - inside);
    }
    return Math.max(0, room);
  }

  use(
    factoryId: string,
    process: Process,
    bucket: number,
    minutes: number,
    quotaId: string | undefined,
  ): void {
    const key = fp(factoryId, process);
    const row = this.used.get(key) ?? new Array<number>(this.input.buckets).fill(0);
    row[bucket] = (row[bucket] ?? 0) + minutes;
    this.used.set(key, row);
    if (quotaId !== undefined) this.quotaUsed.set(quotaId, this.quotaUsedMinutes(quotaId) + minutes);
  }

  /** Free minutes not yet used over buckets [start, end]. */
  slack(factoryId: string, process: Process, start: number, end: number): number {
    let total = 0;
    for (let b = start; b <= end; b++)
      total += this.freeAt(factoryId, process, b) - this.usedAt(factoryId, process, b);
    return total;
  }

  /** Unused minutes of the quotas whose windows lie inside [start, end]. */
  reservedInside(factoryId: string, process: Process, start: number, end: number): number {
    return this.quotasFor(factoryId, process)
      .filter((q) => q.windowStart >= start && q.windowEnd <= end)
      .reduce((sum, q) => sum + Math.max(0, q.minutesLeft - this.quotaUsedMinutes(q.quotaId)), 0);
  }
}
