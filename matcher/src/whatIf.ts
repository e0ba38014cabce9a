import { Dispatcher, type Allocation } from './allocate.js';
import type { MatchInput, MatchPlan, MatchWorkOrder, PlannedLot, PlanLot, Unplaced } from './model.js';
import { lotCost, planLotOf } from './plan.js';
import { engineOrder } from './solve.js';

/** A hypothetical change to evaluate against the current plan before anything is published. */
export type Change =
  | { kind: 'RUSH_ORDER'; workOrder: MatchWorkOrder }
  | { kind: 'FACTORY_OUTAGE'; factoryId: string; fromBucket: number }
  | {
      kind: 'MATERIAL_DELAY';
      workOrderId: string;
      /** The first bucket the material is there (earlier than now planned, for a faster supplier). */
      untilBucket: number;
      /** Factories the work order must keep off (to keep it at its plants). */
      avoidFactoryIds?: string[];
    };

export interface Impact {
  change: Change;
  /** Lots of the current plan that would move (or go), and where their operation's units would go. */
  moved: { before: PlannedLot; after: PlannedLot[] }[];
  /** Work orders whose last operation would finish later (null: not at all in the horizon). */
  slipped: { workOrderId: string; fromBucket: number; toBucket: number | null }[];
  /** For a rush order: how it is split into lots. */
  rushLots: PlanLot[];
  /** Lots of every work order the change touches, as they would be. */
  affectedLots: PlanLot[];
  unplaced: Unplaced[];
  costDelta: number;
  millis: number;
}

const sameSlot = (a: PlannedLot, b: PlannedLot): boolean =>
  a.workOrderId === b.workOrderId &&
  a.seq === b.seq &&
  a.factoryId === b.factoryId &&
  a.bucket === b.bucket &&
  a.quotaId === b.quotaId;

function lastBucketOf(lots: readonly PlannedLot[], w: MatchWorkOrder): number | null {
  let last: number | null = null;
  let units = 0;
  for (const l of lots) {
    if (l.workOrderId !== w.workOrderId || l.seq !== w.routing.length) continue;
    units += l.quantity;
    last = Math.max(last ?? 0, l.bucket);
  }
  return units === 0 ? null : last;
}

/**
 * Evaluates a change against a solved plan without re-planning the world: every lot the change
 * does not touch stays where it is, and only the work it disturbs is placed again on what is left.
 * A rush order first takes free capacity; if it would still be late or short, normal work with the
 * most slack on its capable factories before its due bucket makes way, one work order at a time,
 * and is placed again after it. An outage displaces the work orders with lots at the factory from
 * the given bucket; a late material delivery places its work order again from the bucket it comes.
 */
export function whatIf(
  input: MatchInput,
  base: MatchPlan,
  change: Change,
  options: { displace?: boolean } = {},
): Impact {
  const started = performance.now();
  const orders = new Map(input.workOrders.map((w) => [w.workOrderId, w]));
  let scenario = input;
  const victims = new Set<string>();
  let fromBucket = 0;
  if (change.kind === 'RUSH_ORDER') {
    scenario = { ...input, workOrders: [...input.workOrders, change.workOrder] };
    orders.set(change.workOrder.workOrderId, change.workOrder);
  } else if (change.kind === 'FACTORY_OUTAGE') {
    scenario = {
      ...input,
      capacity: input.capacity.filter(
        (c) => c.factoryId !== change.factoryId || c.bucket < change.fromBucket,
      ),
    };
    for (const l of base.lots)
      if (!l.frozen && l.factoryId === change.factoryId && l.bucket >= change.fromBucket)
        victims.add(l.workOrderId);
  } else {
    victims.add(change.workOrderId);
    fromBucket = change.untilBucket;
    const delayed = orders.get(change.workOrderId);
    if (delayed !== undefined) {
      // The material's new date replaces the one the plan went by, sooner or later.
      const avoid = [
        ...new Set([...(delayed.avoidFactoryIds ?? []), ...(change.avoidFactoryIds ?? [])]),
      ].sort();
      const asChanged: MatchWorkOrder = {
        ...delayed,
        releaseBucket: change.untilBucket,
        ...(avoid.length > 0 ? { avoidFactoryIds: avoid } : {}),
      };
      orders.set(change.workOrderId, asChanged);
      scenario = {
        ...input,
        workOrders: input.workOrders.map((w) => (w.workOrderId === change.workOrderId ? asChanged : w)),
      };
    }
  }
  const dispatcher = new Dispatcher(scenario);
  const held = new Map<string, Allocation[]>();
  for (const lot of base.lots) {
    if (!lot.frozen && victims.has(lot.workOrderId)) continue;
    const a = dispatcher.fix(lot, lot.frozen);
    if (a !== undefined && !a.frozen) held.set(lot.workOrderId, [...(held.get(lot.workOrderId) ?? []), a]);
  }
  const placed: Allocation[] = [];
  const unplaced: Unplaced[] = [];
  if (change.kind === 'RUSH_ORDER') {
    const w = change.workOrder;
    const onTime = (lots: readonly Allocation[]): boolean => {
      const last = lots.filter((l) => l.seq === w.routing.length);
      return (
        last.reduce((s, l) => s + l.quantity, 0) === w.quantity && last.every((l) => l.bucket <= w.dueBucket)
      );
    };
    let attempt = dispatcher.placeWorkOrder(w, { lookahead: true });
    if (!onTime(attempt.allocations) && options.displace !== false) {
      const processes = new Set(w.routing.map((op) => op.process));
      const capable = new Set(
        input.factories
          .filter((f) => f.processes.some((o) => processes.has(o.process)))
          .map((f) => f.factoryId),
      );
      const candidates = [
        ...new Set(
          base.lots
            .filter((l) => !l.frozen && capable.has(l.factoryId) && l.bucket <= w.dueBucket)
            .map((l) => l.workOrderId),
        ),
      ]
        .map((id) => orders.get(id))
        .filter((o): o is MatchWorkOrder => o?.priority === 'NORMAL')
        .sort((a, b) => b.dueBucket - a.dueBucket || (a.workOrderId < b.workOrderId ? -1 : 1));
      for (const victim of candidates.slice(0, 60)) {
        for (const a of attempt.allocations) dispatcher.release(a);
        for (const a of held.get(victim.workOrderId) ?? []) dispatcher.release(a);
        held.delete(victim.workOrderId);
        victims.add(victim.workOrderId);
        attempt = dispatcher.placeWorkOrder(w, { lookahead: true });
        if (onTime(attempt.allocations)) break;
      }
      // Making way did not bring it in on time: then nobody makes way.
      if (!onTime(attempt.allocations))
        return { ...whatIf(input, base, change, { displace: false }), millis: performance.now() - started };
    }
    placed.push(...attempt.allocations);
    unplaced.push(...attempt.unplaced);
  }
  for (const victim of engineOrder(scenario)(
    [...victims].map((id) => orders.get(id)).filter((o): o is MatchWorkOrder => o !== undefined),
  )) {
    const result = dispatcher.placeWorkOrder(victim, {
      lookahead: true,
      fromBucket:
        change.kind === 'MATERIAL_DELAY' && victim.workOrderId === change.workOrderId ? fromBucket : 0,
    });
    placed.push(...result.allocations);
    unplaced.push(...result.unplaced);
  }

  // What changed: the touched work orders' lots before and after, and their cost.
  const touched = new Set([
    ...victims,
    ...(change.kind === 'RUSH_ORDER' ? [change.workOrder.workOrderId] : []),
  ]);
  const before = base.lots.filter((l) => touched.has(l.workOrderId));
  const after: Allocation[] = [
    ...placed,
    ...base.lots.filter((l) => l.frozen && touched.has(l.workOrderId)).map((l) => ({ ...l, costPerUnit: 0 })),
  ];
  const p = input.parameters;
  const costOf = (lots: readonly PlannedLot[], reference: readonly PlannedLot[]): number =>
    lots.reduce((sum, l) => {
      const w = orders.get(l.workOrderId);
      if (w === undefined) return sum;
      const stayed = reference.filter((r) => sameSlot(r, l)).reduce((s, r) => s + r.quantity, 0);
      const moved = reference.some((r) => r.workOrderId === l.workOrderId && r.seq === l.seq)
        ? Math.max(0, l.quantity - stayed)
        : 0;
      return sum + lotCost(scenario, w, { ...l, costPerUnit: 0, unitPrice: 0, frozen: false }, moved).total;
    }, 0);
  const finished = (lots: readonly PlannedLot[], w: MatchWorkOrder): number =>
    lots
      .filter((l) => l.workOrderId === w.workOrderId && l.seq === w.routing.length)
      .reduce((s, l) => s + l.quantity, 0);
  let unplacedDelta = 0;
  for (const id of touched) {
    const w = orders.get(id);
    if (w === undefined) continue;
    const beforeMissing =
      change.kind === 'RUSH_ORDER' && id === change.workOrder.workOrderId
        ? 0
        : w.quantity - finished(before, w);
    unplacedDelta += (w.quantity - finished(after, w) - beforeMissing) * p.unplacedPenaltyPerUnit;
  }
  const costDelta = costOf(after, before) - costOf(before, before) + unplacedDelta;

  const toPlanLot = (a: Allocation): PlanLot => {
    const w = orders.get(a.workOrderId);
    return planLotOf(
      a,
      w === undefined
        ? { processing: 0, lateness: 0, unplaced: 0, moves: 0, total: 0 }
        : lotCost(scenario, w, a, 0),
    );
  };
  const moved: Impact['moved'] = before
    .filter((b) => !b.frozen && !after.some((a) => sameSlot(a, b) && a.quantity === b.quantity))
    .map((b) => ({
      before: b,
      after: after.filter((a) => a.workOrderId === b.workOrderId && a.seq === b.seq),
    }));
  const slipped: Impact['slipped'] = [];
  for (const id of [...victims].sort()) {
    const w = orders.get(id);
    if (w === undefined) continue;
    const from = lastBucketOf(before, w);
    const to = lastBucketOf(after, w);
    if (from !== null && (to === null || to > from))
      slipped.push({ workOrderId: id, fromBucket: from, toBucket: to });
  }
  return {
    change,
    moved,
    slipped,
    rushLots:
      change.kind === 'RUSH_ORDER'
        ? placed.filter((a) => a.workOrderId === change.workOrder.workOrderId).map(toPlanLot)
        : [],
    affectedLots: after.map(toPlanLot),
    unplaced,
    costDelta,
    millis: performance.now() - started,
  };
}
