import { describe, expect, it } from 'vitest';
import type { MatchPlan, PlanLot } from '@fabpool/matcher';
import { planDifference } from './difference.js';

const lot = (overrides: Partial<PlanLot> = {}): PlanLot => ({
  workOrderId: 'WO-1',
  seq: 1,
  factoryId: 'F-A',
  bucket: 2,
  quantity: 40,
  unitPrice: 100,
  frozen: false,
  why: { cost: { processing: 0, lateness: 0, unplaced: 0, moves: 0, total: 0 }, costPerUnit: 0 },
  ...overrides,
});
const planOf = (lots: PlanLot[]): MatchPlan => ({
  inputHash: 'h',
  solver: 'engine',
  lots,
  unplaced: [],
  cost: { processing: 0, lateness: 0, unplaced: 0, moves: 0, total: 0 },
});

describe('planDifference', () => {
  it('keeps a waiting lot the plan has again, withdraws one it moved, and adds only what is new', () => {
    const plan = planOf([lot(), lot({ seq: 2, factoryId: 'F-B', bucket: 4, quantity: 40 })]);
    const difference = planDifference(plan, [
      { lotId: 'RUN-1.1', lot: lot(), expired: false },
      { lotId: 'RUN-1.2', lot: lot({ seq: 2, factoryId: 'F-C', bucket: 3 }), expired: false },
    ]);
    expect(difference.kept).toEqual(['RUN-1.1']);
    expect(difference.withdraw).toEqual(['RUN-1.2']);
    expect(difference.add.map((l) => [l.seq, l.factoryId, l.bucket])).toEqual([[2, 'F-B', 4]]);
  });

  it('never publishes held lots, and always withdraws a lot whose deadline passed', () => {
    const plan = planOf([lot({ frozen: true, bucket: 0 }), lot({ seq: 2 })]);
    const difference = planDifference(plan, [{ lotId: 'RUN-1.2', lot: lot({ seq: 2 }), expired: true }]);
    expect(difference.withdraw).toEqual(['RUN-1.2']);
    expect(difference.add.map((l) => l.seq)).toEqual([2]);
  });

  it('counts a lot once when the plan splits the same slot differently', () => {
    const plan = planOf([lot({ quantity: 50 })]);
    const difference = planDifference(plan, [
      { lotId: 'RUN-1.1', lot: lot({ quantity: 40 }), expired: false },
    ]);
    expect(difference).toMatchObject({ kept: [], withdraw: ['RUN-1.1'] });
    expect(difference.add.map((l) => l.quantity)).toEqual([50]);
  });
});
