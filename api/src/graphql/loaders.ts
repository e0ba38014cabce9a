import { materialsAwaitingChoice } from '../repositories/supplyDelays.js';
import type { ReadCache } from '../readModel/readCache.js';
import type { Amendment, Lot } from '@fabpool/chaincode/model';
import { factoryIdsOfOrganisations } from '../repositories/factories.js';
import { lotsOfWorkOrders } from '../repositories/lots.js';
import { addedLotExplanations } from '../repositories/matcherRuns.js';
import type { Queryable, Stored } from '../repositories/queryable.js';
import { amendmentsOfWorkOrders, customersOfWorkOrders } from '../repositories/workOrders.js';

/**
 * Collects the keys asked for in one tick and answers them with one query (a query's many
 * `lots` fields become one database round trip, not one each).
 */
export function batchLoader<V>(load: (keys: string[]) => Promise<Map<string, V>>, missing: V) {
  let queue: { key: string; resolve: (v: V) => void; reject: (e: unknown) => void }[] = [];
  return (key: string): Promise<V> =>
    new Promise<V>((resolve, reject) => {
      if (queue.length === 0)
        process.nextTick(() => {
          const batch = queue;
          queue = [];
          load([...new Set(batch.map((b) => b.key))]).then(
            (values) => {
              for (const b of batch) b.resolve(values.get(b.key) ?? missing);
            },
            (error: unknown) => {
              for (const b of batch) b.reject(error);
            },
          );
        });
      queue.push({ key, resolve, reject });
    });
}

/** Per request: the lots of each work order a query asks about, in one query (or none, when the read model has not moved since they were read). */
export function createLoaders(pool: Queryable, cache: ReadCache) {
  const lotsOfWorkOrder = batchLoader<Stored<Lot>[]>((ids) => lotsOfWorkOrders(pool, ids), []);
  const customerOfWorkOrder = batchLoader<string | undefined>(
    (ids) => customersOfWorkOrders(pool, ids),
    undefined,
  );
  const factoriesOfOrganisation = batchLoader<ReadonlySet<string>>(
    (mspIds) => factoryIdsOfOrganisations(pool, mspIds),
    new Set(),
  );
  return {
    /** The member who published a work order (what a customer's ownership is checked against). */
    customerOfWorkOrder,
    /** The ids of an organisation's factories. */
    factoriesOfOrganisation,
    lotsOfWorkOrder: (workOrderId: string) =>
      cache.get(`lots\u0000${workOrderId}`, () => lotsOfWorkOrder(workOrderId)),
    /** A work order's amendments, oldest first. */
    amendmentsOfWorkOrder: batchLoader<Amendment[]>((ids) => amendmentsOfWorkOrders(pool, ids), []),
    /** The materials of a work order whose latest delay waits for its customer's choice. */
    materialsAwaitingChoice: batchLoader<string[]>((ids) => materialsAwaitingChoice(pool, ids), []),
    /** Why the matcher put a lot where it is (recorded with the run that added it), if it did. */
    explanationOfLot: batchLoader<unknown>((ids) => addedLotExplanations(pool, ids), null),
  };
}

export type Loaders = ReturnType<typeof createLoaders>;
