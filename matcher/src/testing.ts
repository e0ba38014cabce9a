import { DEFAULT_PARAMETERS, type MatchInput, type MatchPlan, type PlanLot } from './model.js';

/** A tiny hand-made instance for the rules' tests: two factories, one customer's quota, one work order. */
export function tinyInput(overrides: Partial<MatchInput> = {}): MatchInput {
  return {
    buckets: 4,
    parameters: { ...DEFAULT_PARAMETERS, frozenBuckets: 1, minLotSize: 10 },
    factories: [
      {
        factoryId: 'FA',
        processes: [
          { process: 'CNC', pricePerMinute: 100 },
          { process: 'PAINTING', pricePerMinute: 50 },
        ],
        available: true,
      },
      { factoryId: 'FB', processes: [{ process: 'CNC', pricePerMinute: 80 }], available: true },
    ],
    capacity: [
      { factoryId: 'FA', process: 'CNC', bucket: 1, freeMinutes: 100 },
      { factoryId: 'FA', process: 'PAINTING', bucket: 2, freeMinutes: 100 },
      { factoryId: 'FA', process: 'PAINTING', bucket: 3, freeMinutes: 100 },
      { factoryId: 'FB', process: 'CNC', bucket: 1, freeMinutes: 60 },
      { factoryId: 'FB', process: 'CNC', bucket: 2, freeMinutes: 60 },
    ],
    quotas: [
      {
        quotaId: 'Q1',
        factoryId: 'FA',
        process: 'CNC',
        windowStart: 1,
        windowEnd: 1,
        minutesLeft: 40,
        pricePerMinute: 90,
        buyerCustomerId: 'C1',
      },
    ],
    workOrders: [
      {
        workOrderId: 'WO1',
        customerId: 'C1',
        quantity: 50,
        routing: [
          { seq: 1, process: 'CNC', standardMinutes: 2 },
          { seq: 2, process: 'PAINTING', standardMinutes: 1 },
        ],
        dueBucket: 3,
        priority: 'NORMAL',
        maxUnitPrice: 400,
      },
    ],
    currentPlan: [],
    ...overrides,
  };
}

export function aPlanLot(overrides: Partial<PlanLot> = {}): PlanLot {
  return {
    workOrderId: 'WO1',
    seq: 1,
    factoryId: 'FA',
    bucket: 1,
    quantity: 50,
    unitPrice: 200,
    frozen: false,
    why: { cost: { processing: 0, lateness: 0, unplaced: 0, moves: 0, total: 0 }, costPerUnit: 0 },
    ...overrides,
  };
}

export function planOf(lots: PlanLot[], unplaced: MatchPlan['unplaced'] = []): MatchPlan {
  return {
    inputHash: '',
    solver: 'test',
    lots,
    unplaced,
    cost: { processing: 0, lateness: 0, unplaced: 0, moves: 0, total: 0 },
  };
}

/** The first of a list a test built itself: absent only if the test is wrong. */
export function firstOf<T>(items: readonly T[]): T {
  const item = items[0];
  if (item === undefined) throw new Error('expected at least one item');
  return item;
}
