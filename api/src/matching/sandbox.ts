import type { Process } from '@fabpool/chaincode/model';
import { allocate, buildPlan, engineOrder, whatIf, type Change, type Impact } from '@fabpool/matcher';
import type { Queryable } from '../repositories/queryable.js';
import { bucketClock, matchSnapshot, type SnapshotSettings } from './snapshot.js';

/** A hypothetical change, as a person asks it (instants and bucket names, not indices). */
export type SandboxChange =
  | {
      kind: 'RUSH_ORDER';
      customerId: string;
      quantity: number;
      routing: { seq: number; process: Process; standardMinutes: number }[];
      dueBucket: string;
      maxUnitPrice: number;
      /** RUSH unless asked otherwise: the publish form foresees a normal order the same way. */
      priority?: 'RUSH' | 'NORMAL';
    }
  | { kind: 'FACTORY_OUTAGE'; factoryId: string; from: string }
  | { kind: 'MATERIAL_DELAY'; workOrderId: string; delayHours: number };

export const SANDBOX_RUSH_ID = 'WHAT-IF-RUSH';

/** A lot of the sandbox's plans, its shift named. */
export interface SandboxLot {
  workOrderId: string;
  seq: number;
  factoryId: string;
  bucket: string;
  quantity: number;
  quotaId?: string;
  committed?: boolean;
  /** Of a planned lot (rushLots, affectedLots): its price per unit in fen, and whether it is frozen. */
  unitPrice?: number;
  frozen?: boolean;
}

/** What a change would do (the matcher's Impact, its shifts named). */
export interface SandboxImpact {
  moved: { before: SandboxLot; after: SandboxLot[] }[];
  slipped: { workOrderId: string; fromBucket: string; toBucket: string | null }[];
  rushLots: SandboxLot[];
  affectedLots: SandboxLot[];
  unplaced: { workOrderId: string; seq: number; quantity: number; reason: string }[];
  costDelta: number;
  millis: number;
}

/** Bucket indices in an impact, back to the names of the shifts. */
export function named(value: unknown, nameOf: (index: number) => string): unknown {
  if (Array.isArray(value)) return value.map((v) => named(v, nameOf));
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value).map(([k, v]) => [
      k,
      (k === 'bucket' || k === 'fromBucket' || k === 'toBucket' || k === 'untilBucket') &&
      typeof v === 'number'
        ? nameOf(v)
        : named(v, nameOf),
    ]),
  );
}

/**
 * The plan a what-if is measured against: what the ledger holds (committed lots where they are,
 * waiting lots movable) plus where the matcher would put the open work it has not placed yet.
 */
export async function currentPlan(pool: Queryable, nowMs: number, settings: SnapshotSettings) {
  const { input } = await matchSnapshot(pool, nowMs, settings);
  const base = buildPlan(
    input,
    'current',
    allocate(input, { order: engineOrder(input), lookahead: true, fixedLots: input.currentPlan }),
    { hash: false },
  );
  return { input, base, clock: bucketClock(nowMs) };
}

/**
 * What a change would do to the current plan, published nowhere: the plan is what the ledger
 * holds (committed lots where they are, waiting lots movable) plus where the matcher would put the
 * open work it has not placed yet; the change is then evaluated against it by the matcher's what-if.
 */
export async function sandbox(
  pool: Queryable,
  nowMs: number,
  settings: SnapshotSettings,
  change: SandboxChange,
): Promise<{ impact: SandboxImpact; basePlanCost: number; millis: number }> {
  const started = performance.now();
  const { input, base, clock } = await currentPlan(pool, nowMs, settings);
  const asked: Change =
    change.kind === 'RUSH_ORDER'
      ? {
          kind: 'RUSH_ORDER',
          workOrder: {
            workOrderId: SANDBOX_RUSH_ID,
            customerId: change.customerId,
            quantity: change.quantity,
            routing: change.routing,
            dueBucket: Math.max(0, clock.indexOf(change.dueBucket)),
            priority: change.priority ?? 'RUSH',
            maxUnitPrice: change.maxUnitPrice,
          },
        }
      : change.kind === 'FACTORY_OUTAGE'
        ? {
            kind: 'FACTORY_OUTAGE',
            factoryId: change.factoryId,
            fromBucket: Math.max(0, clock.containing(Date.parse(change.from))),
          }
        : {
            kind: 'MATERIAL_DELAY',
            workOrderId: change.workOrderId,
            untilBucket: clock.firstFrom(nowMs + change.delayHours * 3_600_000),
          };
  const impact: Impact = whatIf(input, base, asked);
  return {
    impact: named(impact, clock.nameOf) as SandboxImpact,
    basePlanCost: base.cost.total,
    millis: Math.round(performance.now() - started),
  };
}
