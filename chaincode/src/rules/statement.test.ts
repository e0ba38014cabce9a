import { describe, expect, it } from 'vitest';
import { ErrorCode } from '../model/errors.js';
import type { QuotaPayment } from '../model/quota.js';
import type { Settlement } from '../model/settlement.js';
import type { Statement } from '../model/statement.js';
import { aMember, NOW } from '../testing/builders.js';
import { acknowledgeStatement, closeStatement, disputeStatement } from './statement.js';

const customer = aMember('customer', 'CustomerAMSP', 'customer-1');
const otherCustomer = aMember('customer', 'CustomerAMSP', 'customer-2');
const factoryA = aMember('factory', 'FactoryAMSP', 'factory-a-user');
const factoryA2 = aMember('factory', 'FactoryAMSP', 'factory-a-planner');
const factoryB = aMember('factory', 'FactoryBMSP');
const auditor = aMember('auditor', 'AuditMSP');

const FROM = '2026-11-01T00:00:00.000Z';
const TO = '2026-11-20T00:00:00.000Z';
const settlement = (id: string, amountDue: number, overrides: Partial<Settlement> = {}): Settlement => ({
  settlementId: id,
  lotId: id,
  workOrderId: 'WO-1',
  payerMspId: customer.mspId,
  payerMemberId: customer.memberId,
  payeeMspId: 'FactoryAMSP',
  acceptedQuantity: 10,
  unitPrice: 100,
  gross: amountDue,
  bucketsLate: 0,
  latePenalty: 0,
  prepaidCredit: 0,
  amountDue,
  status: 'DUE',
  createdAt: '2026-11-05T00:00:00.000Z',
  ...overrides,
});
const quotaPayment: QuotaPayment = {
  quotaId: 'Q-1',
  factoryId: 'plant-a',
  payerMemberId: customer.memberId,
  payerMspId: customer.mspId,
  payeeMspId: 'FactoryAMSP',
  amount: 4000,
  status: 'CONFIRMED',
  createdAt: '2026-11-02T00:00:00.000Z',
};
const LEDGER = [
  settlement('RUN-1/1', 3000),
  settlement('RUN-1/2', 2000, { status: 'PAID' }),
  // Not this pair's: another customer of the same organisation, another factory, outside the period.
  settlement('RUN-1/3', 700, { payerMemberId: otherCustomer.memberId }),
  settlement('RUN-1/4', 800, { payeeMspId: 'FactoryBMSP' }),
  settlement('RUN-1/5', 900, { createdAt: '2026-11-25T00:00:00.000Z' }),
];
const request = (overrides: Partial<{ statementId: string; from: string; to: string }> = {}) => ({
  requestId: 'req-close-0001',
  statementId: 'ST-1',
  factoryMspId: 'FactoryAMSP',
  customerMemberId: customer.memberId,
  from: FROM,
  to: TO,
  ...overrides,
});
const close = (closer = factoryA, others: Statement[] = [], overrides = {}) =>
  closeStatement(closer, customer, request(overrides), LEDGER, [quotaPayment], others, NOW);

describe('period statements both sides sign', () => {
  it('nets only this customer’s lines with this factory organisation, signed by its closer', () => {
    const statement = close();
    expect(statement).toMatchObject({
      status: 'OPEN',
      customerMspId: 'CustomerAMSP',
      figures: {
        memberA: 'CustomerAMSP',
        memberB: 'FactoryAMSP',
        settlementIds: ['RUN-1/1', 'RUN-1/2'],
        owedByA: 5000,
        outstandingByA: 3000,
        quotaIds: ['Q-1'],
        quotaPrepaidByA: 4000,
      },
      factorySignature: { memberId: factoryA.memberId, at: NOW },
    });
    expect(statement.customerSignature).toBeUndefined();
    expect(statement.contentHash).toMatch(/^[0-9a-f]{64}$/);
  });

  it('pins the amounts: another amount on a line gives another content hash, a later payment does not', () => {
    const statement = close();
    const paidLater = closeStatement(
      factoryA,
      customer,
      request(),
      LEDGER.map((s) => ({ ...s, status: 'PAID' as const })),
      [quotaPayment],
      [],
      NOW,
    );
    expect(paidLater.contentHash).toBe(statement.contentHash);
    const changed = closeStatement(
      factoryA,
      customer,
      request(),
      LEDGER.map((s) => (s.settlementId === 'RUN-1/1' ? { ...s, amountDue: 2999 } : s)),
      [quotaPayment],
      [],
      NOW,
    );
    expect(changed.contentHash).not.toBe(statement.contentHash);
  });

  it('is agreed once the other side acknowledges; neither side signs twice, nobody else at all', () => {
    const statement = close();
    expect(() => acknowledgeStatement(factoryA2, statement, NOW)).toThrow(ErrorCode.STATEMENT_WRONG_STATUS);
    expect(() => acknowledgeStatement(otherCustomer, statement, NOW)).toThrow(ErrorCode.NOT_PARTY);
    expect(() => acknowledgeStatement(factoryB, statement, NOW)).toThrow(ErrorCode.NOT_PARTY);
    expect(() => acknowledgeStatement(auditor, statement, NOW)).toThrow(ErrorCode.NOT_PARTY);
    const agreed = acknowledgeStatement(customer, statement, NOW);
    expect(agreed.status).toBe('AGREED');
    expect(agreed.customerSignature?.memberId).toBe(customer.memberId);
    expect(() => disputeStatement(customer, agreed, dispute(['RUN-1/1']), NOW)).toThrow(
      ErrorCode.STATEMENT_WRONG_STATUS,
    );
  });

  it('is disputed with a reason and lines of its own, after which the period may be closed again', () => {
    const statement = close(customer);
    expect(() => disputeStatement(factoryA, statement, dispute([]), NOW)).toThrow(ErrorCode.INVALID_ARGUMENT);
    expect(() => disputeStatement(factoryA, statement, dispute(['RUN-1/3']), NOW)).toThrow(
      ErrorCode.STATEMENT_LINE_UNKNOWN,
    );
    const disputed = disputeStatement(factoryA, statement, dispute(['RUN-1/1', 'RUN-1/1'], ['Q-1']), NOW);
    expect(disputed).toMatchObject({
      status: 'DISPUTED',
      dispute: {
        reason: '第1批数量不符',
        settlementIds: ['RUN-1/1'],
        quotaIds: ['Q-1'],
        mspId: 'FactoryAMSP',
      },
    });
    expect(() => acknowledgeStatement(factoryA, disputed, NOW)).toThrow(ErrorCode.STATEMENT_WRONG_STATUS);
    expect(close(customer, [disputed], { statementId: 'ST-2' }).status).toBe('OPEN');
  });

  it('refuses a period that overlaps an open or agreed one, one not over yet, and strangers', () => {
    const first = close();
    expect(() =>
      close(customer, [first], { statementId: 'ST-2', from: '2026-11-19T00:00:00.000Z', to: NOW }),
    ).toThrow(ErrorCode.STATEMENT_OVERLAPS);
    // The next period starts where the first ends.
    expect(close(customer, [first], { statementId: 'ST-2', from: TO, to: NOW }).status).toBe('OPEN');
    expect(() => close(customer, [], { to: '2026-11-24T08:00:01.000Z' })).toThrow(
      ErrorCode.STATEMENT_PERIOD_NOT_OVER,
    );
    expect(() => close(customer, [], { from: TO, to: FROM })).toThrow(ErrorCode.INVALID_ARGUMENT);
    expect(() => close(otherCustomer)).toThrow(ErrorCode.NOT_PARTY);
    expect(() => close(factoryB)).toThrow(ErrorCode.NOT_PARTY);
    expect(() => close(auditor)).toThrow(ErrorCode.NOT_PARTY);
    expect(() => closeStatement(factoryA, factoryB, request(), LEDGER, [], [], NOW)).toThrow(
      ErrorCode.INVALID_ARGUMENT,
    );
  });
});

function dispute(settlementIds: string[], quotaIds: string[] = []) {
  return {
    requestId: 'req-dispute-01',
    statementId: 'ST-1',
    reason: '第1批数量不符',
    settlementIds,
    quotaIds,
  };
}
