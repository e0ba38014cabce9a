import type pg from 'pg';
import type { Queryable } from './queryable.js';

/**
 * The read model's writes: ledger events and the records they carry, in batches; the checkpoint
 * of the last event written; and the events the database refused, set aside (quarantined). Only
 * the projector writes here, one batch per transaction (see `beginBatch`).
 */

/**
 * The statement that writes a batch's events and the records they carry. PostgreSQL gets each
 * event's payload as the text it came as and parses it once: the event keeps it whole, and each
 * record is taken out of it as the batch's last event left it. Member registry events carry the
 * member record itself.
 * - `mayRepeat`: the batch may hold events already written (a stream opened again starts at the
 *   checkpoint's block); those are skipped, and so are their records. Elsewhere a stream never
 *   repeats an event, and the check is left out.
 * - `rewritesARecord`: some record is written by two of the batch's events; the last one is
 *   picked (a statement may not update a row twice). Otherwise the sort that picks it is left out.
 * - `recordsNew`: none of the batch's records is in the read model yet; they are inserted without
 *   the upsert's conflict probe (the primary key still refuses a record that was there after all).
 */
function writeBatch({ mayRepeat, rewritesARecord, recordsNew, olderOnly }: WriteShape): string {
  // Which of the batch's events are written now: those not already there, or all of them.
  const [events, source] = mayRepeat
    ? [
        `fresh AS (
  INSERT INTO ledger_event (block_number, transaction_id, event_name, actor_member_id, at, payload)
  SELECT b, t, n, p->>'actorMemberId', (p->>'at')::timestamptz, p FROM incoming
  ON CONFLICT DO NOTHING RETURNING block_number, transaction_id
), fresh_events AS (
  SELECT i.* FROM incoming i JOIN fresh f ON f.block_number = i.b AND f.transaction_id = i.t
)`,
        'fresh_events',
      ]
    : [
        `all_events AS (
  INSERT INTO ledger_event (block_number, transaction_id, event_name, actor_member_id, at, payload)
  SELECT b, t, n, p->>'actorMemberId', (p->>'at')::timestamptz, p FROM incoming
)`,
        'incoming',
      ];
  return `
WITH incoming AS (
  SELECT x.b::bigint AS b, x.t, x.n, x.p::jsonb AS p, x.o
    FROM unnest(string_to_array($1, E'\\n'), string_to_array($2, E'\\n'), string_to_array($3, E'\\n'),
                string_to_array($4, E'\\n')) WITH ORDINALITY AS x(b, t, n, p, o)
), ${events}, written AS (
  SELECT e.o, c.n AS co, c.change->>'kind' AS kind, c.change->>'id' AS id, c.change->'record' AS record,
         e.b, e.t, coalesce((e.p->>'at')::timestamptz, now()) AS at
    FROM ${source} e CROSS JOIN LATERAL jsonb_array_elements(e.p->'changes') WITH ORDINALITY AS c(change, n)
  UNION ALL
  SELECT e.o, 0, 'Member', e.p->>'memberId', e.p, e.b, e.t, now()
    FROM ${source} e WHERE NOT e.p ? 'changes' AND jsonb_typeof(e.p->'memberId') = 'string'
)
INSERT INTO record (kind, id, record, block_number, transaction_id, updated_at)
SELECT ${rewritesARecord ? 'DISTINCT ON (kind, id)' : ''} kind, id, record, b, t, at FROM written
${rewritesARecord ? 'ORDER BY kind, id, o DESC, co DESC' : ''}
${
  recordsNew
    ? ''
    : `ON CONFLICT (kind, id) DO UPDATE SET record = EXCLUDED.record, block_number = EXCLUDED.block_number,
  transaction_id = EXCLUDED.transaction_id, updated_at = EXCLUDED.updated_at
  ${olderOnly ? 'WHERE record.block_number < EXCLUDED.block_number' : ''}`
}`;
}
/** The shape of a batch that picks its write statement (see `writeBatch`). */
export interface WriteShape {
  mayRepeat: boolean;
  rewritesARecord: boolean;
  recordsNew: boolean;
  /**
   * An event written again out of ledger order (a quarantined one, retried): its records replace
   * only older versions of them.
   */
  olderOnly?: boolean;
}
/** One event written apart from its batch: it may be there already, and may rewrite a record. */
export const ONE_EVENT: WriteShape = { mayRepeat: true, rewritesARecord: true, recordsNew: false };
/** A quarantined event written again after the events that followed it on the ledger. */
export const RETRIED_EVENT: WriteShape = { ...ONE_EVENT, olderOnly: true };

/**
 * The write statement for a batch of that shape, named: each connection prepares and plans it once
 * (planning it took some 4 ms a batch), instead of once per batch.
 */
const WRITE_BATCH = new Map<string, { name: string; text: string }>();
function writeStatementFor(shape: WriteShape): {
  name: string;
  text: string;
} {
  const { mayRepeat, rewritesARecord, recordsNew, olderOnly = false } = shape;
  const name = `fabpool-projector-write-${[mayRepeat, rewritesARecord, recordsNew, olderOnly].map(Number).join('')}`;
  let statement = WRITE_BATCH.get(name);
  if (statement === undefined) {
    statement = { name, text: writeBatch({ mayRepeat, rewritesARecord, recordsNew, olderOnly }) };
    WRITE_BATCH.set(name, statement);
  }
  return statement;
}

/**
 * A connection of the pool's for a transaction. A connection lost while checked out (a database
 * restart) emits 'error' on its client, which with no listener ends the process; the query under
 * way fails anyway, and that failure is what the projector acts on.
 */
export async function batchConnection(pool: pg.Pool): Promise<pg.PoolClient> {
  const client = await pool.connect();
  if (client.listenerCount('error') === 0) client.on('error', () => undefined);
  return client;
}

/**
 * Opens a batch's transaction. A generic plan: the batch's columns are text whatever they hold,
 * and a custom plan would split them all while planning.
 */
export async function beginBatch(client: pg.PoolClient): Promise<void> {
  await client.query('BEGIN; SET LOCAL plan_cache_mode TO force_generic_plan');
}

export async function commit(client: pg.PoolClient): Promise<void> {
  await client.query('COMMIT');
}

export async function rollback(client: pg.PoolClient): Promise<void> {
  await client.query('ROLLBACK');
}

/**
 * Runs `write` under a savepoint of the open transaction: kept when it succeeds, undone (and its
 * error thrown) when it fails, the transaction still usable.
 */
export async function underSavepoint(client: pg.PoolClient, write: () => Promise<void>): Promise<void> {
  await client.query('SAVEPOINT fabpool_event');
  try {
    await write();
    await client.query('RELEASE SAVEPOINT fabpool_event');
  } catch (error) {
    await client.query('ROLLBACK TO SAVEPOINT fabpool_event');
    throw error;
  }
}

/**
 * Writes events (block, transaction, name and payload text: one column each, a line per event) and
 * their records, by the statement for the batch's shape.
 */
export async function writeEvents(
  client: pg.PoolClient,
  shape: WriteShape,
  columns: string[],
): Promise<void> {
  await client.query({ ...writeStatementFor(shape), values: columns });
}

/** The last event the read model holds with everything before it. */
export async function readCheckpoint(
  db: Queryable,
): Promise<{ blockNumber: number; transactionId: string } | undefined> {
  const { rows } = await db.query<{ block_number: string; transaction_id: string }>(
    'SELECT block_number, transaction_id FROM ledger_checkpoint WHERE id = 1',
  );
  const row = rows[0];
  return row === undefined
    ? undefined
    : { blockNumber: Number(row.block_number), transactionId: row.transaction_id };
}

/** Moves the checkpoint to an event; never back to an earlier block. */
export async function moveCheckpoint(
  client: pg.PoolClient,
  blockNumber: number,
  transactionId: string,
): Promise<void> {
  await client.query(
    `INSERT INTO ledger_checkpoint (id, block_number, transaction_id, updated_at) VALUES (1, $1, $2, now())
     ON CONFLICT (id) DO UPDATE SET block_number = EXCLUDED.block_number, transaction_id = EXCLUDED.transaction_id, updated_at = now()
     WHERE ledger_checkpoint.block_number <= EXCLUDED.block_number`,
    [blockNumber, transactionId],
  );
}

/** An event set aside: where it was, what it was, and why the database refused it. */
export interface QuarantinedRow {
  blockNumber: string;
  transactionId: string;
  eventName: string;
  error: string;
  errorCode: string | null;
  attempts: number;
  quarantinedAt: Date;
  lastTriedAt: Date;
}

/** Sets an event aside with the payload's bytes as they came, or counts one more refusal of it. */
export async function quarantineEvent(
  client: pg.PoolClient,
  event: { blockNumber: string; transactionId: string; eventName: string; payload: string },
  error: string,
  errorCode: string,
): Promise<void> {
  await client.query(
    `INSERT INTO quarantined_event (block_number, transaction_id, event_name, payload, error, error_code)
     VALUES ($1, $2, $3, $4, $5, $6)
     ON CONFLICT (block_number, transaction_id) DO UPDATE SET attempts = quarantined_event.attempts + 1,
       last_tried_at = now(), error = EXCLUDED.error, error_code = EXCLUDED.error_code`,
    [
      event.blockNumber,
      event.transactionId,
      event.eventName,
      Buffer.from(event.payload, 'utf8'),
      error,
      errorCode,
    ],
  );
}

/** The events set aside, oldest first. */
export async function quarantinedEvents(db: Queryable): Promise<QuarantinedRow[]> {
  const { rows } = await db.query<QuarantinedRow>(
    `SELECT block_number AS "blockNumber", transaction_id AS "transactionId", event_name AS "eventName", error,
            error_code AS "errorCode", attempts, quarantined_at AS "quarantinedAt", last_tried_at AS "lastTriedAt"
       FROM quarantined_event ORDER BY block_number, transaction_id`,
  );
  return rows;
}

/** The events set aside with their payloads as they came, oldest first: what a retry writes. */
export async function quarantinedPayloads(
  db: Queryable,
): Promise<{ blockNumber: string; transactionId: string; eventName: string; payload: Buffer }[]> {
  const { rows } = await db.query<{
    blockNumber: string;
    transactionId: string;
    eventName: string;
    payload: Buffer;
  }>(
    `SELECT block_number AS "blockNumber", transaction_id AS "transactionId", event_name AS "eventName", payload
       FROM quarantined_event ORDER BY block_number, transaction_id`,
  );
  return rows;
}

/** Takes an event out of the quarantine (it was written). */
export async function releaseQuarantined(
  client: pg.PoolClient,
  blockNumber: string,
  transactionId: string,
): Promise<void> {
  await client.query('DELETE FROM quarantined_event WHERE block_number = $1 AND transaction_id = $2', [
    blockNumber,
    transactionId,
  ]);
}

/** Counts one more failed retry of a quarantined event, with its latest reason. */
export async function countQuarantineRetry(
  db: Queryable,
  blockNumber: string,
  transactionId: string,
  error: string,
  errorCode: string,
): Promise<void> {
  await db.query(
    `UPDATE quarantined_event SET attempts = attempts + 1, last_tried_at = now(), error = $3, error_code = $4
      WHERE block_number = $1 AND transaction_id = $2`,
    [blockNumber, transactionId, error, errorCode],
  );
}

/** Empties the read model (records, events, checkpoint): what a rebuild starts from. */
export async function emptyReadModel(db: Queryable): Promise<void> {
  await db.query('TRUNCATE record, ledger_event, ledger_checkpoint');
}
