import { createHmac } from 'node:crypto';

/** One material need of an open work order, as a supplier may see it. */
export interface MaterialDemand {
  workOrderId: string;
  materialCode: string;
  quantity: number;
  dueBucket: string;
  /** When the work order was published: what the forecast's delay is measured from. */
  publishedAt: string;
  /** The supplier's latest reported delay of this delivery, if any: when it now expects to deliver, and why. */
  expectedAt?: string | null;
  delayReason?: string | null;
}

export interface ForecastSettings {
  /** Orders newer than this are left out, so a forecast never shows what a customer just did. */
  delayHours: number;
  /** Each day's quantity is scaled by a factor drawn in [1 − noise, 1 + noise]. */
  noise: number;
  /** Keys the noise: the same cell always gets the same factor, so asking again averages nothing out. */
  secret: string;
}

export interface ForecastCell {
  materialCode: string;
  day: string;
  quantity: number;
}

/** A factor in [1 − noise, 1 + noise], fixed for a material and day under the secret. */
function noiseFactor(settings: ForecastSettings, materialCode: string, day: string): number {
  const digest = createHmac('sha256', settings.secret).update(`${materialCode}|${day}`).digest();
  const unit = digest.readUInt32BE(0) / 0xffffffff; // [0, 1]
  return 1 + settings.noise * (2 * unit - 1);
}

/**
 * A supplier's demand forecast, desensitised in time: daily totals per material of work orders
 * published at least `delayHours` ago, each total blurred by keyed noise. Individual orders, their
 * customers and their exact timing never show through.
 */
export function demandForecast(
  demand: readonly MaterialDemand[],
  nowMs: number,
  settings: ForecastSettings,
): ForecastCell[] {
  const cutoff = nowMs - settings.delayHours * 3_600_000;
  const totals = new Map<string, ForecastCell>();
  for (const d of demand) {
    if (Date.parse(d.publishedAt) > cutoff) continue;
    const day = d.dueBucket.slice(0, 10);
    const key = `${d.materialCode}|${day}`;
    const cell = totals.get(key) ?? { materialCode: d.materialCode, day, quantity: 0 };
    cell.quantity += d.quantity;
    totals.set(key, cell);
  }
  return [...totals.values()]
    .map((c) => ({
      ...c,
      quantity: Math.max(0, Math.round(c.quantity * noiseFactor(settings, c.materialCode, c.day))),
    }))
    .sort((a, b) =>
      a.materialCode < b.materialCode ? -1 : a.materialCode > b.materialCode ? 1 : a.day < b.day ? -1 : 1,
    );
}
