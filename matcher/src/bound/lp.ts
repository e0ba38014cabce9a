import { highs } from '../highs.js';
import type { LowerBound } from '../bound.js';
import { buyerKey, certified, type RelaxedWorkOrder, type Relaxation } from './relaxation.js';

type Terms = Map<string, number>;

const term = (c: number, name: string): string => `${c >= 0 ? '+' : '-'} ${Math.abs(c)} ${name}`;

/** The LP's text as it is built: objective terms, rows, bounds, and the minutes demanded and supplied. */
class LpText {
  readonly objective: Terms = new Map();
  readonly rows: string[] = [];
  readonly bounds: string[] = [];
  /** Units' minutes per process and bucket, and per buyer, process and bucket. */
  readonly demand = new Map<string, Terms>();
  readonly buyerDemand = new Map<string, Terms>();
  /** Minutes on offer per process and bucket; quota minutes per capacity row and per buyer. */
  readonly supply = new Map<string, string[]>();
  readonly onCapacity = new Map<number, string[]>();
  readonly buyerQuota = new Map<string, string[]>();

  cost(name: string, c: number): void {
    if (c !== 0) this.objective.set(name, (this.objective.get(name) ?? 0) + c);
  }

  demandOf(into: Map<string, Terms>, key: string, name: string, c: number): void {
    const terms = into.get(key) ?? new Map<string, number>();
    terms.set(name, (terms.get(name) ?? 0) + c);
    into.set(key, terms);
  }

  append<K>(into: Map<K, string[]>, key: K, name: string): void {
    const list = into.get(key);
    if (list === undefined) into.set(key, [name]);
    else list.push(name);
  }
}

/** Cumulative units of one operation by bucket: never decreasing, within the units left, flowing. */
function operationColumns(
  relaxation: Relaxation,
  lp: LpText,
  w: RelaxedWorkOrder,
  op: RelaxedWorkOrder['operations'][number],
): void {
  const T = relaxation.buckets;
  const k = op.seq;
  const last = k === w.operations.length;
  const Y = (seq: number, t: number): string => `y${w.index}_${seq}_${t}`;
  const buyer = relaxation.buyers.has(buyerKey(w.customerId, op.process));
  const s = op.standardMinutes;
  for (let t = w.start; t < T; t++) {
    const y = Y(k, t);
    lp.bounds.push(`0 <= ${y} <= ${op.left}`);
    if (t > w.start) lp.rows.push(`m${y}: ${y} - ${Y(k, t - 1)} >= 0`);
    const ahead = op.allowance[t] ?? 0;
    if (k > 1)
      lp.rows.push(
        t - 1 >= w.start ? `f${y}: ${y} - ${Y(k - 1, t - 1)} <= ${ahead}` : `f${y}: ${y} <= ${ahead}`,
      );
    // Y(t) − Y(t−1) units are done in bucket t: s minutes in bucket t, −s in bucket t+1.
    const minutes: [number, number][] =
      t + 1 < T
        ? [
            [t, s],
            [t + 1, -s],
          ]
        : [[t, s]];
    for (const [b, c] of minutes) {
      lp.demandOf(lp.demand, `${op.process}|${b}`, y, c);
      if (buyer) lp.demandOf(lp.buyerDemand, `${buyerKey(w.customerId, op.process)}|${b}`, y, c);
    }
    if (last)
      lp.cost(y, t < T - 1 ? w.lateCost(t) - w.lateCost(t + 1) : w.lateCost(t) - relaxation.unplacedPenalty);
  }
}

/** Factory minutes at their price within their free minutes, and quota minutes within theirs. */
function minuteColumns(relaxation: Relaxation, lp: LpText): void {
  const { rows, bounds, supply, onCapacity, buyerQuota } = lp;
  const append = lp.append.bind(lp);
  for (const q of relaxation.quotas) {
    const names = q.buckets.map(({ bucket }) => `q${q.index}_${bucket}`);
    for (const [i, { bucket, capacity }] of q.buckets.entries()) {
      const name = names[i] ?? '';
      append(supply, `${q.process}|${bucket}`, name);
      append(onCapacity, capacity, name);
      append(buyerQuota, `${buyerKey(q.buyerCustomerId, q.process)}|${bucket}`, name);
    }
    rows.push(`qt${q.index}: ${names.join(' + ')} <= ${q.minutes}`);
  }
  for (const [i, c] of relaxation.capacity.entries()) {
    const name = `x${c.factoryIndex}_${c.process}_${c.bucket}`;
    append(supply, `${c.process}|${c.bucket}`, name);
    lp.cost(name, c.pricePerMinute);
    const quotaMinutes = onCapacity.get(i) ?? [];
    if (quotaMinutes.length > 0)
      rows.push(`c${name}: ${[name, ...quotaMinutes].join(' + ')} <= ${c.minutes}`);
    else bounds.push(`0 <= ${name} <= ${c.minutes}`);
  }
  for (const [r, reservation] of relaxation.reservations.entries()) {
    const names = [
      ...reservation.capacities.map((i) => {
        const c = relaxation.capacity[i];
        return c === undefined ? '' : `x${c.factoryIndex}_${c.process}_${c.bucket}`;
      }),
      ...reservation.quotaBuckets.map(([i, bucket]) => `q${relaxation.quotas[i]?.index ?? -1}_${bucket}`),
    ];
    rows.push(`r${r}: ${names.join(' + ')} <= ${reservation.limit}`);
  }
  // Quota minutes where the factory has no free minutes at all fit in nothing.
  const nowhere = onCapacity.get(-1) ?? [];
  if (nowhere.length > 0) rows.push(`nowhere: ${nowhere.join(' + ')} <= 0`);
}

/** Per process and bucket minutes cover the units; a buyer's quota minutes cover only its own. */
function coverRows(lp: LpText): void {
  const { rows, demand, buyerDemand, supply, buyerQuota } = lp;
  const sorted = <V>(m: Map<string, V>): [string, V][] => [...m].sort(([a], [b]) => (a < b ? -1 : 1));
  const used = (terms: Map<string, number>): string[] =>
    [...terms].filter(([, c]) => c !== 0).map(([name, c]) => term(-c, name));
  for (const [key, terms] of sorted(demand))
    rows.push(
      `b${rows.length}: ${[...(supply.get(key) ?? []).map((n) => `+ ${n}`), ...used(terms)].join(' ')} >= 0`,
    );
  // A quota's minutes serve only its buyer's own work (none at all if the buyer has none there).
  for (const [key, names] of sorted(buyerQuota))
    rows.push(
      `o${rows.length}: ${[...names.map((n) => `+ ${n}`), ...used(buyerDemand.get(key) ?? new Map<string, number>())].join(' ')} <= 0`,
    );
}

/**
 * The relaxation as a linear program solved to optimality by HiGHS: the strongest bound this
 * relaxation gives. Cumulative units Y(w,k,t) never decrease, stay within the units left, and
 * flow (Y(w,k,t) ≤ Y(w,k−1,t−1) + allowance); per process and bucket, factory and quota minutes
 * cover the units' standard minutes; a buyer's quota minutes cover no more than its own work;
 * factory minutes at their price, lateness by bucket and the unplaced penalty in the objective.
 */
export async function lpBound(relaxation: Relaxation): Promise<LowerBound> {
  const t0 = performance.now();
  const lp = new LpText();
  for (const w of relaxation.workOrders)
    for (const op of w.operations) operationColumns(relaxation, lp, w, op);
  minuteColumns(relaxation, lp);
  coverRows(lp);
  const { objective, rows, bounds } = lp;
  const costTerms = [...objective].map(([name, c]) => term(c, name));
  const text = [
    'Minimize',
    ` obj: ${costTerms.length > 0 ? costTerms.join(' ') : '0 dummy'}`,
    'Subject To',
    ...(rows.length > 0 ? rows.map((r) => ` ${r}`) : [' empty: dummy >= 0']),
    'Bounds',
    ...bounds.map((b) => ` ${b}`),
    'End',
  ].join('\n');
  const solution = (await highs()).solve(text, { output_flag: false });
  const optimal = solution.Status === 'Optimal';
  return {
    bound: optimal
      ? certified(solution.ObjectiveValue, relaxation, [...objective.values()].every(Number.isInteger))
      : NaN,
    method: 'lp',
    status: solution.Status,
    columns: Object.keys(solution.Columns).length,
    rows: rows.length,
    unfinishable: relaxation.unfinishable,
    unavoidablePenalty: relaxation.unavoidablePenalty,
    millis: performance.now() - t0,
  };
}
