import type {
  Capacity,
  Factory,
  HandOver,
  Lot,
  OperationException,
  OperationProgress,
  WorkOrder,
} from '@fabpool/chaincode/model';
import { describe, expect, it } from 'vitest';
import { periodProblem, recordsInPeriod } from './period.js';
import type { AnalyticsRecords } from './scope.js';

// Only the fields that place a record in time; the metrics beside it are tested on their own.
const BEFORE = '2026-11-30T16:00:00Z';
const IN = '2026-12-01T08:00:00Z';
const AFTER = '2026-12-08T00:00:00Z';
const ALL: AnalyticsRecords = {
  workOrders: [BEFORE, IN, AFTER].map((dueBucket) => ({ dueBucket }) as unknown as WorkOrder),
  lots: [BEFORE, IN, AFTER].map((bucket) => ({ bucket }) as unknown as Lot),
  progress: [IN, AFTER].map((startedAt) => ({ startedAt }) as unknown as OperationProgress),
  exceptions: [BEFORE, IN].map((openedAt) => ({ openedAt }) as unknown as OperationException),
  handOvers: [IN].map((confirmedAt) => ({ confirmedAt }) as unknown as HandOver),
  capacities: [BEFORE, IN].map((bucket) => ({ bucket }) as unknown as Capacity),
  factories: [{ factoryId: 'A-1' }] as unknown as Factory[],
};

describe('analytics over a period', () => {
  it('keeps the records whose instant falls in it (from inclusive, to exclusive), and every plant', () => {
    const week = recordsInPeriod(ALL, { from: '2026-12-01T00:00:00Z', to: AFTER });
    expect(week).toEqual({
      workOrders: [{ dueBucket: IN }],
      lots: [{ bucket: IN }],
      progress: [{ startedAt: IN }],
      exceptions: [{ openedAt: IN }],
      handOvers: [{ confirmedAt: IN }],
      capacities: [{ bucket: IN }],
      factories: [{ factoryId: 'A-1' }],
    });
  });

  it('refuses a period that is no period', () => {
    expect(periodProblem({ from: '2026-12-01T00:00:00Z', to: AFTER })).toBeUndefined();
    expect(periodProblem({ from: 'last week', to: AFTER })).toMatch(/ISO-8601/);
    expect(periodProblem({ from: AFTER, to: IN })).toMatch(/after/);
    expect(periodProblem({ from: '2024-01-01T00:00:00Z', to: AFTER })).toMatch(/year/);
  });
});
