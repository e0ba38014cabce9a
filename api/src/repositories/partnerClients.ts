import type { Role } from '../auth/tokens.js';
import type { Queryable } from './queryable.js';

/** A partner system registered to act for a member (OAuth 2.0 client credentials). */
export interface PartnerClient {
  clientId: string;
  /** SHA-256 of its secret: the secret itself is shown once and never kept. */
  secretHash: string;
  memberName: string;
  role: Role;
  displayName: string;
  createdBy: string;
  createdAt: Date;
  revokedAt: Date | null;
}

export async function insertPartnerClient(
  db: Queryable,
  client: Omit<PartnerClient, 'createdAt' | 'revokedAt'>,
): Promise<void> {
  await db.query(
    `INSERT INTO oauth_client (client_id, secret_hash, member_name, role, display_name, created_by)
     VALUES ($1, $2, $3, $4, $5, $6)`,
    [
      client.clientId,
      client.secretHash,
      client.memberName,
      client.role,
      client.displayName,
      client.createdBy,
    ],
  );
}

const COLUMNS = `client_id AS "clientId", secret_hash AS "secretHash", member_name AS "memberName", role,
  display_name AS "displayName", created_by AS "createdBy", created_at AS "createdAt", revoked_at AS "revokedAt"`;

/** A member's partner systems, in the order they were registered. */
export async function partnerClientsOf(db: Queryable, memberName: string): Promise<PartnerClient[]> {
  const { rows } = await db.query<PartnerClient>(
    `SELECT ${COLUMNS} FROM oauth_client WHERE member_name = $1 ORDER BY created_at, client_id`,
    [memberName],
  );
  return rows;
}

export async function partnerClientById(db: Queryable, clientId: string): Promise<PartnerClient | undefined> {
  const { rows } = await db.query<PartnerClient>(`SELECT ${COLUMNS} FROM oauth_client WHERE client_id = $1`, [
    clientId,
  ]);
  return rows[0];
}

/** Revokes a member's active client; false when it has no such client. */
export async function revokePartnerClient(
  db: Queryable,
  clientId: string,
  memberName: string,
): Promise<boolean> {
  const { rowCount } = await db.query(
    'UPDATE oauth_client SET revoked_at = now() WHERE client_id = $1 AND member_name = $2 AND revoked_at IS NULL',
    [clientId, memberName],
  );
  return rowCount === 1;
}
