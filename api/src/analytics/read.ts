import type { Queryable } from '../repositories/queryable.js';
import { allRecordsOf, type RecordOfKind } from '../repositories/records.js';
import {
  controlChart,
  cycleTimes,
  exceptionPareto,
  factoryHealth,
  materialVariance,
  waitingByOperation,
  workOrderHealth,
} from './metrics.js';

async function recordsOf<K extends keyof RecordOfKind>(pool: Queryable, kind: K): Promise<RecordOfKind[K][]> {
  return (await allRecordsOf(pool, kind)).map((r) => r.record);
}

/** Every figure of the analytics page, from the read model (one read of each record kind). */
export async function allianceAnalytics(pool: Queryable, process: string) {
  const [workOrders, lots, progress, exceptions, handOvers, capacities] = await Promise.all([
    recordsOf(pool, 'WorkOrder'),
    recordsOf(pool, 'Lot'),
    recordsOf(pool, 'OperationProgress'),
    recordsOf(pool, 'OperationException'),
    recordsOf(pool, 'HandOver'),
    recordsOf(pool, 'Capacity'),
  ]);
  const declared = new Map<string, number>();
  for (const c of capacities) declared.set(c.factoryId, (declared.get(c.factoryId) ?? 0) + c.declaredMinutes);
  const factories = (await recordsOf(pool, 'Factory')).map((f) => ({
    factoryId: f.factoryId,
    declaredMinutes: declared.get(f.factoryId) ?? 0,
  }));
  return {
    cycleTimes: cycleTimes(workOrders, lots),
    waitingByOperation: waitingByOperation(progress),
    exceptionPareto: exceptionPareto(exceptions),
    materialVariance: materialVariance(progress, handOvers),
    controlChart: controlChart(progress, process),
    factoryHealth: factoryHealth(factories, lots, progress),
    workOrderHealth: workOrderHealth(
      workOrders.filter((w) => w.status === 'OPEN').map((w) => w.workOrderId),
      lots,
      progress,
    ),
  };
}
