/**
 * GraphQL read throughput and latency of a factory's dashboard query on the api (embedded ledger,
 * read model on a PostgreSQL server started for the run, the demo alliance loaded), side by side
 * with a bare graphql-yoga server answering a constant query in the same run: the framework's own
 * ceiling on this machine. The load generator is a closed loop over keep-alive connections in
 * this same process (it shares the cores with the servers). Usage:
 *   npm run bench:graphql [-- --connections 10 --seconds 10 --database postgres|pglite --write-every-ms 100]
 * The dashboard is measured twice: with the ledger quiet (answers come from the read cache until
 * the read model moves) and while a factory commits a transaction every --write-every-ms.
 */
import { createServer } from 'node:http';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createMemberAccounts, seedDemoAlliance, startApi } from '@fabpool/api';
import { createSchema, createYoga } from 'graphql-yoga';
import { startPostgres } from '../support/postgresServer.js';
import { closedLoopOnWorker, type LoadResult } from './load.js';

const flag = (name: string, fallback: string): string => {
  const at = process.argv.indexOf(`--${name}`);
  return at >= 0 ? (process.argv[at + 1] ?? fallback) : fallback;
};
const CONNECTIONS = Number(flag('connections', '10'));
const SECONDS = Number(flag('seconds', '10'));
const DATABASE = flag('database', 'postgres');
const PASSWORD = 'bench-password-2026';
const WRITE_EVERY_MS = Number(flag('write-every-ms', '100'));

/** What a factory's dashboard asks for on opening: its open pool page with lots, and the matcher's last runs. */
const ME = JSON.stringify({ query: '{ me { username role } }' });
const DASHBOARD = JSON.stringify({
  query: `query Dashboard {
    me { username role }
    pool(first: 20, status: "OPEN") {
      edges { node { id partNumber quantity priority dueBucket lots { id factoryId status bucket quantity } } }
      pageInfo { hasNextPage endCursor }
    }
    matcherRuns(first: 5) { edges { node { id startedAt lotsAdded lotsWithdrawn } } }
  }`,
});

async function bareYoga(): Promise<{ url: string; close(): Promise<void> }> {
  const yoga = createYoga({
    schema: createSchema({
      typeDefs: 'type Query { hello: String! }',
      resolvers: { Query: { hello: () => 'world' } },
    }),
    logging: false,
  });
  const server = createServer((req, res) => {
    void yoga(req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}/graphql`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => {
          resolve();
        });
      }),
  };
}

function line(name: string, r: LoadResult): string {
  return `| ${name} | ${r.perSecond.toFixed(0)} | ${r.p50.toFixed(1)} | ${r.p99.toFixed(1)} | ${r.requests} | ${r.failed} |`;
}

async function main(): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'fabpool-bench-gql-'));
  const postgres = DATABASE === 'postgres' ? await startPostgres() : undefined;
  const api = await startApi({
    dataDir: dir,
    ...(postgres === undefined ? {} : { databaseUrl: postgres.url }),
    requestsPerMinute: 10_000_000,
  });
  const bare = await bareYoga();
  try {
    await createMemberAccounts(api.database.pool, api.ledger, PASSWORD);
    await seedDemoAlliance(api.ledger, () => undefined);
    await api.projector.caughtUp((await api.ledger.height()) - 1);
    await api.matcher.request({ kind: 'STARTUP', detail: 'benchmark' });
    const login = (await (
      await fetch(`${api.url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          query:
            'mutation { login(username: "factory-a-user", password: "bench-password-2026") { accessToken } }',
        }),
      })
    ).json()) as { data: { login: { accessToken: string } } };
    const token = login.data.login.accessToken;
    const options = { connections: CONNECTIONS, seconds: SECONDS, warmupSeconds: 2 };
    process.stderr.write(`measuring ${SECONDS} s each at ${CONNECTIONS} connections…\n`);
    const yogaResult = await closedLoopOnWorker(
      bare.url,
      JSON.stringify({ query: '{ hello }' }),
      {},
      options,
    );
    const meResult = await closedLoopOnWorker(
      `${api.url}/graphql`,
      ME,
      { authorization: `Bearer ${token}` },
      options,
    );
    const apiResult = await closedLoopOnWorker(
      `${api.url}/graphql`,
      DASHBOARD,
      { authorization: `Bearer ${token}` },
      options,
    );
    // The same dashboard while the ledger keeps committing (a factory re-declaring capacity every
    // WRITE_EVERY_MS): each commit moves the read model, so cached answers are dropped that often.
    const plant = await api.database.pool.query<{ id: string; process: string }>(
      "SELECT id, record->'processes'->0->>'process' AS process FROM record WHERE kind = 'Factory' AND record->>'mspId' = 'FactoryAMSP' ORDER BY id LIMIT 1",
    );
    const factoryId = plant.rows[0]?.id ?? '';
    const offered = plant.rows[0]?.process ?? 'CNC';
    const bucket = new Date((Math.floor(Date.now() / 28_800_000) + 20) * 28_800_000)
      .toISOString()
      .replace('.000Z', 'Z');
    let writes = 0;
    const writing = { on: true };
    const writer = (async () => {
      while (writing.on) {
        writes += 1;
        await api.ledger.submit('factory-a-user', 'Factory', 'DeclareCapacity', [
          JSON.stringify({
            requestId: `bench-write-${writes}-${Date.now()}`,
            factoryId,
            entries: [{ process: offered, bucket, minutes: 480 + (writes % 60) }],
          }),
        ]);
        await new Promise((resolve) => setTimeout(resolve, WRITE_EVERY_MS));
      }
    })();
    const writeStarted = Date.now();
    const busyResult = await closedLoopOnWorker(
      `${api.url}/graphql`,
      DASHBOARD,
      { authorization: `Bearer ${token}` },
      options,
    );
    writing.on = false;
    await writer;
    const writesPerSecond = writes / ((Date.now() - writeStarted) / 1000);
    const { rows } = await api.database.pool.query<{ n: string }>(
      "SELECT count(*) AS n FROM record WHERE kind = 'WorkOrder'",
    );
    process.stdout.write(
      [
        `GraphQL reads, ${CONNECTIONS} connections, ${SECONDS} s each, read model on ${postgres === undefined ? 'PGlite' : 'a PostgreSQL server'} (${rows[0]?.n ?? '?'} work orders)`,
        '| server | req/s | p50 ms | p99 ms | requests | failed |',
        '| --- | --- | --- | --- | --- | --- |',
        line('bare graphql-yoga, `{ hello }` (ceiling)', yogaResult),
        line('fabpool api, `{ me }` (auth and limits, no database)', meResult),
        line(
          'fabpool api, factory dashboard (auth, limits, 3 fields, pool page with lots), ledger quiet',
          apiResult,
        ),
        line(
          `fabpool api, factory dashboard while the ledger commits ${writesPerSecond.toFixed(1)} tx/s (read cache dropped on each)`,
          busyResult,
        ),
        `api / bare: ${((apiResult.perSecond / yogaResult.perSecond) * 100).toFixed(0)}% of the ceiling; target ≥ 800 req/s, p99 ≤ 50 ms`,
        '',
      ].join('\n'),
    );
  } finally {
    await bare.close();
    await api.close();
    await postgres?.stop();
    await rm(dir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = 1;
});
