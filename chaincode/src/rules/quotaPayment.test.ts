import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ErrorCode } from '../model/errors.js';
import type { CapacityQuota, QuotaPayment } from '../model/quota.js';
import { aMember, aQuota, BUCKET } from '../testing/builders.js';
import {
  buyQuota,
  closeQuotaPayment,
  confirmQuotaPayment,
  declareQuotaPayment,
  expireQuota,
  quotaPaymentOf,
  releaseQuota,
} from './quota.js';

const customer = aMember('customer', 'CustomerAMSP', 'customer-1');
const otherCustomer = aMember('customer', 'CustomerAMSP', 'customer-2');
const seller = aMember('factory', 'FactoryAMSP', 'factory-a-user');
const otherFactory = aMember('factory', 'FactoryBMSP', 'factory-b-user');
const HOUR = 3_600_000;
const windowStartMs = Date.parse(BUCKET);
const at = (hoursBeforeWindow: number) => new Date(windowStartMs - hoursBeforeWindow * HOUR).toISOString();
const listed = (overrides: Partial<CapacityQuota> = {}): CapacityQuota => ({
  ...aQuota(undefined),
  status: 'LISTED',
  terms: { releaseRefundPercent: 80, releaseNoticeHours: 24, expiryRefundPercent: 10 },
  ...overrides,
});

describe('a quota’s prepayment', () => {
  it('is the whole quota at its locked price, due to the selling factory the moment it is bought', () => {
    const sold = buyQuota(customer, listed(), at(48));
    expect(quotaPaymentOf(sold, 'FactoryAMSP', at(48))).toMatchObject({
      amount: 200 * 80,
      status: 'DUE',
      payerMemberId: customer.memberId,
      payeeMspId: 'FactoryAMSP',
    });
  });

  it('is declared paid by its buyer only, and confirmed received by the selling factory only, once each', () => {
    const payment = quotaPaymentOf(buyQuota(customer, listed(), at(48)), 'FactoryAMSP', at(48));
    expect(() => declareQuotaPayment(otherCustomer, payment, 'BANK-1', at(47))).toThrow(ErrorCode.NOT_OWNER);
    const declared = declareQuotaPayment(customer, payment, 'BANK-1', at(47));
    expect(declared).toMatchObject({ status: 'DECLARED', paymentReference: 'BANK-1' });
    expect(() => declareQuotaPayment(customer, declared, 'BANK-2', at(46))).toThrow(
      ErrorCode.QUOTA_PAYMENT_WRONG_STATUS,
    );
    expect(() => confirmQuotaPayment(otherFactory, declared, at(46))).toThrow(ErrorCode.NOT_OWNER);
    expect(() => confirmQuotaPayment(customer, declared, at(46))).toThrow(ErrorCode.WRONG_ROLE);
    const confirmed = confirmQuotaPayment(seller, declared, at(46));
    expect(confirmed.status).toBe('CONFIRMED');
    expect(() => confirmQuotaPayment(seller, confirmed, at(45))).toThrow(
      ErrorCode.QUOTA_PAYMENT_WRONG_STATUS,
    );
  });

  it('refunds by its terms: the release share with notice, nothing without, the expiry share at the end', () => {
    const sold = buyQuota(customer, listed(), at(72));
    const used = { ...sold, consumedMinutes: 50 };
    const payment = quotaPaymentOf(sold, 'FactoryAMSP', at(72));
    // 150 minutes unused × 80 fen = 12,000 fen.
    expect(
      closeQuotaPayment(releaseQuota(customer, used, at(30)), payment, 'RELEASED', at(30)).closed,
    ).toEqual({
      by: 'RELEASED',
      at: at(30),
      usedValue: 4_000,
      refunded: 9_600,
      forfeited: 2_400,
    });
    expect(
      closeQuotaPayment(releaseQuota(customer, used, at(10)), payment, 'RELEASED', at(10)).closed,
    ).toMatchObject({
      refunded: 0,
      forfeited: 12_000,
    });
    const end = new Date(windowStartMs + 17 * HOUR).toISOString();
    expect(closeQuotaPayment(expireQuota(used, end), payment, 'EXPIRED', end).closed).toMatchObject({
      refunded: 1_200,
      forfeited: 10_800,
    });
  });

  it('balances for both parties over any sequence: money in = money out + balance', () => {
    fc.assert(
      fc.property(
        fc.record({
          minutes: fc.integer({ min: 1, max: 5_000 }),
          price: fc.integer({ min: 1, max: 10_000 }),
          terms: fc.record({
            releaseRefundPercent: fc.integer({ min: 0, max: 100 }),
            releaseNoticeHours: fc.integer({ min: 0, max: 96 }),
            expiryRefundPercent: fc.integer({ min: 0, max: 100 }),
          }),
          uses: fc.array(fc.integer({ min: 1, max: 500 }), { maxLength: 12 }),
          declare: fc.boolean(),
          confirm: fc.boolean(),
          close: fc.constantFrom('RELEASED', 'EXPIRED', 'OPEN'),
          releaseHoursBefore: fc.integer({ min: 0, max: 120 }),
        }),
        (run) => {
          let quota = buyQuota(
            customer,
            listed({ minutes: run.minutes, pricePerMinute: run.price, terms: run.terms }),
            at(200),
          );
          let payment: QuotaPayment = quotaPaymentOf(quota, 'FactoryAMSP', at(200));
          if (run.declare) payment = declareQuotaPayment(customer, payment, 'BANK-P', at(199));
          if (run.confirm) payment = confirmQuotaPayment(seller, payment, at(198));
          // Deliveries consume minutes, never more than the quota holds.
          for (const use of run.uses)
            quota = { ...quota, consumedMinutes: Math.min(quota.minutes, quota.consumedMinutes + use) };
          const credited = quota.consumedMinutes * quota.pricePerMinute;
          if (run.close === 'RELEASED') {
            const when = at(run.releaseHoursBefore);
            payment = closeQuotaPayment(releaseQuota(customer, quota, when), payment, 'RELEASED', when);
          } else if (run.close === 'EXPIRED') {
            const end = new Date(windowStartMs + 17 * HOUR).toISOString();
            payment = closeQuotaPayment(expireQuota(quota, end), payment, 'EXPIRED', end);
          }
          // The buyer: what it pays = what deliveries used + what came back + what it lost + prepaid
          // still open. The factory: what it receives = revenue (used + forfeited) + refund it owes +
          // work it still owes. One split, seen from both sides.
          const closed = payment.closed;
          const refunded = closed?.refunded ?? 0;
          const forfeited = closed?.forfeited ?? 0;
          const stillPrepaid = closed === undefined ? payment.amount - credited : 0;
          expect(stillPrepaid).toBeGreaterThanOrEqual(0);
          expect(payment.amount).toBe(credited + refunded + forfeited + stillPrepaid);
          expect(refunded).toBeGreaterThanOrEqual(0);
          expect(forfeited).toBeGreaterThanOrEqual(0);
          if (closed !== undefined) expect(closed.usedValue).toBe(credited);
        },
      ),
      { numRuns: 500 },
    );
  });
});
