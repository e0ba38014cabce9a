import { describe, expect, it } from 'vitest';
import { planSummary } from './planSummary';

const lot = (id: string, fromSeq: number, bucket: string, quantity: number, status = 'ASSIGNED') => ({
  id,
  factoryId: 'F-1',
  bucket,
  quantity,
  fromSeq,
  toSeq: fromSeq,
  status,
});
const plan = {
  id: 'WO-RUSH-1',
  quantity: 500,
  dueBucket: '2026-12-05T08:00:00Z',
  priority: 'RUSH',
  routing: [
    { seq: 1, process: 'CNC' },
    { seq: 2, process: 'PAINTING' },
  ],
  lots: [
    lot('R.1', 1, '2026-12-04T08:00:00Z', 260),
    lot('R.2', 1, '2026-12-04T16:00:00Z', 240),
    lot('R.3', 2, '2026-12-04T16:00:00Z', 260),
    lot('R.4', 2, '2026-12-05T00:00:00Z', 200),
    lot('R.5', 2, '2026-12-05T08:00:00Z', 40, 'REJECTED'),
  ],
} as Parameters<typeof planSummary>[0];
const run = (detail: string, lotsWithdrawn: number) => ({
  node: { id: 1, startedAt: '', triggers: [{ kind: 'RUSH_ORDER', detail }], lotsWithdrawn },
});

describe('the plan of a published order, for its customer', () => {
  it('counts live lots, finishes with the last operation’s last shift, and says what is not placed', () => {
    const summary = planSummary(plan, [run('WO-OTHER', 3), run('WO-RUSH-1, WO-X', 7)] as Parameters<
      typeof planSummary
    >[1]);
    expect(summary.lots.map((l) => l.id)).toEqual(['R.1', 'R.2', 'R.3', 'R.4']);
    // The last painting lot runs in the 00:00 shift, which ends at 08:00.
    expect(summary.finishAt).toBe('2026-12-05T08:00:00.000Z');
    expect(summary.unplaced).toBe(40);
    expect(summary.moved).toBe(7);
  });

  it('has no finish and everything unplaced before the matcher placed it', () => {
    const summary = planSummary({ ...plan, lots: [] }, []);
    expect(summary).toEqual({ lots: [], unplaced: 500 });
  });
});
