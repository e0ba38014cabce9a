import type { Bid, SealedBid } from '../model/bid.js';
import type { Capacity } from '../model/capacity.js';
import { BUCKET_HOURS } from '../model/common.js';
import type { Lot } from '../model/lot.js';
import type { CapacityQuota } from '../model/quota.js';
import { ChaincodeError, ErrorCode } from '../model/errors.js';
import type { Factory } from '../model/factory.js';
import type { Member } from '../model/member.js';
import type { WorkOrder } from '../model/workOrder.js';
import { requireOrg, requireRole } from './access.js';
import { capacityId } from './factory.js';
import { lotMinutesByProcess } from './lotMinutes.js';
import { firstUnhonouredQuota } from './quota.js';

const fail = (code: ErrorCode, message: string): never => {
  throw new ChaincodeError(code, message);
};

function requireBidder(member: Member, factory: Factory): void {
  requireRole(member, 'factory');
  requireOrg(member, factory.mspId, `factory ${factory.factoryId}`);
}

function windowEndOf(workOrder: WorkOrder): string {
  if (workOrder.bidWindowEnd === undefined)
    return fail(ErrorCode.BID_NO_WINDOW, `work order ${workOrder.workOrderId} takes no bids`);
  return workOrder.bidWindowEnd;
}

/** How long after its bid window an order with revealed bids waits for its customer's award. */
export const AWARD_WAIT_HOURS = 24;

/**
 * Whether the bidding lets the matcher place a work order's lots at `now`: not while its window is
 * open (the bids decide), nor while bids revealed after it wait for the customer's award
 * (AWARD_WAIT_HOURS after the window). Once awarded, the award placed the winner's units itself and
 * what is left of the order is the matcher's, anywhere; with no window, a window nobody bid in, or
 * an award the customer let pass, the order is the matcher's too.
 */
export function biddingAllows(workOrder: WorkOrder, now: string, revealedBids: number): string | undefined {
  if (takesBidsAt(workOrder, now))
    return `work order ${workOrder.workOrderId} takes bids until ${workOrder.bidWindowEnd ?? ''}`;
  if (workOrder.award === undefined && workOrder.bidWindowEnd !== undefined && revealedBids > 0) {
    const awardBy = Date.parse(workOrder.bidWindowEnd) + AWARD_WAIT_HOURS * 3_600_000;
    if (Date.parse(now) < awardBy)
      return `work order ${workOrder.workOrderId} has ${String(revealedBids)} revealed bid(s) waiting for its customer's award until ${new Date(awardBy).toISOString()}`;
  }
  return undefined;
}

/**
 * What an awarded work order's lots cost per unit, operation by operation: the winning bid's price
 * per finished unit shared out by standard minutes (rounded down, the last operation taking the
 * rest, so they add up to the bid exactly). Undefined when nothing is awarded.
 */
export function awardedUnitPrices(workOrder: WorkOrder): number[] | undefined {
  const { award, routing } = workOrder;
  if (award === undefined) return undefined;
  const total = routing.reduce((sum, op) => sum + op.standardMinutes, 0);
  let shared = 0;
  return routing.map((op, i) => {
    const price =
      i === routing.length - 1
        ? award.unitPrice - shared
        : Math.floor((award.unitPrice * op.standardMinutes) / total);
    shared += price;
    return price;
  });
}

/** The last shift that ends by an instant (a winner's promised finish). */
export function lastShiftEndingBy(instant: string): string {
  const shift = BUCKET_HOURS * 3_600_000;
  const start = Math.floor((Date.parse(instant) - shift) / shift) * shift;
  return new Date(start).toISOString().replace('.000Z', 'Z');
}

/** Whether a work order is in its bid window at `now`, with no award yet. */
export function takesBidsAt(workOrder: WorkOrder, now: string): boolean {
  return (
    workOrder.award === undefined &&
    workOrder.bidWindowEnd !== undefined &&
    Date.parse(now) < Date.parse(workOrder.bidWindowEnd)
  );
}

/**
 * A factory seals a bid during the window: it must be able to make the whole routing, bid within
 * the order's quantity and maximum price. Only the hash of the sealed bid becomes public.
 */
export function sealBid(
  member: Member,
  workOrder: WorkOrder,
  factory: Factory,
  bid: SealedBid,
  now: string,
): SealedBid {
  requireBidder(member, factory);
  if (bid.workOrderId !== workOrder.workOrderId || bid.factoryId !== factory.factoryId)
    fail(ErrorCode.INVALID_ARGUMENT, 'the sealed bid names another work order or factory than the request');
  if (workOrder.status !== 'OPEN')
    fail(ErrorCode.WORK_ORDER_CLOSED, `work order ${workOrder.workOrderId} is ${workOrder.status}`);
  const end = windowEndOf(workOrder);
  if (Date.parse(now) >= Date.parse(end))
    fail(ErrorCode.BID_WINDOW_CLOSED, `bids on ${workOrder.workOrderId} closed at ${end}`);
  const missing = workOrder.routing.find((op) => !factory.processes.some((p) => p.process === op.process));
  if (missing !== undefined)
    fail(ErrorCode.PROCESS_NOT_OFFERED, `factory ${factory.factoryId} does not offer ${missing.process}`);
  if (bid.quantity > workOrder.quantity)
    fail(
      ErrorCode.INVALID_ARGUMENT,
      `/quantity ${bid.quantity} is more than the order's ${workOrder.quantity}`,
    );
  if (bid.unitPrice > workOrder.maxUnitPrice)
    fail(
      ErrorCode.PRICE_ABOVE_MAX,
      `/unitPrice ${bid.unitPrice} is above the order's maximum ${workOrder.maxUnitPrice}`,
    );
  return bid;
}

/**
 * After the window, the bidder reveals the very bid it sealed: its hash must equal the one the
 * ledger has held since the window (`sealHash`, from the bidder's private collection).
 */
export function revealBid(
  member: Member,
  workOrder: WorkOrder,
  factory: Factory,
  bid: SealedBid,
  bidHash: string,
  sealHash: string | undefined,
  existing: Bid | undefined,
  now: string,
): Bid {
  requireBidder(member, factory);
  const end = windowEndOf(workOrder);
  if (Date.parse(now) < Date.parse(end))
    fail(ErrorCode.BID_WINDOW_OPEN, `bids on ${workOrder.workOrderId} stay sealed until ${end}`);
  if (existing !== undefined)
    fail(ErrorCode.BID_ALREADY_REVEALED, `factory ${factory.factoryId} already revealed its bid`);
  if (sealHash === undefined)
    return fail(
      ErrorCode.BID_NOT_SEALED,
      `factory ${factory.factoryId} sealed no bid on ${workOrder.workOrderId}`,
    );
  if (bidHash !== sealHash)
    fail(ErrorCode.BID_HASH_MISMATCH, `the revealed bid hashes to ${bidHash}, but ${sealHash} was sealed`);
  return {
    workOrderId: bid.workOrderId,
    factoryId: bid.factoryId,
    factoryMspId: factory.mspId,
    unitPrice: bid.unitPrice,
    quantity: bid.quantity,
    finishBy: bid.finishBy,
    sealHash,
    status: 'REVEALED',
    revealedAt: now,
    revealedByMemberId: member.memberId,
    updatedAt: now,
  };
}

/**
 * The order's rules rank revealed bids: a RUSH order wants the earliest finish, then the lowest
 * price; a NORMAL one the lowest price, then the earliest finish; a larger quantity, then the
 * factory id, break what is left so every peer picks the same bid.
 */
export function rankBids(workOrder: WorkOrder, bids: readonly Bid[]): Bid[] {
  const byPrice = (a: Bid, b: Bid): number => a.unitPrice - b.unitPrice;
  const byFinish = (a: Bid, b: Bid): number => Date.parse(a.finishBy) - Date.parse(b.finishBy);
  const [first, second] = workOrder.priority === 'RUSH' ? [byFinish, byPrice] : [byPrice, byFinish];
  return [...bids].sort(
    (a, b) =>
      first(a, b) ||
      second(a, b) ||
      b.quantity - a.quantity ||
      (a.factoryId < b.factoryId ? -1 : a.factoryId > b.factoryId ? 1 : 0),
  );
}

/** The lots an award creates run under this id (no matcher run made them). */
export const awardRunId = (workOrderId: string): string => `AWARD-${workOrderId}`;

/**
 * The customer awards its work order to the best revealed bid (rankBids), once the window closed.
 * The award itself places the winner's units: lots through the whole routing at the winner, at
 * the bid's price, already accepted (the bid was the factory's commitment), in the earliest shifts
 * from now whose declared room (every process of the routing, quota reservations honoured) takes
 * them and that end by the promised finish; refused when that room is not there. Any units beyond
 * the bid's quantity stay for the matcher, at list prices, anywhere.
 */
export function awardBid(
  member: Member,
  workOrder: WorkOrder,
  bids: readonly Bid[],
  room: { capacities: readonly Capacity[]; quotas: readonly CapacityQuota[] },
  now: string,
): { workOrder: WorkOrder; bids: Bid[]; lots: Lot[]; capacities: Capacity[] } {
  requireRole(member, 'customer');
  if (member.memberId !== workOrder.customerMemberId)
    fail(ErrorCode.NOT_OWNER, `work order ${workOrder.workOrderId} belongs to another customer`);
  const end = windowEndOf(workOrder);
  if (Date.parse(now) < Date.parse(end))
    fail(ErrorCode.BID_WINDOW_OPEN, `bids on ${workOrder.workOrderId} stay sealed until ${end}`);
  if (workOrder.award !== undefined)
    fail(
      ErrorCode.BID_ALREADY_AWARDED,
      `work order ${workOrder.workOrderId} went to ${workOrder.award.factoryId}`,
    );
  const [best] = rankBids(workOrder, bids);
  if (best === undefined)
    return fail(ErrorCode.BID_NONE_REVEALED, `no bid on ${workOrder.workOrderId} has been revealed`);
  const awarded: WorkOrder = {
    ...workOrder,
    award: {
      factoryId: best.factoryId,
      factoryMspId: best.factoryMspId,
      unitPrice: best.unitPrice,
      quantity: best.quantity,
      finishBy: best.finishBy,
      awardedAt: now,
    },
    updatedAt: now,
  };
  const { lots, capacities } = awardedLots(awarded, room, now);
  return {
    workOrder: awarded,
    bids: bids.map((b) => ({
      ...b,
      status: b.factoryId === best.factoryId ? 'AWARDED' : 'NOT_AWARDED',
      updatedAt: now,
    })),
    lots,
    capacities,
  };
}

/** The winner's lots of an award, shift by shift, and the capacity they take. */
function awardedLots(
  workOrder: WorkOrder,
  room: { capacities: readonly Capacity[]; quotas: readonly CapacityQuota[] },
  now: string,
): { lots: Lot[]; capacities: Capacity[] } {
  const award = workOrder.award;
  if (award === undefined) return { lots: [], capacities: [] };
  const unitPrices = awardedUnitPrices(workOrder) ?? [];
  const whole = { fromSeq: 1, toSeq: workOrder.routing.length };
  const shift = BUCKET_HOURS * 3_600_000;
  const fromBucket = Math.floor(Date.parse(now) / shift) * shift;
  const lastBucket = Date.parse(lastShiftEndingBy(award.finishBy));
  const capacities = new Map(
    room.capacities.filter((c) => c.factoryId === award.factoryId).map((c) => [capacityId(c), c]),
  );
  const buckets = [...new Set([...capacities.values()].map((c) => c.bucket))]
    .filter((b) => Date.parse(b) >= fromBucket && Date.parse(b) <= lastBucket)
    .sort((a, b) => Date.parse(a) - Date.parse(b));
  const fits = (bucket: string, quantity: number): Capacity[] | undefined => {
    const taken: Capacity[] = [];
    for (const [process, minutes] of lotMinutesByProcess(workOrder, { ...whole, quantity })) {
      const capacity = capacities.get(capacityId({ factoryId: award.factoryId, process, bucket }));
      if (capacity === undefined || capacity.assignedMinutes + minutes > capacity.declaredMinutes)
        return undefined;
      taken.push({ ...capacity, assignedMinutes: capacity.assignedMinutes + minutes, updatedAt: now });
    }
    // What quotas reserve of the winner's room stays theirs.
    for (const process of new Set(workOrder.routing.map((op) => op.process))) {
      const own = [...capacities.values()]
        .filter((c) => c.process === process)
        .map((c) => taken.find((t) => capacityId(t) === capacityId(c)) ?? c);
      const reserved = room.quotas.filter((q) => q.factoryId === award.factoryId && q.process === process);
      if (firstUnhonouredQuota(own, reserved) !== undefined) return undefined;
    }
    return taken;
  };
  const lots: Lot[] = [];
  let left = award.quantity;
  for (const bucket of buckets) {
    if (left === 0) break;
    // The most units this shift takes: halve the step down from what is left.
    let quantity = 0;
    for (let step = left; step >= 1; step = Math.floor(step / 2))
      while (quantity + step <= left && fits(bucket, quantity + step) !== undefined) quantity += step;
    if (quantity === 0) continue;
    for (const c of fits(bucket, quantity) ?? []) capacities.set(capacityId(c), c);
    const minutesByProcess = lotMinutesByProcess(workOrder, { ...whole, quantity });
    const runId = awardRunId(workOrder.workOrderId);
    lots.push({
      lotId: `${runId}.${String(lots.length + 1)}`,
      workOrderId: workOrder.workOrderId,
      runId,
      factoryId: award.factoryId,
      factoryMspId: award.factoryMspId,
      ...whole,
      bucket,
      quantity,
      unitPrices,
      unitPrice: award.unitPrice,
      minutes: [...minutesByProcess.values()].reduce((a, b) => a + b, 0),
      status: 'ACCEPTED',
      acceptBy: now,
      assignedAt: now,
      updatedAt: now,
    });
    left -= quantity;
  }
  if (left > 0)
    fail(
      ErrorCode.CAPACITY_EXCEEDED,
      `${award.factoryId} declared no room for ${left} of the ${award.quantity} units it bid, in the shifts from now that end by ${award.finishBy}: it must declare that capacity before the award`,
    );
  const changed = new Set(
    lots.flatMap((l) =>
      [...lotMinutesByProcess(workOrder, l).keys()].map((process) =>
        capacityId({ factoryId: award.factoryId, process, bucket: l.bucket }),
      ),
    ),
  );
  return { lots, capacities: [...changed].sort().flatMap((id) => capacities.get(id) ?? []) };
}
