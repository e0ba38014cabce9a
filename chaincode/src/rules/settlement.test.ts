import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ErrorCode } from '../model/errors.js';
import type { Settlement } from '../model/settlement.js';
import { aLot, aMember, aQuota, aWorkOrder, NEXT_BUCKET, NOW } from '../testing/builders.js';
import {
  acceptDelivery,
  bucketsLate,
  confirmPayment,
  declarePayment,
  periodStatement,
} from './settlement.js';

const customer = aMember('customer', 'AllianceMSP', 'customer-1');
const otherCustomer = aMember('customer', 'AllianceMSP', 'customer-2');
const factoryA = aMember('factory', 'FactoryAMSP');
const dueEnd = '2026-11-25T16:00:00.000Z'; // end of NEXT_BUCKET
const delivered = (at = dueEnd, quantity = 100) =>
  aLot({ status: 'DELIVERED', deliveredQuantity: quantity, deliveredAt: at, doneQuantity: quantity });
const accept = (acceptedQuantity: number) => ({
  requestId: 'req-accept-0001',
  lotId: 'RUN-1/1',
  acceptedQuantity,
});

describe('delivery and settlement', () => {
  it('counts lateness in whole buckets after the due bucket ends', () => {
    expect(bucketsLate(NEXT_BUCKET, dueEnd)).toBe(0);
    expect(bucketsLate(NEXT_BUCKET, '2026-11-25T16:00:00.001Z')).toBe(1);
    expect(bucketsLate(NEXT_BUCKET, '2026-11-26T08:00:00.000Z')).toBe(2);
  });

  it('settles accepted units at the unit price, less the late penalty and the quota prepayment', () => {
    const workOrder = aWorkOrder(customer, { latePenaltyPerUnitPerBucket: 10 });
    const quota = aQuota(customer, { process: 'CNC' });
    const lot = delivered('2026-11-26T08:00:00.000Z');
    const { settlement, lot: accepted } = acceptDelivery(
      customer,
      workOrder,
      { ...lot, quotaId: quota.quotaId },
      quota,
      accept(90),
      NOW,
    );
    expect(settlement).toMatchObject({
      acceptedQuantity: 90,
      gross: 90 * 250,
      bucketsLate: 2,
      latePenalty: 90 * 2 * 10,
      prepaidCredit: 90 * 200, // the CNC operation was bought with the quota
      amountDue: 90 * 250 - 1800 - 18000,
      payeeMspId: 'FactoryAMSP',
      status: 'DUE',
    });
    expect(accepted.acceptedQuantity).toBe(90);
  });

  it('refuses another customer, more than was delivered, and a lot not delivered', () => {
    const workOrder = aWorkOrder(customer);
    expect(() => acceptDelivery(otherCustomer, workOrder, delivered(), undefined, accept(10), NOW)).toThrow(
      ErrorCode.NOT_OWNER,
    );
    expect(() => acceptDelivery(customer, workOrder, delivered(), undefined, accept(101), NOW)).toThrow(
      ErrorCode.DELIVERY_QUANTITY,
    );
    expect(() =>
      acceptDelivery(customer, workOrder, aLot({ status: 'DONE' }), undefined, accept(1), NOW),
    ).toThrow(ErrorCode.LOT_WRONG_STATUS);
  });

  it('is declared sent by the customer and confirmed received by the factory, which settles the lot', () => {
    const { settlement, lot } = acceptDelivery(
      customer,
      aWorkOrder(customer),
      delivered(),
      undefined,
      accept(100),
      NOW,
    );
    const declare = {
      requestId: 'req-pay-00001',
      settlementId: settlement.settlementId,
      paymentReference: 'CMB-2026-0042',
    };
    expect(() => declarePayment(factoryA, settlement, declare, NOW)).toThrow(ErrorCode.NOT_OWNER);
    expect(() => declarePayment(otherCustomer, settlement, declare, NOW)).toThrow(ErrorCode.NOT_OWNER);
    const declared = declarePayment(customer, settlement, declare, NOW);
    expect(declared).toMatchObject({
      status: 'DECLARED',
      paymentReference: 'CMB-2026-0042',
      declaredAt: NOW,
    });
    expect(() => declarePayment(customer, declared, declare, NOW)).toThrow(ErrorCode.SETTLEMENT_WRONG_STATUS);
    // The payer's word is not the payee's: only the factory says the money arrived.
    expect(() => confirmPayment(customer, declared, lot, NOW)).toThrow(ErrorCode.NOT_OWNER);
    expect(() => confirmPayment(aMember('factory', 'FactoryBMSP'), declared, lot, NOW)).toThrow(
      ErrorCode.NOT_OWNER,
    );
    const paid = confirmPayment(factoryA, declared, lot, NOW);
    expect(paid.settlement).toMatchObject({ status: 'PAID', paymentReference: 'CMB-2026-0042' });
    expect(paid.lot.status).toBe('SETTLED');
    expect(() => confirmPayment(factoryA, paid.settlement, paid.lot, NOW)).toThrow(
      ErrorCode.SETTLEMENT_ALREADY_PAID,
    );
    expect(() => declarePayment(customer, paid.settlement, declare, NOW)).toThrow(
      ErrorCode.SETTLEMENT_ALREADY_PAID,
    );
  });

  it('turns the sides round for a refund: the factory sends it, the customer confirms it arrived', () => {
    const { settlement, lot } = acceptDelivery(
      customer,
      aWorkOrder(customer),
      delivered(),
      undefined,
      accept(100),
      NOW,
    );
    const refund: Settlement = { ...settlement, amountDue: -500 };
    const declare = { requestId: 'req-refund-0001', settlementId: refund.settlementId };
    expect(() => declarePayment(customer, refund, declare, NOW)).toThrow(ErrorCode.NOT_OWNER);
    const declared = declarePayment(factoryA, refund, declare, NOW);
    expect(() => confirmPayment(factoryA, declared, lot, NOW)).toThrow(ErrorCode.NOT_OWNER);
    expect(confirmPayment(customer, declared, lot, NOW).settlement.status).toBe('PAID');
  });

  it('balances: gross = penalty + prepaid credit + amount due, and neither deduction exceeds the gross (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 100 }),
        fc.integer({ min: 0, max: 5000 }),
        fc.integer({ min: 0, max: 5000 }),
        fc.integer({ min: 0, max: 10_000 }),
        fc.integer({ min: 0, max: 30 }),
        fc.boolean(),
        (accepted, cncPrice, paintPrice, penalty, hoursLate, withQuota) => {
          const workOrder = aWorkOrder(customer, { latePenaltyPerUnitPerBucket: penalty });
          const lot = {
            ...delivered(new Date(Date.parse(dueEnd) + hoursLate * 3_600_000).toISOString()),
            unitPrices: [cncPrice, paintPrice],
            unitPrice: cncPrice + paintPrice,
          };
          const quota = withQuota ? aQuota(customer) : undefined;
          const { settlement: s } = acceptDelivery(customer, workOrder, lot, quota, accept(accepted), NOW);
          expect(s.latePenalty + s.prepaidCredit + s.amountDue).toBe(s.gross);
          expect(s.latePenalty).toBeLessThanOrEqual(s.gross);
          expect(s.prepaidCredit).toBeLessThanOrEqual(s.gross);
          expect(Number.isInteger(s.amountDue)).toBe(true);
        },
      ),
      { numRuns: 500 },
    );
  });

  it('nets a period’s settlements between two members', () => {
    const base = acceptDelivery(
      customer,
      aWorkOrder(customer),
      delivered(),
      undefined,
      accept(10),
      NOW,
    ).settlement;
    const s = (
      id: string,
      payer: string,
      payee: string,
      amountDue: number,
      createdAt: string,
      status: Settlement['status'] = 'DUE',
    ): Settlement => ({
      ...base,
      settlementId: id,
      payerMspId: payer,
      payeeMspId: payee,
      amountDue,
      createdAt,
      status,
    });
    const statement = periodStatement(
      [
        s('c', 'AllianceMSP', 'FactoryAMSP', 5000, '2026-11-02T00:00:00.000Z', 'PAID'),
        s('a', 'AllianceMSP', 'FactoryAMSP', 3000, '2026-11-03T00:00:00.000Z'),
        s('b', 'FactoryAMSP', 'AllianceMSP', 1200, '2026-11-04T00:00:00.000Z'),
        s('d', 'AllianceMSP', 'FactoryAMSP', 999, '2026-12-01T00:00:00.000Z'),
        s('e', 'AllianceMSP', 'FactoryBMSP', 777, '2026-11-05T00:00:00.000Z'),
      ],
      'AllianceMSP',
      'FactoryAMSP',
      '2026-11-01T00:00:00.000Z',
      '2026-12-01T00:00:00.000Z',
    );
    expect(statement).toMatchObject({
      settlementIds: ['a', 'b', 'c'],
      owedByA: 8000,
      owedByB: 1200,
      netAPaysB: 6800,
      outstandingByA: 3000,
      outstandingByB: 1200,
    });
  });
});
