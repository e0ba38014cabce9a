import { allocate } from './allocate.js';
import { solveExactly } from './exact.js';
import type { MatchInput, MatchPlan, MatchWorkOrder } from './model.js';
import { buildPlan } from './plan.js';

export type Solver = 'engine' | 'greedy' | 'highs';

/**
 * The engine's order of placement: rush orders first, then the earliest due, then the scarcest
 * (work whose processes few factories offer is placed before work that can go anywhere), then
 * the larger, then by id so that equal inputs always give equal plans.
 */
export function engineOrder(input: MatchInput): (workOrders: readonly MatchWorkOrder[]) => MatchWorkOrder[] {
  const offers = new Map<string, number>();
  for (const f of input.factories) if (f.available) for (const o of f.processes) offers.set(o.process, (offers.get(o.process) ?? 0) + 1);
  const scarcity = (w: MatchWorkOrder): number => Math.min(...w.routing.map((op) => offers.get(op.process) ?? 0));
  const minutes = (w: MatchWorkOrder): number => w.routing.reduce((s, op) => s + op.standardMinutes, 0) * w.quantity;
  return (workOrders) =>
    [...workOrders].sort(
      (a, b) =>
        (a.priority === 'RUSH' ? 0 : 1) - (b.priority === 'RUSH' ? 0 : 1) ||
        a.dueBucket - b.dueBucket ||
        scarcity(a) - scarcity(b) ||
        minutes(b) - minutes(a) ||
        (a.workOrderId < b.workOrderId ? -1 : a.workOrderId > b.workOrderId ? 1 : 0),
    );
}

/** Size of the exact model, in integer columns: what decides whether HiGHS pays inside the engine. */
export function exactModelSize(input: MatchInput, stopAbove = Infinity): number {
  const capable = new Map<string, number>();
  for (const f of input.factories) if (f.available) for (const o of f.processes) capable.set(o.process, (capable.get(o.process) ?? 0) + 1);
  const buckets = input.buckets - input.parameters.frozenBuckets;
  let columns = input.quotas.length * buckets;
  for (const w of input.workOrders) {
    for (const op of w.routing) columns += (capable.get(op.process) ?? 0) * buckets;
    if (columns > stopAbove) return columns;
  }
  return columns;
}

/** Up to this many columns the engine solves exactly with HiGHS (seconds at most); above, it dispatches. */
export const EXACT_COLUMNS_LIMIT = 600;

/**
 * Solves an input. `greedy` is the baseline: least-cost dispatch in the input's order. `engine`
 * solves small instances exactly with HiGHS and larger ones by least-cost dispatch in the
 * engine's order, keeping buckets for the operations still to come. `highs` is the exact model.
 */
export async function solve(input: MatchInput, solver: Solver = 'engine'): Promise<MatchPlan> {
  if (solver === 'greedy')
    return buildPlan(input, 'greedy', allocate(input, { order: (w) => [...w], lookahead: false }));
  if (solver === 'highs' || exactModelSize(input, EXACT_COLUMNS_LIMIT) <= EXACT_COLUMNS_LIMIT) {
    const exact = await solveExactly(input, { timeLimitSeconds: solver === 'highs' ? 60 : 10 });
    if (exact.status === 'Optimal') return buildPlan(input, solver === 'highs' ? 'highs' : 'engine:exact', exact);
    if (solver === 'highs') throw new Error(`HiGHS ended with status ${exact.status}`);
  }
  return buildPlan(input, 'engine:dispatch', allocate(input, { order: engineOrder(input), lookahead: true }));
}
