import type { Queryable } from './queryable.js';

/** Failed logins counted per key (an account's, an address's), with the block and lock they earned. */
export interface ThrottleState {
  key: string;
  blockedUntil: Date | null;
  lockedAt: Date | null;
}

export async function throttleStates(db: Queryable, keys: readonly string[]): Promise<ThrottleState[]> {
  const { rows } = await db.query<ThrottleState>(
    'SELECT key, blocked_until AS "blockedUntil", locked_at AS "lockedAt" FROM login_throttle WHERE key = ANY($1) ORDER BY key',
    [keys],
  );
  return rows;
}

/**
 * Counts a failure against a key at `at`; a key whose last failure is older than `forgetSeconds`
 * starts again from one. The count after this failure.
 */
export async function countFailure(
  db: Queryable,
  key: string,
  at: Date,
  forgetSeconds: number,
): Promise<number> {
  const { rows } = await db.query<{ failures: number }>(
    `INSERT INTO login_throttle AS t (key, failures, last_failure_at) VALUES ($1, 1, $2)
     ON CONFLICT (key) DO UPDATE SET
       failures = CASE WHEN t.last_failure_at < $2 - make_interval(secs => $3) THEN 1 ELSE t.failures + 1 END,
       last_failure_at = $2
     RETURNING failures`,
    [key, at, forgetSeconds],
  );
  return rows[0]?.failures ?? 1;
}

/** Blocks a key until `until`; locks it from `at` when `lock` (a lock, once set, stays). */
export async function blockKey(
  db: Queryable,
  key: string,
  until: Date,
  lock: boolean,
  at: Date,
): Promise<void> {
  await db.query(
    `UPDATE login_throttle SET blocked_until = $2, locked_at = CASE WHEN $3 THEN coalesce(locked_at, $4) ELSE locked_at END
      WHERE key = $1`,
    [key, until, lock, at],
  );
}

/** Forgets a key's failures, block and lock; false when it had none. */
export async function forgetKey(db: Queryable, key: string): Promise<boolean> {
  const { rowCount } = await db.query('DELETE FROM login_throttle WHERE key = $1', [key]);
  return (rowCount ?? 0) > 0;
}
