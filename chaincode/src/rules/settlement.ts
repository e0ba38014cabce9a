import type { QuotaPayment } from '../model/quota.js';
import { BUCKET_HOURS, bucketStartMs } from '../model/common.js';
import { ChaincodeError, ErrorCode } from '../model/errors.js';
import type { Lot } from '../model/lot.js';
import type { Member } from '../model/member.js';
import type { CapacityQuota } from '../model/quota.js';
import type { AcceptDeliveryRequest, DeclarePaymentRequest } from '../model/requests.js';
import type { PeriodStatement, Settlement } from '../model/settlement.js';
import type { WorkOrder } from '../model/workOrder.js';
import { requireRole } from './access.js';
import { operationsOf } from './lotMinutes.js';

const fail = (code: ErrorCode, message: string): never => {
  throw new ChaincodeError(code, message);
};

const BUCKET_MS = BUCKET_HOURS * 3_600_000;

/** Whole shift buckets between the end of the due bucket and the delivery, rounded up; 0 when on time. */
export function bucketsLate(dueBucket: string, deliveredAt: string): number {
  const late = Date.parse(deliveredAt) - (bucketStartMs(dueBucket) + BUCKET_MS);
  return late <= 0 ? 0 : Math.ceil(late / BUCKET_MS);
}

/**
 * The customer who published the work order accepts some of a delivered lot's units, which fixes
 * what is owed: accepted units × unit price, less the lateness penalty of the order's terms (never
 * more than the gross), less what the quota the lot consumed had already prepaid for those units.
 */
export function acceptDelivery(
  member: Member,
  workOrder: WorkOrder,
  lot: Lot,
  quota: CapacityQuota | undefined,
  request: AcceptDeliveryRequest,
  now: string,
): { lot: Lot; settlement: Settlement } {
  requireRole(member, 'customer');
  if (member.memberId !== workOrder.customerMemberId)
    fail(ErrorCode.NOT_OWNER, `work order ${workOrder.workOrderId} belongs to another customer`);
  if (lot.status !== 'DELIVERED' || lot.acceptedQuantity !== undefined)
    fail(
      ErrorCode.LOT_WRONG_STATUS,
      `lot ${lot.lotId} is ${lot.status}${lot.acceptedQuantity === undefined ? '' : ' and already accepted'}`,
    );
  const delivered = lot.deliveredQuantity ?? 0;
  const deliveredAt = lot.deliveredAt ?? now;
  if (request.acceptedQuantity > delivered)
    fail(
      ErrorCode.DELIVERY_QUANTITY,
      `/acceptedQuantity ${request.acceptedQuantity} is more than the ${delivered} units delivered`,
    );
  const accepted = request.acceptedQuantity;
  const gross = accepted * lot.unitPrice;
  const late = bucketsLate(workOrder.dueBucket, deliveredAt);
  const latePenalty = Math.min(gross, accepted * late * workOrder.latePenaltyPerUnitPerBucket);
  const prepaidCredit = accepted * prepaidPerUnit(workOrder, lot, quota);
  const settlement: Settlement = {
    settlementId: lot.lotId,
    lotId: lot.lotId,
    workOrderId: lot.workOrderId,
    payerMspId: member.mspId,
    payerMemberId: member.memberId,
    payeeMspId: lot.factoryMspId,
    acceptedQuantity: accepted,
    unitPrice: lot.unitPrice,
    gross,
    bucketsLate: late,
    latePenalty,
    prepaidCredit,
    amountDue: gross - latePenalty - prepaidCredit,
    status: 'DUE',
    createdAt: now,
  };
  return { lot: { ...lot, acceptedQuantity: accepted, updatedAt: now }, settlement };
}

/** Per unit, the part of the lot's price its quota's buyer paid in advance: the operations in the quota's process. */
export function prepaidPerUnit(workOrder: WorkOrder, lot: Lot, quota: CapacityQuota | undefined): number {
  if (quota === undefined) return 0;
  return operationsOf(workOrder, lot).reduce(
    (sum, op, k) => sum + (op.process === quota.process ? (lot.unitPrices[k] ?? 0) : 0),
    0,
  );
}

/**
 * Which side of a settlement sends its money: the paying customer, or — for a negative amount, a
 * refund — the factory organisation that was to be paid.
 */
export function paymentSender(settlement: Settlement): 'CUSTOMER' | 'FACTORY' {
  return settlement.amountDue < 0 ? 'FACTORY' : 'CUSTOMER';
}

/** Whether `member` speaks for one side of a settlement: the paying customer itself, or the paid factory organisation. */
function isSide(member: Member, settlement: Settlement, side: 'CUSTOMER' | 'FACTORY'): boolean {
  return side === 'CUSTOMER'
    ? member.memberId === settlement.payerMemberId
    : member.role === 'factory' && member.mspId === settlement.payeeMspId;
}

/** The side that sends the money declares it sent, with its bank reference; it is not paid until the other side confirms. */
export function declarePayment(
  member: Member,
  settlement: Settlement,
  request: DeclarePaymentRequest,
  now: string,
): Settlement {
  const sender = paymentSender(settlement);
  if (!isSide(member, settlement, sender))
    fail(
      ErrorCode.NOT_OWNER,
      `settlement ${settlement.settlementId}'s money is sent by ${sender === 'CUSTOMER' ? settlement.payerMemberId : settlement.payeeMspId}; it declares the payment`,
    );
  if (settlement.status !== 'DUE')
    fail(
      settlement.status === 'PAID' ? ErrorCode.SETTLEMENT_ALREADY_PAID : ErrorCode.SETTLEMENT_WRONG_STATUS,
      `settlement ${settlement.settlementId} is ${settlement.status} already`,
    );
  return {
    ...settlement,
    status: 'DECLARED',
    declaredAt: now,
    ...(request.paymentReference === undefined ? {} : { paymentReference: request.paymentReference }),
  };
}

/**
 * The side that receives the money confirms it arrived — declared or not, its word is what makes
 * the settlement paid; the lot is settled.
 */
export function confirmPayment(
  member: Member,
  settlement: Settlement,
  lot: Lot,
  now: string,
): { settlement: Settlement; lot: Lot } {
  const receiver = paymentSender(settlement) === 'CUSTOMER' ? 'FACTORY' : 'CUSTOMER';
  if (!isSide(member, settlement, receiver))
    fail(
      ErrorCode.NOT_OWNER,
      `settlement ${settlement.settlementId}'s money is received by ${receiver === 'CUSTOMER' ? settlement.payerMemberId : settlement.payeeMspId}; it confirms the payment`,
    );
  if (settlement.status === 'PAID')
    fail(
      ErrorCode.SETTLEMENT_ALREADY_PAID,
      `settlement ${settlement.settlementId} was paid at ${settlement.paidAt ?? '?'}`,
    );
  return {
    settlement: { ...settlement, status: 'PAID', paidAt: now },
    lot: { ...lot, status: 'SETTLED', updatedAt: now },
  };
}

/**
 * Nets the settlements between two organisations created in [from, to): what each owes the other
 * and the balance, paid or not.
 */
export function periodStatement(
  settlements: readonly Settlement[],
  memberA: string,
  memberB: string,
  from: string,
  to: string,
  quotaPayments: readonly QuotaPayment[] = [],
): PeriodStatement {
  const between = quotaPayments.filter(
    (q) =>
      (q.payerMspId === memberA && q.payeeMspId === memberB) ||
      (q.payerMspId === memberB && q.payeeMspId === memberA),
  );
  const inWindow = (at: string | undefined) => at !== undefined && at >= from && at < to;
  const bought = between.filter((q) => inWindow(q.createdAt));
  const closed = between.filter((q) => inWindow(q.closed?.at));
  const sum = (list: readonly QuotaPayment[], payer: string, value: (q: QuotaPayment) => number) =>
    list.filter((q) => q.payerMspId === payer).reduce((total, q) => total + value(q), 0);
  const quotas = {
    quotaIds: [...new Set([...bought, ...closed].map((q) => q.quotaId))].sort(),
    quotaPrepaidByA: sum(bought, memberA, (q) => q.amount),
    quotaPrepaidByB: sum(bought, memberB, (q) => q.amount),
    quotaRefundedToA: sum(closed, memberA, (q) => q.closed?.refunded ?? 0),
    quotaRefundedToB: sum(closed, memberB, (q) => q.closed?.refunded ?? 0),
    quotaForfeitedByA: sum(closed, memberA, (q) => q.closed?.forfeited ?? 0),
    quotaForfeitedByB: sum(closed, memberB, (q) => q.closed?.forfeited ?? 0),
  };
  const inPeriod = settlements
    .filter((s) => s.createdAt >= from && s.createdAt < to)
    .filter(
      (s) =>
        (s.payerMspId === memberA && s.payeeMspId === memberB) ||
        (s.payerMspId === memberB && s.payeeMspId === memberA),
    )
    .sort((x, y) => (x.settlementId < y.settlementId ? -1 : x.settlementId > y.settlementId ? 1 : 0));
  const owed = (payer: string, outstandingOnly: boolean): number =>
    inPeriod
      .filter((s) => s.payerMspId === payer && (!outstandingOnly || s.status !== 'PAID'))
      .reduce((sum, s) => sum + s.amountDue, 0);
  const owedByA = owed(memberA, false);
  const owedByB = owed(memberB, false);
  return {
    memberA,
    memberB,
    from,
    to,
    settlementIds: inPeriod.map((s) => s.settlementId),
    owedByA,
    owedByB,
    netAPaysB: owedByA - owedByB,
    outstandingByA: owed(memberA, true),
    outstandingByB: owed(memberB, true),
    ...quotas,
  };
}
