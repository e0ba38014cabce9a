import { describe, expect, it } from 'vitest';
import type { Bid, SealedBid } from '../model/bid.js';
import { ErrorCode } from '../model/errors.js';
import { digestOf } from '../model/marshal.js';
import { aFactory, aMember, aWorkOrder, minutesAfterNow, NOW } from '../testing/builders.js';
import { awardBid, awardedUnitPrices, committedDueBucket, rankBids, revealBid, sealBid } from './bid.js';

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

  it('is awarded once, by the order’s customer, after the window, to the best revealed bid', () => {
    const bids = [revealed(sealed()), revealed(sealed({ factoryId: 'F-B1', unitPrice: 550 }), 'FactoryBMSP')];
    expect(() => awardBid(customer, workOrder, bids, NOW)).toThrow(ErrorCode.BID_WINDOW_OPEN);
    expect(() =>
      awardBid(aMember('customer', 'AllianceMSP', 'customer-2'), workOrder, bids, windowEnd),
    ).toThrow(ErrorCode.NOT_OWNER);
    expect(() => awardBid(customer, workOrder, [], windowEnd)).toThrow(ErrorCode.BID_NONE_REVEALED);
    const outcome = awardBid(customer, workOrder, bids, windowEnd);
    expect(outcome.workOrder.award).toMatchObject({
      factoryId: 'F-B1',
      unitPrice: 550,
      factoryMspId: 'FactoryBMSP',
    });
    expect(outcome.bids.map((b) => [b.factoryId, b.status])).toEqual([
      ['F-A1', 'NOT_AWARDED'],
      ['F-B1', 'AWARDED'],
    ]);
    expect(() => awardBid(customer, outcome.workOrder, bids, windowEnd)).toThrow(
      ErrorCode.BID_ALREADY_AWARDED,
    );
    expect(plantB.mspId).toBe('FactoryBMSP');
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

describe('an awarded order’s due shift', () => {
  const customer = aMember('customer', 'AllianceMSP', 'customer-1');
  const award = (finishBy: string) => ({
    factoryId: 'F-A1',
    factoryMspId: 'FactoryAMSP',
    unitPrice: 100,
    quantity: 10,
    finishBy,
    awardedAt: NOW,
  });
  const order = (finishBy?: string) =>
    aWorkOrder(customer, {
      dueBucket: '2026-11-26T16:00:00Z',
      ...(finishBy === undefined ? {} : { award: award(finishBy) }),
    });
  it('is the last shift that ends by the winner’s finish, when that is sooner than the order’s', () => {
    expect(committedDueBucket(order())).toBe('2026-11-26T16:00:00Z');
    // On a shift boundary: the shift before it ends exactly then.
    expect(committedDueBucket(order('2026-11-26T08:00:00.000Z'))).toBe('2026-11-26T00:00:00Z');
    // Inside a shift: that shift would end too late, the one before does not.
    expect(committedDueBucket(order('2026-11-26T11:00:00.000Z'))).toBe('2026-11-26T00:00:00Z');
    // A promise later than the order's due shift changes nothing.
    expect(committedDueBucket(order('2026-11-28T00:00:00.000Z'))).toBe('2026-11-26T16:00:00Z');
  });
});
