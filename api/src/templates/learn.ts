import type { MaterialUse, Operation, StandardConsumption, WorkOrder } from '@fabpool/chaincode/model';

/** One operation as a factory ran it for a past order of the family: what the scans measured. */
export interface MeasuredOperation {
  workOrderId: string;
  seq: number;
  process: string;
  factoryId: string;
  inputQuantity: number;
  goodQuantity: number;
  actualMinutes: number;
  /** The material it used against its standard, where its routing set one. */
  material?: MaterialUse | null;
}

/** Where a template's standard time comes from. */
export type StandardTimeSource = 'MEASURED_MEDIAN' | 'LAST_ORDER';

/** The plant that did an operation best for the family: fastest per good unit, then best yield. */
export interface BestFactory {
  factoryId: string;
  /** Median minutes per unit over its lots of this operation. */
  minutesPerUnit: number;
  /** Good units out of units in, over those lots. */
  firstPassYield: number;
  lots: number;
}

export interface LearnedOperation extends Operation {
  source: StandardTimeSource;
  /** Lots whose scans the standard time rests on (0 when it is the last order's). */
  measuredLots: number;
  /** What the latest order of this routing said, for comparison. */
  lastOrderMinutes: number;
  bestFactory?: BestFactory;
  /** Where the standard consumption comes from, when the operation has one. */
  materialSource?: StandardTimeSource;
  /** Lots whose reported material use the standard consumption rests on. */
  materialMeasuredLots?: number;
  /** What the latest order of this routing said per piece, for comparison. */
  lastOrderPerUnit?: number;
}

export interface LearnedTemplate {
  family: string;
  fromWorkOrderId: string;
  partNumber: string;
  /** Orders of the family, and how many of them used the routing proposed. */
  ordersInFamily: number;
  routingUsedBy: number;
  operations: LearnedOperation[];
  maxUnitPrice: number;
  latePenaltyPerUnitPerBucket: number;
}

/** The median, the statistic a few overrunning or unusually quick lots do not move. */
export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  const value = sorted.length % 2 === 1 ? sorted[mid] : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
  return value ?? 0;
}

/** Fewer measured lots than this teach nothing yet: one odd lot would set the standard. */
export const MIN_MEASURED_LOTS = 3;

/** Material per piece to four decimals: grams of a kilogram and a little finer. */
const tenThousandths = (x: number): number => Math.round(x * 10_000) / 10_000;

/**
 * An operation's standard consumption as its lots used it: the median of the material per piece
 * they reported, once MIN_MEASURED_LOTS reported it in the same material and unit; else the
 * latest order's.
 */
function learnedConsumption(
  standard: StandardConsumption,
  lots: readonly MeasuredOperation[],
): Pick<LearnedOperation, 'material' | 'materialSource' | 'materialMeasuredLots' | 'lastOrderPerUnit'> {
  const perPiece = lots.flatMap((m) =>
    m.material?.used !== undefined &&
    m.material.materialCode === standard.materialCode &&
    m.material.unit === standard.unit
      ? [m.material.used / m.inputQuantity]
      : [],
  );
  const learnt = perPiece.length >= MIN_MEASURED_LOTS;
  return {
    material: learnt
      ? { ...standard, perUnit: Math.max(0.0001, tenThousandths(median(perPiece))) }
      : standard,
    materialSource: learnt ? 'MEASURED_MEDIAN' : 'LAST_ORDER',
    materialMeasuredLots: perPiece.length,
    lastOrderPerUnit: standard.perUnit,
  };
}

/** Minutes to a hundredth: what a person types into the form. */
const hundredths = (x: number): number => Math.round(x * 100) / 100;

const routingKey = (routing: readonly Operation[]): string =>
  [...routing]
    .sort((a, b) => a.seq - b.seq)
    .map((op) => op.process)
    .join('>');

function bestFactoryOf(measured: readonly MeasuredOperation[]): BestFactory | undefined {
  const byFactory = new Map<string, MeasuredOperation[]>();
  for (const m of measured) byFactory.set(m.factoryId, [...(byFactory.get(m.factoryId) ?? []), m]);
  const ranked = [...byFactory.entries()].map(([factoryId, lots]) => {
    const input = lots.reduce((sum, m) => sum + m.inputQuantity, 0);
    return {
      factoryId,
      minutesPerUnit: hundredths(median(lots.map((m) => m.actualMinutes / m.inputQuantity))),
      firstPassYield:
        input === 0 ? 0 : Math.round((lots.reduce((s, m) => s + m.goodQuantity, 0) / input) * 1000) / 1000,
      lots: lots.length,
    };
  });
  ranked.sort(
    (a, b) =>
      a.minutesPerUnit / Math.max(a.firstPassYield, 0.01) -
        b.minutesPerUnit / Math.max(b.firstPassYield, 0.01) || a.factoryId.localeCompare(b.factoryId),
  );
  return ranked[0];
}

/**
 * The template a part family's history teaches: the routing most of its orders used (the latest
 * on a tie), each operation's standard time the median of the minutes per unit its lots' scans
 * measured (the latest order's figure until MIN_MEASURED_LOTS lots were measured) and its standard
 * consumption likewise from the material its lots reported, and the plant that did each operation
 * best — least time per good unit. `orders` newest first.
 */
export function learnTemplate(
  family: string,
  orders: readonly WorkOrder[],
  measured: readonly MeasuredOperation[],
): LearnedTemplate | undefined {
  const latest = orders[0];
  if (latest === undefined) return undefined;
  const uses = new Map<string, WorkOrder[]>();
  for (const order of orders) {
    const key = routingKey(order.routing);
    uses.set(key, [...(uses.get(key) ?? []), order]);
  }
  // Map keeps insertion order, newest first: the first of the most used is the latest such.
  const [, chosen] = [...uses.entries()].reduce((best, entry) =>
    entry[1].length > best[1].length ? entry : best,
  );
  const model = chosen[0] ?? latest;
  const ids = new Set(chosen.map((o) => o.workOrderId));
  const operations = [...model.routing]
    .sort((a, b) => a.seq - b.seq)
    .map((op): LearnedOperation => {
      const lots = measured.filter(
        (m) => ids.has(m.workOrderId) && m.seq === op.seq && m.process === op.process && m.inputQuantity > 0,
      );
      const best = bestFactoryOf(lots);
      const learnt = lots.length >= MIN_MEASURED_LOTS;
      return {
        seq: op.seq,
        process: op.process,
        standardMinutes: !learnt
          ? op.standardMinutes
          : Math.max(0.01, hundredths(median(lots.map((m) => m.actualMinutes / m.inputQuantity)))),
        source: learnt ? 'MEASURED_MEDIAN' : 'LAST_ORDER',
        measuredLots: lots.length,
        lastOrderMinutes: op.standardMinutes,
        ...(op.material === undefined ? {} : learnedConsumption(op.material, lots)),
        ...(best === undefined ? {} : { bestFactory: best }),
      };
    });
  return {
    family,
    fromWorkOrderId: model.workOrderId,
    partNumber: model.partNumber,
    ordersInFamily: orders.length,
    routingUsedBy: chosen.length,
    operations,
    maxUnitPrice: model.maxUnitPrice,
    latePenaltyPerUnitPerBucket: model.latePenaltyPerUnitPerBucket,
  };
}
