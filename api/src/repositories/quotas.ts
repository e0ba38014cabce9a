import type { CapacityQuota } from '@fabpool/chaincode/model';
import { firstRows, type Page, type Queryable, type Stored } from './queryable.js';

/**
 * The quota market: every capacity quota, or those of one status; with `factoryMspId`, only the
 * quotas that organisation's plants listed (a factory sees its own offers, not its rivals').
 */
export async function quotas(
  db: Queryable,
  status: string | null,
  page: Page = firstRows(1000),
  factoryMspId: string | null = null,
): Promise<Stored<CapacityQuota>[]> {
  const { rows } = await db.query<Stored<CapacityQuota>>(
    `SELECT q.id, q.record FROM record q
      WHERE q.kind = 'CapacityQuota' AND ($1::text IS NULL OR q.record->>'status' = $1)
        AND ($4::text IS NULL OR EXISTS (
              SELECT 1 FROM record f
               WHERE f.kind = 'Factory' AND f.id = q.record->>'factoryId' AND f.record->>'mspId' = $4))
      ORDER BY q.id LIMIT $2 OFFSET $3`,
    [status, page.limit, page.offset, factoryMspId],
  );
  return rows;
}
