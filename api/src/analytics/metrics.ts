/**
 * The alliance's shop-floor figures, as pure functions of the records the read model holds:
 * cycle times, waiting before each operation, exceptions by cause, material variance, statistical
 * process control of an operation's times, and a health index per factory and per work order.
 */

export interface LotFacts {
  lotId: string;
  workOrderId: string;
  factoryId: string;
  bucket: string;
  status: string;
  deliveredAt?: string;
  /** Minutes the lot holds at its factory. */
  minutes: number;
}

export interface ProgressFacts {
  lotId: string;
  workOrderId: string;
  seq: number;
  process: string;
  inputQuantity: number;
  standardMinutes: number;
  startedAt: string;
  reportedAt?: string;
  goodQuantity?: number;
  scrapQuantity?: number;
  actualMinutes?: number;
  /** Who scanned it: an operator's badge or a team's terminal. */
  operatorId?: string;
  /** The operation's material, where its routing set a standard consumption. */
  material?: { materialCode: string; unit: string; standard: number; used?: number };
}

export interface ExceptionFacts {
  lotId: string;
  cause?: string;
  status: string;
}

export interface HandOverFacts {
  lotId: string;
  heldQuantity: number;
  receivedQuantity: number;
}

const HOUR = 3_600_000;
const BUCKET_MS = 8 * HOUR;

export const round = (x: number, digits = 3): number => Math.round(x * 10 ** digits) / 10 ** digits;

/** Hours from publishing to the last delivery of each delivered work order, and their histogram. */
export function cycleTimes(
  workOrders: readonly { workOrderId: string; publishedAt: string }[],
  lots: readonly LotFacts[],
  binHours = 8,
): { hours: number[]; histogram: { fromHours: number; toHours: number; count: number }[] } {
  const hours: number[] = [];
  for (const w of workOrders) {
    const own = lots.filter(
      (l) =>
        l.workOrderId === w.workOrderId &&
        l.status !== 'REJECTED' &&
        l.status !== 'REASSIGNED' &&
        l.status !== 'CANCELLED',
    );
    if (own.length === 0 || own.some((l) => l.deliveredAt === undefined)) continue;
    const last = Math.max(...own.map((l) => Date.parse(l.deliveredAt ?? '')));
    hours.push(round((last - Date.parse(w.publishedAt)) / HOUR, 2));
  }
  hours.sort((a, b) => a - b);
  const bins = new Map<number, number>();
  for (const h of hours) bins.set(Math.floor(h / binHours), (bins.get(Math.floor(h / binHours)) ?? 0) + 1);
  return {
    hours,
    histogram: [...bins.entries()]
      .sort((a, b) => a[0] - b[0])
      .map(([bin, count]) => ({ fromHours: bin * binHours, toHours: (bin + 1) * binHours, count })),
  };
}

/**
 * Mean minutes work waited before each operation: from the report of the operation before it (of
 * the same work order, in the same lot or in the upstream lot at another plant: the latest report
 * before this start) to its start.
 */
export function waitingByOperation(
  progress: readonly ProgressFacts[],
): { process: string; seq: number; meanMinutes: number; samples: number }[] {
  const reportsOf = new Map<string, number[]>();
  for (const p of progress)
    if (p.reportedAt !== undefined) {
      const key = `${p.workOrderId}|${p.seq}`;
      reportsOf.set(key, [...(reportsOf.get(key) ?? []), Date.parse(p.reportedAt)]);
    }
  const waits = new Map<string, { process: string; seq: number; total: number; n: number }>();
  for (const step of progress) {
    const started = Date.parse(step.startedAt);
    const before = (reportsOf.get(`${step.workOrderId}|${step.seq - 1}`) ?? []).filter((t) => t <= started);
    if (before.length === 0) continue;
    const key = `${step.seq}|${step.process}`;
    const w = waits.get(key) ?? { process: step.process, seq: step.seq, total: 0, n: 0 };
    w.total += (started - Math.max(...before)) / 60_000;
    w.n++;
    waits.set(key, w);
  }
  return [...waits.values()]
    .map((w) => ({ process: w.process, seq: w.seq, meanMinutes: round(w.total / w.n, 2), samples: w.n }))
    .sort((a, b) => a.seq - b.seq || (a.process < b.process ? -1 : 1));
}

/** Exceptions by cause, most frequent first, with the cumulative share (a Pareto chart's line). */
export function exceptionPareto(
  exceptions: readonly ExceptionFacts[],
): { cause: string; count: number; cumulativeShare: number }[] {
  const counts = new Map<string, number>();
  for (const e of exceptions) {
    const cause = e.status === 'OPEN' ? '(open: no cause yet)' : (e.cause ?? '(none given)');
    counts.set(cause, (counts.get(cause) ?? 0) + 1);
  }
  const total = exceptions.length;
  let running = 0;
  return [...counts.entries()]
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
    .map(([cause, count]) => {
      running += count;
      return { cause, count, cumulativeShare: round(running / total) };
    });
}

/**
 * Material consumption variance per process: units scrapped against units put in, and units
 * missing at hand-overs against units held (what the ledger believed against what was counted).
 */
export function materialVariance(
  progress: readonly ProgressFacts[],
  handOvers: readonly HandOverFacts[],
): {
  byProcess: { process: string; input: number; scrap: number; scrapRate: number }[];
  handOverLoss: { held: number; received: number; lossRate: number };
} {
  const byProcess = new Map<string, { input: number; scrap: number }>();
  for (const p of progress) {
    if (p.goodQuantity === undefined) continue;
    const v = byProcess.get(p.process) ?? { input: 0, scrap: 0 };
    v.input += p.inputQuantity;
    v.scrap += p.scrapQuantity ?? 0;
    byProcess.set(p.process, v);
  }
  const held = handOvers.reduce((s, h) => s + h.heldQuantity, 0);
  const received = handOvers.reduce((s, h) => s + h.receivedQuantity, 0);
  return {
    byProcess: [...byProcess.entries()]
      .sort((a, b) => (a[0] < b[0] ? -1 : 1))
      .map(([process, v]) => ({ process, ...v, scrapRate: v.input === 0 ? 0 : round(v.scrap / v.input) })),
    handOverLoss: { held, received, lossRate: held === 0 ? 0 : round((held - received) / held) },
  };
}

/** One plant's use of one material in one process, against the standard for the units it put in. */
export interface ConsumptionRow {
  materialCode: string;
  unit: string;
  process: string;
  factoryId: string;
  /** Reported operations it rests on. */
  operations: number;
  pieces: number;
  standard: number;
  used: number;
  /** Used minus standard: above 0 is material lost beyond the standard. */
  variance: number;
  /** Variance as a share of the standard. */
  varianceRate: number;
}

/**
 * Material used against each operation's standard consumption (标准单耗 × units put in), per
 * material, process and plant: where scrap counts pieces, this counts the material itself — offcuts,
 * purge, rework — so plants doing the same work can be compared. Most over the standard first
 * within each material and process.
 */
export function consumptionVariance(
  progress: readonly ProgressFacts[],
  lots: readonly LotFacts[],
): ConsumptionRow[] {
  const factoryOf = new Map(lots.map((l) => [l.lotId, l.factoryId]));
  const rows = new Map<string, ConsumptionRow>();
  for (const p of progress) {
    if (p.material?.used === undefined) continue;
    const factoryId = factoryOf.get(p.lotId) ?? '';
    const { materialCode, unit } = p.material;
    const key = [materialCode, unit, p.process, factoryId].join('\u0000');
    const row = rows.get(key) ?? {
      materialCode,
      unit,
      process: p.process,
      factoryId,
      operations: 0,
      pieces: 0,
      standard: 0,
      used: 0,
      variance: 0,
      varianceRate: 0,
    };
    row.operations++;
    row.pieces += p.inputQuantity;
    row.standard += p.material.standard;
    row.used += p.material.used;
    rows.set(key, row);
  }
  const order = (a: ConsumptionRow, b: ConsumptionRow): number =>
    a.materialCode.localeCompare(b.materialCode) ||
    a.process.localeCompare(b.process) ||
    b.varianceRate - a.varianceRate ||
    a.factoryId.localeCompare(b.factoryId);
  return [...rows.values()]
    .map((r) => ({
      ...r,
      standard: round(r.standard),
      used: round(r.used),
      variance: round(r.used - r.standard),
      varianceRate: r.standard === 0 ? 0 : round((r.used - r.standard) / r.standard, 4),
    }))
    .sort(order);
}

/**
 * Statistical process control of one process's actual minutes per unit: mean, and control limits
 * at three standard deviations (an individuals chart), with the points outside them.
 */
export function controlChart(
  progress: readonly ProgressFacts[],
  process: string,
): {
  process: string;
  points: { lotId: string; at: string; minutesPerUnit: number }[];
  mean: number;
  upperControlLimit: number;
  lowerControlLimit: number;
  outOfControl: string[];
} {
  const points = progress
    .filter((p) => p.process === process && p.actualMinutes !== undefined && p.inputQuantity > 0)
    .sort((a, b) => Date.parse(a.reportedAt ?? '') - Date.parse(b.reportedAt ?? ''))
    .map((p) => ({
      lotId: p.lotId,
      at: p.reportedAt ?? p.startedAt,
      minutesPerUnit: (p.actualMinutes ?? 0) / p.inputQuantity,
    }));
  const n = points.length;
  const mean = n === 0 ? 0 : points.reduce((s, p) => s + p.minutesPerUnit, 0) / n;
  const sd = n < 2 ? 0 : Math.sqrt(points.reduce((s, p) => s + (p.minutesPerUnit - mean) ** 2, 0) / (n - 1));
  const ucl = mean + 3 * sd;
  const lcl = Math.max(0, mean - 3 * sd);
  return {
    process,
    points: points.map((p) => ({ ...p, minutesPerUnit: round(p.minutesPerUnit, 4) })),
    mean: round(mean, 4),
    upperControlLimit: round(ucl, 4),
    lowerControlLimit: round(lcl, 4),
    outOfControl:
      sd === 0
        ? []
        : points.filter((p) => p.minutesPerUnit > ucl || p.minutesPerUnit < lcl).map((p) => p.lotId),
  };
}

export interface Health {
  onTimeRate: number;
  firstPassYield: number;
  utilisation: number;
  index: number;
}

function onTimeOf(lots: readonly LotFacts[]): number {
  const delivered = lots.filter((l) => l.deliveredAt !== undefined);
  if (delivered.length === 0) return 1;
  // A lot is on time when delivered before its shift bucket ends.
  const onTime = delivered.filter(
    (l) => Date.parse(l.deliveredAt ?? '') <= Date.parse(l.bucket) + BUCKET_MS,
  ).length;
  return onTime / delivered.length;
}

function yieldOf(progress: readonly ProgressFacts[]): number {
  const reported = progress.filter((p) => p.goodQuantity !== undefined);
  const input = reported.reduce((s, p) => s + p.inputQuantity, 0);
  return input === 0 ? 1 : reported.reduce((s, p) => s + (p.goodQuantity ?? 0), 0) / input;
}

/**
 * Health per factory: on-time rate × first-pass yield × utilisation (minutes its lots hold over
 * the minutes it declared), each in [0, 1]; ranked best first.
 */
export function factoryHealth(
  factories: readonly { factoryId: string; declaredMinutes: number }[],
  lots: readonly LotFacts[],
  progress: readonly ProgressFacts[],
): (Health & { factoryId: string })[] {
  const lotFactory = new Map(lots.map((l) => [l.lotId, l.factoryId]));
  return factories
    .map((f) => {
      const own = lots.filter(
        (l) => l.factoryId === f.factoryId && !['REJECTED', 'REASSIGNED', 'CANCELLED'].includes(l.status),
      );
      const onTimeRate = onTimeOf(own);
      const firstPassYield = yieldOf(progress.filter((p) => lotFactory.get(p.lotId) === f.factoryId));
      const utilisation =
        f.declaredMinutes === 0 ? 0 : Math.min(1, own.reduce((s, l) => s + l.minutes, 0) / f.declaredMinutes);
      return {
        factoryId: f.factoryId,
        onTimeRate: round(onTimeRate),
        firstPassYield: round(firstPassYield),
        utilisation: round(utilisation),
        index: round(onTimeRate * firstPassYield * utilisation),
      };
    })
    .sort((a, b) => b.index - a.index || (a.factoryId < b.factoryId ? -1 : 1));
}

/**
 * Health per work order: on-time rate of its lots × their first-pass yield × the share of its
 * lots already taken on (accepted or further) — utilisation of what the matcher offered.
 */
export function workOrderHealth(
  workOrderIds: readonly string[],
  lots: readonly LotFacts[],
  progress: readonly ProgressFacts[],
): (Health & { workOrderId: string })[] {
  return workOrderIds
    .map((workOrderId) => {
      const own = lots.filter(
        (l) => l.workOrderId === workOrderId && !['REASSIGNED', 'CANCELLED'].includes(l.status),
      );
      const onTimeRate = onTimeOf(own);
      const firstPassYield = yieldOf(progress.filter((p) => p.workOrderId === workOrderId));
      const taken = own.filter((l) => !['ASSIGNED', 'REJECTED'].includes(l.status)).length;
      const utilisation = own.length === 0 ? 0 : taken / own.length;
      return {
        workOrderId,
        onTimeRate: round(onTimeRate),
        firstPassYield: round(firstPassYield),
        utilisation: round(utilisation),
        index: round(onTimeRate * firstPassYield * utilisation),
      };
    })
    .sort((a, b) => b.index - a.index || (a.workOrderId < b.workOrderId ? -1 : 1));
}

/** One plant's or team's record on one kind of work (a part number's operation of one process). */
export interface ComparisonRow {
  partNumber: string;
  process: string;
  factoryId: string;
  /** The operator id the scans carried: a person's badge or a team's terminal. */
  team: string;
  operations: number;
  pieces: number;
  minutesPerPiece: number;
  standardMinutesPerPiece: number;
  firstPassYield: number;
}

/**
 * Plants and teams side by side on the same work: for each part number and process, each plant's
 * and team's reported operations — minutes per piece against the standard, and first-pass yield —
 * quickest first. Only like is compared with like: a part's CNC operation with the same part's.
 */
export function plantAndTeamComparison(
  progress: readonly ProgressFacts[],
  lots: readonly LotFacts[],
  partOf: ReadonlyMap<string, string>,
): ComparisonRow[] {
  const factoryOf = new Map(lots.map((l) => [l.lotId, l.factoryId]));
  const groups = new Map<
    string,
    {
      row: Omit<ComparisonRow, 'minutesPerPiece' | 'standardMinutesPerPiece' | 'firstPassYield'>;
      actual: number;
      standard: number;
      good: number;
    }
  >();
  for (const p of progress) {
    if (p.reportedAt === undefined || p.actualMinutes === undefined || p.inputQuantity === 0) continue;
    const partNumber = partOf.get(p.workOrderId) ?? '';
    const factoryId = factoryOf.get(p.lotId) ?? '';
    const team = p.operatorId ?? '';
    const key = [partNumber, p.process, factoryId, team].join('\u0000');
    const g = groups.get(key) ?? {
      row: { partNumber, process: p.process, factoryId, team, operations: 0, pieces: 0 },
      actual: 0,
      standard: 0,
      good: 0,
    };
    g.row.operations++;
    g.row.pieces += p.inputQuantity;
    g.actual += p.actualMinutes;
    g.standard += p.standardMinutes;
    g.good += p.goodQuantity ?? 0;
    groups.set(key, g);
  }
  return [...groups.values()]
    .map((g) => ({
      ...g.row,
      minutesPerPiece: round(g.actual / g.row.pieces, 3),
      standardMinutesPerPiece: round(g.standard / g.row.pieces, 3),
      firstPassYield: round(g.good / g.row.pieces),
    }))
    .sort(
      (a, b) =>
        (a.partNumber < b.partNumber ? -1 : a.partNumber > b.partNumber ? 1 : 0) ||
        (a.process < b.process ? -1 : a.process > b.process ? 1 : 0) ||
        a.minutesPerPiece - b.minutesPerPiece,
    );
}
