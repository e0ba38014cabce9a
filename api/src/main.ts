#!/usr/bin/env node
/**
 * `npm start`: the whole product on the embedded defaults — embedded ledger, embedded PostgreSQL
 * (PGlite), the api, and the matcher re-planning every 15 minutes — loaded on first start with a
 * demo alliance. `npm start -- --fabric` starts the native Fabric network (if it is not running)
 * and one node per organisation (see startNodes). Prints the URLs and the demo logins; Ctrl-C stops
 * everything.
 */
import { createWriteStream, existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { otpauthUri } from './auth/totp.js';
import { organisationNodeDirs, REPO_DIR_FOR_DATA, ThroughOwnNodes, up } from './imports.js';
import { createMemberAccounts } from './demo/accounts.js';
import { seedDemoAlliance } from './demo/seed.js';
import { ShopFloorSimulator } from './demo/simulator.js';
import { DemoClock } from './demo/clock.js';
import { playBack } from './demo/playback.js';
import { demoCast } from './demo/cast.js';
import { startOrganisationNode, type RunningNode } from './organisationNode.js';
import { startApi } from './server.js';
import { stopOnSignals } from './stopOnSignals.js';
import { accountCount } from './repositories/accounts.js';
import { countOf } from './repositories/records.js';

const DEMO_PASSWORD = process.env.FABPOOL_DEMO_PASSWORD ?? 'fabpool-demo-2026';
const REPLAN_MINUTES = Number(process.env.FABPOOL_REPLAN_MINUTES ?? 15);
const SILENCE_MINUTES = Number(process.env.FABPOOL_SILENCE_MINUTES ?? 30);
/** A person who made no request this long hands their member back to the simulator. */
const PRESENCE_MINUTES = 30;
/** How many hours a fresh demo plays back before the present (0: none, the alliance starts now). */
const HISTORY_HOURS = Number(process.env.FABPOOL_DEMO_HISTORY_HOURS ?? 24);

async function main(): Promise<void> {
  const fabric = process.argv.includes('--fabric');
  const log = (line: string): void => {
    process.stdout.write(`[fabpool] ${line}\n`);
  };
  if (fabric) {
    await startNodes(log);
    return;
  }
  const dataDir = process.env.FABPOOL_DATA_DIR ?? join(REPO_DIR_FOR_DATA, '.fabpool', 'embedded');
  const simulating = process.env.FABPOOL_SIMULATOR !== 'off';
  // A fresh demo begins HISTORY_HOURS ago and plays them back fast; a started one runs in real time.
  const fresh = !existsSync(join(dataDir, 'ledger'));
  const clock = new DemoClock(fresh && simulating ? Date.now() - HISTORY_HOURS * 3_600_000 : Date.now());
  const api = await startApi({
    engine: 'embedded',
    dataDir,
    ...(process.env.DATABASE_URL === undefined ? {} : { databaseUrl: process.env.DATABASE_URL }),
    port: Number(process.env.FABPOOL_API_PORT ?? 4000),
    graphiql: true,
    log,
    ledgerClock: clock.now,
    matcher: { replanMinutes: REPLAN_MINUTES, silenceMinutes: SILENCE_MINUTES, now: clock.now },
    alerts: { now: clock.now },
  });
  // The demo's shop floor keeps scans, load reports and the odd exception flowing, for everyone
  // nobody has logged in as (FABPOOL_SIMULATOR=off stops it); what it does goes to simulator.log.
  const simulatorLog = join(dataDir, 'simulator.log');
  const simulatorLines = simulating
    ? createWriteStream(simulatorLog, { flags: 'a', mode: 0o600 })
    : undefined;
  const simulator = simulating
    ? new ShopFloorSimulator(api.ledger, api.database.pool, {
        now: clock.now,
        people: () => Promise.resolve(api.presence.active(PRESENCE_MINUTES)),
        log: (line) => simulatorLines?.write(`${line}\n`),
      })
    : undefined;
  if ((await accountCount(api.database.pool)) === 0) {
    const accounts = await createMemberAccounts(api.database.pool, api.ledger, DEMO_PASSWORD);
    // Operators and auditors need a one-time code: their authenticator secrets, kept beside the data.
    const secrets = accounts
      .filter((a) => a.totpSecret !== undefined)
      .map((a) => `${a.username}\t${a.totpSecret ?? ''}\t${otpauthUri(a.totpSecret ?? '', a.username)}`);
    await writeFile(join(dataDir, 'demo-authenticators.tsv'), `${secrets.join('\n')}\n`, { mode: 0o600 });
    const { workOrders } = await seedDemoAlliance(api.ledger, log, clock.now);
    await api.projector.caughtUp((await api.ledger.height()) - 1);
    const run = await api.matcher.request({ kind: 'STARTUP', detail: 'demo alliance loaded' });
    log(
      `Matcher: ${run.lotsAdded + run.lotsKept} lots of ${workOrders} work orders on the ledger after run ${run.id} (${run.unplacedUnits} units left unplaced)`,
    );
    if (simulator !== undefined && !clock.live) {
      log(
        `Playing the demo's last ${HISTORY_HOURS} hours back (the shop floor at its real pace, fast-forwarded)`,
      );
      const played = await playBack(api, clock, simulator, { stepMinutes: 10, log });
      log(`Demo playback: ${played.steps} steps in ${played.seconds.toFixed(0)} s; now in real time`);
    }
  }
  // Re-plans every REPLAN_MINUTES, at once on a trigger; a factory silent SILENCE_MINUTES is unavailable.
  api.matcher.start();
  api.alerts.start();
  api.notifications.start();
  simulator?.start(Number(process.env.FABPOOL_SIMULATOR_SECONDS ?? 10));
  if (simulator !== undefined) {
    api.demo.cast = () =>
      demoCast(api.database.pool, api.ledger.members(), api.presence.active(PRESENCE_MINUTES));
  }
  if (simulator !== undefined)
    log(
      `The simulator plays every member nobody is logged in as (log in as one and its work waits for you; ${PRESENCE_MINUTES} min idle hands it back); it writes what it does to ${simulatorLog}`,
    );
  log(
    `fabpool is running on the embedded ledger (a demo shortcut: one process holds every organisation's keys): dashboard ${api.url}/ · GraphQL ${api.url}/graphql (GraphiQL)`,
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
  stopOnSignals(
    () =>
      Promise.resolve(simulator?.stop())
        .then(() => api.close())
        .then(() => simulatorLines?.end()),
    log,
  );
}

/**
 * The Fabric network with one node per organisation: each its own api, read model and web on its
 * own port, holding only its own organisation's keys; members log in to their own organisation's
 * node, and the matcher runs on the operator's. The demo's data and its shop floor are played
 * through the nodes too, each person's transactions sent to their own company's node.
 */
async function startNodes(log: (line: string) => void): Promise<void> {
  await up({ log });
  const nodes: RunningNode[] = [];
  const stopAll = async (): Promise<void> => {
    for (const node of nodes) await node.close().catch(() => undefined);
  };
  try {
    for (const { organisation, dir } of await organisationNodeDirs())
      nodes.push(
        await startOrganisationNode(dir, {
          password: DEMO_PASSWORD,
          // A demo shortcut: every node in this one process, on the host (`npm run node` runs one
          // in its own namespace).
          host: '127.0.0.1',
          log: (line) => {
            log(`${organisation}: ${line}`);
          },
          matcher: { replanMinutes: REPLAN_MINUTES, silenceMinutes: SILENCE_MINUTES },
        }),
      );
  } catch (error) {
    await stopAll();
    throw error;
  }
  const operator = nodes.find((n) => n.runsMatcher);
  if (operator === undefined) throw new Error('no node holds the matcher identity');
  const people = new ThroughOwnNodes(nodes.map((n) => n.api.ledger));
  const { api } = operator;
  await api.projector.caughtUp((await api.ledger.height()) - 1);
  if ((await countOf(api.database.pool, 'WorkOrder')) === 0) {
    const { workOrders } = await seedDemoAlliance(people, log);
    await api.projector.caughtUp((await api.ledger.height()) - 1);
    const run = await api.matcher.request({ kind: 'STARTUP', detail: 'demo alliance loaded' });
    log(
      `Matcher (operator's node): ${run.lotsAdded + run.lotsKept} lots of ${workOrders} work orders after run ${run.id}`,
    );
  }
  const simulator =
    process.env.FABPOOL_SIMULATOR === 'off'
      ? undefined
      : new ShopFloorSimulator(people, api.database.pool, { log: () => undefined });
  simulator?.start(Number(process.env.FABPOOL_SIMULATOR_SECONDS ?? 10));
  log(`fabpool is running on the Fabric network, one node per organisation (password ${DEMO_PASSWORD}):`);
  for (const { node, api: nodeApi } of nodes)
    log(
      `  ${node.organisation.padEnd(10)} ${nodeApi.url}/  logins: ${nodeApi.ledger
        .members()
        .map((m) => m.name)
        .join(', ')}`,
    );
  log(
    `Operator and auditor logins also need a one-time code: each node keeps its members' secrets in <node directory>/api/authenticators.tsv`,
  );
  stopOnSignals(() => Promise.resolve(simulator?.stop()).then(stopAll), log);
}

main().catch((error: unknown) => {
  process.stderr.write(
    `fabpool could not start: ${error instanceof Error ? error.message : String(error)}\n`,
  );
  process.exitCode = 1;
});
