import { isSealed, secretBoxOf } from '../secrets/secretBox.js';
import { hash, verify } from '@node-rs/argon2';
import type pg from 'pg';
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
  await pool.query(
    `INSERT INTO app_user (username, password_hash, member_name, role, display_name) VALUES ($1, $2, $3, $4, $5)
     ON CONFLICT (username) DO NOTHING`,
    [user.username, await hash(user.password), user.memberName, user.role, user.displayName],
  );
}

interface UserRow {
  password_hash: string;
  member_name: string;
  role: Role;
  totp_secret: string | null;
  totp_confirmed: boolean;
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
  const { rows } = await pool.query<UserRow>(
    'SELECT password_hash, member_name, role, totp_secret, totp_confirmed FROM app_user WHERE username = $1',
    [username],
  );
  const row = rows[0];
  // Verify against a real hash even for an unknown name, so timing does not tell names apart.
  const ok =
    row === undefined
      ? (await verify(await dummyHash(), password), false)
      : await verify(row.password_hash, password);
  if (!ok || row === undefined) throw new AuthError('AUTH.INVALID_CREDENTIALS', 'wrong username or password');
  const viewer: Viewer = { username, memberName: row.member_name, role: row.role };
  if (row.totp_confirmed && row.totp_secret !== null) {
    if (code === undefined || code === '')
      throw new AuthError('AUTH.TOTP_REQUIRED', 'enter the one-time code from your authenticator app');
    await useCode(pool, username, secretBoxOf(pool).open(row.totp_secret), code, nowMs);
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
  const used =
    step === undefined
      ? 0
      : (
          await pool.query(
            'UPDATE app_user SET totp_last_step = $2 WHERE username = $1 AND (totp_last_step IS NULL OR totp_last_step < $2)',
            [username, step],
          )
        ).rowCount;
  if (used !== 1)
    throw new AuthError('AUTH.INVALID_TOTP', 'the one-time code is wrong, expired or already used');
}

/** A new secret for the account's authenticator, to be confirmed with a code before it counts. */
export async function startTotpEnrolment(
  pool: pg.Pool,
  username: string,
): Promise<{ secret: string; uri: string }> {
  const secret = newTotpSecret();
  const { rowCount } = await pool.query(
    'UPDATE app_user SET totp_secret = $2 WHERE username = $1 AND NOT totp_confirmed',
    [username, secretBoxOf(pool).seal(secret)],
  );
  if (rowCount !== 1)
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
  const { rows } = await pool.query<{ totp_secret: string | null; totp_confirmed: boolean }>(
    'SELECT totp_secret, totp_confirmed FROM app_user WHERE username = $1',
    [username],
  );
  const row = rows[0];
  if (row?.totp_secret == null || row.totp_confirmed)
    throw new AuthError('AUTH.INVALID_TOTP', 'start the enrolment first');
  await useCode(pool, username, secretBoxOf(pool).open(row.totp_secret), code, nowMs);
  await pool.query('UPDATE app_user SET totp_confirmed = true WHERE username = $1', [username]);
}

/** Enrols an account with a known secret at once (accounts set up by a script, such as the demo's). */
export async function enrolTotp(pool: pg.Pool, username: string, secret: string): Promise<void> {
  await pool.query('UPDATE app_user SET totp_secret = $2, totp_confirmed = true WHERE username = $1', [
    username,
    secretBoxOf(pool).seal(secret),
  ]);
}

/** Seals the authenticator secrets stored before they were sealed; returns how many. */
export async function sealStoredSecrets(pool: pg.Pool): Promise<number> {
  const box = secretBoxOf(pool);
  const { rows } = await pool.query<{ username: string; totp_secret: string }>(
    'SELECT username, totp_secret FROM app_user WHERE totp_secret IS NOT NULL',
  );
  const plain = rows.filter((r) => !isSealed(r.totp_secret));
  for (const row of plain)
    await pool.query('UPDATE app_user SET totp_secret = $2 WHERE username = $1 AND totp_secret = $3', [
      row.username,
      box.seal(row.totp_secret),
      row.totp_secret,
    ]);
  return plain.length;
}

export async function viewerOf(pool: pg.Pool, username: string): Promise<Viewer> {
  const { rows } = await pool.query<{ member_name: string; role: Role; totp_confirmed: boolean }>(
    'SELECT member_name, role, totp_confirmed FROM app_user WHERE username = $1',
    [username],
  );
  const row = rows[0];
  if (row === undefined) throw new AuthError('AUTH.INVALID_TOKEN', 'the account no longer exists');
  const viewer: Viewer = { username, memberName: row.member_name, role: row.role };
  return SECOND_FACTOR_ROLES.includes(row.role) && !row.totp_confirmed
    ? { ...viewer, enrolOnly: true }
    : viewer;
}

let dummy: Promise<string> | undefined;
const dummyHash = (): Promise<string> => (dummy ??= hash('no account has this password'));
