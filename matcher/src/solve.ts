import { allocate } from './allocate.js';
import { violationsOf } from './constraints.js';
import { solveExactly } from './exact.js';
import { isHeld, type MatchInput, type MatchPlan, type MatchWorkOrder } from './model.js';
import { buildPlan } from './plan.js';

export type Solver = 'engine' | 'greedy' | 'highs';

/**
 * How far the engine searches. `full`: everything it does on an instance of this size. `first`:
 * the quickest plan worth publishing (on 10,000 orders about 2.7 s): the current plan's lots kept
 * and the rest dispatched, or one dispatch in the engine's order. `improve`: the search that may
 * follow a first plan in the background — on an instance too large for the full search,
 * `IMPROVEMENT_DISPATCHES` rounds of reordering; on a smaller one, the full search — never
 * dearer than keeping the current plan. Each is a fixed amount of work: the same input and search
 * give the same plan on every machine.
 */
export type Search = 'full' | 'first' | 'improve';

/** Reordered dispatches of a background improvement past `MULTI_START_LIMIT` (about 16 s on 10,000 orders). */
export const IMPROVEMENT_DISPATCHES = 5;

/**
 * The engine's order of placement: rush orders first, then the earliest due, then the scarcest
 * (work whose processes few factories offer is placed before work that can go anywhere), then
 * the larger, then by id so that equal inputs always give equal plans.
 */
export function engineOrder(input: MatchInput): (workOrders: readonly MatchWorkOrder[]) => MatchWorkOrder[] {
  const offers = new Map<string, number>();
  for (const f of input.factories)
    if (f.available) for (const o of f.processes) offers.set(o.process, (offers.get(o.process) ?? 0) + 1);
  const scarcity = (w: MatchWorkOrder): number =>
    Math.min(...w.routing.map((op) => offers.get(op.process) ?? 0));
  const minutes = (w: MatchWorkOrder): number =>
    w.routing.reduce((s, op) => s + op.standardMinutes, 0) * w.quantity;
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
  for (const f of input.factories)
    if (f.available) for (const o of f.processes) capable.set(o.process, (capable.get(o.process) ?? 0) + 1);
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
 * The exact search stops after this many branch-and-bound nodes: a limit that ends at the same
 * place on every run and machine (same input, same plan), about 15 s of HiGHS here.
 */
export const EXACT_NODE_LIMIT = 10_000;
/** A guard against a pathological model: past this, dispatch answers instead. */
export const EXACT_SAFETY_SECONDS = 45;

/**
 * Solves an input. `greedy` is the baseline: least-cost dispatch in the input's order. `engine`
 * solves small instances exactly with HiGHS and larger ones by least-cost dispatch in the
 * engine's order, keeping buckets for the operations still to come. `highs` is the exact model.
 */
export async function solve(
  input: MatchInput,
  solver: Solver = 'engine',
  search: Search = 'full',
): Promise<MatchPlan> {
  if (solver === 'engine' && search === 'first') return keptPlan(input) ?? firstDispatch(input);
  if (solver === 'engine' && search === 'improve') return improve(input);
  if (solver === 'greedy')
    return buildPlan(
      input,
      'greedy',
      allocate(input, { order: (w) => [...w], lookahead: false, baseline: true }),
    );
  if (solver === 'highs' || exactModelSize(input, EXACT_COLUMNS_LIMIT) <= EXACT_COLUMNS_LIMIT) {
    const exact = await solveExactly(
      input,
      solver === 'highs'
        ? { timeLimitSeconds: 60 }
        : { timeLimitSeconds: EXACT_SAFETY_SECONDS, maxNodes: EXACT_NODE_LIMIT },
    );
    if (exact.status === 'Optimal')
      return buildPlan(input, solver === 'highs' ? 'highs' : 'engine:exact', exact);
    if (solver === 'highs') throw new Error(`HiGHS ended with status ${exact.status}`);
    // Stopped at the node limit before proving optimality: its best plan so far still often beats
    // dispatch, and it is the same on every machine. A plan cut off by the clock would not be: the
    // safety time limit falls back to dispatch.
    const dispatched = bestDispatch(input);
    if (exact.status === 'Time limit reached' || exact.allocations.length === 0) return dispatched;
    const incumbent = buildPlan(input, 'engine:exact-incumbent', exact);
    return incumbent.cost.total < dispatched.cost.total &&
      Object.keys(violationsOf(input, incumbent)).length === 0
      ? incumbent
      : dispatched;
  }
  return bestDispatch(input);
}

/** The `improve` search: never dearer than the current plan kept as it is (ties keep it). */
async function improve(input: MatchInput): Promise<MatchPlan> {
  const kept = keptPlan(input);
  const cheaper = (plan: MatchPlan): MatchPlan =>
    kept !== undefined && kept.cost.total <= plan.cost.total ? kept : plan;
  if (input.workOrders.length <= MULTI_START_LIMIT) return cheaper(await solve(input, 'engine'));
  const first = firstDispatch(input);
  return improveByReordering(input, cheaper(first), first, IMPROVEMENT_DISPATCHES);
}

/**
 * Least-cost dispatch in the engine's order; on mid-size instances also in the input's order and
 * without keeping buckets for later operations, and once more with the work orders that could
 * not be placed moved to the front. The cheapest plan wins (the first on a tie: deterministic).
 */
export function bestDispatch(input: MatchInput): MatchPlan {
  const order = engineOrder(input);
  const best = firstDispatch(input);
  if (input.workOrders.length > MULTI_START_LIMIT) return best;
  let chosen = best;
  const fifo = (w: readonly MatchWorkOrder[]): MatchWorkOrder[] => [...w];
  for (const [name, options] of [
    ['engine:dispatch-fifo', { order: fifo, lookahead: true }],
    ['engine:dispatch-nolookahead', { order, lookahead: false }],
    ['engine:dispatch-fifo-nolookahead', { order: fifo, lookahead: false }],
    ['engine:dispatch-lot-budget', { order, lookahead: true, lotBudget: true }],
    ['engine:dispatch-fifo-lot-budget', { order: fifo, lookahead: true, lotBudget: true }],
  ] as const) {
    const plan = buildPlan(input, name, allocate(input, options));
    if (plan.cost.total < chosen.cost.total) chosen = plan;
  }
  if (chosen.unplaced.length > 0) {
    // Repair: what was left over goes first this time.
    const left = new Set(chosen.unplaced.map((u) => u.workOrderId));
    const repairOrder = (w: readonly MatchWorkOrder[]): MatchWorkOrder[] => {
      const ordered = order(w);
      return [
        ...ordered.filter((x) => left.has(x.workOrderId)),
        ...ordered.filter((x) => !left.has(x.workOrderId)),
      ];
    };
    for (const lookahead of [true, false]) {
      const plan = buildPlan(
        input,
        'engine:dispatch-repair',
        allocate(input, { order: repairOrder, lookahead }),
      );
      if (plan.cost.total < chosen.cost.total) chosen = plan;
    }
  }
  return improveByReordering(input, chosen, best);
}

/**
 * The current plan's lots left where they are and the rest dispatched around them: what a quick
 * re-plan publishes when the plan it follows was improved, so that it does not undo the
 * improvement (dispatch alone would move the lots back, and the next improvement move them
 * again). Undefined when there is nothing to keep, or a kept lot no longer keeps every rule (its
 * shift full, its factory away): dispatch then places everything.
 */
function keptPlan(input: MatchInput): MatchPlan | undefined {
  if (input.currentPlan.every((l) => isHeld(l, input.parameters))) return undefined;
  const plan = buildPlan(
    input,
    'engine:kept',
    allocate(input, { order: engineOrder(input), lookahead: true, fixedLots: input.currentPlan }),
  );
  return Object.keys(violationsOf(input, plan)).length === 0 ? plan : undefined;
}

/** One dispatch in the engine's order, keeping buckets for the operations still to come. */
const firstDispatch = (input: MatchInput): MatchPlan =>
  buildPlan(input, 'engine:dispatch', allocate(input, { order: engineOrder(input), lookahead: true }));

/** Dispatches the reordering search may run: fewer the larger the instance (same input, same plan). */
export const reorderingBudget = (workOrders: number): number =>
  Math.min(100, Math.floor(50_000 / Math.max(1, workOrders)));

/**
 * "Squeaky wheel" search: after each dispatch, the orders that paid lateness or left units
 * unplaced move forward in the order (by a tenth of the list, and more the more they paid), and
 * dispatch runs again; the cheapest plan wins. A fixed number of dispatches, and ties broken by
 * position: deterministic. `dispatched` is dispatch in the engine's order with look-ahead, where
 * the search starts (already made by the caller: not made again); `start` the best plan so far.
 */
export function improveByReordering(
  input: MatchInput,
  start: MatchPlan,
  dispatched: MatchPlan,
  budget = reorderingBudget(input.workOrders.length),
): MatchPlan {
  const byId = new Map(input.workOrders.map((w) => [w.workOrderId, w]));
  let order = engineOrder(input)(input.workOrders);
  let best = start;
  let plan = dispatched;
  const step = Math.max(1, Math.round(order.length / 10));
  for (let i = 0; i < budget; i++) {
    if (plan.cost.total < best.cost.total) best = plan;
    const paid = new Map<string, number>();
    for (const l of plan.lots)
      if (l.why.cost.lateness > 0)
        paid.set(l.workOrderId, (paid.get(l.workOrderId) ?? 0) + l.why.cost.lateness);
    for (const u of plan.unplaced)
      if (u.seq === byId.get(u.workOrderId)?.routing.length)
        paid.set(
          u.workOrderId,
          (paid.get(u.workOrderId) ?? 0) + u.quantity * input.parameters.unplacedPenaltyPerUnit,
        );
    if (paid.size === 0) break;
    const position = new Map(order.map((w, k) => [w.workOrderId, k]));
    const score = (w: MatchWorkOrder): number => {
      const cost = paid.get(w.workOrderId) ?? 0;
      return (position.get(w.workOrderId) ?? 0) - (cost > 0 ? step + Math.log2(1 + cost / 1000) : 0);
    };
    order = [...order].sort(
      (a, b) =>
        score(a) - score(b) || (position.get(a.workOrderId) ?? 0) - (position.get(b.workOrderId) ?? 0),
    );
    plan = buildPlan(input, 'engine:reordered', allocate(input, { order: () => order, lookahead: true }));
  }
  return plan.cost.total < best.cost.total ? plan : best;
}

/** Up to this many work orders the engine tries several dispatch orders (each a fraction of a second). */
export const MULTI_START_LIMIT = 3000;
