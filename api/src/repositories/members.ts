import type { Member } from '@fabpool/chaincode/model';
import { firstRows, type Page, type Queryable } from './queryable.js';

/** Which members of the registry to read: one by id, an organisation's, or those awaiting approval. */
export type MemberFilter = { memberId: string } | { mspId: string } | { pending: true };

/** Members of the registry, in the order they joined. */
export async function members(
  db: Queryable,
  filter: MemberFilter,
  page: Page = firstRows(1000),
): Promise<Member[]> {
  const { rows } = await db.query<{ record: Member }>(
    `SELECT record FROM record
      WHERE kind = 'Member' AND ($1::text IS NULL OR id = $1) AND ($2::text IS NULL OR record->>'mspId' = $2)
        AND (NOT $3 OR record->>'status' = 'PENDING')
      ORDER BY record->>'createdAt', id LIMIT $4 OFFSET $5`,
    [
      'memberId' in filter ? filter.memberId : null,
      'mspId' in filter ? filter.mspId : null,
      'pending' in filter,
      page.limit,
      page.offset,
    ],
  );
  return rows.map((r) => r.record);
}

/** Every member of the registry, whatever its status: whom documents name. */
export async function everyMember(db: Queryable): Promise<Member[]> {
  const { rows } = await db.query<{ record: Member }>(
    "SELECT record FROM record WHERE kind = 'Member' ORDER BY id",
  );
  return rows.map((r) => r.record);
}

/** The organisations with an active supplier member: whom a customer may name for its material. */
export async function supplierOrganisations(db: Queryable): Promise<string[]> {
  const { rows } = await db.query<{ msp_id: string }>(
    `SELECT DISTINCT record->>'mspId' AS msp_id FROM record
      WHERE kind = 'Member' AND record->>'role' = 'supplier' AND record->>'status' = 'ACTIVE'
      ORDER BY 1`,
  );
  return rows.map((r) => r.msp_id);
}
