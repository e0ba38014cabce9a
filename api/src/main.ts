#!/usr/bin/env node
/**
 * `npm start`: the whole product on the embedded defaults — embedded ledger, embedded PostgreSQL
 * (PGlite), the api, and the matcher re-planning every 15 minutes — loaded on first start with a
 * demo alliance. `npm start -- --fabric` runs the same against the native Fabric network (started
 * if it is not running). Prints the URL and the demo logins; Ctrl-C stops everything.
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { otpauthUri } from './auth/totp.js';
import { REPO_DIR_FOR_DATA, up } from './imports.js';
import { createMemberAccounts } from './demo/accounts.js';
import { seedDemoAlliance } from './demo/seed.js';
import { ShopFloorSimulator } from './demo/simulator.js';
import { startApi } from './server.js';

const DEMO_PASSWORD = process.env.FABPOOL_DEMO_PASSWORD ?? 'fabpool-demo-2026';
const REPLAN_MINUTES = Number(process.env.FABPOOL_REPLAN_MINUTES ?? 15);
const SILENCE_MINUTES = Number(process.env.FABPOOL_SILENCE_MINUTES ?? 30);

async function main(): Promise<void> {
  const fabric = process.argv.includes('--fabric');
  const log = (line: string): void => {
    process.stdout.write(`[fabpool] ${line}\n`);
  };
  if (fabric) await up({ log });
  const dataDir =
    process.env.FABPOOL_DATA_DIR ?? join(REPO_DIR_FOR_DATA, '.fabpool', fabric ? 'fabric' : 'embedded');
  const api = await startApi({
    engine: fabric ? 'fabric' : 'embedded',
    dataDir,
    ...(process.env.DATABASE_URL === undefined ? {} : { databaseUrl: process.env.DATABASE_URL }),
    port: Number(process.env.FABPOOL_API_PORT ?? 4000),
    graphiql: true,
    log,
    matcher: { replanMinutes: REPLAN_MINUTES, silenceMinutes: SILENCE_MINUTES },
  });
  const { rows } = await api.database.pool.query<{ n: string }>('SELECT count(*) AS n FROM app_user');
  if (Number(rows[0]?.n ?? 0) === 0) {
    const accounts = await createMemberAccounts(api.database.pool, api.ledger, DEMO_PASSWORD);
    // Operators and auditors need a one-time code: their authenticator secrets, kept beside the data.
    const secrets = accounts
      .filter((a) => a.totpSecret !== undefined)
      .map((a) => `${a.username}\t${a.totpSecret ?? ''}\t${otpauthUri(a.totpSecret ?? '', a.username)}`);
    await writeFile(join(dataDir, 'demo-authenticators.tsv'), `${secrets.join('\n')}\n`, { mode: 0o600 });
    const { workOrders } = await seedDemoAlliance(api.ledger, log);
    await api.projector.caughtUp((await api.ledger.height()) - 1);
    const run = await api.matcher.request({ kind: 'STARTUP', detail: 'demo alliance loaded' });
    log(
      `Matcher: ${run.lotsAdded + run.lotsKept} lots of ${workOrders} work orders on the ledger after run ${run.id} (${run.unplacedUnits} units left unplaced)`,
    );
  }
  // Re-plans every REPLAN_MINUTES, at once on a trigger; a factory silent SILENCE_MINUTES is unavailable.
  api.matcher.start();
  api.alerts.start();
  // The demo's shop floor keeps scans, load reports and the odd exception flowing (FABPOOL_SIMULATOR=off stops it).
  const simulator =
    process.env.FABPOOL_SIMULATOR === 'off'
      ? undefined
      : new ShopFloorSimulator(api.ledger, api.database.pool, { log: () => undefined });
  simulator?.start(Number(process.env.FABPOOL_SIMULATOR_SECONDS ?? 10));
  log(
    `fabpool is running on the ${fabric ? 'Fabric network' : 'embedded ledger'}: dashboard ${api.url}/ · GraphQL ${api.url}/graphql (GraphiQL)`,
  );
  log(
    `Database: ${api.database.embedded ? `embedded PostgreSQL (PGlite) at ${api.database.url}` : api.database.url}`,
  );
  log(
    `Operator and auditor logins also need a one-time code: add the secrets in ${join(dataDir, 'demo-authenticators.tsv')} to an authenticator app (or run: node api/dist/totp.js <secret>)`,
  );
  log(
    `Demo logins (password ${DEMO_PASSWORD}): ${api.ledger
      .members()
      .map((m) => `${m.name} (${m.role})`)
      .join(', ')}`,
  );
  const stop = (): void => {
    log('Stopping…');
    Promise.resolve(simulator?.stop())
      .then(() => api.close())
      .then(
        () => process.exit(0),
        () => process.exit(1),
      );
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((error: unknown) => {
  process.stderr.write(
    `fabpool could not start: ${error instanceof Error ? error.message : String(error)}\n`,
  );
  process.exitCode = 1;
});
