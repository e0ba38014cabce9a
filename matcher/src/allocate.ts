import { CapacityBook, lotMinutes } from './capacity.js';
import {
  isHeld,
  type MatchFactory,
  type MatchInput,
  type MatchQuota,
  type MatchWorkOrder,
  type Operation,
  type PlannedLot,
  type UnplacedReason,
} from './model.js';

/**
 * The most units (at most `limit`) whose lot fits in `minutes`. Found by bisection: a count from
 * division alone is unbounded for a tiny standard time (a customer's 5e-324 minutes made it
 * Infinity, and counting down from there never ended).
 */
export function mostUnitsWithin(standardMinutes: number, minutes: number, limit: number): number {
  const byDivision = Math.floor(minutes / standardMinutes + 1e-9);
  let low = 0;
  let high = Math.max(
    0,
    Math.min(
      Number.isFinite(limit) ? Math.floor(limit) : Number.MAX_SAFE_INTEGER,
      Number.isFinite(byDivision) ? byDivision + 1 : Number.MAX_SAFE_INTEGER,
    ),
  );
  while (low < high) {
    const mid = low + Math.ceil((high - low) / 2);
    if (lotMinutes(standardMinutes, mid) <= minutes) low = mid;
    else high = mid - 1;
  }
  return low;
}

/** A place one operation's units can go: a factory, a bucket, and the quota they would use (if any). */
export interface Slot {
  factoryId: string;
  bucket: number;
  quota?: MatchQuota;
}

export interface Allocation extends PlannedLot {
  /** Cost per unit the objective counts for these units (processing + lateness + move). */
  costPerUnit: number;
  unitPrice: number;
  frozen: boolean;
  nextBest?: { factoryId: string; bucket: number; costPerUnit: number };
}

export interface AllocationResult {
  allocations: Allocation[];
  unplaced: { workOrderId: string; seq: number; quantity: number; reason: UnplacedReason }[];
}

export interface AllocateOptions {
  /** Work orders in the order they are placed. */
  order: (workOrders: readonly MatchWorkOrder[]) => MatchWorkOrder[];
  /** Keep enough buckets after each operation for the operations that follow. */
  lookahead: boolean;
  /**
   * The greedy baseline's plain rule: each slot by its own cost only, and units the later
   * operations cannot take left where they are (what the engine improves on, measured against).
   */
  baseline?: boolean;
  /** Lots that stay where they are whatever their bucket (a what-if keeps the rest of the plan). */
  fixedLots?: readonly PlannedLot[];
  /** Skip a cheap small lot when the lots left could not carry the rest (costs a scan per choice). */
  lotBudget?: boolean;
}

const slotKey = (f: string, b: number, q?: string): string => `${f}|${b}|${q ?? ''}`;
const NO_QUOTA: readonly undefined[] = [undefined];

/**
 * The per-unit price a customer pays for an operation at a slot: the quota's locked price, else
 * the list price (an award's own lots, at the bid's price, are the chaincode's).
 */
export function unitPriceAt(
  factory: MatchFactory,
  op: Operation,
  quota: MatchQuota | undefined,
): number | undefined {
  const offer = factory.processes.find((p) => p.process === op.process);
  if (offer === undefined) return undefined;
  return Math.round((quota?.pricePerMinute ?? offer.pricePerMinute) * op.standardMinutes);
}

/**
 * Per-unit cost of a slot in the objective: processing at the list price unless a quota the
 * customer bought pays for it (already paid: free at the margin), lateness for the last
 * operation, and a move penalty for units that leave where the current plan had them.
 */
export function slotCostPerUnit(
  input: MatchInput,
  workOrder: MatchWorkOrder,
  op: Operation,
  factory: MatchFactory,
  slot: Slot,
  stayingRoom: number,
): number {
  const p = input.parameters;
  const offer = factory.processes.find((o) => o.process === op.process);
  const processing =
    slot.quota !== undefined || offer === undefined
      ? 0
      : Math.round(offer.pricePerMinute * op.standardMinutes);
  const last = op.seq === workOrder.routing.length;
  const late = last ? Math.max(0, slot.bucket - workOrder.dueBucket) : 0;
  const lateness = late * p.latePenaltyPerUnitPerBucket * (workOrder.priority === 'RUSH' ? p.rushWeight : 1);
  const moves = stayingRoom > 0 ? 0 : p.movePenaltyPerUnit;
  return processing + lateness + moves;
}

/**
 * The state of a plan being built: capacity and quota use, units placed per operation and bucket,
 * lots per operation and the worst unit price of each. Work orders are placed one at a time, each
 * operation in routing order, on the cheapest slots first, within: capacity and quota rules
 * (CapacityBook), units flowing forward (an operation's units in a bucket never exceed what the
 * previous operation finished in earlier buckets), at most `maxLotsPerOperation` lots and none
 * below `minLotSize` except the remainder, and a worst unit price over the routing within the
 * order's maximum. Lots can be fixed in place (frozen, or kept by a what-if) and released again.
 */
export class Dispatcher {
  readonly book: CapacityBook;
  private readonly factories: Map<string, MatchFactory>;
  private readonly workOrders: Map<string, MatchWorkOrder>;
  private readonly placedByBucket = new Map<string, number[]>();
  private readonly lotCount = new Map<string, number>();
  private readonly prices = new Map<string, number[]>();
  private readonly current = new Map<string, Map<string, number>>();
  private readonly capableOf = new Map<string, MatchFactory[]>();
  private readonly cheapestPerMinute = new Map<string, number>();
  /** Orders with lots held where they are: their units are facts the trimming leaves alone. */
  private readonly fixedOrders = new Set<string>();

  constructor(private readonly input: MatchInput) {
    this.book = new CapacityBook(input);
    this.factories = new Map(input.factories.map((f) => [f.factoryId, f]));
    this.workOrders = new Map(input.workOrders.map((w) => [w.workOrderId, w]));
    for (const f of input.factories) {
      if (!f.available) continue;
      for (const o of f.processes) {
        this.capableOf.set(o.process, [...(this.capableOf.get(o.process) ?? []), f]);
        this.cheapestPerMinute.set(
          o.process,
          Math.min(this.cheapestPerMinute.get(o.process) ?? Infinity, o.pricePerMinute),
        );
      }
    }
  }

  /** Where the current plan had each operation's units (outside the frozen horizon): moving them costs. */
  rememberCurrentPlan(lots: readonly PlannedLot[]): void {
    for (const lot of lots) {
      const k = opKey(lot.workOrderId, lot.seq);
      const slots = this.current.get(k) ?? new Map<string, number>();
      const key = slotKey(lot.factoryId, lot.bucket, lot.quotaId);
      slots.set(key, (slots.get(key) ?? 0) + lot.quantity);
      this.current.set(k, slots);
    }
  }

  /** Holds a lot where it is (frozen, or kept as it was); returns it as an allocation. */
  fix(lot: PlannedLot, frozen: boolean): Allocation | undefined {
    const workOrder = this.workOrders.get(lot.workOrderId);
    const op = workOrder?.routing[lot.seq - 1];
    const factory = this.factories.get(lot.factoryId);
    if (workOrder === undefined || op === undefined || factory === undefined) return undefined;
    const quota = lot.quotaId === undefined ? undefined : this.book.quotas.get(lot.quotaId);
    const allocation: Allocation = {
      workOrderId: lot.workOrderId,
      seq: lot.seq,
      factoryId: lot.factoryId,
      bucket: lot.bucket,
      quantity: lot.quantity,
      ...(lot.quotaId === undefined ? {} : { quotaId: lot.quotaId }),
      costPerUnit: slotCostPerUnit(
        this.input,
        workOrder,
        op,
        factory,
        { factoryId: lot.factoryId, bucket: lot.bucket, ...(quota ? { quota } : {}) },
        1,
      ),
      unitPrice: unitPriceAt(factory, op, quota) ?? 0,
      frozen,
    };
    this.place(allocation, op);
    this.fixedOrders.add(lot.workOrderId);
    return allocation;
  }

  /** Gives back what a lot held, as if it had never been placed. */
  release(lot: Allocation): void {
    const op = this.workOrders.get(lot.workOrderId)?.routing[lot.seq - 1];
    if (op === undefined) return;
    this.book.use(
      lot.factoryId,
      op.process,
      lot.bucket,
      -lotMinutes(op.standardMinutes, lot.quantity),
      lot.quotaId,
    );
    const k = opKey(lot.workOrderId, lot.seq);
    const row = this.placedByBucket.get(k);
    if (row !== undefined) row[lot.bucket] = (row[lot.bucket] ?? 0) - lot.quantity;
    this.lotCount.set(k, (this.lotCount.get(k) ?? 1) - 1);
    const prices = this.prices.get(k) ?? [];
    const at = prices.indexOf(lot.unitPrice);
    if (at >= 0) prices.splice(at, 1);
  }

  private place(a: Allocation, op: Operation): void {
    this.book.use(a.factoryId, op.process, a.bucket, lotMinutes(op.standardMinutes, a.quantity), a.quotaId);
    const k = opKey(a.workOrderId, a.seq);
    const row = this.placedByBucket.get(k) ?? new Array<number>(this.input.buckets).fill(0);
    row[a.bucket] = (row[a.bucket] ?? 0) + a.quantity;
    this.placedByBucket.set(k, row);
    this.lotCount.set(k, (this.lotCount.get(k) ?? 0) + 1);
    this.prices.set(k, [...(this.prices.get(k) ?? []), a.unitPrice]);
  }

  private worstPrice(k: string): number {
    return Math.max(0, ...(this.prices.get(k) ?? []));
  }

  /** Places what is left of a work order's operations; returns the new lots and what could not be placed. */
  placeWorkOrder(
    workOrder: MatchWorkOrder,
    options: { lookahead: boolean; fromBucket?: number; lotBudget?: boolean; baseline?: boolean },
  ): AllocationResult {
    const input = this.input;
    const p = input.parameters;
    const book = this.book;
    const allocations: Allocation[] = [];
    const unplaced: AllocationResult['unplaced'] = [];
    const K = workOrder.routing.length;
    const firstBucket = Math.max(p.frozenBuckets, options.fromBucket ?? 0, workOrder.releaseBucket ?? 0);
    const lateWeight = p.latePenaltyPerUnitPerBucket * (workOrder.priority === 'RUSH' ? p.rushWeight : 1);
    // A routing with an operation no factory offers can finish no unit: placing its other
    // operations would spend capacity and money on work that can never be delivered. Every
    // operation's units not yet placed stay unplaced, for the missing process's reason.
    const avoided = workOrder.avoidFactoryIds ?? [];
    const impossible = workOrder.routing.some((op) =>
      (this.capableOf.get(op.process) ?? []).every((f) => avoided.includes(f.factoryId)),
    );
    if (impossible) {
      for (const op of workOrder.routing) {
        const placed = (this.placedByBucket.get(opKey(workOrder.workOrderId, op.seq)) ?? []).reduce(
          (a, b) => a + b,
          0,
        );
        if (workOrder.quantity - placed > 0)
          unplaced.push({
            workOrderId: workOrder.workOrderId,
            seq: op.seq,
            quantity: workOrder.quantity - placed,
            reason: 'NO_CAPABLE_FACTORY',
          });
      }
      return { allocations, unplaced };
    }
    for (const op of workOrder.routing) {
      const k = opKey(workOrder.workOrderId, op.seq);
      if (!this.placedByBucket.has(k)) this.placedByBucket.set(k, new Array<number>(input.buckets).fill(0));
      const placedRow = this.placedByBucket.get(k) ?? [];
      let remaining = workOrder.quantity - placedRow.reduce((a, b) => a + b, 0);
      if (remaining <= 0) continue;
      const previous =
        op.seq > 1 ? this.placedByBucket.get(opKey(workOrder.workOrderId, op.seq - 1)) : undefined;
      const avoid = workOrder.avoidFactoryIds ?? [];
      const capable = (this.capableOf.get(op.process) ?? []).filter((f) => !avoid.includes(f.factoryId));
      if (capable.length === 0) {
        unplaced.push({
          workOrderId: workOrder.workOrderId,
          seq: op.seq,
          quantity: remaining,
          reason: 'NO_CAPABLE_FACTORY',
        });
        continue;
      }
      // Price budget: what earlier operations' worst lots cost, and the least the later ones can.
      const spent = workOrder.routing
        .slice(0, op.seq - 1)
        .reduce((s, o) => s + this.worstPrice(opKey(workOrder.workOrderId, o.seq)), 0);
      const cheapestLater = workOrder.routing
        .slice(op.seq)
        .reduce(
          (s, o) => s + Math.round((this.cheapestPerMinute.get(o.process) ?? 0) * o.standardMinutes),
          0,
        );
      const priceCap = workOrder.maxUnitPrice - spent - cheapestLater;
      const lastBucket = options.lookahead ? input.buckets - 1 - (K - op.seq) : input.buckets - 1;
      const candidates: {
        slot: Slot;
        cost: number;
        price: number;
        score: number;
        rows: ReturnType<CapacityBook['rowsOf']>;
      }[] = [];
      let priceExcluded = false;
      const had = this.current.get(k);
      for (const factory of capable) {
        const rows = book.rowsOf(factory.factoryId, op.process);
        const quotas = rows.quotas.filter((q) => q.buyerCustomerId === workOrder.customerId);
        for (let b = firstBucket; b <= lastBucket; b++) {
          // A full slot is no candidate (the book's quick test, before any object is made).
          if ((rows.free[b] ?? 0) - (rows.used[b] ?? 0) < op.standardMinutes) continue;
          const choices =
            quotas.length === 0
              ? NO_QUOTA
              : [undefined, ...quotas.filter((q) => b >= q.windowStart && b <= q.windowEnd)];
          for (const quota of choices) {
            const price = unitPriceAt(factory, op, quota) ?? Infinity;
            if (price > priceCap) {
              priceExcluded = true;
              continue;
            }
            const slot: Slot = { factoryId: factory.factoryId, bucket: b, ...(quota ? { quota } : {}) };
            // Units with no current place cannot move; those that had one move unless they stay.
            const staying =
              had === undefined ? Infinity : (had.get(slotKey(factory.factoryId, b, quota?.quotaId)) ?? 0);
            const cost = slotCostPerUnit(input, workOrder, op, factory, slot, staying);
            // An earlier operation in bucket b lets the last finish in b + (operations left) at the
            // soonest: that lateness is this slot's doing too. Earlier buckets break ties, so that
            // later operations keep room.
            const induced =
              op.seq < K && options.baseline !== true
                ? lateWeight * Math.max(0, b + K - op.seq - workOrder.dueBucket)
                : 0;
            const score = cost + induced + b * 1e-3;
            candidates.push({ slot, cost, price, score, rows });
          }
        }
      }
      candidates.sort(
        (x, y) =>
          x.score - y.score ||
          (x.slot.factoryId < y.slot.factoryId ? -1 : x.slot.factoryId > y.slot.factoryId ? 1 : 0) ||
          (x.slot.quota?.quotaId ?? '').localeCompare(y.slot.quota?.quotaId ?? ''),
      );
      // Units this operation may still take in bucket b without overtaking the previous operation:
      // min over t ≥ b of (previous done by t − 1) − (this done by t), kept as a suffix minimum.
      const flowCap = new Array<number>(input.buckets).fill(Infinity);
      const refreshFlow = (): void => {
        if (previous === undefined) return;
        let cumPrev = 0;
        let cumMine = 0;
        const slackAt = new Array<number>(input.buckets);
        for (let t = 0; t < input.buckets; t++) {
          cumMine += placedRow[t] ?? 0;
          slackAt[t] = cumPrev - cumMine;
          cumPrev += previous[t] ?? 0;
        }
        let room = Infinity;
        for (let t = input.buckets - 1; t >= 0; t--) {
          room = Math.min(room, slackAt[t] ?? 0);
          flowCap[t] = Math.max(0, room);
        }
      };
      refreshFlow();
      const maxUnits = (c: (typeof candidates)[number]): number => {
        const flow = flowCap[c.slot.bucket] ?? 0;
        if (flow <= 0) return 0;
        const minutes = book.headroom(c.slot.factoryId, op.process, c.slot.bucket, c.slot.quota, c.rows);
        return mostUnitsWithin(op.standardMinutes, minutes, flow);
      };
      for (const pass of ['whole', 'partial'] as const) {
        for (let i = 0; i < candidates.length && remaining > 0; i++) {
          const c = candidates[i];
          if (c === undefined) continue;
          const lots = this.lotCount.get(k) ?? 0;
          if (lots >= p.maxLotsPerOperation) break;
          const units = Math.min(remaining, maxUnits(c));
          if (units <= 0) continue;
          const isLastLot = lots === p.maxLotsPerOperation - 1;
          if (units < remaining && units < p.minLotSize) continue;
          if (pass === 'whole' && isLastLot && units < remaining) continue;
          // Lot budget: a cheap but small lot is no bargain if the lots left cannot then carry the rest.
          if (pass === 'whole' && options.lotBudget === true && units < remaining) {
            const lotsAfter = p.maxLotsPerOperation - lots - 1;
            const room = candidates
              .filter(
                (d) => d !== c && (d.slot.factoryId !== c.slot.factoryId || d.slot.bucket !== c.slot.bucket),
              )
              .map(maxUnits)
              .sort((a, b) => b - a)
              .slice(0, lotsAfter)
              .reduce((sum, u) => sum + u, 0);
            if (room < remaining - units) continue;
          }
          let next: (typeof candidates)[number] | undefined;
          for (let j = i + 1; j < candidates.length && next === undefined; j++) {
            const d = candidates[j];
            if (
              d !== undefined &&
              (d.slot.factoryId !== c.slot.factoryId || d.slot.bucket !== c.slot.bucket) &&
              maxUnits(d) > 0
            )
              next = d;
          }
          const allocation: Allocation = {
            workOrderId: workOrder.workOrderId,
            seq: op.seq,
            factoryId: c.slot.factoryId,
            bucket: c.slot.bucket,
            quantity: units,
            ...(c.slot.quota ? { quotaId: c.slot.quota.quotaId } : {}),
            costPerUnit: c.cost,
            unitPrice: c.price,
            frozen: false,
            ...(next === undefined
              ? {}
              : {
                  nextBest: {
                    factoryId: next.slot.factoryId,
                    bucket: next.slot.bucket,
                    costPerUnit: next.cost,
                  },
                }),
          };
          this.place(allocation, op);
          allocations.push(allocation);
          remaining -= units;
          refreshFlow();
        }
      }
      if (remaining > 0) {
        const reason: UnplacedReason =
          candidates.length === 0 && priceExcluded ? 'PRICE_ABOVE_MAX' : 'NO_CAPACITY_IN_HORIZON';
        unplaced.push({ workOrderId: workOrder.workOrderId, seq: op.seq, quantity: remaining, reason });
      }
    }
    if (options.baseline !== true) this.trimUnfinished(workOrder, allocations, unplaced);
    return { allocations, unplaced };
  }

  /**
   * Gives back the earlier operations' units that the later ones could not take: a unit whose
   * routing cannot finish in the horizon would only spend capacity and money. From the last
   * operation back, each operation keeps as many units as the next one has, giving back its
   * latest new lots first (so flow still holds: every bucket keeps at least as many done units as
   * the next operation needs by then). A lot is cut only where no second lot below the minimum
   * size would result; otherwise that operation keeps the rest.
   */
  private trimUnfinished(
    workOrder: MatchWorkOrder,
    allocations: Allocation[],
    unplaced: AllocationResult['unplaced'],
  ): void {
    const totalOf = (seq: number): number =>
      (this.placedByBucket.get(opKey(workOrder.workOrderId, seq)) ?? []).reduce((a, b) => a + b, 0);
    const K = workOrder.routing.length;
    const lastReason = unplaced.find((u) => u.seq === K)?.reason;
    if (lastReason === undefined || this.fixedOrders.has(workOrder.workOrderId)) return;
    const minLot = this.input.parameters.minLotSize;
    for (let seq = K - 1; seq >= 1; seq--) {
      let excess = totalOf(seq) - totalOf(seq + 1);
      const mine = allocations
        .filter((a) => a.seq === seq)
        .sort((a, b) => b.bucket - a.bucket || compareLots(b, a));
      let cut = 0;
      for (const lot of mine) {
        if (excess <= 0) break;
        const keep = lot.quantity - Math.min(lot.quantity, excess);
        const small = mine.filter((o) => o !== lot && o.quantity < minLot).length;
        if (keep > 0 && keep < minLot && small > 0) break;
        const op = workOrder.routing[seq - 1];
        if (op === undefined) break;
        this.release(lot);
        allocations.splice(allocations.indexOf(lot), 1);
        cut += lot.quantity - keep;
        excess -= lot.quantity - keep;
        if (keep > 0) {
          const kept = { ...lot, quantity: keep };
          this.place(kept, op);
          allocations.push(kept);
          mine[mine.indexOf(lot)] = kept;
        }
      }
      if (cut === 0) continue;
      const entry = unplaced.find((u) => u.seq === seq);
      if (entry === undefined)
        unplaced.push({ workOrderId: workOrder.workOrderId, seq, quantity: cut, reason: lastReason });
      else entry.quantity += cut;
    }
  }
}

const opKey = (w: string, seq: number): string => `${w}#${seq}`;

/** Places every work order in the given order, after holding the current plan's frozen lots (or the given fixed ones). */
export function allocate(input: MatchInput, options: AllocateOptions): AllocationResult {
  const dispatcher = new Dispatcher(input);
  const allocations: Allocation[] = [];
  const unplaced: AllocationResult['unplaced'] = [];
  if (options.fixedLots !== undefined) {
    for (const lot of [...options.fixedLots].sort(compareLots)) {
      const a = dispatcher.fix(lot, isHeld(lot, input.parameters));
      if (a !== undefined) allocations.push(a);
    }
  } else {
    const sorted = [...input.currentPlan].sort(compareLots);
    for (const lot of sorted.filter((l) => isHeld(l, input.parameters))) {
      const a = dispatcher.fix(lot, true);
      if (a !== undefined) allocations.push(a);
    }
    dispatcher.rememberCurrentPlan(sorted.filter((l) => !isHeld(l, input.parameters)));
  }
  for (const workOrder of options.order(input.workOrders)) {
    const result = dispatcher.placeWorkOrder(workOrder, {
      lookahead: options.lookahead,
      ...(options.lotBudget === true ? { lotBudget: true } : {}),
      ...(options.baseline === true ? { baseline: true } : {}),
    });
    allocations.push(...result.allocations);
    unplaced.push(...result.unplaced);
  }
  return { allocations, unplaced };
}

export function compareLots(a: PlannedLot, b: PlannedLot): number {
  return (
    (a.workOrderId < b.workOrderId ? -1 : a.workOrderId > b.workOrderId ? 1 : 0) ||
    a.seq - b.seq ||
    a.bucket - b.bucket ||
    (a.factoryId < b.factoryId ? -1 : a.factoryId > b.factoryId ? 1 : 0) ||
    (a.quotaId ?? '').localeCompare(b.quotaId ?? '')
  );
}
