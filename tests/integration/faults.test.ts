import { spawn, type ChildProcess } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { migrate, Projector } from '@fabpool/api';
import pg from 'pg';
import { postgresDatabases } from '../support/postgresDatabases.js';
import {
  crashChaincodeServer,
  crashOrderer,
  crashPeer,
  decodeUtf8,
  FabricLedger,
  ordererNames,
  readConnectionDescription,
  startChaincodeServerAgain,
  startOrdererAgain,
  startPeerAgain,
} from '@fabpool/network';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const say = (line: string): void => {
  process.stdout.write(`[faults] ${line}\n`);
};

interface Refusal {
  at: number;
  kind: string;
  message: string;
}

/**
 * Writes probe keys one after another as one member, as long as it runs, and remembers which the
 * ledger acknowledged (committed) and which it refused, and how.
 */
class SteadyWriter {
  readonly acknowledged: { key: string; at: number }[] = [];
  readonly refused: Refusal[] = [];
  private running = false;
  private loop: Promise<void> = Promise.resolve();

  constructor(
    private readonly ledger: FabricLedger,
    private readonly member: string,
    private readonly prefix: string,
  ) {}

  start(): void {
    this.running = true;
    this.loop = (async () => {
      for (let i = 0; this.running; i++) {
        const key = `${this.prefix}-${i}`;
        try {
          await this.ledger.submit(this.member, 'Probe', 'PutGet', [key, 'acknowledged']);
          this.acknowledged.push({ key, at: Date.now() });
        } catch (error) {
          const e = error as { kind?: string; message?: string };
          this.refused.push({
            at: Date.now(),
            kind: e.kind ?? 'UNKNOWN',
            message: (e.message ?? '').slice(0, 200),
          });
          await sleep(250);
        }
      }
    })();
  }

  async stop(): Promise<void> {
    this.running = false;
    await this.loop;
  }

  /** Resolves with the first refusal at or after `since`. */
  async refusedSince(since: number, timeoutMs: number): Promise<Refusal> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      const refusal = this.refused.find((r) => r.at >= since);
      if (refusal !== undefined) return refusal;
      await sleep(100);
    }
    throw new Error(`${this.member}: no write refused within ${timeoutMs} ms`);
  }

  acknowledgedSince(at: number): number {
    return this.acknowledged.filter((a) => a.at >= at).length;
  }

  /** Resolves with the milliseconds from `since` until `count` writes since then were acknowledged. */
  async recovered(since: number, count: number, timeoutMs: number): Promise<number> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      const after = this.acknowledged.filter((a) => a.at >= since);
      const reached = after[count - 1];
      if (reached !== undefined) return reached.at - since;
      await sleep(100);
    }
    throw new Error(`${this.member}: fewer than ${count} writes acknowledged within ${timeoutMs} ms`);
  }
}

/**
 * The standing fault suite on the real network (3 Raft orderers, one peer and chaincode server
 * per organisation): crashes nodes under a steady write load and checks that writes go on while
 * they can, are refused clearly (UNAVAILABLE) when they cannot, resume after the restart, and that
 * no acknowledged transaction is lost. Prints its figures and keeps them in test-artifacts/faults.txt.
 */
describe('faults on the live network', () => {
  const newDatabase = postgresDatabases();
  let ledger: FabricLedger;
  const figures: string[] = [
    '| fault | acknowledged during | refused during (kind) | recovered after restart | acknowledged lost |',
    '| --- | --- | --- | --- | --- |',
  ];
  const run = Date.now().toString(36);

  beforeAll(async () => {
    ledger = await FabricLedger.open();
  });
  afterAll(async () => {
    // Whatever a failed test left down comes back for the files after this one.
    for (const name of await ordererNames()) await startOrdererAgain(name).catch(() => undefined);
    await startPeerAgain('FactoryAMSP').catch(() => undefined);
    await startChaincodeServerAgain('FactoryAMSP').catch(() => undefined);
    await ledger.close();
    const text = `${figures.join('\n')}\n`;
    process.stdout.write(`\nFault suite figures:\n${text}`);
    await mkdir('test-artifacts', { recursive: true });
    await writeFile(join('test-artifacts', 'faults.txt'), text);
  });

  /** Every acknowledged key holds its value on the ledger. */
  async function lost(writer: SteadyWriter, reader: string): Promise<number> {
    let missing = 0;
    for (const { key } of writer.acknowledged)
      if (decodeUtf8(await ledger.evaluate(reader, 'Probe', 'Get', [key])) !== 'acknowledged') missing++;
    return missing;
  }

  const kinds = (refusals: readonly Refusal[]): string =>
    [...new Set(refusals.map((r) => r.kind))].join(', ') || '—';

  it('keeps writing with one orderer of three down, refuses clearly with two down, and resumes, losing nothing', async () => {
    const orderers = await ordererNames();
    expect(orderers).toHaveLength(3);
    const [first, second] = orderers as [string, string, string];
    const writer = new SteadyWriter(ledger, 'factory-a-user', `raft-${run}`);
    writer.start();
    try {
      await writer.recovered(Date.now(), 5, 60_000);
      say(`writing: ${writer.acknowledged.length} acknowledged; killing ${first}`);

      const oneDown = Date.now();
      await crashOrderer(first);
      const withOneDown = await writer.recovered(oneDown, 5, 90_000);
      expect(writer.acknowledgedSince(oneDown)).toBeGreaterThanOrEqual(5);

      say(`${first} down: 5 writes in ${withOneDown} ms; killing ${second}`);
      await crashOrderer(second);
      const quorumLost = Date.now();
      // A write already ordered may still commit; the next cannot, and must be refused, not hang.
      const firstRefusal = await writer.refusedSince(quorumLost, 120_000);
      await sleep(10_000);
      const duringOutage = writer.refused.filter((r) => r.at >= quorumLost);
      expect(writer.acknowledgedSince(firstRefusal.at)).toBe(0);
      expect(
        duringOutage.every((r) => r.kind === 'UNAVAILABLE'),
        JSON.stringify(duringOutage.slice(0, 3)),
      ).toBe(true);
      say(`no quorum: ${duringOutage.length} refused (${kinds(duringOutage)}); restarting both`);
      const restarted = Date.now();
      await Promise.all([startOrdererAgain(first), startOrdererAgain(second)]);
      const resumed = await writer.recovered(restarted, 5, 120_000);
      await writer.stop();
      const missing = await lost(writer, 'factory-a-user');
      expect(missing).toBe(0);
      figures.push(
        `| 1 of 3 orderers killed (${first}) | yes (5 within ${withOneDown} ms) | — | — | — |`,
        `| 2 of 3 orderers killed (${first}, ${second}) | 0 after the first refusal (${firstRefusal.at - quorumLost} ms after the kill) | ${duringOutage.length} (${kinds(duringOutage)}) | ${resumed} ms to 5 writes | ${missing} of ${writer.acknowledged.length} |`,
      );
    } finally {
      await writer.stop();
      await Promise.all([startOrdererAgain(first), startOrdererAgain(second)]);
    }
  }, 600_000);

  it('fails one organisation’s calls cleanly while its chaincode server is down, and recovers, losing nothing', async () => {
    // FactoryA's members write through FactoryA's own peer, FactoryB's through theirs.
    const own = new SteadyWriter(ledger, 'factory-a-user', `ccaas-a-${run}`);
    const other = new SteadyWriter(ledger, 'factory-b-user', `ccaas-b-${run}`);
    own.start();
    other.start();
    try {
      await Promise.all([own.recovered(Date.now(), 3, 60_000), other.recovered(Date.now(), 3, 60_000)]);
      say('writing from both factories; killing the chaincode server of FactoryA');
      const killed = Date.now();
      await crashChaincodeServer('FactoryAMSP');
      await sleep(15_000);
      const [ownDuring, otherDuring] = [own.acknowledgedSince(killed), other.acknowledgedSince(killed)];
      const refusals = [...own.refused, ...other.refused].filter((r) => r.at >= killed);
      // Whatever fails, fails as a ledger error of a known kind with Fabric's reason, never hangs.
      expect(
        refusals.every((r) => ['ENDORSEMENT', 'UNAVAILABLE', 'COMMIT', 'CONFLICT'].includes(r.kind)),
        JSON.stringify(refusals.slice(0, 3)),
      ).toBe(true);
      say(
        `FactoryA's chaincode down 15 s: FactoryA ${ownDuring} acknowledged, FactoryB ${otherDuring}; ${refusals.length} refused (${kinds(refusals)})`,
      );
      const restarted = Date.now();
      await startChaincodeServerAgain('FactoryAMSP');
      // Its peer must run the contracts again itself: a query on FactoryA's peer only.
      const [ownBack, otherBack] = await Promise.all([
        own.recovered(restarted, 3, 120_000),
        other.recovered(restarted, 3, 120_000),
      ]);
      const probe = `ccaas-local-${run}`;
      // Every organisation's peer, FactoryA's among them: a majority whatever joined before.
      const everyPeer = (await readConnectionDescription()).peers.map((p) => p.mspId);
      await ledger.submit('factory-a-user', 'Probe', 'PutGet', [probe, 'acknowledged'], {
        endorsingOrganizations: everyPeer,
      });
      await Promise.all([own.stop(), other.stop()]);
      const missing = (await lost(own, 'factory-a-user')) + (await lost(other, 'factory-b-user'));
      expect(missing).toBe(0);
      figures.push(
        `| FactoryA's chaincode server killed (SIGKILL) for 15 s under load from FactoryA and FactoryB | FactoryA ${ownDuring}, FactoryB ${otherDuring} | ${refusals.length} (${kinds(refusals)}) | FactoryA ${ownBack} ms, FactoryB ${otherBack} ms to 3 writes | ${missing} of ${own.acknowledged.length + other.acknowledged.length} |`,
      );
    } finally {
      await Promise.all([own.stop(), other.stop()]);
      await startChaincodeServerAgain('FactoryAMSP');
    }
  }, 600_000);

  it("refuses a crashed peer's organisation cleanly under load, and recovers it, losing nothing", async () => {
    const factoryA = new SteadyWriter(ledger, 'factory-a-user', `peer-a-${run}`);
    const factoryB = new SteadyWriter(ledger, 'factory-b-user', `peer-b-${run}`);
    factoryA.start();
    factoryB.start();
    try {
      await factoryA.recovered(Date.now(), 3, 60_000);
      const crashed = Date.now();
      await crashPeer('FactoryAMSP');
      // Writes already past FactoryA's peer may still commit; then its members have no gateway.
      await sleep(5_000);
      const settled = Date.now();
      await sleep(10_000);
      const refusedA = factoryA.refused.filter((r) => r.at >= settled);
      expect(factoryA.acknowledgedSince(settled)).toBe(0);
      expect(refusedA.length).toBeGreaterThan(0);
      expect(
        refusedA.every((r) => r.kind === 'UNAVAILABLE'),
        JSON.stringify(refusedA.slice(0, 3)),
      ).toBe(true);
      // FactoryB is reported, not required to go on: whether the others still make a majority
      // of endorsers depends on how many organisations the channel has by then.
      const duringB = factoryB.acknowledgedSince(settled);
      const refusedB = factoryB.refused.filter((r) => r.at >= settled);
      say(
        `FactoryA's peer down: FactoryA ${refusedA.length} refused (${kinds(refusedA)}); FactoryB ${duringB} acknowledged, ${refusedB.length} refused (${kinds(refusedB)})`,
      );
      const restarted = Date.now();
      await startPeerAgain('FactoryAMSP');
      const recovered = await factoryA.recovered(restarted, 3, 120_000);
      await factoryA.stop();
      await factoryB.stop();
      const missing = (await lost(factoryA, 'factory-a-user')) + (await lost(factoryB, 'factory-b-user'));
      expect(missing).toBe(0);
      figures.push(
        `| FactoryA's peer killed (SIGKILL) under load from FactoryA and FactoryB | FactoryA 0, FactoryB ${duringB} in ${((restarted - settled) / 1000).toFixed(0)} s | FactoryA ${refusedA.length} (${kinds(refusedA)}), FactoryB ${refusedB.length} (${kinds(refusedB)}) | FactoryA ${recovered} ms to 3 writes (${((restarted - crashed) / 1000).toFixed(0)} s down) | ${missing} of ${factoryA.acknowledged.length + factoryB.acknowledged.length} |`,
      );
    } finally {
      await factoryA.stop();
      await factoryB.stop();
      await startPeerAgain('FactoryAMSP');
    }
  }, 600_000);

  it('loses and repeats nothing when the read model is killed mid-batch and its PostgreSQL crashes mid-projection', async () => {
    const url = await newDatabase();
    const pool = new pg.Pool({ connectionString: url, max: 2 });
    pool.on('error', () => undefined);
    const checkpointOf = async (): Promise<number> => {
      const { rows } = await pool
        .query<{ b: string }>('SELECT block_number AS b FROM ledger_checkpoint')
        .catch(() => ({ rows: [] as { b: string }[] }));
      return rows[0] === undefined ? -1 : Number(rows[0].b);
    };
    const follow = async (): Promise<ChildProcess> => {
      const child = spawn(process.execPath, ['tests/dist/support/projectorProcess.js', url, '2'], {
        stdio: ['ignore', 'pipe', 'inherit'],
      });
      await new Promise<void>((resolve, reject) => {
        child.stdout.on('data', (chunk: Buffer) => {
          if (chunk.toString().includes('following')) resolve();
        });
        child.once('exit', (code) => {
          reject(new Error(`the projector process exited (${String(code)})`));
        });
      });
      return child;
    };
    // Enough events that a replay takes many batches.
    for (let i = 0; i < 8; i++)
      await Promise.all(
        ['factory-a-user', 'factory-b-user', 'customer-1', 'customer-2', 'supplier-1'].map((member, k) =>
          ledger.submit(member, 'Member', 'UpdateMyProfile', [`replay load ${run} ${i}.${k}`]),
        ),
      );
    const height = await ledger.height();
    /** Waits for `ok`, failing with `what` after `timeoutMs`. */
    const until = async (ok: () => Promise<boolean>, what: string, timeoutMs = 120_000) => {
      const deadline = Date.now() + timeoutMs;
      while (!(await ok())) {
        if (Date.now() > deadline) throw new Error(`${what} did not happen within ${timeoutMs} ms`);
        await sleep(20);
      }
    };
    try {
      // A new read model replays the whole ledger: killed as soon as its first batches are in.
      const first = await follow();
      await until(async () => (await checkpointOf()) >= 0, 'a first batch');
      first.kill('SIGKILL');
      await new Promise((r) => first.once('exit', r));
      const atKill = await checkpointOf();
      expect(atKill).toBeLessThan(height - 1);
      say(`read model killed mid-replay at block ${atKill} of ${height - 1}`);
      const second = await follow();
      try {
        // Its database crashes while it projects, and comes back.
        await until(async () => (await checkpointOf()) > atKill, 'a batch after the kill');
        say(`read model following again past block ${atKill}; crashing its PostgreSQL`);
        await newDatabase.restart(2_000);
        say('PostgreSQL back');
        const restartedAt = Date.now();
        const marker = await ledger.submit('factory-b-user', 'Member', 'UpdateMyProfile', [`faults ${run}`]);
        say(`waiting for the read model to reach block ${marker.blockNumber}`);
        await until(
          async () => (await checkpointOf()) >= marker.blockNumber,
          'catching up after the restart',
        );
        const caughtUpMs = Date.now() - restartedAt;
        // Crashed again the moment its last batch is committed, while it waits idle for events:
        // what it was told is committed must still be there when the database is back.
        say('read model idle and caught up; crashing its PostgreSQL again at once');
        await newDatabase.restart(2_000);
        const last = await ledger.submit('factory-a-user', 'Member', 'UpdateMyProfile', [
          `faults idle ${run}`,
        ]);
        await until(
          async () => (await checkpointOf()) >= last.blockNumber,
          'catching up after the idle crash',
        );
        // A full replay into another database holds the same events and records.
        const replay = new pg.Pool({ connectionString: await newDatabase(), max: 4 });
        try {
          await migrate(replay);
          const rebuilt = new Projector(ledger, replay, undefined, {
            until: { blockNumber: last.blockNumber, transactionId: last.transactionId },
          });
          await rebuilt.start();
          await rebuilt.caughtUp(last, 120_000);
          await rebuilt.stop();
          const rowsOf = async (p: pg.Pool, sql: string) =>
            (await p.query<{ row: string }>(sql)).rows.map((r) => r.row);
          const EVENTS = `SELECT block_number || '/' || transaction_id AS row FROM ledger_event WHERE block_number <= ${last.blockNumber} ORDER BY 1`;
          const RECORDS =
            "SELECT kind || '/' || id || ' ' || record::text AS row FROM record ORDER BY kind, id";
          const [events, replayedEvents] = [await rowsOf(pool, EVENTS), await rowsOf(replay, EVENTS)];
          expect(events.length).toBe(replayedEvents.length);
          expect(events).toEqual(replayedEvents);
          expect(await rowsOf(pool, RECORDS)).toEqual(await rowsOf(replay, RECORDS));
          figures.push(
            `| read model killed -9 mid-replay (block ${atKill} of ${height - 1}), then its PostgreSQL crashed (immediate shutdown) mid-projection, and again the moment it was idle and caught up | — | — | caught up with the ledger ${caughtUpMs} ms after the database came back | 0 (${events.length} events, equal to a full replay) |`,
          );
        } finally {
          await replay.end();
        }
      } finally {
        second.kill('SIGTERM');
        await new Promise((r) => second.once('exit', r));
      }
    } finally {
      await pool.end();
    }
  }, 600_000);
});
