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
import { allCapacity } from '../repositories/capacity.js';
import { factoriesSilentSince, outagesNotOverAt, reportedLoads } from '../repositories/factoryReports.js';
import { allFactories } from '../repositories/factories.js';
import { factoriesThatRefused, lotsHoldingCapacity } from '../repositories/lots.js';
import type { Queryable } from '../repositories/queryable.js';
import { quotas as allQuotas } from '../repositories/quotas.js';
import { materialStandingByWorkOrder } from '../repositories/supplyDelays.js';
import { workOrdersOfStatus } from '../repositories/workOrders.js';
import { workOrdersWithSealedBids } from '../repositories/ledgerEvents.js';
import { AWARD_WAIT_HOURS, takesBidsAt } from '@fabpool/chaincode/rules/bid';

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

/**
 * What the matcher reads, from the read model and the service's own tables: every open work
 * order; every factory, unavailable while an outage covers now or after it fell silent; free
 * minutes per process and shift (declared − held by lots − live load reported by the factory,
 * nothing in an outage's shifts); quotas — sold ones for their buyer, listed ones for nobody
 * (their minutes are reserved all the same); and the lots already on the ledger. Lots their
 * factory accepted (or began) are committed and stay where they are; lots still waiting for an
 * answer may move (at a cost); the minutes either holds are given back to the capacity they
 * came from, so the matcher counts each of them once. A supplier's delay (or the backup supplier
 * its customer chose instead) sets the first shift a work order's material is there; a customer
 * who chose to keep the work at its plants keeps it off every other.
 */
export async function matchSnapshot(
  pool: Queryable,
  nowMs: number,
  settings: SnapshotSettings,
): Promise<Snapshot> {
  const clock = bucketClock(nowMs);
  const now = new Date(nowMs);
  const inHorizon = (i: number): boolean => i >= 0 && i < HORIZON_BUCKETS;

  const outages = await outagesNotOverAt(pool, now);
  const silent = new Set(
    await factoriesSilentSince(pool, new Date(nowMs - settings.silenceMinutes * 60_000)),
  );
  const down = new Set(outages.filter((o) => o.from.getTime() <= nowMs).map((o) => o.factoryId));
  const inOutage = (factoryId: string, bucket: number): boolean =>
    outages.some((o) => {
      if (o.factoryId !== factoryId) return false;
      const start = Date.parse(clock.nameOf(bucket));
      return o.from.getTime() < start + BUCKET_MS && o.until.getTime() > start;
    });

  const factories = (await allFactories(pool)).map((f) => ({
    factoryId: f.id,
    processes: f.record.processes.map((p) => ({
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
  for (const c of await allCapacity(pool)) {
    const bucket = clock.indexOf(c.bucket);
    if (!inHorizon(bucket)) continue;
    freeAt(c.factoryId, c.process, bucket).base += c.declaredMinutes - c.assignedMinutes;
  }
  for (const l of await reportedLoads(pool, new Date(Date.parse(clock.nameOf(0))))) {
    const bucket = clock.indexOf(l.bucket.toISOString());
    const entry = free.get(`${l.factoryId}|${l.process}|${bucket}`);
    if (entry !== undefined) entry.base -= l.loadMinutes;
  }

  const quotas = new Map<string, MatchQuota>();
  for (const { id, record: q } of await allQuotas(pool, null)) {
    if (q.status !== 'SOLD' && q.status !== 'LISTED') continue;
    const quota: MatchQuota = {
      quotaId: id,
      factoryId: q.factoryId,
      process: q.process,
      windowStart: Math.max(0, clock.indexOf(q.windowStart)),
      windowEnd: Math.min(HORIZON_BUCKETS - 1, clock.indexOf(q.windowEnd)),
      minutesLeft: Math.max(0, q.minutes - q.consumedMinutes),
      pricePerMinute: q.pricePerMinute,
      buyerCustomerId: q.buyerMemberId ?? '(unsold)',
    };
    if (quota.windowEnd >= quota.windowStart && quota.windowEnd >= 0) quotas.set(quota.quotaId, quota);
  }

  const materials = await materialStandingByWorkOrder(pool);
  const refusedBy = await factoriesThatRefused(pool);
  // An order in its bid window waits for its bids. Once the window closed, an order somebody bid
  // on waits for its customer's award (bids are revealed after the window) for AWARD_WAIT_HOURS
  // (the chaincode holds it too: rules/bid.ts biddingAllows); one nobody bid on comes to the matcher
  // at once. An award places the winner's units itself (accepted lots, held here like any other);
  // what is left of the order, beyond a partial bid, is the matcher's.
  const nowIso = new Date(nowMs).toISOString();
  const unawarded = (await workOrdersOfStatus(pool, 'OPEN')).filter((w) => !takesBidsAt(w.record, nowIso));
  const awaitingAward = (w: (typeof unawarded)[number]): boolean =>
    w.record.award === undefined &&
    w.record.bidWindowEnd !== undefined &&
    nowMs < Date.parse(w.record.bidWindowEnd) + AWARD_WAIT_HOURS * 3_600_000;
  const bidOn = await workOrdersWithSealedBids(
    pool,
    unawarded.filter(awaitingAward).map((w) => w.id),
  );
  const open = unawarded.filter((w) => !(awaitingAward(w) && bidOn.has(w.id)));
  const workOrders: MatchWorkOrder[] = open.map((w) => {
    const material = materials.get(w.id);
    const release = material === undefined ? 0 : clock.firstFrom(material.expectedAt.getTime());
    const keep = material?.keepFactoryIds;
    const avoid = [
      ...(refusedBy.get(w.id) ?? []),
      ...(keep === undefined ? [] : factories.map((f) => f.factoryId).filter((id) => !keep.includes(id))),
    ];
    return {
      workOrderId: w.id,
      customerId: w.record.customerMemberId,
      quantity: w.record.quantity,
      routing: w.record.routing,
      dueBucket: Math.max(0, clock.indexOf(w.record.dueBucket)),
      priority: w.record.priority === 'RUSH' ? 'RUSH' : 'NORMAL',
      maxUnitPrice: w.record.maxUnitPrice,
      ...(release > 0 ? { releaseBucket: release } : {}),
      ...(avoid.length > 0 ? { avoidFactoryIds: [...new Set(avoid)].sort() } : {}),
    };
  });
  const orders = new Map(workOrders.map((w) => [w.workOrderId, w]));

  // Lots on the ledger: committed ones are held, waiting ones may move; both give their minutes back.
  const currentPlan: PlannedLot[] = [];
  const movable: MovableLot[] = [];
  for (const { id, record } of await lotsHoldingCapacity(pool)) {
    const workOrder = orders.get(record.workOrderId);
    if (workOrder === undefined) continue;
    const bucket = clock.indexOf(record.bucket);
    const { fromSeq, toSeq, quantity, factoryId } = record;
    const quota = record.quotaId === undefined ? undefined : quotas.get(record.quotaId);
    const waiting = record.status === 'ASSIGNED' && fromSeq === toSeq;
    const expired = waiting && Date.parse(record.acceptBy) < nowMs;
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
