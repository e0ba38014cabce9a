/**
 * How fast the read model is rebuilt from the ledger (`rebuildReadModel`: every event from the
 * first block, its records and the checkpoint written batch by batch in one database transaction
 * each), into a PostgreSQL server started for the run and into PGlite, side by side with the rate
 * at which the ledger hands the same events out with nothing written (the ceiling). The ledger is
 * an embedded one filled with published work orders (one event and one record per transaction,
 * the pool's commonest shape). Each rebuild is run several times (a 2-core machine shared by node
 * and PostgreSQL varies by ±10 % from run to run); the median and the best are printed. Each
 * rebuild starts on a settled database (the previous round's rows flushed by a CHECKPOINT, outside
 * the timing). Usage:
 *   npm run bench:projection [-- --events 30000] [-- --rounds 5]
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase, rebuildReadModel } from '@fabpool/api';
import { EmbeddedLedger, type Ledger } from '@fabpool/network';
import { startPostgres } from '../support/postgresServer.js';
import { bucketFromNow, request, unique } from '../support/poolClient.js';

function option(name: string, fallback: number): number {
  const at = process.argv.indexOf(name);
  return at >= 0 ? Number(process.argv[at + 1]) : fallback;
}
const EVENTS = option('--events', 30_000);
const ROUNDS = option('--rounds', 5);
const LANES = 64;

async function fill(ledger: Ledger): Promise<void> {
  const run = unique();
  const due = bucketFromNow(6);
  let next = 0;
  await Promise.all(
    Array.from({ length: LANES }, async () => {
      for (let i = next++; i < EVENTS; i = next++) {
        await ledger.submit('customer-1', 'WorkOrder', 'PublishWorkOrder', [
          request({
            workOrderId: `WO-${run}-${i}`,
            partNumber: `PART-${i % 97}`,
            quantity: 10 + (i % 90),
            routing: [
              { seq: 1, process: 'CNC', standardMinutes: 2 },
              { seq: 2, process: 'PAINTING', standardMinutes: 0.5 },
            ],
            dueBucket: due,
            priority: i % 10 === 0 ? 'RUSH' : 'NORMAL',
            maxUnitPrice: 500,
          }),
        ]);
      }
    }),
  );
}

/** Reads every event from the first block, writing nothing: how fast the ledger gives them out. */
async function readAll(ledger: Ledger, lastBlock: number): Promise<number> {
  let count = 0;
  const stream = ledger.events();
  for await (const event of stream) {
    count++;
    if (event.blockNumber >= lastBlock) break;
  }
  stream.close();
  return count;
}

async function timed<T>(work: () => Promise<T>): Promise<{ value: T; seconds: number }> {
  const started = performance.now();
  const value = await work();
  return { value, seconds: (performance.now() - started) / 1000 };
}

async function main(): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'fabpool-bench-replay-'));
  const ledger = await EmbeddedLedger.open({ dir: join(dir, 'ledger'), log: () => undefined });
  const postgres = await startPostgres();
  const server = await openDatabase({ url: postgres.url, dir: join(dir, 'unused') });
  const embedded = await openDatabase({ dir: join(dir, 'pglite') });
  try {
    process.stderr.write(`filling an embedded ledger with ${EVENTS} transactions…\n`);
    const filled = await timed(() => fill(ledger));
    const lastBlock = (await ledger.height()) - 1;
    const read = await timed(() => readAll(ledger, lastBlock));
    const events = read.value;
    const rows = [];
    for (const [name, database] of [
      ['PostgreSQL server (Debian package)', server],
      ['PGlite (embedded default)', embedded],
    ] as const) {
      const seconds: number[] = [];
      let counted: { events: string; records: string } | undefined;
      for (let round = 0; round < ROUNDS; round++) {
        // Each rebuild starts on a settled database, as a rebuild into a new one does: the rows the
        // round before wrote are flushed first, not left for the server to write out during it.
        await database.pool.query('CHECKPOINT');
        seconds.push((await timed(() => rebuildReadModel(ledger, database.pool, lastBlock))).seconds);
        ({
          rows: [counted],
        } = await database.pool.query<{ events: string; records: string }>(
          'SELECT (SELECT count(*) FROM ledger_event) AS events, (SELECT count(*) FROM record) AS records',
        ));
      }
      seconds.sort((a, b) => a - b);
      const median = seconds[Math.floor(seconds.length / 2)] ?? NaN;
      const best = seconds[0] ?? NaN;
      const projected = Number(counted?.events ?? 0);
      rows.push(
        `| replay into ${name} | ${(projected / median).toFixed(0)} | ${(projected / best).toFixed(0)} | ${median.toFixed(2)} | ${projected} | ${counted?.records ?? '?'} |`,
      );
    }
    process.stdout.write(
      [
        `Read-model rebuild from the first block: ${events} events (${(EVENTS / filled.seconds).toFixed(0)} tx/s to fill the ledger), ${ROUNDS} rebuilds each`,
        '| what | events/s (median) | events/s (best) | seconds (median) | events | records |',
        '| --- | --- | --- | --- | --- | --- |',
        `| the ledger's event stream alone, nothing written (ceiling) | ${(events / read.seconds).toFixed(0)} | | ${read.seconds.toFixed(2)} | ${events} | – |`,
        ...rows,
        'target: ≥ 50,000 events/s on PostgreSQL',
        '',
      ].join('\n'),
    );
  } finally {
    await server.close();
    await embedded.close();
    await postgres.stop();
    await ledger.close();
    await rm(dir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = 1;
});
