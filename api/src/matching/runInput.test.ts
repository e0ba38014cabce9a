import { describe, expect, it } from 'vitest';
import { assignmentRuns, runIdOf, runIndexOf } from './runInput.js';

const ids = (prefix: string, n: number): string[] => Array.from({ length: n }, (_x, i) => `${prefix}${i}`);

describe('cutting a plan difference into assignment runs', () => {
  it('keeps a small difference in one run', () => {
    expect(assignmentRuns({ add: ids('a', 3), withdraw: ids('w', 2) }, 500)).toEqual([
      { add: ids('a', 3), withdraw: ids('w', 2) },
    ]);
  });

  it('withdraws every moved lot before the new lots that may need its minutes', () => {
    const runs = assignmentRuns({ add: ids('a', 5), withdraw: ids('w', 7) }, 3);
    expect(runs).toEqual([
      { add: [], withdraw: ['w0', 'w1', 'w2'] },
      { add: [], withdraw: ['w3', 'w4', 'w5'] },
      { add: ['a0', 'a1', 'a2'], withdraw: ['w6'] },
      { add: ['a3', 'a4'], withdraw: [] },
    ]);
  });

  it('never puts more than the chaincode takes in one run, losing and repeating nothing', () => {
    for (const [adds, withdrawals] of [
      [0, 2_400],
      [2_400, 0],
      [1_001, 1_001],
      [1, 1_000],
    ] as const) {
      const add = ids('a', adds);
      const withdraw = ids('w', withdrawals);
      const runs = assignmentRuns({ add, withdraw }, 500);
      for (const run of runs) {
        expect(run.add.length).toBeLessThanOrEqual(500);
        expect(run.withdraw.length).toBeLessThanOrEqual(500);
        expect(run.add.length + run.withdraw.length).toBeGreaterThan(0);
      }
      expect(runs.flatMap((r) => r.add)).toEqual(add);
      expect(runs.flatMap((r) => r.withdraw)).toEqual(withdraw);
      // Every withdrawal comes in a run no later than the first new lot's.
      const firstAdd = runs.findIndex((r) => r.add.length > 0);
      const lastWithdraw = runs.map((r) => r.withdraw.length > 0).lastIndexOf(true);
      if (firstAdd >= 0 && lastWithdraw >= 0) expect(lastWithdraw).toBeLessThanOrEqual(firstAdd);
    }
  });
});

describe('the runs of one re-plan, by id', () => {
  it('finds each run from its id, and no run from an id the re-plan did not make', () => {
    expect(runIndexOf(runIdOf('RUN-X', 0, 1), 1)).toBe(0);
    for (let i = 0; i < 3; i++) expect(runIndexOf(runIdOf('RUN-X', i, 3), 3)).toBe(i);
    expect(runIndexOf('RUN-X', 3)).toBeUndefined();
    expect(runIndexOf('RUN-X-4', 3)).toBeUndefined();
  });
});
