import type pg from 'pg';
import type { Queryable } from './queryable.js';

/**
 * Refresh tokens, kept only as hashes, in families: each rotation adds a token to its family, and
 * a token used twice ends the whole family.
 */

export async function insertRefreshToken(
  db: Queryable,
  token: { hash: string; username: string; family: string; days: number },
): Promise<void> {
  await db.query(
    `INSERT INTO refresh_token (token_hash, username, family, expires_at) VALUES ($1, $2, $3, now() + make_interval(days => $4))`,
    [token.hash, token.username, token.family, token.days],
  );
}

/** What happened to a token handed in for rotation. */
export type Rotation =
  | { outcome: 'ROTATED'; username: string }
  /** Unknown, revoked or expired. */
  | { outcome: 'INVALID' }
  /** Used before: its family is now revoked. */
  | { outcome: 'REUSED' };

/**
 * Spends a token and adds its successor to the same family, in one transaction; a token already
 * spent revokes its family instead.
 */
export async function rotateRefreshTokenRow(
  pool: pg.Pool,
  spentHash: string,
  next: { hash: string; days: number },
): Promise<Rotation> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    const { rows } = await client.query<{
      username: string;
      family: string;
      used_at: Date | null;
      revoked_at: Date | null;
      expired: boolean;
    }>(
      'SELECT username, family, used_at, revoked_at, expires_at < now() AS expired FROM refresh_token WHERE token_hash = $1 FOR UPDATE',
      [spentHash],
    );
    const row = rows[0];
    if (row?.revoked_at !== null || row.expired) {
      await client.query('ROLLBACK');
      return { outcome: 'INVALID' };
    }
    if (row.used_at !== null) {
      await client.query('UPDATE refresh_token SET revoked_at = now() WHERE family = $1', [row.family]);
      await client.query('COMMIT');
      return { outcome: 'REUSED' };
    }
    await client.query('UPDATE refresh_token SET used_at = now() WHERE token_hash = $1', [spentHash]);
    await insertRefreshToken(client, {
      hash: next.hash,
      username: row.username,
      family: row.family,
      days: next.days,
    });
    await client.query('COMMIT');
    return { outcome: 'ROTATED', username: row.username };
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}
