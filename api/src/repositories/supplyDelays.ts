import type { SupplyChoice, SupplyDelay } from '@fabpool/chaincode/model';
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
/** One material need of an open work order, as its supplier sees it. */
export interface MaterialDemand {
  workOrderId: string;
  materialCode: string;
  quantity: number;
  dueBucket: string;
  publishedAt: string;
  /** The supplier's latest reported delay of this delivery, if any: when it now expects to deliver, and why. */
  expectedAt?: string | null;
  delayReason?: string | null;
}

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

/** A material of a work order its supplier reported late: the latest report, and the customer's answer to it. */
export interface DelayedMaterial {
  delay: SupplyDelay;
  choice: SupplyChoice | null;
}

/** The delayed materials of one work order, by material code. */
export async function delayedMaterialsOf(db: Queryable, workOrderId: string): Promise<DelayedMaterial[]> {
  const { rows } = await db.query<DelayedMaterial>(
    `SELECT d.record AS delay, c.record AS choice
       FROM (SELECT DISTINCT ON (record->>'materialCode') record
               FROM record WHERE kind = 'SupplyDelay' AND record->>'workOrderId' = $1
              ORDER BY record->>'materialCode', (record->>'seq')::int DESC) d
       LEFT JOIN record c
         ON c.kind = 'SupplyChoice' AND c.record->>'workOrderId' = $1
        AND c.record->>'materialCode' = d.record->>'materialCode'
        AND (c.record->>'delaySeq')::int = (d.record->>'seq')::int
      ORDER BY d.record->>'materialCode'`,
    [workOrderId],
  );
  return rows;
}

/** Per work order, the materials whose latest delay its customer has not answered yet. */
export async function materialsAwaitingChoice(
  db: Queryable,
  workOrderIds: readonly string[],
): Promise<Map<string, string[]>> {
  const { rows } = await db.query<{ work_order_id: string; material_code: string }>(
    `SELECT d.record->>'workOrderId' AS work_order_id, d.record->>'materialCode' AS material_code
       FROM (SELECT DISTINCT ON (record->>'workOrderId', record->>'materialCode') record
               FROM record WHERE kind = 'SupplyDelay' AND record->>'workOrderId' = ANY($1)
              ORDER BY record->>'workOrderId', record->>'materialCode', (record->>'seq')::int DESC) d
      WHERE NOT EXISTS (SELECT 1 FROM record c
                         WHERE c.kind = 'SupplyChoice' AND c.record->>'workOrderId' = d.record->>'workOrderId'
                           AND c.record->>'materialCode' = d.record->>'materialCode'
                           AND (c.record->>'delaySeq')::int = (d.record->>'seq')::int)
      ORDER BY 1, 2`,
    [workOrderIds],
  );
  const byOrder = new Map<string, string[]>();
  for (const r of rows)
    byOrder.set(r.work_order_id, [...(byOrder.get(r.work_order_id) ?? []), r.material_code]);
  return byOrder;
}

/** Delay reports by their record ids (workOrderId/materialCode/seq). */
export async function supplyDelaysByIds(db: Queryable, ids: readonly string[]): Promise<SupplyDelay[]> {
  const { rows } = await db.query<{ record: SupplyDelay }>(
    "SELECT record FROM record WHERE kind = 'SupplyDelay' AND id = ANY($1) ORDER BY id",
    [ids],
  );
  return rows.map((r) => r.record);
}
