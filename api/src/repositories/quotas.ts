import type { CapacityQuota } from '@fabpool/chaincode/model';
import { firstRows, type Page, type Queryable, type Stored } from './queryable.js';

/** The quota market: every capacity quota, or those of one status. */
export async function quotas(
  db: Queryable,
  status: string | null,
  page: Page = firstRows(1000),
): Promise<Stored<CapacityQuota>[]> {
  const { rows } = await db.query<Stored<CapacityQuota>>(
    "SELECT id, record FROM record WHERE kind = 'CapacityQuota' AND ($1::text IS NULL OR record->>'status' = $1) ORDER BY id LIMIT $2 OFFSET $3",
    [status, page.limit, page.offset],
  );
  return rows;
}
