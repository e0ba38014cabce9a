import type { LowerBound } from '../bound.js';
import { buyerKey, certified, type RelaxedWorkOrder, type Relaxation } from './relaxation.js';

interface PricedOperation {
  seq: number;
  left: number;
  standardMinutes: number;
  /** Index of its process, and of its customer's quota rows for that process (−1: none). */
  p: number;
  b: number;
}

/**
 * The relaxation's dual function at multipliers λ (per process and bucket: the price of a minute)
 * and μ (per buyer, process and bucket: what a quota minute of the buyer's own is worth), and its
 * subgradient. Each part is solved exactly: a factory minute sells when its price is below λ; a
 * quota's minutes go to the buckets where they beat the factory's own use (each quota alone on its
 * capacity, a relaxation when two share one); each work order's units take their cheapest path
 * through the buckets (operations in order, one bucket apart), or stay unplaced.
 */
class DualFunction {
  readonly lambda: Float64Array;
  readonly mu: Float64Array;
  readonly gLambda: Float64Array;
  readonly gMu: Float64Array;
  /** μ lives only where a buyer's quota can give minutes; elsewhere its row does not exist. */
  readonly muExists: Uint8Array;
  private readonly T: number;
  private readonly processIndex = new Map<string, number>();
  private readonly buyerIndex = new Map<string, number>();
  private readonly operations: PricedOperation[][];
  private readonly own: Float64Array;
  private readonly path: Int32Array;

  constructor(private readonly relaxation: Relaxation) {
    this.T = relaxation.buckets;
    const T = this.T;
    const indexOf = (into: Map<string, number>, key: string): number => {
      const known = into.get(key);
      if (known !== undefined) return known;
      into.set(key, into.size);
      return into.size - 1;
    };
    for (const c of relaxation.capacity) indexOf(this.processIndex, c.process);
    for (const q of relaxation.quotas) indexOf(this.buyerIndex, buyerKey(q.buyerCustomerId, q.process));
    this.operations = relaxation.workOrders.map((w) =>
      w.operations.map((op) => ({
        seq: op.seq,
        left: op.left,
        standardMinutes: op.standardMinutes,
        p: indexOf(this.processIndex, op.process),
        b: this.buyerIndex.get(buyerKey(w.customerId, op.process)) ?? -1,
      })),
    );
    this.lambda = new Float64Array(this.processIndex.size * T);
    this.gLambda = new Float64Array(this.lambda.length);
    this.mu = new Float64Array(this.buyerIndex.size * T);
    this.gMu = new Float64Array(this.mu.length);
    this.muExists = new Uint8Array(this.mu.length);
    for (const q of relaxation.quotas)
      for (const { bucket } of q.buckets)
        this.muExists[this.buyerOf(q.buyerCustomerId, q.process) * T + bucket] = 1;
    this.own = new Float64Array(relaxation.capacity.length);
    this.path = new Int32Array(Math.max(1, ...this.operations.map((o) => o.length)) * T);
    // Start at each process's cheapest price per minute: the market's floor.
    this.lambda.fill(Infinity);
    for (const c of relaxation.capacity) {
      const base = this.processOf(c.process) * T;
      for (let t = 0; t < T; t++)
        this.lambda[base + t] = Math.min(this.lambda[base + t] ?? Infinity, c.pricePerMinute);
    }
    for (let i = 0; i < this.lambda.length; i++)
      if (!Number.isFinite(this.lambda[i] ?? 0)) this.lambda[i] = 0;
  }

  private processOf(process: string): number {
    return this.processIndex.get(process) ?? 0;
  }

  private buyerOf(customerId: string, process: string): number {
    return this.buyerIndex.get(buyerKey(customerId, process)) ?? 0;
  }

  private add(into: Float64Array, i: number, x: number): void {
    into[i] = (into[i] ?? 0) + x;
  }

  /** What a unit of an operation pays for its minutes in bucket t. */
  private price(op: PricedOperation, t: number): number {
    const i = op.b * this.T + t;
    const quota = op.b >= 0 && this.muExists[i] === 1 ? (this.mu[i] ?? 0) : 0;
    return op.standardMinutes * ((this.lambda[op.p * this.T + t] ?? 0) - quota);
  }

  /** Records that `units` of an operation use bucket t: the subgradient's demand side. */
  private use(op: PricedOperation, t: number, units: number): void {
    this.add(this.gLambda, op.p * this.T + t, op.standardMinutes * units);
    if (op.b >= 0 && this.muExists[op.b * this.T + t] === 1)
      this.add(this.gMu, op.b * this.T + t, -op.standardMinutes * units);
  }

  /** The dual function's value (without the relaxation's constant), filling the subgradient. */
  evaluate(): number {
    this.gLambda.fill(0);
    this.gMu.fill(0);
    let value = this.factories() + this.quotas();
    for (const [i, w] of this.relaxation.workOrders.entries()) {
      const ops = this.operations[i] ?? [];
      value += w.held ? this.heldOrder(w, ops) : this.order(w, ops);
    }
    return value;
  }

  private factories(): number {
    let value = 0;
    for (const [i, c] of this.relaxation.capacity.entries()) {
      const at = this.processOf(c.process) * this.T + c.bucket;
      const perMinute = Math.min(0, c.pricePerMinute - (this.lambda[at] ?? 0));
      this.own[i] = perMinute;
      value += perMinute * c.minutes;
      if (perMinute < 0) this.add(this.gLambda, at, -c.minutes);
    }
    return value;
  }

  private quotas(): number {
    let value = 0;
    const T = this.T;
    for (const q of this.relaxation.quotas) {
      const pi = this.processOf(q.process);
      const bi = this.buyerOf(q.buyerCustomerId, q.process);
      const gains = q.buckets
        .filter(({ capacity }) => capacity >= 0)
        .map(({ bucket, capacity }) => ({
          bucket,
          sold: (this.own[capacity] ?? 0) < 0,
          gain:
            (this.own[capacity] ?? 0) -
            ((this.mu[bi * T + bucket] ?? 0) - (this.lambda[pi * T + bucket] ?? 0)),
          minutes: this.relaxation.capacity[capacity]?.minutes ?? 0,
        }))
        .filter((g) => g.gain > 0)
        .sort((a, b) => b.gain - a.gain || a.bucket - b.bucket);
      let left = q.minutes;
      for (const g of gains) {
        const take = Math.min(left, g.minutes);
        left -= take;
        value -= g.gain * take;
        // The minutes leave the factory's own use (if it sold them) for the quota.
        if (!g.sold) this.add(this.gLambda, pi * T + g.bucket, -take);
        this.add(this.gMu, bi * T + g.bucket, take);
      }
    }
    return value;
  }

  /** An order with held lots: each operation alone (its flow rows dropped, a relaxation). */
  private heldOrder(w: RelaxedWorkOrder, ops: readonly PricedOperation[]): number {
    let value = 0;
    for (const op of ops) {
      const last = op.seq === ops.length;
      let min = 0;
      let at = -1;
      for (let t = w.start; t < this.T; t++) {
        const c = this.price(op, t) + (last ? w.lateCost(t) - this.relaxation.unplacedPenalty : 0);
        if (c < min) [min, at] = [c, t];
      }
      if (at < 0) continue;
      value += min * op.left;
      this.use(op, at, op.left);
    }
    return value;
  }

  /**
   * An order's cheapest path per unit: operations 1..k done in increasing buckets (a prefix of the
   * routing, possibly empty), the last with its lateness less the unplaced penalty it saves. The
   * unit polytope of the flow rows has whole-numbered vertices, so a path is optimal.
   */
  private order(w: RelaxedWorkOrder, ops: readonly PricedOperation[]): number {
    const T = this.T;
    let previous = new Float64Array(T);
    let stopCost = 0;
    let stopAt = 0;
    for (const [k, op] of ops.entries()) {
      const last = k === ops.length - 1;
      const best = new Float64Array(T).fill(Infinity);
      let runMin = Infinity;
      let runAt = -1;
      for (let t = w.start + k; t < T; t++) {
        const before = k === 0 ? 0 : (previous[t - 1] ?? Infinity);
        const c = before + this.price(op, t) + (last ? w.lateCost(t) - this.relaxation.unplacedPenalty : 0);
        if (c < runMin) [runMin, runAt] = [c, t];
        best[t] = runMin;
        this.path[k * T + t] = runAt;
      }
      for (let t = 0; t < w.start + k && t < T; t++) this.path[k * T + t] = -1;
      previous = best;
      if ((best[T - 1] ?? Infinity) < stopCost) [stopCost, stopAt] = [best[T - 1] ?? 0, k + 1];
    }
    if (stopAt === 0) return 0;
    const units = Math.min(...ops.slice(0, stopAt).map((op) => op.left));
    // Walk the path back from the last operation done.
    let t = T - 1;
    for (let k = stopAt - 1; k >= 0; k--) {
      const at = this.path[k * T + t] ?? -1;
      const op = ops[k];
      if (at < 0 || op === undefined) break;
      this.use(op, at, units);
      t = at - 1;
    }
    return stopCost * units;
  }

  /** The subgradient's squared length over the directions the multipliers can move. */
  norm(): number {
    let norm = 0;
    for (const [m, g] of [
      [this.lambda, this.gLambda],
      [this.mu, this.gMu],
    ] as const)
      for (let i = 0; i < g.length; i++) {
        const x = g === this.gMu && this.muExists[i] !== 1 ? 0 : (g[i] ?? 0);
        // A multiplier at zero pushed below zero stays there: that direction does not count.
        if ((m[i] ?? 0) > 0 || x > 0) norm += x * x;
      }
    return norm;
  }

  move(size: number): void {
    for (let i = 0; i < this.lambda.length; i++)
      this.lambda[i] = Math.max(0, (this.lambda[i] ?? 0) + size * (this.gLambda[i] ?? 0));
    for (let i = 0; i < this.mu.length; i++)
      if (this.muExists[i] === 1) this.mu[i] = Math.max(0, (this.mu[i] ?? 0) + size * (this.gMu[i] ?? 0));
  }
}

/**
 * The relaxation's Lagrangian dual, for instances whose LP takes too long: the rows that tie work
 * orders together (minutes per process and bucket, a buyer's quota minutes) move into the
 * objective with multipliers, and what is left splits into small problems solved exactly
 * (`DualFunction`). By weak duality its value is a lower bound for ANY multipliers ≥ 0, so the
 * bound is certified whatever the search found; a subgradient search with Polyak steps toward
 * `target` (a plan's cost) raises it, for a fixed number of iterations: same input, same bound.
 */
export function lagrangianBound(relaxation: Relaxation, target: number, iterations: number): LowerBound {
  const t0 = performance.now();
  const dual = new DualFunction(relaxation);
  let best = -Infinity;
  let step = 2;
  let sinceBest = 0;
  let iteration = 0;
  for (; iteration < iterations; iteration++) {
    const value = dual.evaluate();
    if (value > best) [best, sinceBest] = [value, 0];
    else if (++sinceBest >= 20) [step, sinceBest] = [step / 2, 0];
    const norm = dual.norm();
    if (norm === 0) break;
    dual.move((step * Math.max(1, target - relaxation.constant - value)) / norm);
  }
  return {
    bound: certified(best, relaxation, false),
    method: 'lagrangian',
    status: `${iteration} iterations`,
    columns: dual.lambda.length + dual.mu.length,
    rows: 0,
    unfinishable: relaxation.unfinishable,
    unavoidablePenalty: relaxation.unavoidablePenalty,
    millis: performance.now() - t0,
  };
}
