import { unitPriceAt, type Allocation } from '../allocate.js';
import { lotMinutes } from '../capacity.js';
import { isHeld, type MatchInput, type MatchWorkOrder } from '../model.js';
import { lotCost } from '../plan.js';

/** One operation of a work order in the relaxation. */
export interface RelaxedOperation {
  seq: number;
  process: string;
  standardMinutes: number;
  /** Units not already held. */
  left: number;
  /** Flow allowance by bucket: what held lots let this operation run ahead of the previous one. */
  allowance: number[];
}

export interface RelaxedWorkOrder {
  index: number;
  customerId: string;
  start: number;
  operations: RelaxedOperation[];
  /** Lateness of a unit finished in bucket t, and the unplaced penalty it saves. */
  lateCost: (t: number) => number;
  /** Held lots make the flow rows inhomogeneous: the Lagrangian drops them for such orders. */
  held: boolean;
}

/** Free minutes (less held lots) of one factory's process in one bucket. */
export interface RelaxedCapacity {
  factoryIndex: number;
  process: string;
  bucket: number;
  pricePerMinute: number;
  minutes: number;
}

/**
 * A quota's reservation: over its window, the minutes of work not on it or on a quota inside its
 * window stay within the window's free minutes less the minutes those quotas keep.
 */
export interface RelaxedReservation {
  /** Capacity rows (factory minutes off quota) in the window. */
  capacities: number[];
  /** Quota minutes in the window of quotas not inside it: [index in `quotas`, bucket]. */
  quotaBuckets: [number, number][];
  limit: number;
}

export interface RelaxedQuota {
  index: number;
  buyerCustomerId: string;
  process: string;
  /** Buckets it may serve, each with the capacity row it shares (-1: none, so it gives nothing there). */
  buckets: { bucket: number; capacity: number }[];
  minutes: number;
}

/**
 * The relaxation of the matching model that both bounds solve, made once from the input (pure).
 * A plan's units per (work order, operation, bucket), summed over factories, its minutes per
 * (factory, process, bucket) off quota and per (quota, bucket) on it, satisfy it, and its objective
 * there is the plan's cost less its move penalties (README, "Lower bound").
 */
export interface Relaxation {
  buckets: number;
  firstBucket: number;
  /** Cost of held lots and the unplaced penalty of every unit not already finished. */
  constant: number;
  /** Fractional standard minutes round each unit's price by up to half a fen. */
  slack: number;
  unplacedPenalty: number;
  workOrders: RelaxedWorkOrder[];
  unfinishable: number;
  /** The unplaced penalty of those orders' units: no plan avoids it. */
  unavoidablePenalty: number;
  capacity: RelaxedCapacity[];
  quotas: RelaxedQuota[];
  reservations: RelaxedReservation[];
  /** Customer × process pairs that bought a quota: their own work is counted apart. */
  buyers: Set<string>;
}

export const buyerKey = (customerId: string, process: string): string => `${customerId}\n${process}`;

/** Held lots are facts: their cost is a constant, their units, minutes and quota minutes are taken first. */
function heldLotsOf(input: MatchInput) {
  const T = input.buckets;
  const workOrders = new Map(input.workOrders.map((w) => [w.workOrderId, w]));
  const units = new Map<string, number[]>();
  const minutes = new Map<string, number>();
  const quotaMinutes = new Map<string, number>();
  const orders = new Set<string>();
  let cost = 0;
  for (const l of input.currentPlan) {
    const w = workOrders.get(l.workOrderId);
    const op = w?.routing[l.seq - 1];
    if (!isHeld(l, input.parameters) || w === undefined || op === undefined) continue;
    orders.add(w.workOrderId);
    const row = units.get(`${w.workOrderId}#${l.seq}`) ?? new Array<number>(T).fill(0);
    const b = Math.min(T - 1, l.bucket);
    row[b] = (row[b] ?? 0) + l.quantity;
    units.set(`${w.workOrderId}#${l.seq}`, row);
    const m = lotMinutes(op.standardMinutes, l.quantity);
    const key = `${l.factoryId}|${op.process}|${l.bucket}`;
    minutes.set(key, (minutes.get(key) ?? 0) + m);
    if (l.quotaId !== undefined) quotaMinutes.set(l.quotaId, (quotaMinutes.get(l.quotaId) ?? 0) + m);
    const asLot: Allocation = { ...l, costPerUnit: 0, unitPrice: 0, frozen: true };
    cost += lotCost(input, w, asLot, 0).total;
  }
  return { units, minutes, quotaMinutes, orders, cost };
}

/**
 * The rows of `quotaReservationsHonoured`: per quota, Σ over its window of (all minutes used − the
 * minutes of quotas inside it) ≤ free minutes − their minutes left. A plan's new lots off those
 * quotas take at least standard minutes × units, so the row holds for the relaxation's minutes.
 */
function reservationsOf(
  input: MatchInput,
  free: ReadonlyMap<string, number>,
  capacityAt: ReadonlyMap<string, number>,
  quotas: readonly RelaxedQuota[],
  held: ReturnType<typeof heldLotsOf>,
): RelaxedReservation[] {
  const relaxed = new Map(quotas.map((q, i) => [q.index, { i, q }]));
  return input.quotas.flatMap((q) => {
    const inside = input.quotas
      .map((o, index) => ({ o, index }))
      .filter(
        ({ o }) =>
          o.factoryId === q.factoryId &&
          o.process === q.process &&
          o.windowStart >= q.windowStart &&
          o.windowEnd <= q.windowEnd,
      );
    const insideIds = new Set(inside.map(({ index }) => index));
    let limit = 0;
    const capacities: number[] = [];
    for (let b = q.windowStart; b <= q.windowEnd; b++) {
      const key = `${q.factoryId}|${q.process}|${b}`;
      limit += (free.get(key) ?? 0) - (held.minutes.get(key) ?? 0);
      const row = capacityAt.get(key);
      if (row !== undefined) capacities.push(row);
    }
    for (const { o } of inside) limit -= o.minutesLeft - (held.quotaMinutes.get(o.quotaId) ?? 0);
    const quotaBuckets: [number, number][] = [];
    for (const [index, o] of input.quotas.entries()) {
      const r = relaxed.get(index);
      if (o.factoryId !== q.factoryId || o.process !== q.process || insideIds.has(index) || r === undefined)
        continue;
      for (const { bucket } of r.q.buckets)
        if (bucket >= q.windowStart && bucket <= q.windowEnd) quotaBuckets.push([r.i, bucket]);
    }
    // A window already over-reserved by held lots leaves no plan keeping the rules: any bound holds.
    return capacities.length + quotaBuckets.length > 0
      ? [{ capacities, quotaBuckets, limit: Math.max(0, limit) }]
      : [];
  });
}

export function relaxationOf(input: MatchInput): Relaxation {
  const p = input.parameters;
  const T = input.buckets;
  const factories = new Map(input.factories.map((f) => [f.factoryId, f]));
  const held = heldLotsOf(input);
  const { units: heldUnits, minutes: heldMinutes, quotaMinutes: heldQuota, orders: hasHeld } = held;
  let constant = held.cost;
  const heldBy = (w: string, seq: number, t: number): number =>
    (heldUnits.get(`${w}#${seq}`) ?? []).slice(0, Math.max(0, t + 1)).reduce((s, x) => s + x, 0);

  const quotasFor = new Map<string, typeof input.quotas>();
  for (const q of input.quotas) {
    const key = `${q.factoryId}|${q.process}|${q.buyerCustomerId}`;
    quotasFor.set(key, [...(quotasFor.get(key) ?? []), q]);
  }
  // Exact: a unit finishes only with a lot at every operation, each at an eligible factory, and
  // the worst prices over the routing within the maximum.
  const unfinishable = (w: MatchWorkOrder): boolean => {
    if (hasHeld.has(w.workOrderId)) return false;
    let cheapest = 0;
    for (const op of w.routing) {
      let best = Infinity;
      for (const f of input.factories) {
        if (!f.available || w.avoidFactoryIds?.includes(f.factoryId) === true) continue;
        const quotas = quotasFor.get(`${f.factoryId}|${op.process}|${w.customerId}`) ?? [];
        for (const quota of [undefined, ...quotas])
          best = Math.min(best, unitPriceAt(f, op, quota) ?? Infinity);
      }
      if (!Number.isFinite(best)) return true;
      cheapest += best;
    }
    return cheapest > w.maxUnitPrice;
  };

  let slack = 0;
  let dropped = 0;
  let unavoidable = 0;
  const relaxed: RelaxedWorkOrder[] = [];
  for (const [index, w] of input.workOrders.entries()) {
    const K = w.routing.length;
    constant += (w.quantity - heldBy(w.workOrderId, K, T)) * p.unplacedPenaltyPerUnit;
    if (unfinishable(w)) {
      dropped++;
      unavoidable += w.quantity * p.unplacedPenaltyPerUnit;
      continue;
    }
    const start = Math.max(p.frozenBuckets, w.releaseBucket ?? 0);
    const operations = w.routing.map((op) => {
      const left = Math.max(0, w.quantity - heldBy(w.workOrderId, op.seq, T));
      // A price per minute times fractional standard minutes is rounded per unit: half a fen each at most.
      if (!Number.isInteger(op.standardMinutes)) slack += 0.5 * left;
      // A plan's flow is checked only where it places new units: what held lots allow up to t.
      const allowance: number[] = [];
      let most = 0;
      for (let t = 0; t < T; t++) {
        if (op.seq > 1 && t >= start)
          most = Math.max(most, heldBy(w.workOrderId, op.seq - 1, t - 1) - heldBy(w.workOrderId, op.seq, t));
        allowance.push(most);
      }
      return { seq: op.seq, process: op.process, standardMinutes: op.standardMinutes, left, allowance };
    });
    const weight = p.latePenaltyPerUnitPerBucket * (w.priority === 'RUSH' ? p.rushWeight : 1);
    relaxed.push({
      index,
      customerId: w.customerId,
      start,
      operations,
      lateCost: (t) => Math.max(0, t - w.dueBucket) * weight,
      held: hasHeld.has(w.workOrderId),
    });
  }

  const free = new Map<string, number>();
  for (const c of input.capacity) {
    const key = `${c.factoryId}|${c.process}|${c.bucket}`;
    free.set(key, (free.get(key) ?? 0) + c.freeMinutes);
  }
  const factoryIndex = new Map(input.factories.map((f, i) => [f.factoryId, i]));
  const capacity: RelaxedCapacity[] = [];
  const capacityAt = new Map<string, number>();
  for (const [key, minutes] of [...free].sort(([a], [b]) => (a < b ? -1 : 1))) {
    const [factoryId = '', process = '', bucketText = '0'] = key.split('|');
    const bucket = Number(bucketText);
    const f = factories.get(factoryId);
    if (bucket < p.frozenBuckets || bucket >= T || f?.available !== true) continue;
    const offer = f.processes.find((o) => o.process === process);
    if (offer === undefined) continue;
    capacityAt.set(key, capacity.length);
    capacity.push({
      factoryIndex: factoryIndex.get(factoryId) ?? 0,
      process,
      bucket,
      pricePerMinute: offer.pricePerMinute,
      minutes: Math.max(0, minutes - (heldMinutes.get(key) ?? 0)),
    });
  }
  const quotas: RelaxedQuota[] = [];
  for (const [index, q] of input.quotas.entries()) {
    const f = factories.get(q.factoryId);
    if (f?.available !== true || !f.processes.some((o) => o.process === q.process)) continue;
    const buckets: RelaxedQuota['buckets'] = [];
    for (let b = Math.max(q.windowStart, p.frozenBuckets); b <= Math.min(q.windowEnd, T - 1); b++)
      buckets.push({ bucket: b, capacity: capacityAt.get(`${q.factoryId}|${q.process}|${b}`) ?? -1 });
    if (buckets.length > 0)
      quotas.push({
        index,
        buyerCustomerId: q.buyerCustomerId,
        process: q.process,
        buckets,
        minutes: Math.max(0, q.minutesLeft - (heldQuota.get(q.quotaId) ?? 0)),
      });
  }
  return {
    reservations: reservationsOf(input, free, capacityAt, quotas, held),
    buckets: T,
    firstBucket: p.frozenBuckets,
    constant,
    slack,
    unplacedPenalty: p.unplacedPenaltyPerUnit,
    workOrders: relaxed,
    unfinishable: dropped,
    unavoidablePenalty: unavoidable,
    capacity,
    quotas,
    buyers: new Set(input.quotas.map((q) => buyerKey(q.buyerCustomerId, q.process))),
  };
}

/** A bound from a relaxation's value: below it by the solver's tolerance, up to whole fen when every cost is whole. */
export function certified(value: number, relaxation: Relaxation, wholeCosts: boolean): number {
  const below = value + relaxation.constant - relaxation.slack;
  const margin = below - 1e-6 * Math.abs(below);
  return wholeCosts && relaxation.slack === 0 && Number.isInteger(relaxation.constant)
    ? Math.ceil(margin)
    : Math.floor(margin);
}
