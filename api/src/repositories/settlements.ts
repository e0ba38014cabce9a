import type { Settlement } from '@fabpool/chaincode/model';
import { firstRows, type Page, type Queryable, type ReadScope } from './queryable.js';

/** Settlements the scope pays or is paid, newest first; of one status when given. */
export async function settlementsOf(
  db: Queryable,
  scope: ReadScope,
  status: string | null,
  page: Page = firstRows(500),
): Promise<Settlement[]> {
  const { rows } = await db.query<{ record: Settlement }>(
    `SELECT record FROM record
      WHERE kind = 'Settlement' AND ($1::text IS NULL OR record->>'payerMspId' = $1 OR record->>'payeeMspId' = $1)
        AND ($2::text IS NULL OR record->>'status' = $2)
        AND ($3::text IS NULL OR record->>'payerMemberId' = $3)
      ORDER BY record->>'createdAt' DESC, id LIMIT $4 OFFSET $5`,
    [scope.organisation, status, scope.customerMemberId, page.limit, page.offset],
  );
  return rows.map((r) => r.record);
}

/** Every settlement one member (a customer) pays. */
export async function settlementsPaidBy(db: Queryable, payerMemberId: string): Promise<Settlement[]> {
  const { rows } = await db.query<{ record: Settlement }>(
    "SELECT record FROM record WHERE kind = 'Settlement' AND record->>'payerMemberId' = $1 ORDER BY id",
    [payerMemberId],
  );
  return rows.map((r) => r.record);
}
