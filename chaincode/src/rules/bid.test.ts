import { describe, expect, it } from 'vitest';
import type { Bid, SealedBid } from '../model/bid.js';
import { ErrorCode } from '../model/errors.js';
import { digestOf } from '../model/marshal.js';
import {
  aCapacity,
  aFactory,
  aMember,
  aQuota,
  aWorkOrder,
  BUCKET,
  minutesAfterNow,
  NEXT_BUCKET,
  NOW,
} from '../testing/builders.js';
import { awardBid, awardedUnitPrices, lastShiftEndingBy, rankBids, revealBid, sealBid } from './bid.js';

const customer = aMember('customer', 'AllianceMSP', 'customer-1');
const factoryA = aMember('factory', 'FactoryAMSP');
const factoryB = aMember('factory', 'FactoryBMSP');
const windowEnd = minutesAfterNow(60);
const workOrder = aWorkOrder(customer, { bidWindowEnd: windowEnd });
const plantA = aFactory();
const plantB = aFactory({ factoryId: 'F-B1', mspId: 'FactoryBMSP' });
const sealed = (overrides: Partial<SealedBid> = {}): SealedBid => ({
  workOrderId: 'WO-1',
  factoryId: 'F-A1',
  unitPrice: 600,
  quantity: 100,
  finishBy: '2026-11-26T00:00:00.000Z',
  salt: 'c2FsdHktc2FsdC0xMjM0NQ',
  ...overrides,
});
const revealed = (bid: SealedBid, mspId = 'FactoryAMSP'): Bid => ({
  ...bid,
  factoryMspId: mspId,
  sealHash: digestOf(bid),
  status: 'REVEALED',
  revealedAt: windowEnd,
  revealedByMemberId: 'm',
  updatedAt: windowEnd,
});

describe('sealed bids', () => {
  it('seals only during the window, for a factory of the bidder that can make the whole routing', () => {
    expect(sealBid(factoryA, workOrder, plantA, sealed(), NOW)).toEqual(sealed());
    expect(() => sealBid(factoryA, workOrder, plantA, sealed(), windowEnd)).toThrow(
      ErrorCode.BID_WINDOW_CLOSED,
    );
    expect(() => sealBid(factoryB, workOrder, plantA, sealed(), NOW)).toThrow(ErrorCode.NOT_OWNER);
    expect(() =>
      sealBid(
        factoryA,
        workOrder,
        aFactory({ processes: [{ process: 'CNC', pricePerMinute: 1 }] }),
        sealed(),
        NOW,
      ),
    ).toThrow(ErrorCode.PROCESS_NOT_OFFERED);
    expect(() => sealBid(factoryA, workOrder, plantA, sealed({ unitPrice: 1001 }), NOW)).toThrow(
      ErrorCode.PRICE_ABOVE_MAX,
    );
    expect(() => sealBid(factoryA, aWorkOrder(customer), plantA, sealed(), NOW)).toThrow(
      ErrorCode.BID_NO_WINDOW,
    );
  });

  it('reveals after the window only the very bid that was sealed', () => {
    const bid = sealed();
    const hash = digestOf(bid);
    expect(() => revealBid(factoryA, workOrder, plantA, bid, hash, hash, undefined, NOW)).toThrow(
      ErrorCode.BID_WINDOW_OPEN,
    );
    expect(() => revealBid(factoryA, workOrder, plantA, bid, hash, undefined, undefined, windowEnd)).toThrow(
      ErrorCode.BID_NOT_SEALED,
    );
    const cheaper = sealed({ unitPrice: 500 });
    expect(() =>
      revealBid(factoryA, workOrder, plantA, cheaper, digestOf(cheaper), hash, undefined, windowEnd),
    ).toThrow(ErrorCode.BID_HASH_MISMATCH);
    const shown = revealBid(factoryA, workOrder, plantA, bid, hash, hash, undefined, windowEnd);
    expect(shown).toMatchObject({ status: 'REVEALED', unitPrice: 600, sealHash: hash });
    expect(JSON.stringify(shown)).not.toContain(bid.salt);
    expect(() => revealBid(factoryA, workOrder, plantA, bid, hash, hash, shown, windowEnd)).toThrow(
      ErrorCode.BID_ALREADY_REVEALED,
    );
  });

  it('ranks by price for a normal order and by finish time for a rush order', () => {
    const cheapLate = revealed(sealed({ unitPrice: 500, finishBy: '2026-11-27T00:00:00.000Z' }));
    const dearEarly = revealed(
      sealed({ factoryId: 'F-B1', unitPrice: 700, finishBy: '2026-11-25T12:00:00.000Z' }),
      'FactoryBMSP',
    );
    expect(rankBids(workOrder, [dearEarly, cheapLate])[0]?.factoryId).toBe('F-A1');
    expect(rankBids({ ...workOrder, priority: 'RUSH' }, [cheapLate, dearEarly])[0]?.factoryId).toBe('F-B1');
  });

  // Plant B's room: CNC 120 minutes in the first shift (60 units at 2 min), plenty in the next.
  const roomOfB = {
    capacities: [BUCKET, NEXT_BUCKET].flatMap((bucket, i) => [
      aCapacity({ factoryId: 'F-B1', process: 'CNC', bucket, declaredMinutes: i === 0 ? 120 : 480 }),
      aCapacity({ factoryId: 'F-B1', process: 'PAINTING', bucket, declaredMinutes: 480 }),
    ]),
    quotas: [],
  };

  it('is awarded once, by the order’s customer, after the window, to the best revealed bid', () => {
    const bids = [revealed(sealed()), revealed(sealed({ factoryId: 'F-B1', unitPrice: 550 }), 'FactoryBMSP')];
    const award = (member: typeof customer, order: typeof workOrder, offered: Bid[], at: string) =>
      awardBid(member, order, offered, roomOfB, at);
    expect(() => award(customer, workOrder, bids, NOW)).toThrow(ErrorCode.BID_WINDOW_OPEN);
    expect(() => award(aMember('customer', 'AllianceMSP', 'customer-2'), workOrder, bids, windowEnd)).toThrow(
      ErrorCode.NOT_OWNER,
    );
    expect(() => award(customer, workOrder, [], windowEnd)).toThrow(ErrorCode.BID_NONE_REVEALED);
    const outcome = award(customer, workOrder, bids, windowEnd);
    expect(outcome.workOrder.award).toMatchObject({
      factoryId: 'F-B1',
      unitPrice: 550,
      factoryMspId: 'FactoryBMSP',
    });
    expect(outcome.bids.map((b) => [b.factoryId, b.status])).toEqual([
      ['F-A1', 'NOT_AWARDED'],
      ['F-B1', 'AWARDED'],
    ]);
    expect(() => award(customer, outcome.workOrder, bids, windowEnd)).toThrow(ErrorCode.BID_ALREADY_AWARDED);
    expect(plantB.mspId).toBe('FactoryBMSP');
  });

  it('places the winner’s units itself, accepted, at the bid’s price, in the earliest shifts with room', () => {
    const bids = [revealed(sealed({ factoryId: 'F-B1', unitPrice: 550 }), 'FactoryBMSP')];
    const { lots, capacities } = awardBid(customer, workOrder, bids, roomOfB, windowEnd);
    expect(
      lots.map((l) => [l.lotId, l.bucket, l.quantity, l.status, l.fromSeq, l.toSeq, l.unitPrice]),
    ).toEqual([
      ['AWARD-WO-1.1', BUCKET, 60, 'ACCEPTED', 1, 2, 550],
      ['AWARD-WO-1.2', NEXT_BUCKET, 40, 'ACCEPTED', 1, 2, 550],
    ]);
    // The bid's price shared over the operations by standard minutes (CNC 2 of 3 minutes).
    expect(lots[0]?.unitPrices).toEqual([366, 184]);
    expect(capacities.map((c) => [c.process, c.bucket, c.assignedMinutes])).toEqual([
      ['CNC', BUCKET, 120],
      ['CNC', NEXT_BUCKET, 80],
      ['PAINTING', BUCKET, 60],
      ['PAINTING', NEXT_BUCKET, 40],
    ]);
  });

  it('leaves units beyond a partial bid to the matcher, keeps quota reservations, and needs the room', () => {
    const partial = [revealed(sealed({ factoryId: 'F-B1', unitPrice: 550, quantity: 30 }), 'FactoryBMSP')];
    // A sold quota keeps 100 of the first shift's 120 CNC minutes: 10 units there, 20 in the next.
    const reserved = {
      ...roomOfB,
      quotas: [aQuota(customer, { factoryId: 'F-B1', windowEnd: BUCKET, minutes: 100 })],
    };
    const { lots } = awardBid(customer, workOrder, partial, reserved, windowEnd);
    expect(lots.map((l) => [l.bucket, l.quantity])).toEqual([
      [BUCKET, 10],
      [NEXT_BUCKET, 20],
    ]);
    // Promised by the end of the first shift: there is room for 60 of its 100 units only.
    const early = [
      revealed(
        sealed({ factoryId: 'F-B1', unitPrice: 550, finishBy: NEXT_BUCKET.replace('Z', '.000Z') }),
        'FactoryBMSP',
      ),
    ];
    expect(() => awardBid(customer, workOrder, early, roomOfB, windowEnd)).toThrow(
      ErrorCode.CAPACITY_EXCEEDED,
    );
  });
});

describe('awarded prices', () => {
  const customer = aMember('customer', 'AllianceMSP', 'customer-1');
  it('shares the winning price out over the operations by standard minutes, adding up exactly', () => {
    const award = {
      factoryId: 'F-A1',
      factoryMspId: 'FactoryAMSP',
      unitPrice: 100,
      quantity: 10,
      finishBy: NOW,
      awardedAt: NOW,
    };
    // CNC 2 min and PAINTING 1 min: 66 and the rest, 34.
    expect(awardedUnitPrices(aWorkOrder(customer, { award }))).toEqual([66, 34]);
    expect(awardedUnitPrices(aWorkOrder(customer))).toBeUndefined();
  });
});

describe('the last shift ending by a promised finish', () => {
  it('is the shift before a boundary, and the one before the shift an instant falls in', () => {
    expect(lastShiftEndingBy('2026-11-26T08:00:00.000Z')).toBe('2026-11-26T00:00:00Z');
    expect(lastShiftEndingBy('2026-11-26T11:00:00.000Z')).toBe('2026-11-26T00:00:00Z');
  });
});
