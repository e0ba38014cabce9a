import type { SupplyChoice, SupplyChoiceKind, SupplyDelay, WorkOrder } from '@fabpool/chaincode/model';
import { keptFactoryIds } from '@fabpool/chaincode/rules/supply';
import { whatIf, type MatchWorkOrder, type PlanLot } from '@fabpool/matcher';
import { lotsOfWorkOrders } from '../repositories/lots.js';
import type { Queryable, Stored } from '../repositories/queryable.js';
import { delayedMaterialsOf } from '../repositories/supplyDelays.js';
import { currentPlan } from './sandbox.js';
import type { SnapshotSettings } from './snapshot.js';

/** One thing a customer may do about a late material, and what it would do to its order. */
export interface SupplyAlternative {
  choice: SupplyChoiceKind;
  /** Who would supply the material. */
  supplierMspId: string;
  /** When the material would be there. */
  expectedAt: string;
  /** The shift its last unit would be finished in (null: not every unit within the horizon). */
  finishBucket: string | null;
  /** Shifts after the order's due shift (0: on time; null: not finished within the horizon). */
  lateShifts: number | null;
  unplacedUnits: number;
  /** What the order's work would cost at the factories it would go to, in fen. */
  processingCost: number;
  /** What the backup supplier costs more than the usual one, in fen. */
  extraCost: number;
  totalCost: number;
  /** The factories its work would be at. */
  factoryIds: string[];
}

/** A delayed material of a work order: the delay, the customer's answer if given, and the choices. */
export interface MaterialAlternatives {
  delay: SupplyDelay;
  choice: SupplyChoice | null;
  /** Evaluated while the delay is unanswered; none once it is. */
  alternatives: SupplyAlternative[];
}

/**
 * Evaluates what a customer may do about each unanswered delay of its work order's material, by
 * the matcher's what-if against the current plan, every other work order staying where it is:
 * wait for the supplier with the work kept at the plants of its live lots; wait and let the work
 * move to any plant; or each backup supplier, from its committed date (now plus its lead time).
 * The order can start no sooner than its latest material, so each choice's date is weighed with
 * the other materials' dates.
 */
export async function supplyAlternatives(
  pool: Queryable,
  nowMs: number,
  settings: SnapshotSettings,
  workOrder: Stored<WorkOrder>,
): Promise<MaterialAlternatives[]> {
  const delayed = await delayedMaterialsOf(pool, workOrder.id);
  // Nothing to weigh (all answered, or the order no longer open): no plan is built.
  if (workOrder.record.status !== 'OPEN' || delayed.every((d) => d.choice !== null))
    return delayed.map((d) => ({ ...d, alternatives: [] }));
  const { input, base, clock } = await currentPlan(pool, nowMs, settings);
  const order = input.workOrders.find((w) => w.workOrderId === workOrder.id);
  const keep = keptFactoryIds(
    ((await lotsOfWorkOrders(pool, [workOrder.id])).get(workOrder.id) ?? []).map((l) => l.record),
  );
  const allFactories = input.factories.map((f) => f.factoryId);
  const dateOf = (d: (typeof delayed)[number]): number =>
    Date.parse(d.choice?.expectedAt ?? d.delay.expectedAt);

  return delayed.map((material) => {
    if (material.choice !== null || order === undefined) return { ...material, alternatives: [] };
    const others = delayed.filter((d) => d !== material).map(dateOf);
    const need = (workOrder.record.materials ?? []).find(
      (m) => m.materialCode === material.delay.materialCode,
    );
    const evaluate = (
      choice: SupplyChoiceKind,
      supplierMspId: string,
      expectedAtMs: number,
      extraCost: number,
      avoidFactoryIds: string[] = [],
    ): SupplyAlternative => {
      const impact = whatIf(input, base, {
        kind: 'MATERIAL_DELAY',
        workOrderId: order.workOrderId,
        untilBucket: Math.max(0, clock.firstFrom(Math.max(expectedAtMs, ...others))),
        ...(avoidFactoryIds.length > 0 ? { avoidFactoryIds } : {}),
      });
      const lots = impact.affectedLots.filter((l) => l.workOrderId === order.workOrderId);
      const finish = finishOf(order, lots);
      const processingCost = Math.round(lots.reduce((s, l) => s + l.unitPrice * l.quantity, 0));
      return {
        choice,
        supplierMspId,
        expectedAt: new Date(expectedAtMs).toISOString(),
        finishBucket: finish === null ? null : clock.nameOf(finish),
        lateShifts: finish === null ? null : Math.max(0, finish - order.dueBucket),
        unplacedUnits: order.quantity - finishedUnits(order, lots),
        processingCost,
        extraCost,
        totalCost: processingCost + extraCost,
        factoryIds: [...new Set(lots.map((l) => l.factoryId))].sort(),
      };
    };
    const waitUntil = Date.parse(material.delay.expectedAt);
    const supplier = material.delay.supplierMspId;
    return {
      ...material,
      alternatives: [
        ...(keep.length === 0
          ? []
          : [
              evaluate(
                'KEEP_PLANTS',
                supplier,
                waitUntil,
                0,
                allFactories.filter((id) => !keep.includes(id)),
              ),
            ]),
        evaluate('MOVE_PLANTS', supplier, waitUntil, 0),
        ...(need?.backups ?? []).map((b) =>
          evaluate(
            'BACKUP_SUPPLIER',
            b.supplierMspId,
            nowMs + b.leadTimeHours * 3_600_000,
            Math.round(b.extraCostPerUnit * (need?.quantity ?? 0)),
          ),
        ),
      ],
    };
  });
}

const finishedUnits = (w: MatchWorkOrder, lots: readonly PlanLot[]): number =>
  lots.filter((l) => l.seq === w.routing.length).reduce((s, l) => s + l.quantity, 0);

/** The bucket the last operation's last unit is done in, if every unit is placed. */
function finishOf(w: MatchWorkOrder, lots: readonly PlanLot[]): number | null {
  if (finishedUnits(w, lots) < w.quantity) return null;
  return Math.max(...lots.filter((l) => l.seq === w.routing.length).map((l) => l.bucket));
}
