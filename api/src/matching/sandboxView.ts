import { SANDBOX_RUSH_ID, type SandboxImpact } from './sandbox.js';

/** A what-if as one viewer may see it: the others' orders and plants only counted. */
export interface ImpactSeen extends SandboxImpact {
  /** Lots of orders the viewer may not see that would move, and such orders that would slip. */
  movedOthers: number;
  slippedOthers: number;
}

/**
 * What a what-if shows a viewer: everything about the change asked (the hypothetical order's own
 * lots) and about what `sees` lets through — a customer its own orders, a factory its own plants'
 * lots — and of everyone else's only how many lots move and how many orders slip. Overseers see
 * all (`sees` always true).
 */
export function impactSeenBy(
  impact: SandboxImpact,
  sees: (subject: { workOrderId: string; factoryId?: string }) => boolean,
): ImpactSeen {
  const hypothetical = (workOrderId: string) => workOrderId === SANDBOX_RUSH_ID;
  const moved = impact.moved.filter((m) => sees(m.before));
  const slipped = impact.slipped.filter((s) => hypothetical(s.workOrderId) || sees(s));
  return {
    ...impact,
    moved,
    slipped,
    affectedLots: impact.affectedLots.filter((l) => hypothetical(l.workOrderId) || sees(l)),
    unplaced: impact.unplaced.filter((u) => hypothetical(u.workOrderId) || sees(u)),
    movedOthers: impact.moved.length - moved.length,
    slippedOthers: impact.slipped.length - slipped.length,
  };
}
