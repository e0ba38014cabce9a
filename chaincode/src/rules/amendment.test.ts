import { describe, expect, it } from 'vitest';
import { ErrorCode } from '../model/errors.js';
import type { Lot } from '../model/lot.js';
import { aLot, aMember, aWorkOrder, NOW } from '../testing/builders.js';
import { amendWorkOrder, answerAmendment } from './amendment.js';

const customer = aMember('customer', 'AllianceMSP', 'customer-1');
const factoryA = aMember('factory', 'FactoryAMSP');
const factoryB = aMember('factory', 'FactoryBMSP');
const workOrder = aWorkOrder(customer); // 100 units, CNC then PAINTING
const amend = (fields: object) => ({
  requestId: 'req-amend-0001',
  workOrderId: workOrder.workOrderId,
  ...fields,
});
const answer = (consent: boolean) => ({
  requestId: 'req-answer-0001',
  workOrderId: workOrder.workOrderId,
  seq: 1,
  consent,
});
// 60 units accepted at factory A (both operations), 40 assigned to factory B and not yet accepted.
const lots: Lot[] = [
  aLot({ lotId: 'R.1', quantity: 60, status: 'ACCEPTED' }),
  aLot({ lotId: 'R.2', quantity: 40, status: 'ASSIGNED', factoryMspId: 'FactoryBMSP', factoryId: 'F-B1' }),
];

describe('amending a work order', () => {
  it('applies at once what touches no accepted lot, releasing the lots not yet accepted', () => {
    const {
      amendment,
      workOrder: amended,
      releasedLots,
    } = amendWorkOrder(
      customer,
      workOrder,
      lots,
      amend({ quantity: 70, priority: 'RUSH', reason: '客户减量 demand cut' }),
      NOW,
    );
    expect(amendment).toMatchObject({
      seq: 1,
      status: 'APPLIED',
      quantity: { from: 100, to: 70 },
      priority: { from: 'NORMAL', to: 'RUSH' },
      consentOf: [],
      releasedLotIds: ['R.2'],
      appliedAt: NOW,
    });
    expect(amended).toMatchObject({ quantity: 70, priority: 'RUSH', amendments: 1 });
    expect(amended.pendingAmendment).toBeUndefined();
    expect(releasedLots.map((l) => [l.lotId, l.status])).toEqual([['R.2', 'REASSIGNED']]);
  });

  it('refuses more units, fewer than are in work, no change, and anyone but the customer', () => {
    expect(() => amendWorkOrder(customer, workOrder, lots, amend({ quantity: 120 }), NOW)).toThrow(
      ErrorCode.AMENDMENT_INVALID,
    );
    const started = [{ ...lots[0], status: 'IN_PROGRESS' } as Lot];
    expect(() => amendWorkOrder(customer, workOrder, started, amend({ quantity: 50 }), NOW)).toThrow(
      /fewer than the 60 units already in work/,
    );
    expect(() => amendWorkOrder(customer, workOrder, lots, amend({ quantity: 100 }), NOW)).toThrow(
      ErrorCode.AMENDMENT_INVALID,
    );
    const other = aMember('customer', 'AllianceMSP', 'customer-2');
    expect(() => amendWorkOrder(other, workOrder, lots, amend({ quantity: 50 }), NOW)).toThrow(
      ErrorCode.NOT_OWNER,
    );
    expect(() =>
      amendWorkOrder(customer, { ...workOrder, pendingAmendment: 1 }, lots, amend({ quantity: 50 }), NOW),
    ).toThrow(ErrorCode.AMENDMENT_PENDING);
  });

  it('waits for the consent of a factory whose accepted lot it cuts into; one refusal declines it', () => {
    const asked = amendWorkOrder(customer, workOrder, lots, amend({ quantity: 50 }), NOW);
    expect(asked.amendment).toMatchObject({
      status: 'AWAITING_CONSENT',
      consentOf: ['FactoryAMSP'],
      touchedLotIds: ['R.1'],
      releasedLotIds: ['R.2'],
    });
    expect(asked.workOrder).toMatchObject({ quantity: 100, pendingAmendment: 1, amendments: 1 });
    expect(() =>
      answerAmendment(factoryB, asked.workOrder, asked.amendment, lots, answer(true), NOW),
    ).toThrow(ErrorCode.AMENDMENT_NOT_ASKED);
    expect(() =>
      answerAmendment(customer, asked.workOrder, asked.amendment, lots, answer(true), NOW),
    ).toThrow(ErrorCode.WRONG_ROLE);
    const declined = answerAmendment(factoryA, asked.workOrder, asked.amendment, lots, answer(false), NOW);
    expect(declined.amendment.status).toBe('DECLINED');
    expect(declined.workOrder.quantity).toBe(100);
    expect(declined.workOrder.pendingAmendment).toBeUndefined();
    expect(declined.releasedLots).toEqual([]);
  });

  it('applies on the last consent, releasing the accepted lots it touched', () => {
    const asked = amendWorkOrder(customer, workOrder, lots, amend({ quantity: 50 }), NOW);
    // On the ledger now: R.2 released by the amendment itself.
    const now = lots.map((l) => asked.releasedLots.find((r) => r.lotId === l.lotId) ?? l);
    const applied = answerAmendment(factoryA, asked.workOrder, asked.amendment, now, answer(true), NOW);
    expect(applied.amendment).toMatchObject({
      status: 'APPLIED',
      consents: [{ mspId: 'FactoryAMSP', consent: true }],
      releasedLotIds: ['R.2', 'R.1'],
    });
    expect(applied.workOrder).toMatchObject({ quantity: 50, amendments: 1 });
    expect(applied.workOrder.pendingAmendment).toBeUndefined();
    expect(applied.releasedLots.map((l) => [l.lotId, l.status])).toEqual([['R.1', 'REASSIGNED']]);
    expect(() =>
      answerAmendment(factoryA, applied.workOrder, applied.amendment, lots, answer(true), NOW),
    ).toThrow(ErrorCode.AMENDMENT_NOT_ASKED);
  });

  it('asks the factories with accepted lots before an earlier due shift, not a later one', () => {
    const earlier = '2026-11-24T00:00:00Z';
    const later = '2026-12-24T00:00:00Z';
    expect(
      amendWorkOrder(customer, workOrder, lots, amend({ dueBucket: earlier }), NOW).amendment,
    ).toMatchObject({
      status: 'AWAITING_CONSENT',
      consentOf: ['FactoryAMSP'],
      touchedLotIds: [],
    });
    const moved = amendWorkOrder(customer, workOrder, lots, amend({ dueBucket: later }), NOW);
    expect(moved.amendment.status).toBe('APPLIED');
    expect(moved.workOrder.dueBucket).toBe(later);
  });
});
