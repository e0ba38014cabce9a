import type pg from 'pg';
import {
  controlChart,
  cycleTimes,
  exceptionPareto,
  factoryHealth,
  materialVariance,
  waitingByOperation,
  workOrderHealth,
  type ExceptionFacts,
  type HandOverFacts,
  type LotFacts,
  type ProgressFacts,
} from './metrics.js';

async function recordsOf<T>(pool: pg.Pool, kind: string): Promise<T[]> {
  const { rows } = await pool.query<{ record: T }>('SELECT record FROM record WHERE kind = $1 ORDER BY id', [
    kind,
  ]);
  return rows.map((r) => r.record);
}

/** Every figure of the analytics page, from the read model (one read of each record kind). */
export async function allianceAnalytics(pool: pg.Pool, process: string) {
  const [workOrders, lots, progress, exceptions, handOvers, capacities] = await Promise.all([
    recordsOf<{ workOrderId: string; publishedAt: string; status: string }>(pool, 'WorkOrder'),
    recordsOf<LotFacts>(pool, 'Lot'),
    recordsOf<ProgressFacts>(pool, 'OperationProgress'),
    recordsOf<ExceptionFacts>(pool, 'OperationException'),
    recordsOf<HandOverFacts>(pool, 'HandOver'),
    recordsOf<{ factoryId: string; declaredMinutes: number }>(pool, 'Capacity'),
  ]);
  const declared = new Map<string, number>();
  for (const c of capacities) declared.set(c.factoryId, (declared.get(c.factoryId) ?? 0) + c.declaredMinutes);
  const factories = (await recordsOf<{ factoryId: string }>(pool, 'Factory')).map((f) => ({
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
