import { describe, expect, it } from 'vitest';
import { SANDBOX_RUSH_ID, type SandboxImpact, type SandboxLot } from './sandbox.js';
import { impactSeenBy } from './sandboxView.js';

const lot = (workOrderId: string, factoryId: string): SandboxLot => ({
  workOrderId,
  factoryId,
  seq: 1,
  bucket: '2026-11-25T08:00:00Z',
  quantity: 10,
});
const IMPACT: SandboxImpact = {
  moved: [
    { before: lot('WO-MINE', 'F-A'), after: [lot('WO-MINE', 'F-B')] },
    { before: lot('WO-THEIRS', 'F-B'), after: [lot('WO-THEIRS', 'F-C')] },
    { before: lot('WO-THEIRS-2', 'F-C'), after: [] },
  ],
  slipped: [
    { workOrderId: 'WO-THEIRS', fromBucket: '2026-11-25T08:00:00Z', toBucket: '2026-11-25T16:00:00Z' },
    { workOrderId: SANDBOX_RUSH_ID, fromBucket: '2026-11-25T08:00:00Z', toBucket: null },
  ],
  rushLots: [lot(SANDBOX_RUSH_ID, 'F-B')],
  affectedLots: [lot(SANDBOX_RUSH_ID, 'F-B'), lot('WO-MINE', 'F-B'), lot('WO-THEIRS', 'F-C')],
  unplaced: [{ workOrderId: 'WO-THEIRS-2', seq: 1, quantity: 10, reason: 'NO_CAPACITY_IN_HORIZON' }],
  costDelta: 1200,
  millis: 5,
};

describe('a what-if as one viewer sees it', () => {
  it('shows a customer its own orders and the order it asked about, and only counts the others', () => {
    const seen = impactSeenBy(IMPACT, (s) => s.workOrderId === 'WO-MINE');
    expect(seen.moved.map((m) => m.before.workOrderId)).toEqual(['WO-MINE']);
    expect(seen.slipped.map((s) => s.workOrderId)).toEqual([SANDBOX_RUSH_ID]);
    expect(seen.affectedLots.map((l) => l.workOrderId)).toEqual([SANDBOX_RUSH_ID, 'WO-MINE']);
    expect(seen.unplaced).toEqual([]);
    expect([seen.movedOthers, seen.slippedOthers]).toEqual([2, 1]);
    expect(JSON.stringify(seen)).not.toContain('WO-THEIRS');
    expect(seen.rushLots).toEqual(IMPACT.rushLots);
  });

  it('shows a factory its own plants’ lots', () => {
    const seen = impactSeenBy(IMPACT, (s) => s.factoryId === 'F-C');
    expect(seen.moved.map((m) => m.before.workOrderId)).toEqual(['WO-THEIRS-2']);
    expect(seen.movedOthers).toBe(2);
  });

  it('shows the overseers everything', () => {
    expect(impactSeenBy(IMPACT, () => true)).toEqual({ ...IMPACT, movedOthers: 0, slippedOthers: 0 });
  });
});
