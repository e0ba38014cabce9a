import type { Process, WorkOrder } from '@fabpool/chaincode/model';

/** One operation of a work order, as the pool's demand forecast counts it. */
export interface ProcessDemand {
  workOrderId: string;
  process: Process;
  /** The work order's due day (UTC). */
  day: string;
  /** Standard hours of the operation: quantity × standard minutes / 60. */
  hours: number;
  publishedAt: string;
}

/**
 * How the demand forecast outsiders (suppliers, partners) see is desensitised:
 * - delay: it counts only work orders published before the start of the UTC day `delayHours` ago,
 *   so it changes once a day and never shows what a customer did today or yesterday;
 * - aggregation: standard hours per process and due day, nothing per order, customer or part;
 * - suppression: a cell built from fewer than `minOrders` work orders (k) is left out;
 * - rounding: hours to the nearest `hoursUnit`, so someone who knew every order of a cell but one
 *   still learns that one only to within ± half a unit.
 */
export interface ForecastSettings {
  delayHours: number;
  minOrders: number;
  hoursUnit: number;
}

export const DEFAULT_FORECAST: ForecastSettings = { delayHours: 24, minOrders: 3, hoursUnit: 10 };

export interface ForecastCell {
  process: Process;
  day: string;
  hours: number;
}

const DAY_MS = 86_400_000;

/** The instant the forecast is taken at: the start of the UTC day `delayHours` before now. */
export function forecastSnapshotMs(nowMs: number, delayHours: number): number {
  const delayed = nowMs - delayHours * 3_600_000;
  return delayed - (((delayed % DAY_MS) + DAY_MS) % DAY_MS);
}

/** Every operation of the pool's live work orders (not cancelled), as demand per process and due day. */
export function processDemandOf(workOrders: readonly WorkOrder[]): ProcessDemand[] {
  return workOrders
    .filter((w) => w.status !== 'CANCELLED')
    .flatMap((w) =>
      w.routing.map((op) => ({
        workOrderId: w.workOrderId,
        process: op.process,
        day: w.dueBucket.slice(0, 10),
        hours: (w.quantity * op.standardMinutes) / 60,
        publishedAt: w.publishedAt,
      })),
    );
}

/**
 * The pool's demand by process and due day from the forecast's snapshot on, desensitised as
 * ForecastSettings says: only cells of at least k work orders, hours rounded.
 */
export function demandForecast(
  demand: readonly ProcessDemand[],
  nowMs: number,
  settings: ForecastSettings,
): ForecastCell[] {
  const snapshot = forecastSnapshotMs(nowMs, settings.delayHours);
  const firstDay = new Date(snapshot).toISOString().slice(0, 10);
  const cells = new Map<string, { process: Process; day: string; hours: number; orders: Set<string> }>();
  for (const d of demand) {
    if (Date.parse(d.publishedAt) >= snapshot || d.day < firstDay) continue;
    const key = `${d.process}|${d.day}`;
    const cell = cells.get(key) ?? { process: d.process, day: d.day, hours: 0, orders: new Set<string>() };
    cell.hours += d.hours;
    cell.orders.add(d.workOrderId);
    cells.set(key, cell);
  }
  return [...cells.values()]
    .filter((c) => c.orders.size >= settings.minOrders)
    .map((c) => ({
      process: c.process,
      day: c.day,
      // Hours are sums of fractions: two worlds with the same true total can differ in the last
      // bits, and a total on a half unit would round apart. A micro-hour grid first makes them one.
      hours: Math.round(Math.round(c.hours * 1e6) / 1e6 / settings.hoursUnit) * settings.hoursUnit,
    }))
    .sort((a, b) => (a.day === b.day ? a.process.localeCompare(b.process) : a.day < b.day ? -1 : 1));
}
