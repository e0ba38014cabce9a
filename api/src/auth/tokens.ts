import { createHash, createSecretKey, randomBytes, randomUUID, type KeyObject } from 'node:crypto';
import jwt from 'jsonwebtoken';
import type pg from 'pg';
import { insertRefreshToken, rotateRefreshTokenRow } from '../repositories/refreshTokens.js';

export const ROLES = ['operator', 'factory', 'customer', 'auditor', 'supplier'] as const;
export type Role = (typeof ROLES)[number];

/** Who is calling, from a verified access token. */
export interface Viewer {
  username: string;
  /** The ledger identity the api signs this person's transactions with. */
  memberName: string;
  role: Role;
  /** Logged in with a password only, and must enrol a second factor before anything else. */
  enrolOnly?: boolean;
}

/** Roles whose people must log in with a one-time code as well as a password. */
export const SECOND_FACTOR_ROLES: readonly Role[] = ['operator', 'auditor'];

export interface TokenSettings {
  secret: string;
  issuer: string;
  audience: string;
  accessSeconds: number;
  refreshDays: number;
}

/**
 * The secret as a key object, made once: given a string, jsonwebtoken first tries to read it as a
 * public key on every call, and that failed attempt was most of a request's CPU time.
 */
const keys = new Map<string, KeyObject>();
function keyOf(secret: string): KeyObject {
  let key = keys.get(secret);
  if (key === undefined) {
    key = createSecretKey(Buffer.from(secret, 'utf8'));
    keys.set(secret, key);
  }
  return key;
}

/** The only algorithm accepted: a token naming another (`none`, RS256 with our secret as a key…) is refused. */
const ALGORITHM = 'HS256' as const;

export class AuthError extends Error {
  constructor(
    readonly code:
      | 'AUTH.INVALID_CREDENTIALS'
      | 'AUTH.INVALID_TOKEN'
      | 'AUTH.TOKEN_REUSED'
      | 'AUTH.REQUIRED'
      | 'AUTH.TOTP_REQUIRED'
      | 'AUTH.INVALID_TOTP'
      | 'AUTH.TOTP_ALREADY_ENROLLED'
      | 'AUTH.INVALID_CLIENT'
      | 'AUTH.CLIENT_REVOKED'
      | 'AUTH.ACCOUNT_LOCKED'
      | 'AUTH.TOO_MANY_ATTEMPTS',
    message: string,
  ) {
    super(message);
    this.name = 'AuthError';
  }
}

export function issueAccessToken(settings: TokenSettings, viewer: Viewer): string {
  const claims = {
    member: viewer.memberName,
    role: viewer.role,
    ...(viewer.enrolOnly === true ? { enrol: true } : {}),
  };
  return jwt.sign(claims, keyOf(settings.secret), {
    algorithm: ALGORITHM,
    subject: viewer.username,
    issuer: settings.issuer,
    audience: settings.audience,
    expiresIn: settings.accessSeconds,
  });
}

/** Verifies signature, algorithm, expiry (which must be there), issuer and audience; anything else is an invalid token. */
export function verifyAccessToken(settings: TokenSettings, token: string): Viewer {
  let claims: jwt.JwtPayload;
  try {
    const decoded = jwt.verify(token, keyOf(settings.secret), {
      algorithms: [ALGORITHM],
      issuer: settings.issuer,
      audience: settings.audience,
    });
    if (typeof decoded === 'string') throw new Error('not a JSON token');
    claims = decoded;
  } catch (error) {
    throw new AuthError('AUTH.INVALID_TOKEN', `invalid access token: ${(error as Error).message}`);
  }
  // A token without an expiry would be good for ever: every token this api issues carries one.
  if (typeof claims.exp !== 'number')
    throw new AuthError('AUTH.INVALID_TOKEN', 'invalid access token: it has no expiry (exp)');
  const role = claims.role as Role;
  if (typeof claims.sub !== 'string' || typeof claims.member !== 'string' || !ROLES.includes(role))
    throw new AuthError('AUTH.INVALID_TOKEN', 'invalid access token: missing claims');
  return {
    username: claims.sub,
    memberName: claims.member,
    role,
    ...(claims.enrol === true ? { enrolOnly: true } : {}),
  };
}

const hashOf = (token: string): string => createHash('sha256').update(token).digest('hex');

/** A new refresh token (kept only as its hash), in a new family or the given one. */
export async function issueRefreshToken(
  pool: pg.Pool,
  settings: TokenSettings,
  username: string,
  family: string = randomUUID(),
): Promise<string> {
  const token = newRefreshToken();
  await insertRefreshToken(pool, { hash: hashOf(token), username, family, days: settings.refreshDays });
  return token;
}

const newRefreshToken = (): string => randomBytes(32).toString('base64url');

/**
 * Exchanges a refresh token for a new one (rotation). A token used twice means it was stolen:
 * its whole family is revoked, the thief's copy and the owner's alike.
 */
export async function rotateRefreshToken(
  pool: pg.Pool,
  settings: TokenSettings,
  token: string,
): Promise<{ username: string; refreshToken: string }> {
  const refreshToken = newRefreshToken();
  const rotation = await rotateRefreshTokenRow(pool, hashOf(token), {
    hash: hashOf(refreshToken),
    days: settings.refreshDays,
  });
  if (rotation.outcome === 'INVALID') throw new AuthError('AUTH.INVALID_TOKEN', 'invalid refresh token');
  if (rotation.outcome === 'REUSED')
    throw new AuthError(
      'AUTH.TOKEN_REUSED',
      'this refresh token was already used: every session of it is ended',
    );
  return { username: rotation.username, refreshToken };
}
