import { compareLots, type Allocation, type AllocationResult } from './allocate.js';
import {
  isHeld,
  type CostTerms,
  type MatchInput,
  type MatchPlan,
  type MatchWorkOrder,
  type PlanLot,
  type Unplaced,
} from './model.js';
import { inputHashOf } from './hash.js';

const zero = (): CostTerms => ({ processing: 0, lateness: 0, unplaced: 0, moves: 0, total: 0 });

/** The objective's terms for one lot: what its units cost at its slot. */
export function lotCost(
  input: MatchInput,
  workOrder: MatchWorkOrder,
  lot: Allocation,
  moved: number,
): CostTerms {
  const p = input.parameters;
  const op = workOrder.routing[lot.seq - 1];
  const factory = input.factories.find((f) => f.factoryId === lot.factoryId);
  const offer = factory?.processes.find((o) => o.process === op?.process);
  const processing =
    lot.quotaId !== undefined || offer === undefined || op === undefined
      ? 0
      : Math.round(offer.pricePerMinute * op.standardMinutes) * lot.quantity;
  const last = lot.seq === workOrder.routing.length;
  const lateness =
    (last ? Math.max(0, lot.bucket - workOrder.dueBucket) : 0) *
    p.latePenaltyPerUnitPerBucket *
    (workOrder.priority === 'RUSH' ? p.rushWeight : 1) *
    lot.quantity;
  const moves = moved * p.movePenaltyPerUnit;
  return { processing, lateness, unplaced: 0, moves, total: processing + lateness + moves };
}

/** An allocation as a plan shows it: the lot, with its cost terms and why it went there. */
export function planLotOf(a: Allocation, cost: CostTerms): PlanLot {
  return {
    workOrderId: a.workOrderId,
    seq: a.seq,
    factoryId: a.factoryId,
    bucket: a.bucket,
    quantity: a.quantity,
    ...(a.quotaId === undefined ? {} : { quotaId: a.quotaId }),
    unitPrice: a.unitPrice,
    frozen: a.frozen,
    why: {
      cost,
      costPerUnit: a.quantity === 0 ? 0 : cost.total / a.quantity,
      ...(a.nextBest === undefined ? {} : { nextBest: a.nextBest }),
    },
  };
}

/**
 * The plan a solver's allocations make: lots in a fixed order, unplaced units with their reasons,
 * and the cost by term. Units of the last operation that were not placed carry the unplaced
 * penalty; a lot's moved units are those beyond what the current plan had at the same slot.
 */
export function buildPlan(
  input: MatchInput,
  solver: string,
  result: AllocationResult,
  options: { hash?: boolean } = {},
): MatchPlan {
  const workOrders = new Map(input.workOrders.map((w) => [w.workOrderId, w]));
  const had = new Map<string, number>();
  const opsWithPlan = new Set<string>();
  for (const l of input.currentPlan) {
    if (isHeld(l, input.parameters)) continue;
    const key = `${l.workOrderId}#${l.seq}|${l.factoryId}|${l.bucket}|${l.quotaId ?? ''}`;
    had.set(key, (had.get(key) ?? 0) + l.quantity);
    opsWithPlan.add(`${l.workOrderId}#${l.seq}`);
  }
  const total = zero();
  // One lot per slot: allocations a solver made at the same slot in two steps are one lot.
  const merged = new Map<string, Allocation>();
  for (const a of result.allocations) {
    const key = `${a.workOrderId}#${a.seq}|${a.factoryId}|${a.bucket}|${a.quotaId ?? ''}|${a.frozen ? 'f' : ''}`;
    const same = merged.get(key);
    merged.set(key, same === undefined ? { ...a } : { ...same, quantity: same.quantity + a.quantity });
  }
  const lots: PlanLot[] = [...merged.values()].sort(compareLots).map((a) => {
    const workOrder = workOrders.get(a.workOrderId);
    if (workOrder === undefined) throw new Error(`allocation of unknown work order ${a.workOrderId}`);
    const key = `${a.workOrderId}#${a.seq}|${a.factoryId}|${a.bucket}|${a.quotaId ?? ''}`;
    const moved =
      a.frozen || !opsWithPlan.has(`${a.workOrderId}#${a.seq}`)
        ? 0
        : Math.max(0, a.quantity - (had.get(key) ?? 0));
    const lot = planLotOf(a, lotCost(input, workOrder, a, moved));
    for (const term of ['processing', 'lateness', 'moves', 'total'] as const)
      total[term] += lot.why.cost[term];
    return lot;
  });
  const unplaced: Unplaced[] = [...result.unplaced].sort(
    (x, y) => (x.workOrderId < y.workOrderId ? -1 : x.workOrderId > y.workOrderId ? 1 : 0) || x.seq - y.seq,
  );
  // A work order's unfinished units: its quantity minus what its last operation placed.
  const finished = new Map<string, number>();
  for (const l of lots) {
    if (l.seq === workOrders.get(l.workOrderId)?.routing.length)
      finished.set(l.workOrderId, (finished.get(l.workOrderId) ?? 0) + l.quantity);
  }
  for (const w of input.workOrders)
    total.unplaced +=
      (w.quantity - (finished.get(w.workOrderId) ?? 0)) * input.parameters.unplacedPenaltyPerUnit;
  total.total += total.unplaced;
  return { inputHash: options.hash === false ? '' : inputHashOf(input), solver, lots, unplaced, cost: total };
}
