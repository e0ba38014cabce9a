import type { Statement } from '@fabpool/chaincode/model';
import { firstRows, type Page, type Queryable, type ReadScope } from './queryable.js';

/**
 * Statements the scope is a side of — a customer its own, a factory organisation those with it —
 * newest period first; all for the overseers.
 */
export async function statementsOf(
  db: Queryable,
  scope: ReadScope,
  page: Page = firstRows(500),
): Promise<Statement[]> {
  const { rows } = await db.query<{ record: Statement }>(
    `SELECT record FROM record
      WHERE kind = 'Statement'
        AND ($1::text IS NULL OR record->>'customerMemberId' = $1)
        AND ($2::text IS NULL OR record->>'factoryMspId' = $2)
      ORDER BY record->>'from' DESC, id LIMIT $3 OFFSET $4`,
    [
      scope.customerMemberId,
      scope.customerMemberId === null ? scope.organisation : null,
      page.limit,
      page.offset,
    ],
  );
  return rows.map((r) => r.record);
}
