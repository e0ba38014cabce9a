import {
  compareLots,
  slotCostPerUnit,
  unitPriceAt,
  type Allocation,
  type AllocationResult,
} from './allocate.js';
import { highs, primalOf } from './highs.js';
import { isHeld, type MatchInput, type MatchQuota, type UnplacedReason } from './model.js';

interface Column {
  name: string;
  workOrderId: string;
  seq: number;
  factoryId: string;
  bucket: number;
  quota?: MatchQuota;
  cost: number;
  price: number;
  minutes: number;
}

/**
 * The whole model as a mixed-integer program, solved exactly by HiGHS: the reference the engine is
 * measured against, and the engine itself on instances small enough to pay. Integer units per
 * (work order, operation, factory, bucket, quota-or-none); a binary per lot (at most
 * `maxLotsPerOperation`), a binary allowing one lot per operation below `minLotSize`; cumulative
 * flow between consecutive operations; bucket capacity; quota minutes for the buyer; every quota's
 * unused minutes fitting in its window; the worst unit price over the routing within the maximum;
 * lateness, moves and unplaced units in the objective. Minutes are standard minutes × units
 * (exact for whole standard minutes, as the generator makes them). Frozen lots are fixed.
 */
export async function solveExactly(
  input: MatchInput,
  options: { timeLimitSeconds?: number; maxNodes?: number } = {},
): Promise<AllocationResult & { status: string; objective: number }> {
  const p = input.parameters;
  const factories = new Map(input.factories.map((f) => [f.factoryId, f]));
  const frozen = input.currentPlan.filter((l) => isHeld(l, p));
  const had = new Map<string, number>();
  const opsWithPlan = new Set<string>();
  for (const l of input.currentPlan) {
    if (isHeld(l, p)) continue;
    const key = `${l.workOrderId}#${l.seq}|${l.factoryId}|${l.bucket}|${l.quotaId ?? ''}`;
    had.set(key, (had.get(key) ?? 0) + l.quantity);
    opsWithPlan.add(`${l.workOrderId}#${l.seq}`);
  }
  const quotasById = new Map(input.quotas.map((q) => [q.quotaId, q]));
  const columns: Column[] = [];
  const rows: string[] = [];
  const objective: string[] = [];
  const binaries: string[] = [];
  const generals: string[] = [];
  const bounds: string[] = [];
  const term = (coefficient: number, name: string): string =>
    `${coefficient >= 0 ? '+' : '-'} ${Math.abs(coefficient)} ${name}`;
  const frozenUnits = (w: string, seq: number, upTo: number): number =>
    frozen
      .filter((l) => l.workOrderId === w && l.seq === seq && l.bucket <= upTo)
      .reduce((s, l) => s + l.quantity, 0);
  const frozenMinutes = new Map<string, number>();
  const frozenQuota = new Map<string, number>();
  for (const l of frozen) {
    const op = input.workOrders.find((w) => w.workOrderId === l.workOrderId)?.routing[l.seq - 1];
    if (op === undefined) continue;
    const minutes = op.standardMinutes * l.quantity;
    const key = `${l.factoryId}|${op.process}|${l.bucket}`;
    frozenMinutes.set(key, (frozenMinutes.get(key) ?? 0) + minutes);
    if (l.quotaId !== undefined) frozenQuota.set(l.quotaId, (frozenQuota.get(l.quotaId) ?? 0) + minutes);
  }

  const unplacedReason = new Map<string, UnplacedReason>();
  for (const [wi, w] of input.workOrders.entries()) {
    const K = w.routing.length;
    const priceVars: string[] = [];
    let frozenPrice = 0;
    for (const op of w.routing) {
      const opId = `w${wi}k${op.seq}`;
      const demand = w.quantity - frozenUnits(w.workOrderId, op.seq, Infinity);
      const opFrozen = frozen.filter((l) => l.workOrderId === w.workOrderId && l.seq === op.seq);
      const worstFrozen = Math.max(
        0,
        ...opFrozen.map((l) => {
          const f = factories.get(l.factoryId);
          return f === undefined
            ? 0
            : (unitPriceAt(f, op, l.quotaId === undefined ? undefined : quotasById.get(l.quotaId)) ?? 0);
        }),
      );
      frozenPrice += worstFrozen;
      const opColumns: Column[] = [];
      for (const f of input.factories) {
        if (!f.available || !f.processes.some((o) => o.process === op.process)) continue;
        if (w.avoidFactoryIds?.includes(f.factoryId) === true) continue;
        const quotas = input.quotas.filter(
          (q) =>
            q.factoryId === f.factoryId && q.process === op.process && q.buyerCustomerId === w.customerId,
        );
        for (let b = Math.max(p.frozenBuckets, w.releaseBucket ?? 0); b < input.buckets; b++) {
          for (const quota of [undefined, ...quotas.filter((q) => b >= q.windowStart && b <= q.windowEnd)]) {
            const key = `${w.workOrderId}#${op.seq}|${f.factoryId}|${b}|${quota?.quotaId ?? ''}`;
            const staying = opsWithPlan.has(`${w.workOrderId}#${op.seq}`) ? (had.get(key) ?? 0) : Infinity;
            const costWithoutMove = slotCostPerUnit(
              input,
              w,
              op,
              f,
              { factoryId: f.factoryId, bucket: b, ...(quota ? { quota } : {}) },
              1,
            );
            opColumns.push({
              name: `x${columns.length + opColumns.length}`,
              workOrderId: w.workOrderId,
              seq: op.seq,
              factoryId: f.factoryId,
              bucket: b,
              ...(quota ? { quota } : {}),
              cost: costWithoutMove,
              price: unitPriceAt(f, op, quota) ?? 0,
              minutes: op.standardMinutes,
            });
            const col = opColumns[opColumns.length - 1];
            if (col !== undefined && Number.isFinite(staying)) {
              // moved units: m ≥ x − what the current plan had at this slot
              const m = `m${col.name.slice(1)}`;
              rows.push(`${m}_def: ${m} - ${col.name} >= ${-staying}`);
              objective.push(term(p.movePenaltyPerUnit, m));
              bounds.push(`${m} >= 0`);
            }
          }
        }
      }
      const capable = opColumns.length > 0;
      if (!capable && demand > 0) {
        unplacedReason.set(
          `${w.workOrderId}#${op.seq}`,
          input.factories.some((f) => f.processes.some((o) => o.process === op.process))
            ? 'NO_CAPACITY_IN_HORIZON'
            : 'NO_CAPABLE_FACTORY',
        );
      }
      const u = `u${opId}`;
      bounds.push(`0 <= ${u} <= ${Math.max(0, demand)}`);
      if (op.seq === K) objective.push(term(p.unplacedPenaltyPerUnit, u));
      rows.push(
        `${opId}_demand: ${[...opColumns.map((c) => `+ ${c.name}`), `+ ${u}`].join(' ')} = ${Math.max(0, demand)}`,
      );
      const lotsLeft = Math.max(0, p.maxLotsPerOperation - opFrozen.length);
      const small: string[] = [];
      for (const c of opColumns) {
        const z = `z${c.name.slice(1)}`;
        const r = `r${c.name.slice(1)}`;
        generals.push(c.name);
        binaries.push(z, r);
        objective.push(term(c.cost, c.name));
        rows.push(`${z}_open: ${c.name} - ${Math.max(1, demand)} ${z} <= 0`);
        rows.push(`${r}_min: ${c.name} - ${p.minLotSize} ${z} + ${p.minLotSize} ${r} >= 0`);
        rows.push(`${r}_in: ${r} - ${z} <= 0`);
        small.push(r);
      }
      if (opColumns.length > 0) {
        rows.push(`${opId}_lots: ${opColumns.map((c) => `+ z${c.name.slice(1)}`).join(' ')} <= ${lotsLeft}`);
        rows.push(`${opId}_small: ${small.map((r) => `+ ${r}`).join(' ')} <= 1`);
        const pv = `p${opId}`;
        priceVars.push(pv);
        bounds.push(`${pv} >= ${worstFrozen}`);
        for (const c of opColumns)
          if (c.price > 0) rows.push(`${pv}_${c.name}: ${pv} - ${c.price} z${c.name.slice(1)} >= 0`);
      }
      // Flow: units of this operation done by bucket t never exceed the previous operation's by t − 1.
      if (op.seq > 1) {
        const prev = columns.filter((c) => c.workOrderId === w.workOrderId && c.seq === op.seq - 1);
        for (let t = p.frozenBuckets; t < input.buckets; t++) {
          const mine = opColumns.filter((c) => c.bucket <= t).map((c) => `+ ${c.name}`);
          const theirs = prev.filter((c) => c.bucket <= t - 1).map((c) => `- ${c.name}`);
          if (mine.length === 0) continue;
          const rhs = frozenUnits(w.workOrderId, op.seq - 1, t - 1) - frozenUnits(w.workOrderId, op.seq, t);
          rows.push(`w${wi}k${op.seq}t${t}_flow: ${[...mine, ...theirs].join(' ')} <= ${rhs}`);
        }
      }
      columns.push(...opColumns);
    }
    if (priceVars.length > 0 && frozenPrice <= w.maxUnitPrice)
      rows.push(`w${wi}_price: ${priceVars.map((v) => `+ ${v}`).join(' ')} <= ${w.maxUnitPrice}`);
  }

  // Bucket capacity, and per quota: its minutes, and every window keeping its quotas' unused minutes.
  const byResource = new Map<string, Column[]>();
  for (const c of columns) {
    const process =
      input.workOrders.find((w) => w.workOrderId === c.workOrderId)?.routing[c.seq - 1]?.process ?? '';
    const key = `${c.factoryId}|${process}|${c.bucket}`;
    byResource.set(key, [...(byResource.get(key) ?? []), c]);
  }
  const freeOf = (f: string, process: string, b: number): number =>
    input.capacity
      .filter((c) => c.factoryId === f && c.process === process && c.bucket === b)
      .reduce((s, c) => s + c.freeMinutes, 0);
  let capacityRow = 0;
  for (const [key, cols] of [...byResource].sort(([a], [b]) => (a < b ? -1 : 1))) {
    const [f = '', process = '', b = '0'] = key.split('|');
    const free = freeOf(f, process, Number(b)) - (frozenMinutes.get(key) ?? 0);
    rows.push(`cap${capacityRow++}: ${cols.map((c) => term(c.minutes, c.name)).join(' ')} <= ${free}`);
  }
  for (const [qi, q] of input.quotas.entries()) {
    const uses = columns.filter((c) => c.quota?.quotaId === q.quotaId);
    if (uses.length > 0)
      rows.push(
        `q${qi}_minutes: ${uses.map((c) => term(c.minutes, c.name)).join(' ')} <= ${q.minutesLeft - (frozenQuota.get(q.quotaId) ?? 0)}`,
      );
    const inside = input.quotas.filter(
      (o) =>
        o.factoryId === q.factoryId &&
        o.process === q.process &&
        o.windowStart >= q.windowStart &&
        o.windowEnd <= q.windowEnd,
    );
    const insideIds = new Set(inside.map((o) => o.quotaId));
    const others = columns.filter((c) => {
      if (c.factoryId !== q.factoryId || c.bucket < q.windowStart || c.bucket > q.windowEnd) return false;
      const process = input.workOrders.find((w) => w.workOrderId === c.workOrderId)?.routing[c.seq - 1]
        ?.process;
      return process === q.process && (c.quota === undefined || !insideIds.has(c.quota.quotaId));
    });
    let free = 0;
    let frozenOthers = 0;
    for (let b = q.windowStart; b <= q.windowEnd; b++) {
      free += freeOf(q.factoryId, q.process, b);
      frozenOthers += frozenMinutes.get(`${q.factoryId}|${q.process}|${b}`) ?? 0;
    }
    const frozenInside = inside.reduce((s, o) => s + (frozenQuota.get(o.quotaId) ?? 0), 0);
    const reserved = inside.reduce((s, o) => s + o.minutesLeft, 0);
    if (others.length > 0)
      rows.push(
        `q${qi}_reserve: ${others.map((c) => term(c.minutes, c.name)).join(' ')} <= ${free - (frozenOthers - frozenInside) - reserved}`,
      );
  }

  const lp = [
    'Minimize',
    ` obj: ${objective.length > 0 ? objective.join(' ') : '0 dummy'}`,
    'Subject To',
    ...rows.map((r) => ` ${r}`),
    'Bounds',
    ...bounds.map((b) => ` ${b}`),
    ...(generals.length > 0 ? ['General', ` ${generals.join(' ')}`] : []),
    ...(binaries.length > 0 ? ['Binary', ` ${binaries.join(' ')}`] : []),
    'End',
  ].join('\n');
  const solution = (await highs()).solve(lp, {
    time_limit: options.timeLimitSeconds ?? 60,
    mip_rel_gap: 0,
    // A node limit stops the search at the same place on every run (a time limit would not).
    ...(options.maxNodes === undefined ? {} : { mip_max_nodes: options.maxNodes }),
    output_flag: false,
  });
  const allocations: Allocation[] = [];
  for (const l of frozen) {
    const w = input.workOrders.find((x) => x.workOrderId === l.workOrderId);
    const op = w?.routing[l.seq - 1];
    const f = factories.get(l.factoryId);
    if (w === undefined || op === undefined || f === undefined) continue;
    const quota = l.quotaId === undefined ? undefined : quotasById.get(l.quotaId);
    allocations.push({
      ...l,
      costPerUnit: slotCostPerUnit(
        input,
        w,
        op,
        f,
        { factoryId: l.factoryId, bucket: l.bucket, ...(quota ? { quota } : {}) },
        1,
      ),
      unitPrice: unitPriceAt(f, op, quota) ?? 0,
      frozen: true,
    });
  }
  const unplaced: AllocationResult['unplaced'] = [];
  const stopped = [
    'Time limit reached',
    'Reached iteration limit',
    'Solution limit reached',
    'Node limit reached',
  ];
  // highs-js reports a stop at the node limit as 'Unknown'; its incumbent, if any, is in Columns.
  const hasIncumbent = Object.values(solution.Columns as Record<string, { Primal?: number }>).some(
    (c) => typeof c.Primal === 'number',
  );
  if (
    solution.Status !== 'Optimal' &&
    !stopped.includes(solution.Status) &&
    !(solution.Status === 'Unknown' && hasIncumbent)
  )
    return { allocations, unplaced, status: solution.Status, objective: NaN };
  for (const c of columns) {
    const units = Math.round(primalOf(solution, c.name));
    if (units <= 0) continue;
    allocations.push({
      workOrderId: c.workOrderId,
      seq: c.seq,
      factoryId: c.factoryId,
      bucket: c.bucket,
      quantity: units,
      ...(c.quota ? { quotaId: c.quota.quotaId } : {}),
      costPerUnit: c.cost,
      unitPrice: c.price,
      frozen: false,
    });
  }
  const offered = new Set(input.factories.flatMap((f) => f.processes.map((o) => o.process)));
  for (const [wi, w] of input.workOrders.entries()) {
    // A routing with a process nobody offers finishes no unit: that is why every step waits.
    const unfinishable = w.routing.some((op) => !offered.has(op.process));
    for (const op of w.routing) {
      const units = Math.round(primalOf(solution, `uw${wi}k${op.seq}`));
      if (units > 0)
        unplaced.push({
          workOrderId: w.workOrderId,
          seq: op.seq,
          quantity: units,
          reason: unfinishable
            ? 'NO_CAPABLE_FACTORY'
            : (unplacedReason.get(`${w.workOrderId}#${op.seq}`) ?? 'NO_CAPACITY_IN_HORIZON'),
        });
    }
  }
  allocations.sort(compareLots);
  return { allocations, unplaced, status: solution.Status, objective: solution.ObjectiveValue };
}
