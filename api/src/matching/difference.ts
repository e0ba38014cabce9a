import type { MatchPlan, PlannedLot, PlanLot } from '@fabpool/matcher';
import type { MovableLot } from './snapshot.js';

export interface PlanDifference {
  /** Lots of the new plan not on the ledger yet. */
  add: PlanLot[];
  /** Ledger lots (assigned, not yet accepted) the new plan does not keep. */
  withdraw: string[];
  /** Ledger lots the new plan keeps exactly where they are. */
  kept: string[];
}

const sameLot = (a: PlannedLot, b: PlannedLot): boolean =>
  a.workOrderId === b.workOrderId &&
  a.seq === b.seq &&
  a.factoryId === b.factoryId &&
  a.bucket === b.bucket &&
  a.quantity === b.quantity &&
  a.quotaId === b.quotaId;

/**
 * What must change on the ledger to get from the lots it holds to a new plan: each movable lot
 * the plan has again, unchanged, stays; every other movable lot is withdrawn (and an expired one
 * always is: its factory can no longer accept it); every planned lot not already there is added.
 * Held lots (frozen or committed) are on the ledger already and never published again.
 */
export function planDifference(plan: MatchPlan, movable: readonly MovableLot[]): PlanDifference {
  const candidates = plan.lots.filter((l) => !l.frozen && l.quantity > 0);
  const matched = new Set<number>();
  const kept: string[] = [];
  const withdraw: string[] = [];
  for (const m of movable) {
    const index = m.expired ? -1 : candidates.findIndex((l, i) => !matched.has(i) && sameLot(l, m.lot));
    if (index >= 0) {
      matched.add(index);
      if (!kept.includes(m.lotId)) kept.push(m.lotId);
    } else if (!withdraw.includes(m.lotId)) withdraw.push(m.lotId);
  }
  return {
    add: candidates.filter((_l, i) => !matched.has(i)),
    withdraw: withdraw.sort(),
    kept: kept.sort(),
  };
}
