import type { Queryable } from '../repositories/queryable.js';
import { allRecordsOf, type RecordOfKind } from '../repositories/records.js';
import { recordsInScope, type AnalyticsScope } from './scope.js';
import { recordsInPeriod, type Period } from './period.js';
import {
  consumptionVariance,
  controlChart,
  cycleTimes,
  exceptionPareto,
  factoryHealth,
  materialVariance,
  plantAndTeamComparison,
  waitingByOperation,
  workOrderHealth,
} from './metrics.js';

async function recordsOf<K extends keyof RecordOfKind>(pool: Queryable, kind: K): Promise<RecordOfKind[K][]> {
  return (await allRecordsOf(pool, kind)).map((r) => r.record);
}

/** Every figure of the analytics page for one scope, from the read model (one read of each record kind). */
export async function allianceAnalytics(
  pool: Queryable,
  process: string,
  scope: AnalyticsScope = { kind: 'alliance' },
  period?: Period,
) {
  const [workOrders, lots, progress, exceptions, handOvers, capacities, factoryRecords] = await Promise.all([
    recordsOf(pool, 'WorkOrder'),
    recordsOf(pool, 'Lot'),
    recordsOf(pool, 'OperationProgress'),
    recordsOf(pool, 'OperationException'),
    recordsOf(pool, 'HandOver'),
    recordsOf(pool, 'Capacity'),
    recordsOf(pool, 'Factory'),
  ]);
  const scoped = recordsInScope(scope, {
    workOrders,
    lots,
    progress,
    exceptions,
    handOvers,
    capacities,
    factories: factoryRecords,
  });
  const mine = period === undefined ? scoped : recordsInPeriod(scoped, period);
  const declared = new Map<string, number>();
  for (const c of mine.capacities)
    declared.set(c.factoryId, (declared.get(c.factoryId) ?? 0) + c.declaredMinutes);
  const factories = mine.factories.map((f) => ({
    factoryId: f.factoryId,
    declaredMinutes: declared.get(f.factoryId) ?? 0,
  }));
  return {
    cycleTimes: cycleTimes(mine.workOrders, mine.lots),
    waitingByOperation: waitingByOperation(mine.progress),
    exceptionPareto: exceptionPareto(mine.exceptions),
    materialVariance: {
      ...materialVariance(mine.progress, mine.handOvers),
      byMaterial: consumptionVariance(mine.progress, mine.lots),
    },
    controlChart: controlChart(mine.progress, process),
    comparison: plantAndTeamComparison(
      mine.progress,
      mine.lots,
      new Map(workOrders.map((w) => [w.workOrderId, w.partNumber])),
    ),
    factoryHealth: factoryHealth(factories, mine.lots, mine.progress),
    workOrderHealth: workOrderHealth(
      mine.workOrders.filter((w) => w.status === 'OPEN').map((w) => w.workOrderId),
      mine.lots,
      mine.progress,
    ),
  };
}
