import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Custody } from '../model/custody.js';
import { ErrorCode } from '../model/errors.js';
import { aCustody, aLot, aMember, aWorkOrder, NOW } from '../testing/builders.js';
import { confirmHandOver, custodyAtAcceptance, custodyEndorsers, offerHandOver } from './custody.js';

const customer = aMember('customer', 'AllianceMSP', 'customer-1');
const factoryA = aMember('factory', 'FactoryAMSP');
const factoryB = aMember('factory', 'FactoryBMSP');
const workOrder = aWorkOrder(customer);
const offer = (fields: { toMspId: string; quantity: number; intoLotId?: string }) => ({
  requestId: 'req-offer-0001',
  lotId: 'RUN-1/1',
  ...fields,
});
const confirm = (receivedQuantity: number, note?: string) => ({
  requestId: 'req-confirm-0001',
  lotId: 'RUN-1/1',
  receivedQuantity,
  ...(note === undefined ? {} : { note }),
});

describe('custody of a lot', () => {
  it('starts with the customer for a lot that starts the routing, and with nobody for a later lot', () => {
    expect(custodyAtAcceptance(workOrder, aLot(), NOW)).toMatchObject({
      holderMspId: 'AllianceMSP',
      quantity: 100,
    });
    const later = custodyAtAcceptance(workOrder, aLot({ fromSeq: 2, toSeq: 2 }), NOW);
    expect(later.holderMspId).toBeUndefined();
    expect(later.quantity).toBe(0);
  });

  it('moves only when the receiver confirms, and records the difference it must explain', () => {
    const start = aCustody({ holderMspId: 'AllianceMSP', handOvers: 0 });
    const offered = offerHandOver(
      customer,
      aLot(),
      start,
      undefined,
      [],
      offer({ toMspId: 'FactoryAMSP', quantity: 100 }),
      NOW,
    );
    expect(offered.holderMspId).toBe('AllianceMSP');
    expect(offered.offer?.toMspId).toBe('FactoryAMSP');
    expect(() => confirmHandOver(factoryB, aLot(), offered, undefined, confirm(100), NOW)).toThrow(
      ErrorCode.CUSTODY_NOT_RECEIVER,
    );
    expect(() => confirmHandOver(factoryA, aLot(), offered, undefined, confirm(98), NOW)).toThrow(
      ErrorCode.CUSTODY_QUANTITY,
    );
    const { custody, handOver, deliveredLot } = confirmHandOver(
      factoryA,
      aLot(),
      offered,
      undefined,
      confirm(98, 'two housings cracked in transit'),
      NOW,
    );
    expect(custody).toMatchObject({ holderMspId: 'FactoryAMSP', quantity: 98, handOvers: 1 });
    expect(custody.offer).toBeUndefined();
    expect(handOver).toMatchObject({
      fromMspId: 'AllianceMSP',
      toMspId: 'FactoryAMSP',
      heldQuantity: 100,
      receivedQuantity: 98,
      difference: 2,
      seq: 1,
    });
    expect(deliveredLot).toBeUndefined();
  });

  it('needs the holder’s peers to endorse a change, and the receiver’s too while an offer waits', () => {
    expect(custodyEndorsers(aCustody())).toEqual(['FactoryAMSP']);
    expect(
      custodyEndorsers(
        aCustody({ offer: { toMspId: 'AllianceMSP', quantity: 1, offeredAt: NOW, offeredByMemberId: 'm' } }),
      ),
    ).toEqual(['AllianceMSP', 'FactoryAMSP']);
    expect(custodyEndorsers(aCustody({ holderMspId: undefined, quantity: 0 }))).toEqual([]);
  });

  it('refuses an offer from anyone but the holder, a second offer, and more than is held', () => {
    const held = aCustody();
    expect(() =>
      offerHandOver(
        factoryB,
        aLot(),
        held,
        undefined,
        [],
        offer({ toMspId: 'AllianceMSP', quantity: 1 }),
        NOW,
      ),
    ).toThrow(ErrorCode.CUSTODY_NOT_HOLDER);
    expect(() =>
      offerHandOver(
        factoryA,
        aLot({ status: 'DONE' }),
        held,
        undefined,
        [],
        offer({ toMspId: 'AllianceMSP', quantity: 101 }),
        NOW,
      ),
    ).toThrow(ErrorCode.CUSTODY_QUANTITY);
    const pending = offerHandOver(
      factoryA,
      aLot({ status: 'DONE' }),
      held,
      undefined,
      [],
      offer({ toMspId: 'AllianceMSP', quantity: 100 }),
      NOW,
    );
    expect(() =>
      offerHandOver(
        factoryA,
        aLot({ status: 'DONE' }),
        pending,
        undefined,
        [],
        offer({ toMspId: 'FactoryBMSP', quantity: 100 }),
        NOW,
      ),
    ).toThrow(ErrorCode.CUSTODY_OFFER_PENDING);
    expect(() =>
      offerHandOver(
        factoryA,
        aLot({ status: 'IN_PROGRESS' }),
        held,
        undefined,
        [],
        offer({ toMspId: 'AllianceMSP', quantity: 100 }),
        NOW,
      ),
    ).toThrow(ErrorCode.LOT_WRONG_STATUS);
  });

  it('delivers a finished lot when it leaves its factory', () => {
    const lot = aLot({ status: 'DONE', doneQuantity: 97 });
    const offered = offerHandOver(
      factoryA,
      lot,
      aCustody({ quantity: 97 }),
      undefined,
      [],
      offer({ toMspId: 'AllianceMSP', quantity: 97 }),
      NOW,
    );
    const { deliveredLot, custody } = confirmHandOver(customer, lot, offered, undefined, confirm(97), NOW);
    expect(deliveredLot).toMatchObject({ status: 'DELIVERED', deliveredQuantity: 97, deliveredAt: NOW });
    expect(custody.holderMspId).toBe('AllianceMSP');
  });

  it('hands finished material into the next factory’s lot of the next operation', () => {
    const lot = aLot({ status: 'DONE', toSeq: 1, unitPrices: [200], unitPrice: 200 });
    const next = aLot({
      lotId: 'RUN-1/2',
      fromSeq: 2,
      toSeq: 2,
      factoryMspId: 'FactoryBMSP',
      factoryId: 'F-B1',
    });
    const nextCustody = custodyAtAcceptance(workOrder, next, NOW);
    expect(() =>
      offerHandOver(
        factoryA,
        lot,
        aCustody(),
        { ...next, fromSeq: 3 },
        [],
        offer({ toMspId: 'FactoryBMSP', quantity: 100, intoLotId: 'RUN-1/2' }),
        NOW,
      ),
    ).toThrow(ErrorCode.CUSTODY_WRONG_TARGET);
    const open = {
      lotId: lot.lotId,
      workOrderId: 'WO-1',
      seq: 1,
      kind: 'OVERRUN' as const,
      status: 'OPEN' as const,
      actualMinutes: 300,
      allowedMinutes: 230,
      openedAt: NOW,
    };
    expect(() =>
      offerHandOver(
        factoryA,
        lot,
        aCustody(),
        next,
        [open],
        offer({ toMspId: 'FactoryBMSP', quantity: 100, intoLotId: 'RUN-1/2' }),
        NOW,
      ),
    ).toThrow(ErrorCode.OPERATION_FROZEN);
    const offered = offerHandOver(
      factoryA,
      lot,
      aCustody(),
      next,
      [{ ...open, status: 'CLOSED' }],
      offer({ toMspId: 'FactoryBMSP', quantity: 100, intoLotId: 'RUN-1/2' }),
      NOW,
    );
    const outcome = confirmHandOver(factoryB, lot, offered, nextCustody, confirm(100), NOW);
    expect(outcome.custody).toMatchObject({ quantity: 0 });
    expect(outcome.custody.holderMspId).toBeUndefined();
    expect(outcome.intoCustody).toMatchObject({
      lotId: 'RUN-1/2',
      holderMspId: 'FactoryBMSP',
      quantity: 100,
    });
    expect(outcome.deliveredLot?.status).toBe('DELIVERED');
  });

  it('keeps a lot in one custody whatever sequence of offers and confirmations comes (property)', () => {
    const members = [customer, factoryA, factoryB];
    const step = fc.record({
      actor: fc.integer({ min: 0, max: 2 }),
      confirm: fc.boolean(),
      to: fc.integer({ min: 0, max: 2 }),
      quantity: fc.integer({ min: 0, max: 120 }),
    });
    fc.assert(
      fc.property(fc.array(step, { maxLength: 30 }), (steps) => {
        let custody: Custody = custodyAtAcceptance(workOrder, aLot(), NOW);
        let accountedFor = 0;
        for (const s of steps) {
          const actor = members[s.actor] ?? customer;
          const to = members[s.to] ?? customer;
          try {
            if (s.confirm) {
              const outcome = confirmHandOver(
                actor,
                aLot(),
                custody,
                undefined,
                confirm(Math.min(s.quantity, 100), 'count'),
                NOW,
              );
              accountedFor += outcome.handOver.difference;
              expect(outcome.handOver.fromMspId).toBe(custody.holderMspId);
              custody = outcome.custody;
            } else {
              custody = offerHandOver(
                actor,
                aLot(),
                custody,
                undefined,
                [],
                offer({ toMspId: to.mspId, quantity: s.quantity }),
                NOW,
              );
            }
          } catch (error) {
            expect(String(error)).toMatch(/^ChaincodeError: [A-Z_]+\.[A-Z_]+:/);
          }
          // One holder, always, and every unit either held or recorded as a difference.
          expect(typeof custody.holderMspId).toBe('string');
          expect(custody.quantity + accountedFor).toBe(100);
        }
      }),
      { numRuns: 300 },
    );
  });
});
