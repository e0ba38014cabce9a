import type { Capacity } from '../model/capacity.js';
import { BUCKET_HOURS, bucketStartMs } from '../model/common.js';
import { ChaincodeError, ErrorCode } from '../model/errors.js';
import type { Factory } from '../model/factory.js';
import type { Member } from '../model/member.js';
import {
  DEFAULT_QUOTA_TERMS,
  quotaCoversBucket,
  type CapacityQuota,
  type QuotaPayment,
} from '../model/quota.js';
import type { ListQuotaRequest } from '../model/requests.js';
import { requireOrg, requireRole } from './access.js';

/** Minutes a quota still holds back from everyone but its buyer. */
export function reservedMinutes(quota: CapacityQuota): number {
  if (quota.status === 'LISTED') return quota.minutes;
  if (quota.status === 'SOLD') return quota.minutes - quota.consumedMinutes;
  return 0;
}

/**
 * Checks that a factory's free minutes (declared − assigned) for one process can still honour every
 * quota's reservation: for each quota Q, the free minutes inside Q's window must cover the
 * reservations of all quotas whose window lies inside Q's. (Necessary for any placement of the
 * reserved minutes; with nested or disjoint windows, the usual case, it is also sufficient.)
 * Returns the first quota that cannot be honoured, or undefined.
 */
export function firstUnhonouredQuota(
  capacities: readonly Capacity[],
  quotas: readonly CapacityQuota[],
): CapacityQuota | undefined {
  const active = quotas
    .filter((q) => reservedMinutes(q) > 0)
    .sort((a, b) => (a.quotaId < b.quotaId ? -1 : 1));
  for (const q of active) {
    const free = capacities
      .filter((c) => quotaCoversBucket(q, c.bucket))
      .reduce((sum, c) => sum + (c.declaredMinutes - c.assignedMinutes), 0);
    const need = active
      .filter((other) => other.windowStart >= q.windowStart && other.windowEnd <= q.windowEnd)
      .reduce((sum, other) => sum + reservedMinutes(other), 0);
    if (free < need) return q;
  }
  return undefined;
}

/** End of a quota's window: the end of its last bucket. */
export function windowEndMs(quota: Pick<CapacityQuota, 'windowEnd'>): number {
  return bucketStartMs(quota.windowEnd) + BUCKET_HOURS * 3_600_000;
}

/** A factory lists future capacity of its own for pre-sale. */
export function listQuota(
  member: Member,
  factory: Factory,
  existing: CapacityQuota | undefined,
  request: ListQuotaRequest,
  capacities: readonly Capacity[],
  quotas: readonly CapacityQuota[],
  now: string,
): CapacityQuota {
  requireRole(member, 'factory');
  requireOrg(member, factory.mspId, `factory ${factory.factoryId}`);
  if (existing !== undefined)
    throw new ChaincodeError(ErrorCode.QUOTA_ALREADY_EXISTS, `quota ${request.quotaId} already exists`);
  if (!factory.processes.some((p) => p.process === request.process)) {
    throw new ChaincodeError(
      ErrorCode.PROCESS_NOT_OFFERED,
      `/process ${request.process} is not offered by ${factory.factoryId}`,
    );
  }
  if (request.windowEnd < request.windowStart) {
    throw new ChaincodeError(ErrorCode.INVALID_ARGUMENT, '/windowEnd is before /windowStart');
  }
  if (windowEndMs(request) <= Date.parse(now)) {
    throw new ChaincodeError(ErrorCode.INVALID_ARGUMENT, '/windowEnd has already passed');
  }
  const quota: CapacityQuota = {
    quotaId: request.quotaId,
    factoryId: factory.factoryId,
    process: request.process,
    windowStart: request.windowStart,
    windowEnd: request.windowEnd,
    minutes: request.minutes,
    pricePerMinute: request.pricePerMinute,
    status: 'LISTED',
    consumedMinutes: 0,
    terms: request.terms ?? DEFAULT_QUOTA_TERMS,
    listedAt: now,
    updatedAt: now,
  };
  const short = firstUnhonouredQuota(capacities, [...quotas, quota]);
  if (short !== undefined) {
    throw new ChaincodeError(
      ErrorCode.CAPACITY_EXCEEDED,
      `/minutes ${request.minutes}: the declared capacity of ${factory.factoryId} ${request.process} in ${short.windowStart}..${short.windowEnd} cannot cover the quotas already listed`,
    );
  }
  return quota;
}

/** A customer buys a listed quota: the price per minute is locked for it from now on. */
export function buyQuota(member: Member, quota: CapacityQuota, now: string): CapacityQuota {
  requireRole(member, 'customer');
  if (quota.status !== 'LISTED')
    throw new ChaincodeError(ErrorCode.QUOTA_NOT_AVAILABLE, `quota ${quota.quotaId} is ${quota.status}`);
  if (windowEndMs(quota) <= Date.parse(now))
    throw new ChaincodeError(ErrorCode.QUOTA_NOT_AVAILABLE, `quota ${quota.quotaId} window has ended`);
  return {
    ...quota,
    status: 'SOLD',
    buyerMemberId: member.memberId,
    buyerMspId: member.mspId,
    soldAt: now,
    updatedAt: now,
  };
}

/** The buyer gives back what it will not use; those minutes are free for everyone again. */
export function releaseQuota(member: Member, quota: CapacityQuota, now: string): CapacityQuota {
  if (quota.status !== 'SOLD')
    throw new ChaincodeError(ErrorCode.QUOTA_NOT_AVAILABLE, `quota ${quota.quotaId} is ${quota.status}`);
  if (quota.buyerMemberId !== member.memberId)
    throw new ChaincodeError(ErrorCode.QUOTA_NOT_BUYER, `only the buyer may release quota ${quota.quotaId}`);
  return {
    ...quota,
    status: 'RELEASED',
    returnedMinutes: quota.minutes - quota.consumedMinutes,
    updatedAt: now,
  };
}

/** After its window, a quota's unused minutes lapse; any member may record that. */
export function expireQuota(quota: CapacityQuota, now: string): CapacityQuota {
  if (quota.status !== 'LISTED' && quota.status !== 'SOLD') {
    throw new ChaincodeError(ErrorCode.QUOTA_NOT_AVAILABLE, `quota ${quota.quotaId} is ${quota.status}`);
  }
  if (Date.parse(now) < windowEndMs(quota))
    throw new ChaincodeError(ErrorCode.QUOTA_WINDOW_OPEN, `quota ${quota.quotaId} window is still open`);
  return {
    ...quota,
    status: 'EXPIRED',
    returnedMinutes: quota.minutes - quota.consumedMinutes,
    updatedAt: now,
  };
}

/** The prepayment a sale creates: the whole quota at its locked price, due to the factory at once. */
export function quotaPaymentOf(quota: CapacityQuota, payeeMspId: string, now: string): QuotaPayment {
  if (quota.buyerMemberId === undefined || quota.buyerMspId === undefined)
    throw new ChaincodeError(ErrorCode.QUOTA_NOT_AVAILABLE, `quota ${quota.quotaId} has no buyer`);
  return {
    quotaId: quota.quotaId,
    factoryId: quota.factoryId,
    payerMemberId: quota.buyerMemberId,
    payerMspId: quota.buyerMspId,
    payeeMspId,
    amount: quota.minutes * quota.pricePerMinute,
    status: 'DUE',
    createdAt: now,
  };
}

/** The buyer says it paid, with its bank's reference: once. */
export function declareQuotaPayment(
  member: Member,
  payment: QuotaPayment,
  paymentReference: string,
  now: string,
): QuotaPayment {
  if (member.memberId !== payment.payerMemberId)
    throw new ChaincodeError(ErrorCode.NOT_OWNER, `quota ${payment.quotaId} was bought by another customer`);
  if (payment.status !== 'DUE')
    throw new ChaincodeError(
      ErrorCode.QUOTA_PAYMENT_WRONG_STATUS,
      `the payment of quota ${payment.quotaId} is ${payment.status}, not DUE`,
    );
  return { ...payment, status: 'DECLARED', declaredAt: now, paymentReference };
}

/** The selling factory's organisation confirms the money arrived (declared or not): once. */
export function confirmQuotaPayment(member: Member, payment: QuotaPayment, now: string): QuotaPayment {
  requireRole(member, 'factory');
  requireOrg(member, payment.payeeMspId, `the payment of quota ${payment.quotaId}`);
  if (payment.status === 'CONFIRMED')
    throw new ChaincodeError(
      ErrorCode.QUOTA_PAYMENT_WRONG_STATUS,
      `the payment of quota ${payment.quotaId} is confirmed already`,
    );
  return { ...payment, status: 'CONFIRMED', confirmedAt: now };
}

/**
 * A quota closed (released by its buyer, or expired) splits its prepayment for good, by the terms
 * it was listed with: what was used is credited against deliveries; of what is unused, the refund
 * share goes back to the buyer (on release only with the notice the terms ask) and the rest is
 * forfeited to the factory. amount = usedValue + refunded + forfeited.
 */
export function closeQuotaPayment(
  quota: CapacityQuota,
  payment: QuotaPayment,
  by: 'RELEASED' | 'EXPIRED',
  now: string,
): QuotaPayment {
  const terms = quota.terms ?? DEFAULT_QUOTA_TERMS;
  const usedValue = quota.consumedMinutes * quota.pricePerMinute;
  const unused = payment.amount - usedValue;
  const noticeGiven =
    Date.parse(now) <= bucketStartMs(quota.windowStart) - terms.releaseNoticeHours * 3_600_000;
  const percent = by === 'EXPIRED' ? terms.expiryRefundPercent : noticeGiven ? terms.releaseRefundPercent : 0;
  const refunded = Math.floor((unused * percent) / 100);
  return { ...payment, closed: { by, at: now, usedValue, refunded, forfeited: unused - refunded } };
}
