import { BUCKET_HOURS, type Process } from '@fabpool/chaincode/model';
import { DEFAULT_PARAMETERS, type MatchInput } from '@fabpool/matcher';
import type pg from 'pg';

const BUCKET_MS = BUCKET_HOURS * 3_600_000;
export const HORIZON_BUCKETS = 21;

/** Bucket names ↔ the matcher's indices, bucket 0 being the current shift. */
export function bucketClock(nowMs: number) {
  const origin = Math.floor(nowMs / BUCKET_MS) * BUCKET_MS;
  return {
    indexOf: (bucket: string): number => Math.round((Date.parse(bucket) - origin) / BUCKET_MS),
    nameOf: (index: number): string =>
      new Date(origin + index * BUCKET_MS).toISOString().replace('.000Z', 'Z'),
  };
}

interface Row {
  id: string;
  record: Record<string, unknown>;
}

/**
 * What the matcher reads, from the read model: open work orders with no lots yet, every factory,
 * free minutes (declared − assigned) per process and shift in the horizon, and quotas — sold ones
 * for their buyer, listed ones for nobody (their minutes are reserved all the same).
 */
export async function matchSnapshot(pool: pg.Pool, nowMs: number): Promise<MatchInput> {
  const clock = bucketClock(nowMs);
  const rows = async (kind: string): Promise<Row[]> =>
    (await pool.query<Row>('SELECT id, record FROM record WHERE kind = $1 ORDER BY id', [kind])).rows;
  const assigned = new Set(
    (
      await pool.query<{ wo: string }>(
        "SELECT DISTINCT record->>'workOrderId' AS wo FROM record WHERE kind = 'Lot' AND record->>'status' NOT IN ('REJECTED', 'CANCELLED')",
      )
    ).rows.map((r) => r.wo),
  );
  const inHorizon = (i: number): boolean => i >= 0 && i < HORIZON_BUCKETS;
  return {
    buckets: HORIZON_BUCKETS,
    parameters: { ...DEFAULT_PARAMETERS, frozenBuckets: 1 },
    factories: (await rows('Factory')).map((f) => ({
      factoryId: f.id,
      processes: (f.record.processes as { process: Process; pricePerMinute: number }[]).map((p) => ({
        process: p.process,
        pricePerMinute: p.pricePerMinute,
      })),
      available: true,
    })),
    capacity: (await rows('Capacity'))
      .map((c) => ({
        factoryId: String(c.record.factoryId),
        process: c.record.process as Process,
        bucket: clock.indexOf(String(c.record.bucket)),
        freeMinutes: Math.max(0, Number(c.record.declaredMinutes) - Number(c.record.assignedMinutes)),
      }))
      .filter((c) => inHorizon(c.bucket)),
    quotas: (await rows('CapacityQuota'))
      .filter((q) => q.record.status === 'SOLD' || q.record.status === 'LISTED')
      .map((q) => ({
        quotaId: q.id,
        factoryId: String(q.record.factoryId),
        process: q.record.process as Process,
        windowStart: Math.max(0, clock.indexOf(String(q.record.windowStart))),
        windowEnd: Math.min(HORIZON_BUCKETS - 1, clock.indexOf(String(q.record.windowEnd))),
        minutesLeft: Math.max(0, Number(q.record.minutes) - Number(q.record.consumedMinutes)),
        pricePerMinute: Number(q.record.pricePerMinute),
        buyerCustomerId: typeof q.record.buyerMemberId === 'string' ? q.record.buyerMemberId : '(unsold)',
      }))
      .filter((q) => q.windowEnd >= q.windowStart && q.windowEnd >= 0),
    workOrders: (await rows('WorkOrder'))
      .filter((w) => w.record.status === 'OPEN' && !assigned.has(w.id))
      .map((w) => ({
        workOrderId: w.id,
        customerId: String(w.record.customerMemberId),
        quantity: Number(w.record.quantity),
        routing: w.record.routing as MatchInput['workOrders'][number]['routing'],
        dueBucket: Math.max(0, clock.indexOf(String(w.record.dueBucket))),
        priority: w.record.priority === 'RUSH' ? 'RUSH' : 'NORMAL',
        maxUnitPrice: Number(w.record.maxUnitPrice),
      })),
    currentPlan: [],
  };
}
