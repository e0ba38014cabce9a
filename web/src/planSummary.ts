import type { PublishedPlanQuery } from './gql/graphql';

export type PlannedLot = NonNullable<PublishedPlanQuery['workOrder']>['lots'][number];

export const SHIFT_MS = 8 * 3_600_000;
const LIVE = new Set(['ASSIGNED', 'ACCEPTED', 'IN_PROGRESS', 'DONE', 'DELIVERED', 'SETTLED']);

/** What the plan means for the customer: how the order was split, when it finishes, what else moved. */
export function planSummary(
  plan: NonNullable<PublishedPlanQuery['workOrder']>,
  runs: PublishedPlanQuery['matcherRuns']['edges'],
): { lots: PlannedLot[]; finishAt?: string; unplaced: number; moved?: number } {
  const lots = plan.lots.filter((l) => LIVE.has(l.status));
  const lastSeq = Math.max(...plan.routing.map((op) => op.seq));
  const finishing = lots.filter((l) => l.toSeq === lastSeq);
  const finishMs = Math.max(...finishing.map((l) => Date.parse(l.bucket) + SHIFT_MS));
  const run = runs.map((e) => e.node).find((r) => r.triggers.some((t) => t.detail.includes(plan.id)));
  return {
    lots,
    ...(finishing.length > 0 ? { finishAt: new Date(finishMs).toISOString() } : {}),
    unplaced: plan.quantity - finishing.reduce((sum, l) => sum + l.quantity, 0),
    ...(run === undefined ? {} : { moved: run.lotsWithdrawn }),
  };
}
