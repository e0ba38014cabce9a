import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type pg from 'pg';
import { AuthError, type Role, type Viewer } from './tokens.js';

/** Partner systems act for a factory, a customer or a supplier; never as an operator or auditor. */
export const CLIENT_ROLES: readonly Role[] = ['factory', 'customer', 'supplier'];

/** A client's sessions are named after it: `client:<clientId>`. */
const CLIENT_USER_PREFIX = 'client:';

const hashOf = (secret: string): string => createHash('sha256').update(secret).digest('hex');

export interface ClientInfo {
  clientId: string;
  displayName: string;
  createdAt: string;
  revoked: boolean;
}

/**
 * Registers a partner system (a supplier's ERP, a factory's MES) to act as the caller's own member
 * through OAuth 2.0 client credentials. The secret is shown once; only its hash is kept (it is
 * 256 random bits, so a fast hash is enough).
 */
export async function registerClient(
  pool: pg.Pool,
  owner: Viewer,
  displayName: string,
): Promise<{ clientId: string; clientSecret: string }> {
  if (!CLIENT_ROLES.includes(owner.role))
    throw new AuthError('AUTH.INVALID_CLIENT', `a ${owner.role} may not register partner systems`);
  const clientId = `client-${randomBytes(9).toString('base64url')}`;
  const clientSecret = randomBytes(32).toString('base64url');
  await pool.query(
    `INSERT INTO oauth_client (client_id, secret_hash, member_name, role, display_name, created_by)
     VALUES ($1, $2, $3, $4, $5, $6)`,
    [clientId, hashOf(clientSecret), owner.memberName, owner.role, displayName, owner.username],
  );
  return { clientId, clientSecret };
}

export async function clientsOf(pool: pg.Pool, owner: Viewer): Promise<ClientInfo[]> {
  const { rows } = await pool.query<{
    client_id: string;
    display_name: string;
    created_at: Date;
    revoked_at: Date | null;
  }>(
    'SELECT client_id, display_name, created_at, revoked_at FROM oauth_client WHERE member_name = $1 ORDER BY created_at',
    [owner.memberName],
  );
  return rows.map((r) => ({
    clientId: r.client_id,
    displayName: r.display_name,
    createdAt: r.created_at.toISOString(),
    revoked: r.revoked_at !== null,
  }));
}

export async function revokeClient(pool: pg.Pool, owner: Viewer, clientId: string): Promise<void> {
  const { rowCount } = await pool.query(
    'UPDATE oauth_client SET revoked_at = now() WHERE client_id = $1 AND member_name = $2 AND revoked_at IS NULL',
    [clientId, owner.memberName],
  );
  if (rowCount !== 1) throw new AuthError('AUTH.INVALID_CLIENT', `no active client ${clientId} of yours`);
}

/** The member a client acts for, if its id and secret are right and it is not revoked. */
export async function authenticateClient(
  pool: pg.Pool,
  clientId: string,
  clientSecret: string,
): Promise<Viewer> {
  const { rows } = await pool.query<{
    secret_hash: string;
    member_name: string;
    role: Role;
    revoked_at: Date | null;
  }>('SELECT secret_hash, member_name, role, revoked_at FROM oauth_client WHERE client_id = $1', [clientId]);
  const row = rows[0];
  const given = Buffer.from(hashOf(clientSecret), 'hex');
  if (
    row === undefined ||
    !timingSafeEqual(given, Buffer.from(row.secret_hash, 'hex')) ||
    row.revoked_at !== null
  )
    throw new AuthError('AUTH.INVALID_CLIENT', 'unknown client, wrong secret or revoked');
  return { username: `${CLIENT_USER_PREFIX}${clientId}`, memberName: row.member_name, role: row.role };
}

/** Whether a client's tokens still hold: checked on every request, so a revocation takes effect at once. */
export async function requireActiveClient(pool: pg.Pool, viewer: Viewer): Promise<void> {
  if (!viewer.username.startsWith(CLIENT_USER_PREFIX)) return;
  const clientId = viewer.username.slice(CLIENT_USER_PREFIX.length);
  const { rows } = await pool.query<{ revoked: boolean }>(
    'SELECT revoked_at IS NOT NULL AS revoked FROM oauth_client WHERE client_id = $1',
    [clientId],
  );
  if (rows[0]?.revoked !== false)
    throw new AuthError(
      'AUTH.CLIENT_REVOKED',
      `partner system ${clientId} was revoked: ask its member for a new one`,
    );
}
