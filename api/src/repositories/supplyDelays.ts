import type { MaterialDemand } from '../supply/forecast.js';
import type { Queryable } from './queryable.js';

/** When each delayed work order's last material now comes, by the suppliers' latest reports on the ledger. */
export async function latestMaterialByWorkOrder(db: Queryable): Promise<Map<string, Date>> {
  const { rows } = await db.query<{ work_order_id: string; expected_at: Date }>(
    `SELECT DISTINCT ON (record->>'workOrderId', record->>'materialCode')
            record->>'workOrderId' AS work_order_id, (record->>'expectedAt')::timestamptz AS expected_at
       FROM record WHERE kind = 'SupplyDelay'
      ORDER BY record->>'workOrderId', record->>'materialCode', (record->>'seq')::int DESC`,
  );
  // The latest report of each material counts; an order waits for its latest material.
  const latest = new Map<string, Date>();
  for (const r of rows) {
    const known = latest.get(r.work_order_id);
    if (known === undefined || r.expected_at > known) latest.set(r.work_order_id, r.expected_at);
  }
  return latest;
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
