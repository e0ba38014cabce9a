import { isSealed, secretBoxOf } from '../secrets/secretBox.js';
import { hash, verify } from '@node-rs/argon2';
import type pg from 'pg';
import {
  accountByName,
  confirmTotpSecret,
  insertAccount,
  replaceTotpSecret,
  setConfirmedTotpSecret,
  setPendingTotpSecret,
  storedTotpSecrets,
  useTotpStep,
} from '../repositories/accounts.js';
import { AuthError, SECOND_FACTOR_ROLES, type Role, type Viewer } from './tokens.js';
import { matchingStep, newTotpSecret, otpauthUri } from './totp.js';

export interface NewUser {
  username: string;
  password: string;
  memberName: string;
  role: Role;
  displayName: string;
}

export const MIN_PASSWORD_LENGTH = 10;

/** Argon2id with its defaults (memory-hard): passwords are never stored, only their hashes. */
export async function createUser(pool: pg.Pool, user: NewUser): Promise<void> {
  if (user.password.length < MIN_PASSWORD_LENGTH)
    throw new Error(`a password has at least ${String(MIN_PASSWORD_LENGTH)} characters`);
  await insertAccount(pool, {
    username: user.username,
    passwordHash: await hash(user.password),
    memberName: user.memberName,
    role: user.role,
    displayName: user.displayName,
  });
}

/**
 * The user behind a username, password and (once enrolled) one-time code; the same error whether
 * the name or the password is wrong. A role that needs a second factor and has none enrolled yet
 * gets an enrol-only session.
 */
export async function authenticate(
  pool: pg.Pool,
  username: string,
  password: string,
  code?: string,
  nowMs = Date.now(),
): Promise<Viewer> {
  const row = await accountByName(pool, username);
  // Verify against a real hash even for an unknown name, so timing does not tell names apart.
  const ok =
    row === undefined
      ? (await verify(await dummyHash(), password), false)
      : await verify(row.passwordHash, password);
  if (!ok || row === undefined) throw new AuthError('AUTH.INVALID_CREDENTIALS', 'wrong username or password');
  const viewer: Viewer = { username, memberName: row.memberName, role: row.role };
  if (row.totpConfirmed && row.totpSecret !== null) {
    if (code === undefined || code === '')
      throw new AuthError('AUTH.TOTP_REQUIRED', 'enter the one-time code from your authenticator app');
    await useCode(pool, username, secretBoxOf(pool).open(row.totpSecret), code, nowMs);
    return viewer;
  }
  return SECOND_FACTOR_ROLES.includes(row.role) ? { ...viewer, enrolOnly: true } : viewer;
}

/** Accepts a code once: its time step must be later than the last one accepted. */
async function useCode(
  pool: pg.Pool,
  username: string,
  secret: string,
  code: string,
  nowMs: number,
): Promise<void> {
  const step = matchingStep(secret, code.trim(), nowMs);
  const used = step !== undefined && (await useTotpStep(pool, username, step));
  if (!used) throw new AuthError('AUTH.INVALID_TOTP', 'the one-time code is wrong, expired or already used');
}

/** A new secret for the account's authenticator, to be confirmed with a code before it counts. */
export async function startTotpEnrolment(
  pool: pg.Pool,
  username: string,
): Promise<{ secret: string; uri: string }> {
  const secret = newTotpSecret();
  if (!(await setPendingTotpSecret(pool, username, secretBoxOf(pool).seal(secret))))
    throw new AuthError('AUTH.TOTP_ALREADY_ENROLLED', 'this account already has an authenticator');
  return { secret, uri: otpauthUri(secret, username) };
}

/** The first code from the new authenticator proves it works: from now on it is required. */
export async function confirmTotpEnrolment(
  pool: pg.Pool,
  username: string,
  code: string,
  nowMs = Date.now(),
): Promise<void> {
  const row = await accountByName(pool, username);
  if (row?.totpSecret == null || row.totpConfirmed)
    throw new AuthError('AUTH.INVALID_TOTP', 'start the enrolment first');
  await useCode(pool, username, secretBoxOf(pool).open(row.totpSecret), code, nowMs);
  await confirmTotpSecret(pool, username);
}

/** Enrols an account with a known secret at once (accounts set up by a script, such as the demo's). */
export async function enrolTotp(pool: pg.Pool, username: string, secret: string): Promise<void> {
  await setConfirmedTotpSecret(pool, username, secretBoxOf(pool).seal(secret));
}

/** Seals the authenticator secrets stored before they were sealed; returns how many. */
export async function sealStoredSecrets(pool: pg.Pool): Promise<number> {
  const box = secretBoxOf(pool);
  const plain = (await storedTotpSecrets(pool)).filter((r) => !isSealed(r.totpSecret));
  for (const row of plain)
    await replaceTotpSecret(pool, row.username, row.totpSecret, box.seal(row.totpSecret));
  return plain.length;
}

export async function viewerOf(pool: pg.Pool, username: string): Promise<Viewer> {
  const row = await accountByName(pool, username);
  if (row === undefined) throw new AuthError('AUTH.INVALID_TOKEN', 'the account no longer exists');
  const viewer: Viewer = { username, memberName: row.memberName, role: row.role };
  return SECOND_FACTOR_ROLES.includes(row.role) && !row.totpConfirmed
    ? { ...viewer, enrolOnly: true }
    : viewer;
}

let dummy: Promise<string> | undefined;
const dummyHash = (): Promise<string> => (dummy ??= hash('no account has this password'));
