import type { OperationException, OperationProgress } from '@fabpool/chaincode/model';
import type { Alert, AlertAudience, AlertKind } from '../alerts/alert.js';
import type { Page, Queryable } from './queryable.js';

/** An operation's exception with whom it concerns: its lot's factory and its order's customer. */
export interface ExceptionConcerning {
  id: string;
  record: OperationException;
  factoryMspId: string | null;
  customerMemberId: string | null;
}

const EXCEPTIONS = `SELECT e.id, e.record, l.record->>'factoryMspId' AS "factoryMspId",
         w.record->>'customerMemberId' AS "customerMemberId"
    FROM record e
    LEFT JOIN record l ON l.kind = 'Lot' AND l.id = e.record->>'lotId'
    LEFT JOIN record w ON w.kind = 'WorkOrder' AND w.id = e.record->>'workOrderId'
   WHERE e.kind = 'OperationException'`;

export async function exceptionsByIds(db: Queryable, ids: readonly string[]): Promise<ExceptionConcerning[]> {
  const { rows } = await db.query<ExceptionConcerning>(`${EXCEPTIONS} AND e.id = ANY($1) ORDER BY e.id`, [
    ids,
  ]);
  return rows;
}

/** Every exception still open (the watch escalates those whose next level is due). */
export async function openExceptions(db: Queryable): Promise<ExceptionConcerning[]> {
  const { rows } = await db.query<ExceptionConcerning>(
    `${EXCEPTIONS} AND e.record->>'status' = 'OPEN' ORDER BY e.id`,
  );
  return rows;
}

/** An operation on a machine now, with whom it concerns and whether an exception is open on it. */
export interface RunningOperation {
  id: string;
  record: OperationProgress;
  factoryMspId: string | null;
  customerMemberId: string | null;
  hasException: boolean;
}

/** Operations started and not yet reported, oldest first. */
export async function runningOperations(db: Queryable): Promise<RunningOperation[]> {
  const { rows } = await db.query<RunningOperation>(
    `SELECT p.id, p.record, l.record->>'factoryMspId' AS "factoryMspId",
            w.record->>'customerMemberId' AS "customerMemberId",
            EXISTS (SELECT 1 FROM record e WHERE e.kind = 'OperationException' AND e.id = p.id) AS "hasException"
       FROM record p
       LEFT JOIN record l ON l.kind = 'Lot' AND l.id = p.record->>'lotId'
       LEFT JOIN record w ON w.kind = 'WorkOrder' AND w.id = p.record->>'workOrderId'
      WHERE p.kind = 'OperationProgress' AND p.record->>'status' = 'STARTED'
      ORDER BY p.record->>'startedAt', p.id`,
  );
  return rows;
}

/** Keeps an alert raised at `at`; undefined when one of its kind and subject is kept already. */
export async function insertAlert(
  db: Queryable,
  alert: Omit<Alert, 'id' | 'raisedAt'>,
  at: Date,
): Promise<Alert | undefined> {
  const { rows } = await db.query<Record<string, unknown>>(
    `INSERT INTO alert (kind, subject, raised_at, work_order_id, lot_id, factory_msp_id, customer_member_id, message, detail)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT (kind, subject) DO NOTHING RETURNING *`,
    [
      alert.kind,
      alert.subject,
      at,
      alert.workOrderId,
      alert.lotId,
      alert.factoryMspId,
      alert.customerMemberId,
      alert.message,
      JSON.stringify(alert.detail),
    ],
  );
  const row = rows[0];
  return row === undefined ? undefined : alertOf(row);
}

/** The newest alerts an audience may see (see `concerns`), at most `limit`. */
export async function alertsFor(db: Queryable, audience: AlertAudience, page: Page): Promise<Alert[]> {
  const { rows } = await db.query<Record<string, unknown>>(
    `SELECT * FROM alert
      WHERE $1 IN ('operator', 'auditor') OR ($1 = 'factory' AND factory_msp_id = $2) OR ($1 = 'customer' AND customer_member_id = $3)
      ORDER BY id DESC LIMIT $4 OFFSET $5`,
    [audience.role, audience.mspId, audience.memberId, page.limit, page.offset],
  );
  return rows.map(alertOf);
}

function alertOf(row: Record<string, unknown>): Alert {
  return {
    id: Number(row.id),
    kind: row.kind as AlertKind,
    subject: String(row.subject),
    raisedAt: (row.raised_at as Date).toISOString(),
    workOrderId: (row.work_order_id as string | null) ?? null,
    lotId: (row.lot_id as string | null) ?? null,
    factoryMspId: (row.factory_msp_id as string | null) ?? null,
    customerMemberId: (row.customer_member_id as string | null) ?? null,
    message: String(row.message),
    detail: row.detail as Record<string, unknown>,
  };
}
