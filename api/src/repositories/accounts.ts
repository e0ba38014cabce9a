import type { Role } from '../auth/tokens.js';
import type { Queryable } from './queryable.js';

/** A login account of this node (a person, or a script's), as kept: its password only as a hash. */
export interface Account {
  username: string;
  passwordHash: string;
  memberName: string;
  role: Role;
  /** The authenticator secret, sealed; null until one is enrolled. */
  totpSecret: string | null;
  totpConfirmed: boolean;
}

/** Adds an account; false when the name is taken (the existing account is left as it is). */
export async function insertAccount(
  db: Queryable,
  account: Omit<Account, 'totpSecret' | 'totpConfirmed'> & { displayName: string },
): Promise<boolean> {
  const { rowCount } = await db.query(
    `INSERT INTO app_user (username, password_hash, member_name, role, display_name) VALUES ($1, $2, $3, $4, $5)
     ON CONFLICT (username) DO NOTHING`,
    [account.username, account.passwordHash, account.memberName, account.role, account.displayName],
  );
  return rowCount === 1;
}

export async function accountByName(db: Queryable, username: string): Promise<Account | undefined> {
  const { rows } = await db.query<Account>(
    `SELECT username, password_hash AS "passwordHash", member_name AS "memberName", role,
            totp_secret AS "totpSecret", totp_confirmed AS "totpConfirmed"
       FROM app_user WHERE username = $1`,
    [username],
  );
  return rows[0];
}

export async function accountCount(db: Queryable): Promise<number> {
  const { rows } = await db.query<{ n: string }>('SELECT count(*) AS n FROM app_user');
  return Number(rows[0]?.n ?? 0);
}

/**
 * Notes a one-time code's time step as used; false when that step or a later one was used
 * already (so each code counts once, and an older one never again).
 */
export async function useTotpStep(db: Queryable, username: string, step: number): Promise<boolean> {
  const { rowCount } = await db.query(
    'UPDATE app_user SET totp_last_step = $2 WHERE username = $1 AND (totp_last_step IS NULL OR totp_last_step < $2)',
    [username, step],
  );
  return rowCount === 1;
}

/**
 * Keeps a new, unconfirmed authenticator secret (sealed); false when the account already has a
 * confirmed one, which only an operator's reset replaces.
 */
export async function setPendingTotpSecret(
  db: Queryable,
  username: string,
  sealed: string,
): Promise<boolean> {
  const { rowCount } = await db.query(
    'UPDATE app_user SET totp_secret = $2 WHERE username = $1 AND NOT totp_confirmed',
    [username, sealed],
  );
  return rowCount === 1;
}

export async function confirmTotpSecret(db: Queryable, username: string): Promise<void> {
  await db.query('UPDATE app_user SET totp_confirmed = true WHERE username = $1', [username]);
}

/** Sets a confirmed authenticator secret (sealed) at once. */
export async function setConfirmedTotpSecret(db: Queryable, username: string, sealed: string): Promise<void> {
  await db.query('UPDATE app_user SET totp_secret = $2, totp_confirmed = true WHERE username = $1', [
    username,
    sealed,
  ]);
}

/** Every stored authenticator secret, as stored (sealed, or from before secrets were sealed). */
export async function storedTotpSecrets(db: Queryable): Promise<{ username: string; totpSecret: string }[]> {
  const { rows } = await db.query<{ username: string; totpSecret: string }>(
    'SELECT username, totp_secret AS "totpSecret" FROM app_user WHERE totp_secret IS NOT NULL ORDER BY username',
  );
  return rows;
}

/** Replaces a stored secret, unless it changed meanwhile. */
export async function replaceTotpSecret(
  db: Queryable,
  username: string,
  was: string,
  sealed: string,
): Promise<void> {
  await db.query('UPDATE app_user SET totp_secret = $2 WHERE username = $1 AND totp_secret = $3', [
    username,
    sealed,
    was,
  ]);
}

/** Every person's login of this node (partner systems log in apart), by username. */
export async function peopleLogins(
  db: Queryable,
): Promise<{ username: string; memberName: string; role: string; displayName: string }[]> {
  const { rows } = await db.query<{
    username: string;
    member_name: string;
    role: string;
    display_name: string;
  }>('SELECT username, member_name, role, display_name FROM app_user ORDER BY username');
  return rows.map((r) => ({
    username: r.username,
    memberName: r.member_name,
    role: r.role,
    displayName: r.display_name,
  }));
}
