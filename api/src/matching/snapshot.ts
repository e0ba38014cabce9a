import { BUCKET_HOURS, type Process } from '@fabpool/chaincode/model';
import {
  DEFAULT_PARAMETERS,
  lotMinutes,
  type FreeCapacity,
  type MatchInput,
  type MatchQuota,
  type MatchWorkOrder,
  type PlannedLot,
} from '@fabpool/matcher';
import type pg from 'pg';

const BUCKET_MS = BUCKET_HOURS * 3_600_000;
export const HORIZON_BUCKETS = 21;
const FROZEN_BUCKETS = 1;

/** Bucket names ↔ the matcher's indices, bucket 0 being the current shift. */
export function bucketClock(nowMs: number) {
  const origin = Math.floor(nowMs / BUCKET_MS) * BUCKET_MS;
  return {
    indexOf: (bucket: string): number => Math.round((Date.parse(bucket) - origin) / BUCKET_MS),
    /** The bucket an instant falls in. */
    containing: (atMs: number): number => Math.floor((atMs - origin) / BUCKET_MS),
    /** The first bucket that starts at or after an instant. */
    firstFrom: (atMs: number): number => Math.ceil((atMs - origin) / BUCKET_MS),
    nameOf: (index: number): string =>
      new Date(origin + index * BUCKET_MS).toISOString().replace('.000Z', 'Z'),
  };
}

export interface SnapshotSettings {
  /** A factory that reported load once and then nothing for this long is unavailable. */
  silenceMinutes: number;
}

/** A lot on the ledger the matcher may move (assigned, not yet accepted): its id and where it is. */
export interface MovableLot {
  lotId: string;
  lot: PlannedLot;
  /** Its factory let the deadline pass: it goes whatever the plan says. */
  expired: boolean;
}

export interface Snapshot {
  input: MatchInput;
  movable: MovableLot[];
  /** Factories treated as unavailable, and why. */
  unavailable: { factoryId: string; reason: 'SILENT' | 'OUTAGE' }[];
}

interface Row {
  id: string;
  record: Record<string, unknown>;
}

type Routing = MatchWorkOrder['routing'];

/**
 * What the matcher reads, from the read model and the service's own tables: every open work
 * order; every factory, unavailable while an outage covers now or after it fell silent; free
 * minutes per process and shift (declared − held by lots − live load reported by the factory,
 * nothing in an outage's shifts); quotas — sold ones for their buyer, listed ones for nobody
 * (their minutes are reserved all the same); and the lots already on the ledger. Lots their
 * factory accepted (or began) are committed and stay where they are; lots still waiting for an
 * answer may move (at a cost); the minutes either holds are given back to the capacity they
 * came from, so the matcher counts each of them once. A supplier's delay sets the first shift a
 * work order's material is there.
 */
export async function matchSnapshot(
  pool: pg.Pool,
  nowMs: number,
  settings: SnapshotSettings,
): Promise<Snapshot> {
  const clock = bucketClock(nowMs);
  const now = new Date(nowMs);
  const rows = async (kind: string): Promise<Row[]> =>
    (await pool.query<Row>('SELECT id, record FROM record WHERE kind = $1 ORDER BY id', [kind])).rows;
  const inHorizon = (i: number): boolean => i >= 0 && i < HORIZON_BUCKETS;

  const outages = (
    await pool.query<{ factory_id: string; from_at: Date; until_at: Date }>(
      'SELECT factory_id, from_at, until_at FROM factory_outage WHERE until_at > $1 ORDER BY id',
      [now],
    )
  ).rows;
  const silent = new Set(
    (
      await pool.query<{ factory_id: string }>(
        'SELECT factory_id FROM factory_report WHERE reported_at < $1 ORDER BY factory_id',
        [new Date(nowMs - settings.silenceMinutes * 60_000)],
      )
    ).rows.map((r) => r.factory_id),
  );
  const down = new Set(outages.filter((o) => o.from_at.getTime() <= nowMs).map((o) => o.factory_id));
  const inOutage = (factoryId: string, bucket: number): boolean =>
    outages.some((o) => {
      if (o.factory_id !== factoryId) return false;
      const start = Date.parse(clock.nameOf(bucket));
      return o.from_at.getTime() < start + BUCKET_MS && o.until_at.getTime() > start;
    });

  const factories = (await rows('Factory')).map((f) => ({
    factoryId: f.id,
    processes: (f.record.processes as { process: Process; pricePerMinute: number }[]).map((p) => ({
      process: p.process,
      pricePerMinute: p.pricePerMinute,
    })),
    available: !down.has(f.id) && !silent.has(f.id),
  }));

  // Per factory, process and shift: declared − held − live load, and what lots give back.
  const free = new Map<
    string,
    { at: Omit<FreeCapacity, 'freeMinutes'>; base: number; committed: number; movable: number }
  >();
  const freeAt = (factoryId: string, process: Process, bucket: number) => {
    const key = `${factoryId}|${process}|${bucket}`;
    const entry = free.get(key) ?? { at: { factoryId, process, bucket }, base: 0, committed: 0, movable: 0 };
    free.set(key, entry);
    return entry;
  };
  for (const c of await rows('Capacity')) {
    const bucket = clock.indexOf(String(c.record.bucket));
    if (!inHorizon(bucket)) continue;
    freeAt(String(c.record.factoryId), c.record.process as Process, bucket).base +=
      Number(c.record.declaredMinutes) - Number(c.record.assignedMinutes);
  }
  const loads = (
    await pool.query<{ factory_id: string; process: Process; bucket: Date; load_minutes: number }>(
      'SELECT factory_id, process, bucket, load_minutes FROM factory_load WHERE bucket >= $1',
      [new Date(Date.parse(clock.nameOf(0)))],
    )
  ).rows;
  for (const l of loads) {
    const bucket = clock.indexOf(l.bucket.toISOString());
    const key = `${l.factory_id}|${l.process}|${bucket}`;
    const entry = free.get(key);
    if (entry !== undefined) entry.base -= l.load_minutes;
  }

  const quotas = new Map<string, MatchQuota>();
  for (const q of await rows('CapacityQuota')) {
    if (q.record.status !== 'SOLD' && q.record.status !== 'LISTED') continue;
    const quota: MatchQuota = {
      quotaId: q.id,
      factoryId: String(q.record.factoryId),
      process: q.record.process as Process,
      windowStart: Math.max(0, clock.indexOf(String(q.record.windowStart))),
      windowEnd: Math.min(HORIZON_BUCKETS - 1, clock.indexOf(String(q.record.windowEnd))),
      minutesLeft: Math.max(0, Number(q.record.minutes) - Number(q.record.consumedMinutes)),
      pricePerMinute: Number(q.record.pricePerMinute),
      buyerCustomerId: typeof q.record.buyerMemberId === 'string' ? q.record.buyerMemberId : '(unsold)',
    };
    if (quota.windowEnd >= quota.windowStart && quota.windowEnd >= 0) quotas.set(quota.quotaId, quota);
  }

  const releases = new Map(
    (
      await pool.query<{ work_order_id: string; expected_at: Date }>(
        'SELECT work_order_id, max(expected_at) AS expected_at FROM supply_delay GROUP BY work_order_id',
      )
    ).rows.map((r) => [r.work_order_id, clock.firstFrom(r.expected_at.getTime())]),
  );
  const refusedBy = new Map<string, string[]>();
  for (const r of (
    await pool.query<{ wo: string; factory: string }>(
      `SELECT DISTINCT record->>'workOrderId' AS wo, record->>'factoryId' AS factory FROM record
        WHERE kind = 'Lot' AND record->>'status' = 'REJECTED' ORDER BY 1, 2`,
    )
  ).rows)
    refusedBy.set(r.wo, [...(refusedBy.get(r.wo) ?? []), r.factory]);
  const workOrders: MatchWorkOrder[] = (await rows('WorkOrder'))
    .filter((w) => w.record.status === 'OPEN')
    .map((w) => {
      const release = releases.get(w.id) ?? 0;
      return {
        workOrderId: w.id,
        customerId: String(w.record.customerMemberId),
        quantity: Number(w.record.quantity),
        routing: w.record.routing as Routing,
        dueBucket: Math.max(0, clock.indexOf(String(w.record.dueBucket))),
        priority: w.record.priority === 'RUSH' ? 'RUSH' : 'NORMAL',
        maxUnitPrice: Number(w.record.maxUnitPrice),
        ...(release > 0 ? { releaseBucket: release } : {}),
        ...(refusedBy.has(w.id) ? { avoidFactoryIds: refusedBy.get(w.id) } : {}),
      };
    });
  const orders = new Map(workOrders.map((w) => [w.workOrderId, w]));

  // Lots on the ledger: committed ones are held, waiting ones may move; both give their minutes back.
  const currentPlan: PlannedLot[] = [];
  const movable: MovableLot[] = [];
  const lots = (
    await pool.query<Row>(
      `SELECT id, record FROM record WHERE kind = 'Lot'
         AND record->>'status' IN ('ASSIGNED', 'ACCEPTED', 'IN_PROGRESS', 'DONE', 'DELIVERED', 'SETTLED') ORDER BY id`,
    )
  ).rows;
  for (const { id, record } of lots) {
    const workOrder = orders.get(String(record.workOrderId));
    if (workOrder === undefined) continue;
    const bucket = clock.indexOf(String(record.bucket));
    const [fromSeq, toSeq] = [Number(record.fromSeq), Number(record.toSeq)];
    const quantity = Number(record.quantity);
    const factoryId = String(record.factoryId);
    const quota = typeof record.quotaId === 'string' ? quotas.get(record.quotaId) : undefined;
    const waiting = record.status === 'ASSIGNED' && fromSeq === toSeq;
    const expired = waiting && Date.parse(String(record.acceptBy)) < nowMs;
    const canMove =
      waiting &&
      bucket >= FROZEN_BUCKETS &&
      inHorizon(bucket) &&
      (quota !== undefined || record.quotaId === undefined);
    for (let seq = fromSeq; seq <= toSeq; seq++) {
      const op = workOrder.routing[seq - 1];
      if (op === undefined) continue;
      const minutes = lotMinutes(op.standardMinutes, quantity);
      const at = Math.max(0, Math.min(bucket, HORIZON_BUCKETS - 1));
      const entry = freeAt(factoryId, op.process, at);
      if (canMove || expired) {
        entry.movable += minutes;
        if (quota !== undefined) quota.minutesLeft += minutes;
        const lot: PlannedLot = {
          workOrderId: workOrder.workOrderId,
          seq,
          factoryId,
          bucket: at,
          quantity,
          ...(quota === undefined ? {} : { quotaId: quota.quotaId }),
        };
        movable.push({ lotId: id, lot, expired });
        if (!expired) currentPlan.push(lot);
      } else {
        entry.committed += minutes;
        currentPlan.push({
          workOrderId: workOrder.workOrderId,
          seq,
          factoryId,
          bucket: at,
          quantity,
          committed: true,
        });
      }
    }
  }

  return {
    input: {
      buckets: HORIZON_BUCKETS,
      parameters: { ...DEFAULT_PARAMETERS, frozenBuckets: FROZEN_BUCKETS },
      factories,
      // In an outage only committed lots keep their minutes; elsewhere they keep theirs whatever the load.
      capacity: [...free.values()]
        .map(({ at, base, committed, movable }) => ({
          ...at,
          freeMinutes: inOutage(at.factoryId, at.bucket)
            ? committed
            : Math.max(committed, base + committed + movable),
        }))
        .filter((c) => c.freeMinutes > 0)
        .sort((a, b) =>
          a.factoryId < b.factoryId
            ? -1
            : a.factoryId > b.factoryId
              ? 1
              : a.process < b.process
                ? -1
                : a.process > b.process
                  ? 1
                  : a.bucket - b.bucket,
        ),
      quotas: [...quotas.values()],
      workOrders,
      currentPlan,
    },
    movable,
    unavailable: factories
      .filter((f) => !f.available)
      .map((f) => ({ factoryId: f.factoryId, reason: down.has(f.factoryId) ? 'OUTAGE' : 'SILENT' })),
  };
}
