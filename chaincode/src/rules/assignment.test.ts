import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ErrorCode } from '../model/errors.js';
import {
  aCapacity,
  aFactory,
  aLot,
  aMember,
  aProposedLot,
  aQuota,
  aRun,
  aView,
  aWorkOrder,
  BUCKET,
  NEXT_BUCKET,
  NOW,
} from '../testing/builders.js';
import { recordAssignment } from './assignment.js';
import { capacityId } from './factory.js';
import { reservedMinutes } from './quota.js';

const operator = aMember('operator', 'AllianceMSP', 'matcher');
const customer = aMember('customer', 'AllianceMSP', 'customer-1');
const otherCustomer = aMember('customer', 'AllianceMSP', 'customer-2');

describe('recordAssignment', () => {
  it('records lots, holds their minutes in the bucket and prices them at list price', () => {
    const workOrder = aWorkOrder(customer);
    const view = aView({
      workOrders: [workOrder],
      capacities: [aCapacity(), aCapacity({ process: 'PAINTING', bucket: NEXT_BUCKET })],
    });
    const outcome = recordAssignment(
      operator,
      view,
      aRun([aProposedLot(), aProposedLot({ fromSeq: 2, toSeq: 2, bucket: NEXT_BUCKET, unitPrices: [50] })]),
      NOW,
    );
    expect(outcome.lots.map((l) => [l.lotId, l.status, l.minutes, l.unitPrice])).toEqual([
      ['RUN-1.1', 'ASSIGNED', 200, 200],
      ['RUN-1.2', 'ASSIGNED', 100, 50],
    ]);
    expect(outcome.capacities.map((c) => c.assignedMinutes)).toEqual([200, 100]);
    expect(outcome.lots[0]?.acceptBy).toBe('2026-11-24T12:00:00.000Z');
    expect(outcome.run.lotIds).toEqual(['RUN-1.1', 'RUN-1.2']);
  });

  it('is only for the operator (the matcher)', () => {
    const view = aView({ workOrders: [aWorkOrder(customer)], capacities: [aCapacity()] });
    expect(() => recordAssignment(aMember('factory'), view, aRun([aProposedLot()]), NOW)).toThrow(
      ErrorCode.WRONG_ROLE,
    );
  });

  it.each([
    [
      'a factory that does not run the process',
      {
        capacities: [aCapacity()],
        factories: [aFactory({ processes: [{ process: 'SMT', pricePerMinute: 1 }] })],
      },
      aProposedLot(),
      ErrorCode.PROCESS_NOT_OFFERED,
    ],
    [
      'more minutes than declared',
      { capacities: [aCapacity({ declaredMinutes: 199 })] },
      aProposedLot(),
      ErrorCode.CAPACITY_EXCEEDED,
    ],
    ['a bucket with no declaration', { capacities: [] }, aProposedLot(), ErrorCode.CAPACITY_EXCEEDED],
    [
      'a price other than the list price',
      { capacities: [aCapacity()] },
      aProposedLot({ unitPrices: [150] }),
      ErrorCode.PRICE_MISMATCH,
    ],
    [
      'more units than the work order has',
      { capacities: [aCapacity({ declaredMinutes: 1000 })] },
      aProposedLot({ quantity: 101 }),
      ErrorCode.WORK_ORDER_OVER_ASSIGNED,
    ],
    [
      'an operation outside the routing',
      { capacities: [aCapacity()] },
      aProposedLot({ toSeq: 3, unitPrices: [200, 50, 1] }),
      ErrorCode.INVALID_ARGUMENT,
    ],
  ])('refuses %s, naming the lot', (_label, parts, lot, code) => {
    const view = aView({ workOrders: [aWorkOrder(customer)], ...parts });
    expect(() => recordAssignment(operator, view, aRun([lot]), NOW)).toThrow(
      new RegExp(`${code.replace('.', '\\.')}: .*\\/lots\\/0`),
    );
  });

  it('refuses a unit price over the routing above the work order maximum', () => {
    const view = aView({
      workOrders: [aWorkOrder(customer, { maxUnitPrice: 249 })],
      capacities: [aCapacity(), aCapacity({ process: 'PAINTING' })],
    });
    const lot = aProposedLot({ toSeq: 2, unitPrices: [200, 50] });
    expect(() => recordAssignment(operator, view, aRun([lot]), NOW)).toThrow(ErrorCode.PRICE_ABOVE_MAX);
  });

  it('moves a lot its factory has not accepted yet: withdrawn (REASSIGNED) and its minutes free for the new lots', () => {
    const workOrder = aWorkOrder(customer);
    const earlier = aLot({
      lotId: 'RUN-0.1',
      runId: 'RUN-0',
      fromSeq: 1,
      toSeq: 1,
      quantity: workOrder.quantity,
      minutes: 200,
      unitPrices: [200],
      unitPrice: 200,
      status: 'ASSIGNED',
    });
    const view = aView({
      workOrders: [workOrder],
      capacities: [aCapacity({ assignedMinutes: 400 })],
      lots: [earlier],
    });
    // Without moving the earlier lot, the bucket is full and the work order already covered.
    expect(() => recordAssignment(operator, view, aRun([aProposedLot()]), NOW)).toThrow(
      ErrorCode.CAPACITY_EXCEEDED,
    );
    const outcome = recordAssignment(
      operator,
      view,
      aRun([aProposedLot()], { withdrawLotIds: ['RUN-0.1'] }),
      NOW,
    );
    expect(outcome.withdrawnLots.map((l) => [l.lotId, l.status])).toEqual([['RUN-0.1', 'REASSIGNED']]);
    expect(outcome.capacities.map((c) => c.assignedMinutes)).toEqual([400]);
    expect(outcome.run.withdrawnLotIds).toEqual(['RUN-0.1']);
    // A run may only withdraw, and only lots not yet accepted.
    expect(
      recordAssignment(operator, view, aRun([], { withdrawLotIds: ['RUN-0.1'] }), NOW).capacities[0]
        ?.assignedMinutes,
    ).toBe(200);
    const accepted = aView({
      workOrders: [workOrder],
      capacities: [aCapacity({ assignedMinutes: 400 })],
      lots: [{ ...earlier, status: 'ACCEPTED' }],
    });
    expect(() =>
      recordAssignment(operator, accepted, aRun([], { withdrawLotIds: ['RUN-0.1'] }), NOW),
    ).toThrow(ErrorCode.LOT_WRONG_STATUS);
    expect(() => recordAssignment(operator, view, aRun([], { withdrawLotIds: ['RUN-9.9'] }), NOW)).toThrow(
      ErrorCode.LOT_NOT_FOUND,
    );
    expect(() => recordAssignment(operator, view, aRun([]), NOW)).toThrow(ErrorCode.INVALID_ARGUMENT);
  });

  it('lets a customer’s lot consume its own quota at the locked price', () => {
    const view = aView({
      workOrders: [aWorkOrder(customer)],
      capacities: [aCapacity()],
      quotas: [aQuota(customer)],
    });
    const outcome = recordAssignment(
      operator,
      view,
      aRun([aProposedLot({ quotaId: 'Q-1', quantity: 50, unitPrices: [160] })]),
      NOW,
    );
    expect(outcome.quotas[0]?.consumedMinutes).toBe(100);
    expect(outcome.lots[0]?.quotaId).toBe('Q-1');
  });

  it('refuses a quota bought by another customer, and one used beyond its minutes', () => {
    const taken = aView({
      workOrders: [aWorkOrder(customer)],
      capacities: [aCapacity()],
      quotas: [aQuota(otherCustomer)],
    });
    expect(() =>
      recordAssignment(operator, taken, aRun([aProposedLot({ quotaId: 'Q-1', unitPrices: [160] })]), NOW),
    ).toThrow(ErrorCode.QUOTA_NOT_BUYER);
    const small = aView({
      workOrders: [aWorkOrder(customer)],
      capacities: [aCapacity()],
      quotas: [aQuota(customer, { minutes: 199 })],
    });
    expect(() =>
      recordAssignment(operator, small, aRun([aProposedLot({ quotaId: 'Q-1', unitPrices: [160] })]), NOW),
    ).toThrow(ErrorCode.QUOTA_EXCEEDED);
  });

  it('keeps another buyer’s reserved minutes out of reach of non-quota work', () => {
    // 480 declared, 400 sold to someone else: only 80 minutes are free for this customer's 200.
    const view = aView({
      workOrders: [aWorkOrder(customer)],
      capacities: [aCapacity()],
      quotas: [aQuota(otherCustomer, { minutes: 400, windowEnd: BUCKET })],
    });
    expect(() => recordAssignment(operator, view, aRun([aProposedLot()]), NOW)).toThrow(
      ErrorCode.CAPACITY_RESERVED_BY_QUOTA,
    );
  });

  it('refuses a run id that is already recorded', () => {
    const view = {
      ...aView({ workOrders: [aWorkOrder(customer)], capacities: [aCapacity()] }),
      runExists: true,
    };
    expect(() => recordAssignment(operator, view, aRun([aProposedLot()]), NOW)).toThrow(
      ErrorCode.RUN_ALREADY_RECORDED,
    );
  });
});

describe('assignment invariants (property tests)', () => {
  const proposal = fc.record({
    quantity: fc.integer({ min: 1, max: 150 }),
    bucket: fc.constantFrom(BUCKET, NEXT_BUCKET),
    useQuota: fc.boolean(),
    workOrder: fc.constantFrom('WO-1', 'WO-2'),
  });

  it('never exceeds declared capacity or a quota, never lets another buyer use a quota, whatever the proposals', () => {
    fc.assert(
      fc.property(
        fc.array(proposal, { minLength: 1, maxLength: 6 }),
        fc.integer({ min: 0, max: 600 }),
        fc.integer({ min: 1, max: 400 }),
        fc.boolean(),
        (proposals, declared, quotaMinutes, quotaIsMine) => {
          const workOrders = [
            aWorkOrder(customer),
            aWorkOrder(quotaIsMine ? customer : otherCustomer, { workOrderId: 'WO-2' }),
          ];
          const capacities = [
            aCapacity({ declaredMinutes: declared }),
            aCapacity({ bucket: NEXT_BUCKET, declaredMinutes: declared }),
          ];
          const quota = aQuota(customer, { minutes: quotaMinutes });
          const view = aView({ workOrders, capacities, quotas: [quota] });
          const lots = proposals.map((p) =>
            aProposedLot({
              workOrderId: p.workOrder,
              bucket: p.bucket,
              quantity: p.quantity,
              ...(p.useQuota ? { quotaId: 'Q-1', unitPrices: [160] } : {}),
            }),
          );
          let outcome;
          try {
            outcome = recordAssignment(operator, view, aRun(lots), NOW);
          } catch {
            return; // refusing is always safe; what is accepted must hold the invariants
          }
          const after = new Map([...view.capacities].map(([id, c]) => [id, c]));
          for (const c of outcome.capacities) after.set(capacityId(c), c);
          for (const c of after.values()) expect(c.assignedMinutes).toBeLessThanOrEqual(c.declaredMinutes);
          const q = outcome.quotas.find((x) => x.quotaId === 'Q-1') ?? quota;
          expect(q.consumedMinutes).toBeLessThanOrEqual(q.minutes);
          for (const lot of outcome.lots.filter((l) => l.quotaId !== undefined)) {
            expect(workOrders.find((w) => w.workOrderId === lot.workOrderId)?.customerMemberId).toBe(
              q.buyerMemberId,
            );
          }
          // What the quota still reserves always fits in the free minutes of its window.
          const free = [...after.values()].reduce((s, c) => s + c.declaredMinutes - c.assignedMinutes, 0);
          expect(free).toBeGreaterThanOrEqual(reservedMinutes(q));
          // Minutes held equal the sum of the lots' minutes.
          const held = [...after.values()].reduce((s, c) => s + c.assignedMinutes, 0);
          expect(held).toBe(outcome.lots.reduce((s, l) => s + l.minutes, 0));
        },
      ),
      { numRuns: 300, seed: 20261124 },
    );
  });

  it('leaves an order to its bids: no lot while its window is open or its bids wait for the award', () => {
    const capacities = [aCapacity()];
    const record = (
      overrides: Partial<Parameters<typeof aWorkOrder>[1]>,
      unitPrices = [200],
      revealedBids = 0,
      now = NOW,
    ) => {
      const workOrder = aWorkOrder(customer, overrides);
      return recordAssignment(
        operator,
        aView({
          workOrders: [workOrder],
          capacities,
          revealedBids: { [workOrder.workOrderId]: revealedBids },
        }),
        aRun([aProposedLot({ unitPrices })]),
        now,
      );
    };
    const inAnHour = new Date(Date.parse(NOW) + 3_600_000).toISOString();
    expect(() => record({ bidWindowEnd: inAnHour })).toThrow(ErrorCode.BID_DECIDES);
    // Awarded (the award placed the winner's units itself): what is left is the matcher's, at list price, anywhere.
    const award = {
      factoryId: 'F-B1',
      factoryMspId: 'FactoryBMSP',
      unitPrice: 180,
      quantity: 50,
      finishBy: inAnHour,
      awardedAt: NOW,
    };
    expect(record({ bidWindowEnd: NOW, award }).lots.map((l) => [l.factoryId, l.unitPrice])).toEqual([
      ['F-A1', 200],
    ]);
    expect(() => record({ bidWindowEnd: NOW, award }, [120])).toThrow(ErrorCode.PRICE_MISMATCH);
    // A window that closed with nobody awarded: the matcher places it.
    expect(record({ bidWindowEnd: NOW }).lots).toHaveLength(1);
    // Bids revealed: they wait a day for the customer's award, then the matcher may place it.
    expect(() => record({ bidWindowEnd: NOW }, [200], 2)).toThrow(ErrorCode.BID_DECIDES);
    const aDayLater = new Date(Date.parse(NOW) + 24 * 3_600_000).toISOString();
    expect(record({ bidWindowEnd: NOW }, [200], 2, aDayLater).lots).toHaveLength(1);
  });
});
