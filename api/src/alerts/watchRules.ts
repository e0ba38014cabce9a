import type { Factory, Lot, WorkOrder } from '@fabpool/chaincode/model';
import type { LoadCell } from '../repositories/capacity.js';

/** Lots that no longer hold units of their order. */
const GONE = new Set(['REJECTED', 'REASSIGNED', 'CANCELLED']);
/** How long the bids on an order hold it for the customer's award after its window (the chaincode's rule). */
const AWARD_HOLD_MS = 24 * 3_600_000;

export interface UnplacedOrder {
  workOrderId: string;
  customerMemberId: string;
  /** Units of the operation least placed that no live lot carries. */
  unplaced: number;
  /** The operation they are missing from. */
  seq: number;
  /** Plants offering that operation's process, and those of them that refused a lot of it. */
  capablePlants: string[];
  refusedBy: string[];
  minutesWaiting: number;
}

/**
 * Open work orders with units no live lot carries, published more than `afterMinutes` ago (the
 * matcher has had its chance): for the operation least placed, how many, and which of the plants
 * that offer its process refused a lot of it. Orders held for sealed bids are left alone.
 */
export function unplacedOrders(
  workOrders: readonly WorkOrder[],
  lots: readonly Lot[],
  factories: readonly Factory[],
  nowMs: number,
  afterMinutes: number,
): UnplacedOrder[] {
  const lotsOf = new Map<string, Lot[]>();
  for (const lot of lots) lotsOf.set(lot.workOrderId, [...(lotsOf.get(lot.workOrderId) ?? []), lot]);
  const found: UnplacedOrder[] = [];
  for (const order of workOrders) {
    if (order.status !== 'OPEN') continue;
    const minutesWaiting = (nowMs - Date.parse(order.publishedAt)) / 60_000;
    if (minutesWaiting < afterMinutes) continue;
    const windowEnd = order.bidWindowEnd === undefined ? undefined : Date.parse(order.bidWindowEnd);
    if (windowEnd !== undefined && order.award === undefined && nowMs < windowEnd + AWARD_HOLD_MS) continue;
    const own = lotsOf.get(order.workOrderId) ?? [];
    let worst: { seq: number; unplaced: number } | undefined;
    for (const op of order.routing) {
      const placed = own
        .filter((l) => !GONE.has(l.status) && l.fromSeq <= op.seq && op.seq <= l.toSeq)
        .reduce((sum, l) => sum + l.quantity, 0);
      const unplaced = order.quantity - placed;
      if (unplaced > 0 && (worst === undefined || unplaced > worst.unplaced))
        worst = { seq: op.seq, unplaced };
    }
    if (worst === undefined) continue;
    const seq = worst.seq;
    const process = order.routing.find((op) => op.seq === seq)?.process;
    const capablePlants = factories
      .filter((f) => f.processes.some((p) => p.process === process))
      .map((f) => f.factoryId)
      .sort();
    const refusedBy = [
      ...new Set(
        own
          .filter((l) => l.status === 'REJECTED' && l.fromSeq <= seq && seq <= l.toSeq)
          .map((l) => l.factoryId),
      ),
    ].sort();
    found.push({
      workOrderId: order.workOrderId,
      customerMemberId: order.customerMemberId,
      unplaced: worst.unplaced,
      seq,
      capablePlants,
      refusedBy,
      minutesWaiting: Math.floor(minutesWaiting),
    });
  }
  return found;
}

/**
 * Shifts, from the current one on, in which a plant's lots and the live load it reported together
 * exceed the minutes it declared: how far over, in percent of what it declared.
 */
export function overloadedShifts(
  cells: readonly LoadCell[],
  currentBucket: string,
): (LoadCell & { percent: number })[] {
  return cells
    .filter((c) => c.bucket >= currentBucket && c.declaredMinutes > 0)
    .map((c) => ({
      ...c,
      percent: Math.round(((c.assignedMinutes + c.loadMinutes) / c.declaredMinutes) * 100),
    }))
    .filter((c) => c.assignedMinutes + c.loadMinutes > c.declaredMinutes);
}

/** A lot waiting for its factory's decision whose deadline is near. */
export interface DecisionDue {
  lotId: string;
  workOrderId: string;
  factoryId: string;
  factoryMspId: string;
  acceptBy: string;
  minutesLeft: number;
}

/**
 * Lots still waiting for their factory to accept or turn them down with at most `withinMinutes`
 * left before their deadline (and not past it: the ledger takes no decision then, and the matcher
 * places the units again), most urgent first.
 */
export function decisionsDue(lots: readonly Lot[], nowMs: number, withinMinutes: number): DecisionDue[] {
  return lots
    .filter((l) => l.status === 'ASSIGNED')
    .map((l) => ({ lot: l, minutesLeft: (Date.parse(l.acceptBy) - nowMs) / 60_000 }))
    .filter(({ minutesLeft }) => minutesLeft > 0 && minutesLeft <= withinMinutes)
    .sort((a, b) => a.minutesLeft - b.minutesLeft)
    .map(({ lot, minutesLeft }) => ({
      lotId: lot.lotId,
      workOrderId: lot.workOrderId,
      factoryId: lot.factoryId,
      factoryMspId: lot.factoryMspId,
      acceptBy: lot.acceptBy,
      minutesLeft: Math.floor(minutesLeft),
    }));
}
