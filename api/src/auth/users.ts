import { hash, verify } from '@node-rs/argon2';
import type pg from 'pg';
import { AuthError, type Role, type Viewer } from './tokens.js';

export interface NewUser {
  username: string;
  password: string;
  memberName: string;
  role: Role;
  displayName: string;
}

/** Argon2id with its defaults (memory-hard): passwords are never stored, only their hashes. */
export async function createUser(pool: pg.Pool, user: NewUser): Promise<void> {
  if (user.password.length < 10) throw new Error('a password has at least 10 characters');
  await pool.query(
    `INSERT INTO app_user (username, password_hash, member_name, role, display_name) VALUES ($1, $2, $3, $4, $5)
     ON CONFLICT (username) DO NOTHING`,
    [user.username, await hash(user.password), user.memberName, user.role, user.displayName],
  );
}

/** The user behind a username and password; the same error whether the name or the password is wrong. */
export async function authenticate(pool: pg.Pool, username: string, password: string): Promise<Viewer> {
  const { rows } = await pool.query<{ password_hash: string; member_name: string; role: Role }>(
    'SELECT password_hash, member_name, role FROM app_user WHERE username = $1',
    [username],
  );
  const row = rows[0];
  // Verify against a real hash even for an unknown name, so timing does not tell names apart.
  const ok =
    row === undefined
      ? (await verify(await dummyHash(), password), false)
      : await verify(row.password_hash, password);
  if (!ok || row === undefined) throw new AuthError('AUTH.INVALID_CREDENTIALS', 'wrong username or password');
  return { username, memberName: row.member_name, role: row.role };
}

export async function viewerOf(pool: pg.Pool, username: string): Promise<Viewer> {
  const { rows } = await pool.query<{ member_name: string; role: Role }>(
    'SELECT member_name, role FROM app_user WHERE username = $1',
    [username],
  );
  const row = rows[0];
  if (row === undefined) throw new AuthError('AUTH.INVALID_TOKEN', 'the account no longer exists');
  return { username, memberName: row.member_name, role: row.role };
}

let dummy: Promise<string> | undefined;
const dummyHash = (): Promise<string> => (dummy ??= hash('no account has this password'));
