import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { migrate, Projector } from '@fabpool/api';
import { EmbeddedLedger, type Checkpoint, type Ledger, type LedgerEvent } from '@fabpool/network';
import pg from 'pg';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { postgresDatabases } from '../support/postgresDatabases.js';
import { bucketFromNow, request, unique } from '../support/poolClient.js';

// On a PostgreSQL server the projector writes two batches at once on two connections; these tests
// make batches tiny so that every run has many of them in flight together.
const database = postgresDatabases();

function publish(ledger: Ledger, workOrderId: string): Promise<unknown> {
  return ledger.submit('customer-1', 'WorkOrder', 'PublishWorkOrder', [
    request({
      workOrderId,
      partNumber: 'P',
      quantity: 5,
      routing: [{ seq: 1, process: 'CNC', standardMinutes: 1 }],
      dueBucket: bucketFromNow(4),
      priority: 'NORMAL',
      maxUnitPrice: 500,
    }),
  ]);
}

/** Every event on the ledger, in ledger order. */
async function allEvents(ledger: Ledger): Promise<LedgerEvent[]> {
  const last = (await ledger.height()) - 1;
  const events: LedgerEvent[] = [];
  const stream = ledger.events();
  for await (const event of stream) {
    events.push(event);
    if (event.blockNumber >= last) break;
  }
  stream.close();
  return events;
}

/** The read model holds exactly the ledger's events up to its checkpoint, none after. */
async function expectExactlyThePrefix(
  pool: pg.Pool,
  events: LedgerEvent[],
  checkpoint: Checkpoint | undefined,
) {
  const upTo =
    checkpoint === undefined ? -1 : events.findIndex((e) => e.transactionId === checkpoint.transactionId);
  const { rows } = await pool.query<{ block_number: string; transaction_id: string }>(
    'SELECT block_number, transaction_id FROM ledger_event',
  );
  const projected = new Set(rows.map((r) => `${r.block_number}/${r.transaction_id}`));
  const expected = events.slice(0, upTo + 1).map((e) => `${e.blockNumber}/${e.transactionId}`);
  expect(projected).toEqual(new Set(expected));
}

describe('the projector on a PostgreSQL server, batches in flight together', () => {
  let dir: string;
  let ledger: EmbeddedLedger;
  let pool: pg.Pool;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'fabpool-projector-pg-'));
    ledger = await EmbeddedLedger.open({ dir: join(dir, 'ledger'), log: () => undefined });
    pool = new pg.Pool({ connectionString: await database(), max: 4 });
    await migrate(pool);
  });
  afterEach(async () => {
    await pool.end();
    await ledger.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('leaves each record as the last event wrote it, though batches writing other records commit together', async () => {
    const run = unique();
    // One member's profile rewritten by every other event, among work orders each written once.
    for (let i = 0; i < 40; i++) {
      await publish(ledger, `WO-${run}-${i}`);
      if (i % 2 === 0)
        await ledger.submit('factory-a-user', 'Member', 'UpdateMyProfile', [`planner, version ${i}`]);
    }
    const events = await allEvents(ledger);
    const projector = new Projector(ledger, pool, () => undefined, { batchSize: 3 });
    await projector.start();
    await projector.caughtUp(events.length > 0 ? (events[events.length - 1] as Checkpoint) : 0);
    await projector.stop();

    await expectExactlyThePrefix(pool, events, await projector.checkpoint());
    const profile = await pool.query<{ name: string }>(
      "SELECT record->>'displayName' AS name FROM record WHERE kind = 'Member' AND record->>'displayName' LIKE 'planner, version %'",
    );
    expect(profile.rows).toEqual([{ name: 'planner, version 38' }]);
    const orders = await pool.query<{ n: number }>(
      "SELECT count(*)::int AS n FROM record WHERE kind = 'WorkOrder' AND id LIKE $1 AND record->>'status' = 'OPEN'",
      [`WO-${run}-%`],
    );
    expect(orders.rows[0]?.n).toBe(40);
  });

  it('waits out a PostgreSQL crash and restart mid-projection, and ends equal to a full replay', async () => {
    const run = unique();
    for (let i = 0; i < 40; i++)
      await Promise.all(Array.from({ length: 5 }, (_x, k) => publish(ledger, `WO-${run}-${i}-${k}`)));
    pool.on('error', () => undefined);
    const projector = new Projector(ledger, pool, () => undefined, { batchSize: 5 });
    await projector.start();
    // Mid-projection: some batches committed, not all.
    while (projector.version === '') await new Promise((r) => setTimeout(r, 5));
    // Down longer than the projector's first wait: it must not follow on before the database is back.
    await database.restart(2_000);
    for (let i = 0; i < 10; i++) await publish(ledger, `WO-${run}-after-${i}`);
    const events = await allEvents(ledger);
    const last = events[events.length - 1] as Checkpoint;
    await projector.caughtUp(last, 60_000);
    expect(projector.state.state).toBe('following');
    await projector.stop();
    await expectExactlyThePrefix(pool, events, await projector.checkpoint());

    // A full replay into a new database holds the same records.
    const replay = new pg.Pool({ connectionString: await database(), max: 4 });
    try {
      await migrate(replay);
      const rebuilt = new Projector(ledger, replay, undefined, { until: last });
      await rebuilt.start();
      await rebuilt.caughtUp(last, 60_000);
      await rebuilt.stop();
      const recordsOf = async (p: pg.Pool) =>
        (
          await p.query<{ row: string }>(
            "SELECT kind || '/' || id || ' ' || record::text AS row FROM record ORDER BY kind, id",
          )
        ).rows.map((r) => r.row);
      const [live, replayed] = [await recordsOf(pool), await recordsOf(replay)];
      expect(live.length).toBeGreaterThan(200);
      expect(live).toEqual(replayed);
    } finally {
      await replay.end();
    }
  });

  it('commits nothing after a batch that fails, though the batch after it was already being written', async () => {
    const run = unique();
    for (let i = 0; i < 30; i++) await publish(ledger, `WO-${run}-${i}`);
    const poisoned = `WO-${run}-13`;
    // The read model refuses one record, as a full disk or a broken constraint would.
    await pool.query(`CREATE FUNCTION refuse_one() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN IF NEW.id = '${poisoned}' THEN RAISE EXCEPTION 'refused %', NEW.id; END IF; RETURN NEW; END $$`);
    await pool.query(
      'CREATE TRIGGER refuse_one BEFORE INSERT ON record FOR EACH ROW EXECUTE FUNCTION refuse_one()',
    );
    const events = await allEvents(ledger);
    const projector = new Projector(ledger, pool, () => undefined, { batchSize: 2 });
    await projector.start();
    await expect(projector.caughtUp(events[events.length - 1] as Checkpoint, 10_000)).rejects.toThrow(
      `refused ${poisoned}`,
    );
    await projector.stop();

    const checkpoint = await projector.checkpoint();
    const at = events.findIndex((e) => e.transactionId === checkpoint?.transactionId);
    const poisonedAt = events.findIndex((e) => new TextDecoder().decode(e.payload).includes(`"${poisoned}"`));
    expect(at).toBeGreaterThanOrEqual(0);
    expect(at).toBeLessThan(poisonedAt);
    await expectExactlyThePrefix(pool, events, checkpoint);
    const after = await pool.query<{ n: number }>(
      "SELECT count(*)::int AS n FROM record WHERE kind = 'WorkOrder' AND id LIKE $1",
      [`WO-${run}-%`],
    );
    // Work orders 0..12 at most: the poisoned batch's and everything after it rolled back.
    expect(after.rows[0]?.n).toBeLessThanOrEqual(13);

    // Mended, a new projector resumes at that checkpoint and ends with the whole ledger.
    await pool.query('DROP TRIGGER refuse_one ON record');
    const resumed = new Projector(ledger, pool, () => undefined, { batchSize: 2 });
    await resumed.start();
    await resumed.caughtUp(events[events.length - 1] as Checkpoint);
    await resumed.stop();
    await expectExactlyThePrefix(pool, events, await resumed.checkpoint());
    const all = await pool.query<{ n: number }>(
      "SELECT count(*)::int AS n FROM record WHERE kind = 'WorkOrder' AND id LIKE $1",
      [`WO-${run}-%`],
    );
    expect(all.rows[0]?.n).toBe(30);
  });
});
