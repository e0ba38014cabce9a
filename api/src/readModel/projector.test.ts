import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  decodeUtf8,
  EmbeddedLedger,
  encodeUtf8,
  LedgerError,
  type EventStream,
  type Ledger,
  type LedgerEvent,
} from '@fabpool/network';
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../db/database.js';
import { migrate } from '../db/migrate.js';
import { databaseWentAway, Projector } from './projector.js';

/** A test on a new embedded ledger and a new, migrated embedded database, both removed after. */
async function onFreshLedger(
  test: (ledger: EmbeddedLedger, database: Awaited<ReturnType<typeof openDatabase>>) => Promise<void>,
): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'fabpool-projector-'));
  const ledger = await EmbeddedLedger.open({ dir: join(dir, 'ledger') });
  const database = await openDatabase({ dir: join(dir, 'pg') });
  try {
    await migrate(database.pool);
    await test(ledger, database);
  } finally {
    await ledger.close();
    await database.close();
    await rm(dir, { recursive: true, force: true });
  }
}

/** The same ledger, handing out its events through `events` instead. */
function withEvents(
  ledger: Ledger,
  events: (options: Parameters<Ledger['events']>[0]) => EventStream,
): Ledger {
  return new Proxy(ledger, {
    get(target, property, receiver) {
      return property === 'events' ? events : (Reflect.get(target, property, receiver) as unknown);
    },
  });
}

/** A stream of `inner`'s events, each passed through `each` (which may throw, as a broken peer does). */
function passedThrough(
  inner: EventStream,
  each: (event: LedgerEvent, seen: number) => LedgerEvent,
): EventStream {
  return {
    close: () => {
      inner.close();
    },
    async *[Symbol.asyncIterator]() {
      let seen = 0;
      for await (const event of inner) yield each(event, seen++);
    },
  };
}

describe('the projector', () => {
  it('projects every event once with its checkpoint, and stops (not skips) when a write fails', async () => {
    await onFreshLedger(async (ledger, database) => {
      const projector = new Projector(ledger, database.pool);
      await projector.start();
      const height = await ledger.height();
      await projector.caughtUp(height - 1);
      const members = await database.pool.query(
        "SELECT count(*)::int AS n FROM record WHERE kind = 'Member'",
      );
      expect(members.rows[0]).toEqual({ n: ledger.members().length });
      expect((await projector.checkpoint())?.blockNumber).toBe(height - 1);
      await projector.stop();

      // Restarted, it resumes at its checkpoint's block: what it already wrote is not written again.
      const update = await ledger.submit('factory-a-user', 'Member', 'UpdateMyProfile', ['FactoryA planner']);
      const resumed = new Projector(ledger, database.pool);
      await resumed.start();
      await resumed.caughtUp(update);
      const after = await database.pool.query<{ events: number; name: string }>(
        `SELECT (SELECT count(*)::int FROM ledger_event) AS events,
                (SELECT record->>'displayName' FROM record WHERE kind = 'Member' AND record->>'displayName' = 'FactoryA planner') AS name`,
      );
      expect(after.rows[0]).toEqual({ events: height, name: 'FactoryA planner' });
      await resumed.stop();

      // A read model that cannot take the next batch: the projector must stop where it was.
      await database.pool.query('ALTER TABLE record RENAME TO record_gone');
      const broken = new Projector(ledger, database.pool);
      await broken.start();
      const committed = await ledger.submit('factory-a-user', 'Member', 'UpdateMyProfile', [
        'FactoryA planner (night shift)',
      ]);
      await expect(broken.caughtUp(committed.blockNumber, 5_000)).rejects.toThrow('the projector stopped');
      expect((await broken.checkpoint())?.blockNumber).toBe(height);
      await broken.stop();
    });
  });

  it('follows again from its checkpoint when the ledger becomes unreachable, losing and repeating nothing', async () => {
    await onFreshLedger(async (ledger, database) => {
      // The first stream breaks as a peer going down would, after three events.
      let opened = 0;
      const flaky = withEvents(ledger, (options) => {
        const breakAfter = opened++ === 0 ? 3 : Infinity;
        return passedThrough(ledger.events(options), (event, seen) => {
          if (seen === breakAfter) throw new LedgerError('UNAVAILABLE', 'peer went away');
          return event;
        });
      });
      const projector = new Projector(flaky, database.pool);
      await projector.start();
      const last = await ledger.submit('factory-a-user', 'Member', 'UpdateMyProfile', ['after the outage']);
      await projector.caughtUp(last, 15_000);
      const { rows } = await database.pool.query<{ events: number; blocks: number }>(
        'SELECT count(*)::int AS events, count(DISTINCT block_number)::int AS blocks FROM ledger_event',
      );
      expect(opened).toBe(2);
      expect(rows[0]).toEqual({ events: (await ledger.height()) - 1, blocks: (await ledger.height()) - 1 });
      await projector.stop();
    });
  });

  it('writes nothing twice when a resumed stream hands out events it already wrote', async () => {
    await onFreshLedger(async (ledger, database) => {
      // A ledger that resumes coarsely: from its first block, whatever the checkpoint.
      const coarse = withEvents(ledger, () => ledger.events());
      const first = new Projector(coarse, database.pool, () => undefined, { batchSize: 4 });
      await first.start();
      await first.caughtUp((await ledger.height()) - 1);
      await first.stop();
      const renamed = await ledger.submit('factory-a-user', 'Member', 'UpdateMyProfile', ['resumed']);
      const resumed = new Projector(coarse, database.pool, () => undefined, { batchSize: 4 });
      await resumed.start();
      await resumed.caughtUp(renamed);
      await resumed.stop();
      const { rows } = await database.pool.query<{ events: number; name: string }>(
        `SELECT (SELECT count(*)::int FROM ledger_event) AS events,
                (SELECT record->>'displayName' FROM record WHERE kind = 'Member' AND record->>'displayName' = 'resumed') AS name`,
      );
      // One event per block, the first (configuration) block aside.
      expect(rows[0]).toEqual({ events: (await ledger.height()) - 1, name: 'resumed' });
      expect(await resumed.checkpoint()).toEqual({
        blockNumber: renamed.blockNumber,
        transactionId: renamed.transactionId,
      });
    });
  });

  it('quarantines an event the database cannot hold and carries on, whether or not anyone listens', async () => {
    // Cut short (not JSON), and a character jsonb refuses (U+0000), in batches of one and of ten.
    const spoilers: [string, (payload: Uint8Array) => Uint8Array][] = [
      ['cut short', (payload) => payload.subarray(0, 40)],
      [
        'U+0000',
        (payload) =>
          encodeUtf8(decodeUtf8(payload).replace('"displayName":"bad"', '"displayName":"b\\u0000d"')),
      ],
    ];
    const cases = spoilers.flatMap(([what, spoil], k) =>
      [1, 10].map((batchSize, j) => ({ what, spoil, batchSize, listening: (j + k) % 2 === 0 })),
    );
    for (const { what, spoil, batchSize, listening } of cases) {
      await onFreshLedger(async (ledger, database) => {
        const bad = await ledger.submit('factory-a-user', 'Member', 'UpdateMyProfile', ['bad']);
        const after = await ledger.submit('factory-b-user', 'Member', 'UpdateMyProfile', ['after']);
        const broken = withEvents(ledger, (options) =>
          passedThrough(ledger.events(options), (event) =>
            event.transactionId === bad.transactionId ? { ...event, payload: spoil(event.payload) } : event,
          ),
        );
        const heard: string[] = [];
        const listener = listening
          ? (change: { transactionId: string }) => heard.push(change.transactionId)
          : undefined;
        const projector = new Projector(broken, database.pool, listener, { batchSize });
        await projector.start();
        await projector.caughtUp(after, 10_000);
        const label = `${what}, batches of ${batchSize}${listening ? ', listened to' : ''}`;
        expect(projector.state.state, label).toBe('following');
        expect(await projector.checkpoint(), label).toEqual({
          blockNumber: after.blockNumber,
          transactionId: after.transactionId,
        });
        const quarantined = await projector.quarantined();
        expect(
          quarantined.map((q) => [q.transactionId, q.blockNumber]),
          label,
        ).toEqual([[bad.transactionId, bad.blockNumber]]);
        expect(quarantined[0]?.errorCode?.slice(0, 2), label).toBe('22');
        const { rows } = await database.pool.query<{ transaction_id: string }>(
          'SELECT transaction_id FROM ledger_event WHERE block_number >= $1 ORDER BY block_number',
          [bad.blockNumber],
        );
        expect(
          rows.map((r) => r.transaction_id),
          label,
        ).toEqual([after.transactionId]);
        if (listening) {
          expect(heard, label).toContain(after.transactionId);
          expect(heard, label).not.toContain(bad.transactionId);
        }
        // Tried again with nothing fixed, it stays, its attempt counted.
        expect(await projector.retryQuarantined()).toEqual({ written: 0, stillQuarantined: 1 });
        expect((await projector.quarantined())[0]?.attempts).toBe(2);
        await projector.stop();
      });
    }
  });

  it('writes a quarantined event once a fix lets the database hold it, without undoing later versions', async () => {
    await onFreshLedger(async (ledger, database) => {
      const first = await ledger.submit('factory-a-user', 'Member', 'UpdateMyProfile', ['first']);
      const refused = await ledger.submit('factory-a-user', 'Member', 'UpdateMyProfile', ['refused']);
      const latest = await ledger.submit('factory-a-user', 'Member', 'UpdateMyProfile', ['latest']);
      const other = await ledger.submit('factory-b-user', 'Member', 'UpdateMyProfile', ['other']);
      // A read model that cannot hold one event's data (as an older schema might not), until fixed.
      await database.pool.query(`
        CREATE FUNCTION refuse_one() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
          IF NEW.transaction_id = '${refused.transactionId}' THEN
            RAISE EXCEPTION 'this read model cannot hold it' USING ERRCODE = '22023';
          END IF;
          RETURN NEW;
        END $$;
        CREATE TRIGGER refuse_one BEFORE INSERT ON ledger_event FOR EACH ROW EXECUTE FUNCTION refuse_one();`);
      const projector = new Projector(ledger, database.pool, undefined, { batchSize: 50 });
      await projector.start();
      await projector.caughtUp(other);
      expect((await projector.quarantined()).map((q) => q.transactionId)).toEqual([refused.transactionId]);
      await database.pool.query('DROP TRIGGER refuse_one ON ledger_event');
      expect(await projector.retryQuarantined()).toEqual({ written: 1, stillQuarantined: 0 });
      expect(await projector.quarantined()).toEqual([]);
      const { rows } = await database.pool.query<{ events: number; name: string }>(
        `SELECT (SELECT count(*)::int FROM ledger_event WHERE transaction_id = ANY($1)) AS events,
                (SELECT record->>'displayName' FROM record WHERE kind = 'Member' AND record->>'displayName' IN ('first', 'refused', 'latest')) AS name`,
        [[first.transactionId, refused.transactionId, latest.transactionId]],
      );
      // The event is there now; the member is still as its latest version left it.
      expect(rows[0]).toEqual({ events: 3, name: 'latest' });
      await projector.stop();
    });
  });

  it('still stops, skipping nothing, when a write fails for a reason other than the data', async () => {
    await onFreshLedger(async (ledger, database) => {
      const before = await ledger.submit('factory-a-user', 'Member', 'UpdateMyProfile', ['before']);
      const failing = await ledger.submit('factory-a-user', 'Member', 'UpdateMyProfile', ['failing']);
      await database.pool.query(`
        CREATE FUNCTION fail_one() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
          IF NEW.transaction_id = '${failing.transactionId}' THEN RAISE EXCEPTION 'disk trouble'; END IF;
          RETURN NEW;
        END $$;
        CREATE TRIGGER fail_one BEFORE INSERT ON ledger_event FOR EACH ROW EXECUTE FUNCTION fail_one();`);
      const projector = new Projector(ledger, database.pool, undefined, { batchSize: 1 });
      await projector.start();
      await expect(projector.caughtUp(failing, 5_000)).rejects.toThrow('the projector stopped');
      expect(projector.state.state).toBe('stopped');
      expect(() => {
        projector.requireFollowing();
      }).toThrow('the read model has stopped');
      expect(await projector.checkpoint()).toEqual({
        blockNumber: before.blockNumber,
        transactionId: before.transactionId,
      });
      expect(await projector.quarantined()).toEqual([]);
      await projector.stop();
    });
  });

  it('tells a database that went away from one that refused the data', () => {
    for (const gone of [
      { code: '57P01' },
      { code: '08006' },
      { code: 'ECONNREFUSED' },
      new Error('Connection terminated unexpectedly'),
    ])
      expect(databaseWentAway(gone), JSON.stringify(gone)).toBe(true);
    for (const refused of [
      { code: '22P05' },
      { code: '23505' },
      { code: 'P0001' },
      new Error('disk trouble'),
    ])
      expect(databaseWentAway(refused), JSON.stringify(refused)).toBe(false);
  });

  it('never waits forever on a pool of one connection, whichever batches share a record', async () => {
    await onFreshLedger(async (ledger, database) => {
      // The embedded database's pool has one connection: the batches in flight and the api's own
      // queries must take it in turn.
      const reading = { on: true };
      const projector = new Projector(ledger, database.pool, () => undefined, { batchSize: 2 });
      await projector.start();
      const reader = (async () => {
        while (reading.on) await database.pool.query("SELECT count(*) FROM record WHERE kind = 'Member'");
      })();
      // Bursts of profile updates as the projector follows: some batches rewrite a member the
      // batch before wrote, some do not.
      const members = ['factory-a-user', 'factory-b-user', 'customer-1'];
      try {
        for (let burst = 0; burst < 6; burst++)
          await Promise.all(
            Array.from({ length: 7 }, (_x, i) =>
              ledger.submit(members[(burst + i) % 3] ?? 'customer-1', 'Member', 'UpdateMyProfile', [
                `burst ${burst}`,
              ]),
            ),
          );
        await projector.caughtUp((await ledger.height()) - 1, 20_000);
      } finally {
        reading.on = false;
        await reader;
      }
      await projector.stop();
      const { rows } = await database.pool.query<{ n: number }>(
        "SELECT count(*)::int AS n FROM record WHERE kind = 'Member' AND record->>'displayName' = 'burst 5'",
      );
      expect(rows[0]?.n).toBe(3);
    });
  });
});
