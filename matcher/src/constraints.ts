import { lotMinutes } from './capacity.js';
import { isHeld, type MatchInput, type MatchPlan, type MatchWorkOrder, type PlanLot } from './model.js';

/**
 * Every rule a plan must keep, each a named pure function returning what breaks it (nothing when
 * kept). The solvers are written to keep them; these check any plan, whoever made it.
 */
export type Constraint = (input: MatchInput, plan: MatchPlan) => string[];

const processOf = (w: MatchWorkOrder | undefined, seq: number) => w?.routing[seq - 1];
const orders = (input: MatchInput) => new Map(input.workOrders.map((w) => [w.workOrderId, w]));

/**
 * A lot's factory is available, offers its operation's process, and has not turned the work
 * order down before (frozen lots excepted).
 */
export const lotsOnCapableFactories: Constraint = (input, plan) => {
  const factories = new Map(input.factories.map((f) => [f.factoryId, f]));
  const byId = orders(input);
  return plan.lots
    .filter((l) => !l.frozen)
    .flatMap((l) => {
      const f = factories.get(l.factoryId);
      const workOrder = byId.get(l.workOrderId);
      const op = processOf(workOrder, l.seq);
      if (workOrder?.avoidFactoryIds?.includes(l.factoryId) === true)
        return [`${l.workOrderId}#${l.seq} at ${l.factoryId} which turned it down`];
      return f?.available === true && f.processes.some((o) => o.process === op?.process)
        ? []
        : [`${l.workOrderId}#${l.seq} at ${l.factoryId} which cannot run ${op?.process ?? '?'}`];
    });
};

function minutesBy(
  input: MatchInput,
  lots: readonly PlanLot[],
  key: (l: PlanLot, process: string) => string | undefined,
) {
  const byId = orders(input);
  const used = new Map<string, number>();
  for (const l of lots) {
    const op = processOf(byId.get(l.workOrderId), l.seq);
    if (op === undefined) continue;
    const k = key(l, op.process);
    if (k !== undefined) used.set(k, (used.get(k) ?? 0) + lotMinutes(op.standardMinutes, l.quantity));
  }
  return used;
}

/** No factory's process gets more minutes in a bucket than it has free. */
export const capacityRespected: Constraint = (input, plan) => {
  const free = new Map<string, number>();
  for (const c of input.capacity)
    free.set(
      `${c.factoryId}|${c.process}|${c.bucket}`,
      (free.get(`${c.factoryId}|${c.process}|${c.bucket}`) ?? 0) + c.freeMinutes,
    );
  const used = minutesBy(input, plan.lots, (l, process) => `${l.factoryId}|${process}|${l.bucket}`);
  return [...used]
    .filter(([k, m]) => m > (free.get(k) ?? 0))
    .map(([k, m]) => `${k} uses ${m} of ${free.get(k) ?? 0} free minutes`);
};

/** Only a quota's buyer's work orders use it, at its factory, process and window. */
export const quotasUsedOnlyByBuyer: Constraint = (input, plan) => {
  const quotas = new Map(input.quotas.map((q) => [q.quotaId, q]));
  const byId = orders(input);
  return plan.lots.flatMap((l) => {
    if (l.quotaId === undefined) return [];
    const q = quotas.get(l.quotaId);
    const w = byId.get(l.workOrderId);
    const op = processOf(w, l.seq);
    if (q === undefined) return [`${l.workOrderId}#${l.seq} uses unknown quota ${l.quotaId}`];
    if (q.buyerCustomerId !== w?.customerId)
      return [
        `${l.workOrderId}#${l.seq} of ${w?.customerId ?? '?'} uses ${q.quotaId} bought by ${q.buyerCustomerId}`,
      ];
    if (
      q.factoryId !== l.factoryId ||
      q.process !== op?.process ||
      l.bucket < q.windowStart ||
      l.bucket > q.windowEnd
    )
      return [`${l.workOrderId}#${l.seq} uses ${q.quotaId} outside its factory, process or window`];
    return [];
  });
};

/** No quota gives more minutes than it has left. */
export const quotaMinutesNotExceeded: Constraint = (input, plan) => {
  const used = minutesBy(input, plan.lots, (l) => l.quotaId);
  return input.quotas.flatMap((q) => {
    const m = used.get(q.quotaId) ?? 0;
    return m > q.minutesLeft ? [`${q.quotaId} gives ${m} of ${q.minutesLeft} minutes`] : [];
  });
};

/** After everyone else's work, every quota's unused minutes still fit in its window. */
export const quotaReservationsHonoured: Constraint = (input, plan) => {
  const quotaUse = minutesBy(input, plan.lots, (l) => l.quotaId);
  const allUse = minutesBy(input, plan.lots, (l, process) => `${l.factoryId}|${process}|${l.bucket}`);
  const free = new Map<string, number>();
  for (const c of input.capacity)
    free.set(
      `${c.factoryId}|${c.process}|${c.bucket}`,
      (free.get(`${c.factoryId}|${c.process}|${c.bucket}`) ?? 0) + c.freeMinutes,
    );
  return input.quotas.flatMap((q) => {
    let slack = 0;
    for (let b = q.windowStart; b <= q.windowEnd; b++) {
      const k = `${q.factoryId}|${q.process}|${b}`;
      slack += (free.get(k) ?? 0) - (allUse.get(k) ?? 0);
    }
    const reserved = input.quotas
      .filter(
        (o) =>
          o.factoryId === q.factoryId &&
          o.process === q.process &&
          o.windowStart >= q.windowStart &&
          o.windowEnd <= q.windowEnd,
      )
      .reduce((s, o) => s + Math.max(0, o.minutesLeft - (quotaUse.get(o.quotaId) ?? 0)), 0);
    return slack < reserved
      ? [`${q.quotaId}'s window keeps ${slack} free minutes for ${reserved} reserved`]
      : [];
  });
};

/**
 * Units flow forward: an operation's units done by bucket t never exceed the previous one's by
 * t − 1. Checked where the plan placed new units: held lots are facts, not the plan's choices.
 */
export const routingOrderKept: Constraint = (input, plan) => {
  const done = new Map<string, number[]>();
  const chosen = new Set<string>();
  for (const l of plan.lots) {
    const k = `${l.workOrderId}#${l.seq}`;
    const row = done.get(k) ?? new Array<number>(input.buckets).fill(0);
    row[l.bucket] = (row[l.bucket] ?? 0) + l.quantity;
    done.set(k, row);
    if (!l.frozen) chosen.add(`${k}@${l.bucket}`);
  }
  const violations: string[] = [];
  for (const w of input.workOrders) {
    for (const op of w.routing.slice(1)) {
      const mine = done.get(`${w.workOrderId}#${op.seq}`);
      const theirs = done.get(`${w.workOrderId}#${op.seq - 1}`) ?? [];
      if (mine === undefined) continue;
      let cumMine = 0;
      let cumTheirs = 0;
      for (let t = 0; t < input.buckets; t++) {
        cumMine += mine[t] ?? 0;
        if (cumMine > cumTheirs && chosen.has(`${w.workOrderId}#${op.seq}@${t}`))
          violations.push(
            `${w.workOrderId}#${op.seq} has ${cumMine} units by bucket ${t}, operation ${op.seq - 1} only ${cumTheirs} before it`,
          );
        cumTheirs += theirs[t] ?? 0;
      }
    }
  }
  return violations;
};

/** Every lot of the current plan inside the frozen horizon, and every committed one, is in the plan unchanged. */
export const frozenLotsUntouched: Constraint = (input, plan) =>
  input.currentPlan
    .filter((l) => isHeld(l, input.parameters))
    .flatMap((l) =>
      plan.lots.some(
        (p) =>
          p.frozen &&
          p.workOrderId === l.workOrderId &&
          p.seq === l.seq &&
          p.factoryId === l.factoryId &&
          p.bucket === l.bucket &&
          p.quantity === l.quantity &&
          p.quotaId === l.quotaId,
      )
        ? []
        : [`frozen lot ${l.workOrderId}#${l.seq} at ${l.factoryId} bucket ${l.bucket} changed`],
    );

/** Every unit of every operation is placed, or reported unplaced with a reason. */
export const everyUnitPlacedOrExplained: Constraint = (input, plan) => {
  const count = new Map<string, number>();
  for (const l of plan.lots)
    count.set(`${l.workOrderId}#${l.seq}`, (count.get(`${l.workOrderId}#${l.seq}`) ?? 0) + l.quantity);
  for (const u of plan.unplaced)
    count.set(`${u.workOrderId}#${u.seq}`, (count.get(`${u.workOrderId}#${u.seq}`) ?? 0) + u.quantity);
  return input.workOrders.flatMap((w) =>
    w.routing.flatMap((op) => {
      const n = count.get(`${w.workOrderId}#${op.seq}`) ?? 0;
      return n === w.quantity
        ? []
        : [`${w.workOrderId}#${op.seq}: ${n} units placed or explained of ${w.quantity}`];
    }),
  );
};

/** At most `maxLotsPerOperation` lots per operation, and no more than one below `minLotSize`. */
export const lotLimitsKept: Constraint = (input, plan) => {
  const lots = new Map<string, PlanLot[]>();
  for (const l of plan.lots)
    lots.set(`${l.workOrderId}#${l.seq}`, [...(lots.get(`${l.workOrderId}#${l.seq}`) ?? []), l]);
  const p = input.parameters;
  return [...lots].flatMap(([k, ls]) => {
    const small = ls.filter((l) => l.quantity < p.minLotSize).length;
    return [
      ...(ls.length > p.maxLotsPerOperation ? [`${k} has ${ls.length} lots`] : []),
      ...(small > 1 ? [`${k} has ${small} lots below ${p.minLotSize} units`] : []),
    ];
  });
};

/** A unit's worst price over the routing stays within the work order's maximum. */
export const unitPriceWithinMax: Constraint = (input, plan) => {
  const worst = new Map<string, number>();
  for (const l of plan.lots)
    worst.set(
      `${l.workOrderId}#${l.seq}`,
      Math.max(worst.get(`${l.workOrderId}#${l.seq}`) ?? 0, l.unitPrice),
    );
  return input.workOrders.flatMap((w) => {
    const total = w.routing.reduce((s, op) => s + (worst.get(`${w.workOrderId}#${op.seq}`) ?? 0), 0);
    return total > w.maxUnitPrice
      ? [`${w.workOrderId} could cost ${total} a unit, above ${w.maxUnitPrice}`]
      : [];
  });
};

/** No new lot of a work order sits before the bucket its material arrives in. */
export const materialReleaseKept: Constraint = (input, plan) => {
  const release = new Map(input.workOrders.map((w) => [w.workOrderId, w.releaseBucket ?? 0]));
  return plan.lots
    .filter((l) => !l.frozen && l.bucket < (release.get(l.workOrderId) ?? 0))
    .map(
      (l) =>
        `${l.workOrderId}#${l.seq} in bucket ${l.bucket}, before its material arrives in ${release.get(l.workOrderId) ?? 0}`,
    );
};

export const CONSTRAINTS = {
  lotsOnCapableFactories,
  capacityRespected,
  quotasUsedOnlyByBuyer,
  quotaMinutesNotExceeded,
  quotaReservationsHonoured,
  routingOrderKept,
  materialReleaseKept,
  frozenLotsUntouched,
  everyUnitPlacedOrExplained,
  lotLimitsKept,
  unitPriceWithinMax,
} as const;

/** Every broken rule of a plan, by rule name; empty when the plan keeps them all. */
export function violationsOf(input: MatchInput, plan: MatchPlan): Record<string, string[]> {
  const found: Record<string, string[]> = {};
  for (const [name, check] of Object.entries(CONSTRAINTS)) {
    const v = check(input, plan);
    if (v.length > 0) found[name] = v;
  }
  return found;
}
