import type { Process } from '@fabpool/chaincode/model';
import type pg from 'pg';
import type { Queryable } from './queryable.js';

/**
 * What factories tell the matcher off the ledger: live load (minutes taken by work outside the
 * pool), that they are alive, and outages.
 */

/** One shift's load a factory reported. */
export interface ReportedLoad {
  process: Process;
  bucket: string;
  loadMinutes: number;
}

/**
 * Keeps a factory's load report, replacing earlier figures of the same shifts, and notes the
 * factory alive at `at` — both or neither.
 */
export async function saveLoadReport(
  pool: pg.Pool,
  factoryId: string,
  loads: readonly ReportedLoad[],
  by: string,
  at: Date,
): Promise<void> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    for (const l of loads)
      await client.query(
        `INSERT INTO factory_load (factory_id, process, bucket, load_minutes, reported_at) VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (factory_id, process, bucket) DO UPDATE SET load_minutes = EXCLUDED.load_minutes, reported_at = EXCLUDED.reported_at`,
        [factoryId, l.process, l.bucket, l.loadMinutes, at],
      );
    await client.query(
      `INSERT INTO factory_report (factory_id, reported_at, reported_by) VALUES ($1, $2, $3)
       ON CONFLICT (factory_id) DO UPDATE SET reported_at = EXCLUDED.reported_at, reported_by = EXCLUDED.reported_by`,
      [factoryId, at, by],
    );
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK');
    throw error;
  } finally {
    client.release();
  }
}

/** Loads reported for shifts from `from` on. */
export async function reportedLoads(
  db: Queryable,
  from: Date,
): Promise<{ factoryId: string; process: Process; bucket: Date; loadMinutes: number }[]> {
  const { rows } = await db.query<{ factoryId: string; process: Process; bucket: Date; loadMinutes: number }>(
    `SELECT factory_id AS "factoryId", process, bucket, load_minutes AS "loadMinutes"
       FROM factory_load WHERE bucket >= $1 ORDER BY factory_id, process, bucket`,
    [from],
  );
  return rows;
}

/** Factories that once reported but not since `since`, by id. */
export async function factoriesSilentSince(db: Queryable, since: Date): Promise<string[]> {
  const { rows } = await db.query<{ factory_id: string }>(
    'SELECT factory_id FROM factory_report WHERE reported_at < $1 ORDER BY factory_id',
    [since],
  );
  return rows.map((r) => r.factory_id);
}

export interface Outage {
  factoryId: string;
  from: Date;
  until: Date;
  reason: string;
  declaredBy: string;
  declaredAt: Date;
}

export async function saveOutage(db: Queryable, outage: Outage): Promise<void> {
  await db.query(
    `INSERT INTO factory_outage (factory_id, from_at, until_at, reason, declared_by, declared_at)
     VALUES ($1, $2, $3, $4, $5, $6)`,
    [outage.factoryId, outage.from, outage.until, outage.reason, outage.declaredBy, outage.declaredAt],
  );
}

/** Outages not over at `at` (current or to come), in the order they were declared. */
export async function outagesNotOverAt(
  db: Queryable,
  at: Date,
): Promise<{ factoryId: string; from: Date; until: Date }[]> {
  const { rows } = await db.query<{ factoryId: string; from: Date; until: Date }>(
    'SELECT factory_id AS "factoryId", from_at AS "from", until_at AS "until" FROM factory_outage WHERE until_at > $1 ORDER BY id',
    [at],
  );
  return rows;
}
