import type { Amendment, WorkOrder } from '@fabpool/chaincode/model';
import type { Queryable, Stored } from './queryable.js';
import type { MeasuredOperation } from '../templates/learn.js';

/** One page of the pool by id, after or before a cursor, newest or oldest first. */
export interface WorkOrderPage {
  status: string | null;
  customerMemberId: string | null;
  after: string | null;
  before: string | null;
  limit: number;
  descending: boolean;
}

export async function workOrderPage(db: Queryable, page: WorkOrderPage): Promise<Stored<WorkOrder>[]> {
  const { rows } = await db.query<Stored<WorkOrder>>(
    `SELECT id, record FROM record WHERE kind = 'WorkOrder' AND ($1::text IS NULL OR record->>'status' = $1)
        AND ($2::text IS NULL OR id > $2) AND ($3::text IS NULL OR id < $3)
        AND ($5::text IS NULL OR record->>'customerMemberId' = $5)
      ORDER BY id ${page.descending ? 'DESC' : 'ASC'} LIMIT $4`,
    [page.status, page.after, page.before, page.limit, page.customerMemberId],
  );
  return rows;
}

export async function workOrderById(db: Queryable, id: string): Promise<Stored<WorkOrder> | undefined> {
  return (await workOrdersByIds(db, [id]))[0];
}

export async function workOrdersByIds(db: Queryable, ids: readonly string[]): Promise<Stored<WorkOrder>[]> {
  const { rows } = await db.query<Stored<WorkOrder>>(
    "SELECT id, record FROM record WHERE kind = 'WorkOrder' AND id = ANY($1) ORDER BY id",
    [ids],
  );
  return rows;
}

/** The member who published each of the work orders (what a customer's ownership is checked against). */
export async function customersOfWorkOrders(
  db: Queryable,
  ids: readonly string[],
): Promise<Map<string, string>> {
  const { rows } = await db.query<{ id: string; customer: string }>(
    "SELECT id, record->>'customerMemberId' AS customer FROM record WHERE kind = 'WorkOrder' AND id = ANY($1)",
    [ids],
  );
  return new Map(rows.map((r) => [r.id, r.customer]));
}

/** The work orders of one status, by id. */
export async function workOrdersOfStatus(db: Queryable, status: string): Promise<Stored<WorkOrder>[]> {
  const { rows } = await db.query<Stored<WorkOrder>>(
    "SELECT id, record FROM record WHERE kind = 'WorkOrder' AND record->>'status' = $1 ORDER BY id",
    [status],
  );
  return rows;
}

/** Which of the work orders are rush orders. */
export async function rushOrdersAmong(db: Queryable, ids: readonly string[]): Promise<string[]> {
  const { rows } = await db.query<{ id: string }>(
    "SELECT id FROM record WHERE kind = 'WorkOrder' AND id = ANY($1) AND record->>'priority' = 'RUSH' ORDER BY id",
    [ids],
  );
  return rows.map((r) => r.id);
}

/** Each work order's amendments, oldest first, by work order id. */
export async function amendmentsOfWorkOrders(
  db: Queryable,
  workOrderIds: readonly string[],
): Promise<Map<string, Amendment[]>> {
  const { rows } = await db.query<{ record: Amendment }>(
    `SELECT record FROM record WHERE kind = 'Amendment' AND record->>'workOrderId' = ANY($1)
      ORDER BY record->>'workOrderId', (record->>'seq')::int`,
    [workOrderIds],
  );
  const byOrder = new Map<string, Amendment[]>();
  for (const { record } of rows)
    byOrder.set(record.workOrderId, [...(byOrder.get(record.workOrderId) ?? []), record]);
  return byOrder;
}

/** Amendments that wait for this organisation's consent (it has not answered yet), oldest first. */
export async function amendmentsAwaiting(db: Queryable, mspId: string): Promise<Amendment[]> {
  const { rows } = await db.query<{ record: Amendment }>(
    `SELECT record FROM record
      WHERE kind = 'Amendment' AND record->>'status' = 'AWAITING_CONSENT'
        AND record->'consentOf' ? $1
        AND NOT EXISTS (SELECT 1 FROM jsonb_array_elements(record->'consents') c WHERE c->>'mspId' = $1)
      ORDER BY record->>'requestedAt', id`,
    [mspId],
  );
  return rows.map((r) => r.record);
}

/**
 * A customer's history of a part family: its orders (newest first, at most 200) and what the scans
 * measured of each operation of them, with the plant that ran it.
 */
export async function partFamilyHistory(
  db: Queryable,
  customerMemberId: string,
  family: string,
): Promise<{ orders: WorkOrder[]; measured: MeasuredOperation[] }> {
  const { rows } = await db.query<{ record: WorkOrder }>(
    `SELECT record FROM record
      WHERE kind = 'WorkOrder' AND record->>'customerMemberId' = $1
        AND (record->>'partNumber' = $2 OR record->>'partNumber' LIKE $3)
      ORDER BY record->>'publishedAt' DESC, id DESC LIMIT 200`,
    [customerMemberId, family, `${family.replace(/[%_\\]/g, '\\$&')}-%`],
  );
  const orders = rows.map((r) => r.record);
  const measured = await db.query<MeasuredOperation>(
    `SELECT p.record->>'workOrderId' AS "workOrderId", (p.record->>'seq')::int AS seq,
            p.record->>'process' AS process, l.record->>'factoryId' AS "factoryId",
            (p.record->>'inputQuantity')::int AS "inputQuantity", (p.record->>'goodQuantity')::int AS "goodQuantity",
            (p.record->>'actualMinutes')::float8 AS "actualMinutes", p.record->'material' AS material
       FROM record p JOIN record l ON l.kind = 'Lot' AND l.id = p.record->>'lotId'
      WHERE p.kind = 'OperationProgress' AND p.record->>'status' = 'REPORTED'
        AND p.record->>'workOrderId' = ANY($1)
      ORDER BY p.id`,
    [orders.map((o) => o.workOrderId)],
  );
  return { orders, measured: measured.rows };
}
