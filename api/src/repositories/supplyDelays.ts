import type { MaterialDemand } from '../supply/forecast.js';
import type { Queryable } from './queryable.js';

/** Where a work order's material stands, by the suppliers' latest delays and the customer's answers. */
export interface MaterialStanding {
  /** When its last material now comes. */
  expectedAt: Date;
  /** The customer chose to keep the work at these factories (KEEP_PLANTS), while that choice holds. */
  keepFactoryIds?: string[];
}

/**
 * Each delayed work order's standing, from the ledger's records: per material the latest delay
 * report counts, as its customer answered it (a backup supplier's committed date replaces the
 * delay's); the order waits for its latest material.
 */
export async function materialStandingByWorkOrder(db: Queryable): Promise<Map<string, MaterialStanding>> {
  const { rows } = await db.query<{
    work_order_id: string;
    expected_at: Date;
    keep_factory_ids: string[] | null;
  }>(
    `SELECT d.work_order_id, coalesce((c.record->>'expectedAt')::timestamptz, d.expected_at) AS expected_at,
            CASE WHEN c.record ? 'keepFactoryIds'
                 THEN ARRAY(SELECT jsonb_array_elements_text(c.record->'keepFactoryIds')) END AS keep_factory_ids
       FROM (SELECT DISTINCT ON (record->>'workOrderId', record->>'materialCode')
                    record->>'workOrderId' AS work_order_id, record->>'materialCode' AS material_code,
                    (record->>'seq')::int AS seq, (record->>'expectedAt')::timestamptz AS expected_at
               FROM record WHERE kind = 'SupplyDelay'
              ORDER BY record->>'workOrderId', record->>'materialCode', (record->>'seq')::int DESC) d
       LEFT JOIN record c
         ON c.kind = 'SupplyChoice' AND c.record->>'workOrderId' = d.work_order_id
        AND c.record->>'materialCode' = d.material_code AND (c.record->>'delaySeq')::int = d.seq`,
  );
  const standing = new Map<string, MaterialStanding>();
  for (const r of rows) {
    const known = standing.get(r.work_order_id);
    const expectedAt =
      known === undefined || r.expected_at > known.expectedAt ? r.expected_at : known.expectedAt;
    // Kept plants of several materials: the work stays where every choice allows.
    const keep =
      r.keep_factory_ids === null
        ? known?.keepFactoryIds
        : known?.keepFactoryIds === undefined
          ? r.keep_factory_ids
          : known.keepFactoryIds.filter((id) => r.keep_factory_ids?.includes(id));
    standing.set(r.work_order_id, { expectedAt, ...(keep === undefined ? {} : { keepFactoryIds: keep }) });
  }
  return standing;
}

/**
 * What open work orders need from one supplier organisation, by due shift, each with the
 * supplier's latest reported delay of it.
 */
export async function materialNeedsOf(db: Queryable, supplierMspId: string): Promise<MaterialDemand[]> {
  const { rows } = await db.query<MaterialDemand>(
    `SELECT w.id AS "workOrderId", m->>'materialCode' AS "materialCode", (m->>'quantity')::float8 AS quantity,
            m->>'dueBucket' AS "dueBucket", w.record->>'publishedAt' AS "publishedAt",
            d.record->>'expectedAt' AS "expectedAt", d.record->>'reason' AS "delayReason"
       FROM record w
      CROSS JOIN LATERAL jsonb_array_elements(coalesce(w.record->'materials', '[]'::jsonb)) m
       LEFT JOIN LATERAL (
              SELECT record FROM record
               WHERE kind = 'SupplyDelay' AND record->>'workOrderId' = w.id
                 AND record->>'materialCode' = m->>'materialCode'
               ORDER BY (record->>'seq')::int DESC LIMIT 1) d ON true
      WHERE w.kind = 'WorkOrder' AND w.record->>'status' = 'OPEN' AND m->>'supplierMspId' = $1
      ORDER BY m->>'dueBucket', w.id, m->>'materialCode'`,
    [supplierMspId],
  );
  return rows;
}
