import { describe, expect, it } from 'vitest';
import {
  capacityRespected,
  everyUnitPlacedOrExplained,
  frozenLotsUntouched,
  lotLimitsKept,
  materialReleaseKept,
  lotsOnCapableFactories,
  quotaMinutesNotExceeded,
  quotaReservationsHonoured,
  quotasUsedOnlyByBuyer,
  routingOrderKept,
  unitPriceWithinMax,
  violationsOf,
} from './constraints.js';
import { aPlanLot, planOf, tinyInput } from './testing.js';

const input = tinyInput();
// A plan that keeps every rule: 20 units on the quota, 30 at FB, painted after.
const good = planOf([
  aPlanLot({ quantity: 20, quotaId: 'Q1', unitPrice: 180 }),
  aPlanLot({ factoryId: 'FB', quantity: 30, unitPrice: 160 }),
  aPlanLot({ seq: 2, bucket: 2, quantity: 50, unitPrice: 50 }),
]);

describe('the rules every plan keeps', () => {
  it('accepts a plan that keeps them all', () => {
    expect(violationsOf(input, good)).toEqual({});
  });

  it('capacityRespected: no bucket gets more minutes than it has free', () => {
    expect(capacityRespected(input, planOf([aPlanLot({ factoryId: 'FB', quantity: 31 })]))).toHaveLength(1);
  });

  it('quotasUsedOnlyByBuyer: another customer’s work order may not use the quota', () => {
    const other = tinyInput({ workOrders: input.workOrders.map((w) => ({ ...w, customerId: 'C2' })) });
    expect(quotasUsedOnlyByBuyer(other, planOf([aPlanLot({ quantity: 10, quotaId: 'Q1' })]))[0]).toContain(
      'bought by C1',
    );
  });

  it('quotaMinutesNotExceeded: a quota gives no more than its minutes', () => {
    expect(quotaMinutesNotExceeded(input, planOf([aPlanLot({ quantity: 21, quotaId: 'Q1' })]))).toHaveLength(
      1,
    );
  });

  it('quotaReservationsHonoured: other work leaves the quota’s unused minutes free in its window', () => {
    // 40 minutes are reserved in FA/CNC bucket 1 (100 free): 31 units of non-quota work (62 min) leave 38.
    expect(quotaReservationsHonoured(input, planOf([aPlanLot({ quantity: 31 })]))).toHaveLength(1);
    expect(quotaReservationsHonoured(input, planOf([aPlanLot({ quantity: 30 })]))).toEqual([]);
  });

  it('routingOrderKept: an operation’s units never overtake the previous operation’s', () => {
    expect(
      routingOrderKept(
        input,
        planOf([aPlanLot({ quantity: 20 }), aPlanLot({ seq: 2, bucket: 1, quantity: 20 })]),
      ),
    ).not.toEqual([]);
    expect(
      routingOrderKept(
        input,
        planOf([aPlanLot({ quantity: 20 }), aPlanLot({ seq: 2, bucket: 2, quantity: 30 })]),
      ),
    ).not.toEqual([]);
    // A held lot is a fact: its own order is not the plan's to keep.
    expect(
      routingOrderKept(input, planOf([aPlanLot({ seq: 2, bucket: 1, quantity: 20, frozen: true })])),
    ).toEqual([]);
  });

  it('frozenLotsUntouched: a lot of the current plan in the frozen horizon stays as it was', () => {
    const withFrozen = tinyInput({
      currentPlan: [{ workOrderId: 'WO1', seq: 1, factoryId: 'FB', bucket: 0, quantity: 10 }],
    });
    expect(frozenLotsUntouched(withFrozen, good)).toHaveLength(1);
    expect(
      frozenLotsUntouched(
        withFrozen,
        planOf([aPlanLot({ factoryId: 'FB', bucket: 0, quantity: 10, frozen: true })]),
      ),
    ).toEqual([]);
  });

  it('frozenLotsUntouched: a committed lot stays as it was, even outside the frozen horizon', () => {
    const withCommitted = tinyInput({
      currentPlan: [
        { workOrderId: 'WO1', seq: 1, factoryId: 'FB', bucket: 2, quantity: 10, committed: true },
      ],
    });
    expect(frozenLotsUntouched(withCommitted, good)).toHaveLength(1);
  });

  it('materialReleaseKept: no new lot before the work order’s material arrives', () => {
    const late = tinyInput({ workOrders: input.workOrders.map((w) => ({ ...w, releaseBucket: 2 })) });
    expect(materialReleaseKept(late, good)).toHaveLength(2);
    expect(materialReleaseKept(input, good)).toEqual([]);
  });

  it('everyUnitPlacedOrExplained: placed plus explained units make the quantity', () => {
    expect(everyUnitPlacedOrExplained(input, planOf([aPlanLot({ quantity: 50 })]))).toHaveLength(1);
    expect(
      everyUnitPlacedOrExplained(
        input,
        planOf(
          [aPlanLot({ quantity: 50 })],
          [{ workOrderId: 'WO1', seq: 2, quantity: 50, reason: 'NO_CAPACITY_IN_HORIZON' }],
        ),
      ),
    ).toEqual([]);
  });

  it('lotLimitsKept: at most three lots an operation, one of them small at most', () => {
    const lots = [1, 2, 3, 1].map((bucket, i) =>
      aPlanLot({ bucket, quantity: 5, factoryId: i === 3 ? 'FB' : 'FA' }),
    );
    expect(lotLimitsKept(input, planOf(lots))).toEqual([
      'WO1#1 has 4 lots',
      'WO1#1 has 4 lots below 10 units',
    ]);
  });

  it('unitPriceWithinMax: the worst price over the routing stays within the maximum', () => {
    expect(
      unitPriceWithinMax(
        input,
        planOf([aPlanLot({ unitPrice: 300 }), aPlanLot({ seq: 2, bucket: 2, unitPrice: 101 })]),
      ),
    ).toHaveLength(1);
  });

  it('lotsOnCapableFactories: not to a factory that turned the work order down', () => {
    const refused = tinyInput({
      workOrders: input.workOrders.map((w) => ({ ...w, avoidFactoryIds: ['FB'] })),
    });
    expect(lotsOnCapableFactories(refused, good)).toEqual(['WO1#1 at FB which turned it down']);
  });

  it('lotsOnCapableFactories: a lot goes only to an available factory that runs its process', () => {
    expect(
      lotsOnCapableFactories(input, planOf([aPlanLot({ seq: 2, factoryId: 'FB', bucket: 2 })])),
    ).toHaveLength(1);
  });
});
