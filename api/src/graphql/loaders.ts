import type pg from 'pg';
import type { ReadCache } from '../readModel/readCache.js';
import type { RecordRow } from './context.js';

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
export function createLoaders(pool: pg.Pool, cache: ReadCache) {
  const lotsOfWorkOrder = batchLoader<RecordRow[]>(async (ids) => {
    const { rows } = await pool.query<RecordRow & { wo: string }>(
      "SELECT id, record, record->>'workOrderId' AS wo FROM record WHERE kind = 'Lot' AND record->>'workOrderId' = ANY($1) ORDER BY id",
      [ids],
    );
    const byOrder = new Map<string, RecordRow[]>();
    for (const { id, record, wo } of rows) byOrder.set(wo, [...(byOrder.get(wo) ?? []), { id, record }]);
    return byOrder;
  }, []);
  const customerOfWorkOrder = batchLoader<string | undefined>(async (ids) => {
    const { rows } = await pool.query<{ id: string; customer: string }>(
      "SELECT id, record->>'customerMemberId' AS customer FROM record WHERE kind = 'WorkOrder' AND id = ANY($1)",
      [ids],
    );
    return new Map(rows.map((r) => [r.id, r.customer]));
  }, undefined);
  const factoriesOfOrganisation = batchLoader<ReadonlySet<string>>(async (mspIds) => {
    const { rows } = await pool.query<{ id: string; msp: string }>(
      "SELECT id, record->>'mspId' AS msp FROM record WHERE kind = 'Factory' AND record->>'mspId' = ANY($1)",
      [mspIds],
    );
    const byOrganisation = new Map<string, Set<string>>();
    for (const { id, msp } of rows) byOrganisation.set(msp, (byOrganisation.get(msp) ?? new Set()).add(id));
    return byOrganisation;
  }, new Set());
  return {
    /** The member who published a work order (what a customer's ownership is checked against). */
    customerOfWorkOrder,
    /** The ids of an organisation's factories. */
    factoriesOfOrganisation,
    lotsOfWorkOrder: (workOrderId: string) =>
      cache.get(`lots\u0000${workOrderId}`, () => lotsOfWorkOrder(workOrderId)),
    /** Why the matcher put a lot where it is (recorded with the run that added it), if it did. */
    explanationOfLot: batchLoader<unknown>(async (ids) => {
      const { rows } = await pool.query<{ lot_id: string; entry: unknown }>(
        `SELECT DISTINCT ON (m->>'lotId') m->>'lotId' AS lot_id, m AS entry
           FROM matcher_run r, jsonb_array_elements(r.moved) m
          WHERE m->>'change' = 'ADDED' AND m->>'lotId' = ANY($1)
          ORDER BY m->>'lotId', r.id DESC`,
        [ids],
      );
      return new Map(rows.map((r) => [r.lot_id, r.entry]));
    }, null),
  };
}

export type Loaders = ReturnType<typeof createLoaders>;
