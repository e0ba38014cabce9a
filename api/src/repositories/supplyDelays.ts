import type { MaterialDemand } from '../supply/forecast.js';
import type { Queryable } from './queryable.js';

/** A supplier's word that a work order's material comes later, as kept (off the ledger). */
export interface SupplyDelay {
  workOrderId: string;
  materialCode: string;
  delayHours: number;
  expectedAt: Date;
  reason: string;
  reportedBy: string;
  reportedAt: Date;
}

/** Keeps a reported delay; its id. */
export async function saveSupplyDelay(db: Queryable, delay: SupplyDelay): Promise<number> {
  const { rows } = await db.query<{ id: string }>(
    `INSERT INTO supply_delay (work_order_id, material_code, delay_hours, expected_at, reason, reported_by, reported_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`,
    [
      delay.workOrderId,
      delay.materialCode,
      delay.delayHours,
      delay.expectedAt,
      delay.reason,
      delay.reportedBy,
      delay.reportedAt,
    ],
  );
  return Number(rows[0]?.id);
}

/** When each delayed work order's last material now comes. */
export async function latestMaterialByWorkOrder(db: Queryable): Promise<Map<string, Date>> {
  const { rows } = await db.query<{ work_order_id: string; expected_at: Date }>(
    'SELECT work_order_id, max(expected_at) AS expected_at FROM supply_delay GROUP BY work_order_id',
  );
  return new Map(rows.map((r) => [r.work_order_id, r.expected_at]));
}

/**
 * What open work orders need from one supplier organisation, by due shift, each with the
 * supplier's latest reported delay of it.
 */
export async function materialNeedsOf(db: Queryable, supplierMspId: string): Promise<MaterialDemand[]> {
  const { rows } = await db.query<MaterialDemand>(
    `SELECT w.id AS "workOrderId", m->>'materialCode' AS "materialCode", (m->>'quantity')::float8 AS quantity,
            m->>'dueBucket' AS "dueBucket", w.record->>'publishedAt' AS "publishedAt",
            to_json(d.expected_at)#>>'{}' AS "expectedAt", d.reason AS "delayReason"
       FROM record w
      CROSS JOIN LATERAL jsonb_array_elements(coalesce(w.record->'materials', '[]'::jsonb)) m
       LEFT JOIN LATERAL (
              SELECT expected_at, reason FROM supply_delay
               WHERE work_order_id = w.id AND material_code = m->>'materialCode'
               ORDER BY reported_at DESC LIMIT 1) d ON true
      WHERE w.kind = 'WorkOrder' AND w.record->>'status' = 'OPEN' AND m->>'supplierMspId' = $1
      ORDER BY m->>'dueBucket', w.id, m->>'materialCode'`,
    [supplierMspId],
  );
  return rows;
}
