import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type pg from 'pg';
import {
  insertPartnerClient,
  partnerClientById,
  partnerClientsOf,
  revokePartnerClient,
} from '../repositories/partnerClients.js';
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
  await insertPartnerClient(pool, {
    clientId,
    secretHash: hashOf(clientSecret),
    memberName: owner.memberName,
    role: owner.role,
    displayName,
    createdBy: owner.username,
  });
  return { clientId, clientSecret };
}

export async function clientsOf(pool: pg.Pool, owner: Viewer): Promise<ClientInfo[]> {
  return (await partnerClientsOf(pool, owner.memberName)).map((c) => ({
    clientId: c.clientId,
    displayName: c.displayName,
    createdAt: c.createdAt.toISOString(),
    revoked: c.revokedAt !== null,
  }));
}

export async function revokeClient(pool: pg.Pool, owner: Viewer, clientId: string): Promise<void> {
  if (!(await revokePartnerClient(pool, clientId, owner.memberName)))
    throw new AuthError('AUTH.INVALID_CLIENT', `no active client ${clientId} of yours`);
}

/** The member a client acts for, if its id and secret are right and it is not revoked. */
export async function authenticateClient(
  pool: pg.Pool,
  clientId: string,
  clientSecret: string,
): Promise<Viewer> {
  const row = await partnerClientById(pool, clientId);
  const given = Buffer.from(hashOf(clientSecret), 'hex');
  if (
    row === undefined ||
    !timingSafeEqual(given, Buffer.from(row.secretHash, 'hex')) ||
    row.revokedAt !== null
  )
    throw new AuthError('AUTH.INVALID_CLIENT', 'unknown client, wrong secret or revoked');
  return { username: `${CLIENT_USER_PREFIX}${clientId}`, memberName: row.memberName, role: row.role };
}

/** Whether a client's tokens still hold: checked on every request, so a revocation takes effect at once. */
export async function requireActiveClient(pool: pg.Pool, viewer: Viewer): Promise<void> {
  if (!viewer.username.startsWith(CLIENT_USER_PREFIX)) return;
  const clientId = viewer.username.slice(CLIENT_USER_PREFIX.length);
  const client = await partnerClientById(pool, clientId);
  if (client?.revokedAt !== null)
    throw new AuthError(
      'AUTH.CLIENT_REVOKED',
      `partner system ${clientId} was revoked: ask its member for a new one`,
    );
}
