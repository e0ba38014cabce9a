import type { Bid, SealedBid } from '../model/bid.js';
import { BUCKET_HOURS } from '../model/common.js';
import { ChaincodeError, ErrorCode } from '../model/errors.js';
import type { Factory } from '../model/factory.js';
import type { Member } from '../model/member.js';
import type { WorkOrder } from '../model/workOrder.js';
import { requireOrg, requireRole } from './access.js';

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
 * Where the bidding lets a work order's lots go at `now`: nowhere while its window is open (the
 * bids decide, not the matcher), nor while bids revealed after it wait for the customer's award
 * (AWARD_WAIT_HOURS after the window); only to the winner once awarded; anywhere otherwise (no
 * window, a window nobody bid in, or an award the customer let pass).
 */
export function biddingAllows(
  workOrder: WorkOrder,
  factoryId: string,
  now: string,
  revealedBids: number,
): string | undefined {
  if (workOrder.award !== undefined && workOrder.award.factoryId !== factoryId)
    return `work order ${workOrder.workOrderId} was awarded to ${workOrder.award.factoryId}`;
  if (takesBidsAt(workOrder, now))
    return `work order ${workOrder.workOrderId} takes bids until ${workOrder.bidWindowEnd ?? ''}`;
  if (workOrder.award === undefined && workOrder.bidWindowEnd !== undefined && revealedBids > 0) {
    const awardBy = Date.parse(workOrder.bidWindowEnd) + AWARD_WAIT_HOURS * 3_600_000;
    if (Date.parse(now) < awardBy)
      return `work order ${workOrder.workOrderId} has ${revealedBids} revealed bid(s) waiting for its customer's award until ${new Date(awardBy).toISOString()}`;
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

/**
 * The shift by whose end an order's last operation must be done: its due shift, or for an awarded
 * order the last shift that ends by the winner's promised finish when that is sooner (the winner
 * bid to finish by then; the order's own due shift may be later).
 */
export function committedDueBucket(workOrder: WorkOrder): string {
  const { award, dueBucket } = workOrder;
  if (award === undefined) return dueBucket;
  const shift = BUCKET_HOURS * 3_600_000;
  const lastEndingBy = Math.floor((Date.parse(award.finishBy) - shift) / shift) * shift;
  return lastEndingBy < Date.parse(dueBucket)
    ? new Date(lastEndingBy).toISOString().replace('.000Z', 'Z')
    : dueBucket;
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

/** The customer awards its work order to the best revealed bid once the window has closed. */
export function awardBid(
  member: Member,
  workOrder: WorkOrder,
  bids: readonly Bid[],
  now: string,
): { workOrder: WorkOrder; bids: Bid[] } {
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
  return {
    workOrder: {
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
    },
    bids: bids.map((b) => ({
      ...b,
      status: b.factoryId === best.factoryId ? 'AWARDED' : 'NOT_AWARDED',
      updatedAt: now,
    })),
  };
}
