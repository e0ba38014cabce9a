import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Custody } from '../model/custody.js';
import { ErrorCode } from '../model/errors.js';
import { aCustody, aLot, aMember, aWorkOrder, NOW } from '../testing/builders.js';
import {
  confirmHandOver,
  custodyAtAcceptance,
  custodyEndorsers,
  handOverWithin,
  offerHandOver,
} from './custody.js';
import { reportOperation, startOperation } from './progress.js';

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
    const {
      custody,
      handOver,
      lot: deliveredLot,
    } = confirmHandOver(
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
    const { lot: deliveredLot, custody } = confirmHandOver(
      customer,
      lot,
      offered,
      undefined,
      confirm(97),
      NOW,
    );
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
        { lot: { ...next, fromSeq: 3 }, custody: nextCustody },
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
        { lot: next, custody: nextCustody },
        [open],
        offer({ toMspId: 'FactoryBMSP', quantity: 100, intoLotId: 'RUN-1/2' }),
        NOW,
      ),
    ).toThrow(ErrorCode.OPERATION_FROZEN);
    const offered = offerHandOver(
      factoryA,
      lot,
      aCustody(),
      { lot: next, custody: nextCustody },
      [{ ...open, status: 'CLOSED' }],
      offer({ toMspId: 'FactoryBMSP', quantity: 100, intoLotId: 'RUN-1/2' }),
      NOW,
    );
    const outcome = confirmHandOver(
      factoryB,
      lot,
      offered,
      { lot: next, custody: nextCustody },
      confirm(100),
      NOW,
    );
    expect(outcome.custody).toMatchObject({ quantity: 0 });
    expect(outcome.custody.holderMspId).toBeUndefined();
    expect(outcome.intoCustody).toMatchObject({
      lotId: 'RUN-1/2',
      holderMspId: 'FactoryBMSP',
      quantity: 100,
    });
    expect(outcome.lot?.status).toBe('DELIVERED');
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

  describe('feeding downstream lots by quantity', () => {
    const upstream = aLot({ status: 'DONE', toSeq: 1, unitPrices: [200], unitPrice: 200, doneQuantity: 100 });
    const ownNext = aLot({ lotId: 'RUN-1/2', fromSeq: 2, toSeq: 2, quantity: 60, factoryId: 'F-A3' });
    const otherNext = aLot({
      lotId: 'RUN-1/3',
      fromSeq: 2,
      toSeq: 2,
      quantity: 40,
      factoryMspId: 'FactoryBMSP',
      factoryId: 'F-B1',
    });
    const fed = (lot: typeof ownNext) => ({ lot, custody: custodyAtAcceptance(workOrder, lot, NOW) });
    const within = (intoLotId: string, quantity: number) => ({
      requestId: 'req-within-0001',
      lotId: upstream.lotId,
      intoLotId,
      quantity,
    });

    it('feeds the organisation’s own next lot, at another of its plants, in one step it signs alone', () => {
      const outcome = handOverWithin(
        factoryA,
        upstream,
        aCustody(),
        fed(ownNext),
        [],
        within('RUN-1/2', 60),
        NOW,
      );
      expect(outcome.handOver).toMatchObject({
        fromMspId: 'FactoryAMSP',
        toMspId: 'FactoryAMSP',
        intoLotId: 'RUN-1/2',
        heldQuantity: 100,
        offeredQuantity: 60,
        receivedQuantity: 60,
        difference: 0,
        confirmedByMemberId: factoryA.memberId,
      });
      // The other 40 stay with the upstream lot, which is not delivered until they leave too.
      expect(outcome.custody).toMatchObject({ holderMspId: 'FactoryAMSP', quantity: 40 });
      expect(outcome.intoCustody).toMatchObject({ holderMspId: 'FactoryAMSP', quantity: 60 });
      expect(outcome.lot).toMatchObject({ status: 'DONE', deliveredQuantity: 60 });
      // An offer to oneself is refused with the way to do it; another organisation's lot needs its count.
      expect(() =>
        offerHandOver(
          factoryA,
          upstream,
          aCustody(),
          fed(ownNext),
          [],
          offer({ toMspId: 'FactoryAMSP', quantity: 60, intoLotId: 'RUN-1/2' }),
          NOW,
        ),
      ).toThrow(/HandOverWithin/);
      expect(() =>
        handOverWithin(factoryA, upstream, aCustody(), fed(otherNext), [], within('RUN-1/3', 40), NOW),
      ).toThrow(ErrorCode.CUSTODY_WRONG_TARGET);
      expect(() =>
        handOverWithin(factoryB, upstream, aCustody(), fed(ownNext), [], within('RUN-1/2', 60), NOW),
      ).toThrow(ErrorCode.CUSTODY_NOT_HOLDER);
    });

    it('splits one lot’s good units over several downstream lots, each taking no more than planned', () => {
      const first = handOverWithin(
        factoryA,
        upstream,
        aCustody(),
        fed(ownNext),
        [],
        within('RUN-1/2', 60),
        NOW,
      );
      const afterFirst = { ...upstream, ...first.lot };
      expect(() =>
        offerHandOver(
          factoryA,
          afterFirst,
          first.custody,
          fed(otherNext),
          [],
          offer({ toMspId: 'FactoryBMSP', quantity: 41, intoLotId: 'RUN-1/3' }),
          NOW,
        ),
      ).toThrow(ErrorCode.CUSTODY_QUANTITY);
      expect(() =>
        offerHandOver(
          factoryA,
          afterFirst,
          first.custody,
          fed({ ...otherNext, status: 'IN_PROGRESS' }),
          [],
          offer({ toMspId: 'FactoryBMSP', quantity: 40, intoLotId: 'RUN-1/3' }),
          NOW,
        ),
      ).toThrow(ErrorCode.CUSTODY_WRONG_TARGET);
      const offered = offerHandOver(
        factoryA,
        afterFirst,
        first.custody,
        fed(otherNext),
        [],
        offer({ toMspId: 'FactoryBMSP', quantity: 40, intoLotId: 'RUN-1/3' }),
        NOW,
      );
      const second = confirmHandOver(
        factoryB,
        afterFirst,
        offered,
        fed(otherNext),
        confirm(39, 'one bent in the crate'),
        NOW,
      );
      expect(second.handOver).toMatchObject({ heldQuantity: 40, offeredQuantity: 40, difference: 1 });
      expect(second.custody.quantity).toBe(0);
      expect(second.custody.holderMspId).toBeUndefined();
      expect(second.intoCustody).toMatchObject({ holderMspId: 'FactoryBMSP', quantity: 39 });
      expect(second.lot).toMatchObject({ status: 'DELIVERED', deliveredQuantity: 99, deliveredAt: NOW });
    });

    it('conserves units over any sequence of feeds, counts, scrap and deliveries (property)', () => {
      const lotsOf = { up: upstream, own: ownNext, other: otherNext };
      type Name = keyof typeof lotsOf;
      const memberOf = (msp: string) => (msp === 'FactoryBMSP' ? factoryB : factoryA);
      const step = fc.oneof(
        fc.record({
          kind: fc.constant('feed' as const),
          into: fc.constantFrom<Name>('own', 'other'),
          quantity: fc.integer({ min: 1, max: 70 }),
          short: fc.integer({ min: 0, max: 3 }),
        }),
        fc.record({
          kind: fc.constant('work' as const),
          lot: fc.constantFrom<Name>('own', 'other'),
          scrap: fc.integer({ min: 0, max: 5 }),
        }),
        fc.record({
          kind: fc.constant('deliver' as const),
          lot: fc.constantFrom<Name>('own', 'other'),
          short: fc.integer({ min: 0, max: 2 }),
        }),
      );
      fc.assert(
        fc.property(fc.array(step, { maxLength: 25 }), (steps) => {
          const lots = { ...lotsOf };
          const custody: Record<Name, Custody> = {
            up: aCustody(),
            own: custodyAtAcceptance(workOrder, ownNext, NOW),
            other: custodyAtAcceptance(workOrder, otherNext, NOW),
          };
          let scrap = 0;
          let differences = 0;
          for (const s of steps) {
            try {
              if (s.kind === 'feed') {
                const into = { lot: lots[s.into], custody: custody[s.into] };
                const request = { intoLotId: into.lot.lotId, quantity: s.quantity };
                const outcome =
                  into.lot.factoryMspId === 'FactoryAMSP'
                    ? handOverWithin(
                        factoryA,
                        lots.up,
                        custody.up,
                        into,
                        [],
                        { ...within('', 0), ...request },
                        NOW,
                      )
                    : confirmHandOver(
                        factoryB,
                        lots.up,
                        offerHandOver(
                          factoryA,
                          lots.up,
                          custody.up,
                          into,
                          [],
                          offer({ toMspId: 'FactoryBMSP', ...request }),
                          NOW,
                        ),
                        into,
                        confirm(Math.max(0, s.quantity - s.short), 'count'),
                        NOW,
                      );
                custody.up = outcome.custody;
                if (outcome.lot !== undefined) lots.up = outcome.lot;
                if (outcome.intoCustody !== undefined) custody[s.into] = outcome.intoCustody;
                differences += outcome.handOver.difference;
              } else if (s.kind === 'work') {
                const lot = lots[s.lot];
                const factory = memberOf(lot.factoryMspId);
                const scan = {
                  requestId: 'req-scan-0001',
                  lotId: lot.lotId,
                  seq: 2,
                  operatorId: 'OP-1',
                  machineId: 'M-1',
                };
                const started = startOperation(factory, workOrder, lot, custody[s.lot], [], [], scan, NOW);
                const good = Math.max(0, started.progress.inputQuantity - s.scrap);
                const reported = reportOperation(
                  factory,
                  started.lot,
                  custody[s.lot],
                  started.progress,
                  undefined,
                  { ...scan, goodQuantity: good, scrapQuantity: started.progress.inputQuantity - good },
                  NOW,
                );
                custody[s.lot] = reported.custody;
                lots[s.lot] = reported.doneLot ?? started.lot;
                scrap += started.progress.inputQuantity - good;
              } else {
                const lot = lots[s.lot];
                const held = custody[s.lot];
                const offered = offerHandOver(
                  memberOf(lot.factoryMspId),
                  lot,
                  held,
                  undefined,
                  [],
                  { ...offer({ toMspId: 'AllianceMSP', quantity: held.quantity }), lotId: lot.lotId },
                  NOW,
                );
                const outcome = confirmHandOver(
                  customer,
                  lot,
                  offered,
                  undefined,
                  { ...confirm(Math.max(0, held.quantity - s.short), 'count'), lotId: lot.lotId },
                  NOW,
                );
                custody[s.lot] = outcome.custody;
                if (outcome.lot !== undefined) lots[s.lot] = outcome.lot;
                differences += outcome.handOver.difference;
              }
            } catch (error) {
              expect(String(error)).toMatch(/^ChaincodeError: [A-Z_]+\.[A-Z_]+:/);
            }
            // Units in = units held anywhere (the customer's delivered ones included) + scrap + differences.
            const held = Object.values(custody).reduce((sum, c) => sum + c.quantity, 0);
            expect(held + scrap + differences).toBe(100);
            for (const name of ['own', 'other'] as const)
              expect(custody[name].quantity).toBeLessThanOrEqual(lots[name].quantity);
            expect(lots.up.status === 'DELIVERED').toBe(custody.up.quantity === 0);
          }
        }),
        { numRuns: 300 },
      );
    });
  });
});
