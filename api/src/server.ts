import { supplyAlternatives } from './matching/supplyAlternatives.js';
import { workOrderById } from './repositories/workOrders.js';
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { sealStoredSecrets } from './auth/users.js';
import { keepNewFilesPrivate, requirePrivate } from './secrets/fileModes.js';
import { SecretBox, secretsKey, useSecretBox } from './secrets/secretBox.js';
import { randomUUID } from 'node:crypto';
import { DEFAULT_FORECAST, type ForecastSettings } from './supply/forecast.js';
import type { Server } from 'node:http';
import { join } from 'node:path';
import { FabricLedger, openLedger, type Ledger, type LedgerEngine } from '@fabpool/network';
import { PersonEnrolment } from './members/enrolment.js';
import { buildApp, type DemoHooks } from './app.js';
import { Presence } from './auth/presence.js';
import { tokenSettings } from './config.js';
import { openDatabase, type Database } from './db/database.js';
import { migrate } from './db/migrate.js';
import { createChangeFeed, type PoolChange } from './readModel/changes.js';
import { Projector } from './readModel/projector.js';
import { MatchService, type MatchServiceSettings } from './matching/service.js';
import { AlertService, type AlertSettings, type OverrunWatch } from './alerts/service.js';
import { LedgerCommands } from './ledger/commands.js';
import { NotificationService, type NotificationSettings } from './notifications/service.js';

export interface RunningApi {
  url: string;
  ledger: Ledger;
  database: Database;
  projector: Projector;
  matcher: MatchService;
  alerts: AlertService;
  notifications: NotificationService;
  /** Who is at work on this node now (by the requests their tokens made). */
  presence: Presence;
  /** What the login page is told of a demo (set by `npm start` when it runs the simulator). */
  demo: DemoHooks;
  close(): Promise<void>;
}

export interface StartOptions {
  engine?: LedgerEngine;
  /** On Fabric, one organisation's node: its connection description, holding its own members only. */
  connection?: string;
  /** On Fabric, the organisation's node directory: its own CA enrols the people its admin adds. */
  nodeDirectory?: string;
  /** Embedded ledger and database live under it. */
  dataDir: string;
  databaseUrl?: string;
  /** 127.0.0.1 by default; a node in its own network namespace listens on its own address. */
  host?: string;
  port?: number;
  graphiql?: boolean;
  log?: (line: string) => void;
  /** The matcher service's settings (its schedule starts only with `matcher.start()`). */
  matcher?: Partial<MatchServiceSettings>;
  /** Webhooks and e-mail: the SMTP server (FABPOOL_SMTP_URL by default), back-off, clock. */
  notifications?: Partial<NotificationSettings>;
  /** The alert service's clock (its watch looks with it). */
  alerts?: Partial<AlertSettings>;
  /** The embedded ledger's transaction clock (the system clock by default; tests move it). */
  ledgerClock?: () => number;
  /** Requests a client may make per minute (600 by default). */
  requestsPerMinute?: number;
  /** How the outsiders' demand forecast is desensitised (DEFAULT_FORECAST: a day's delay, k = 3, 10 h). */
  forecast?: Partial<ForecastSettings>;
}

/**
 * Who signs this node's overrun watch: the operator's matcher identity watches every lot; on a
 * factory's node, one of its own members watches its own organisation's lots; elsewhere none.
 */
function overrunWatchOf(ledger: Ledger): OverrunWatch | undefined {
  const commands = new LedgerCommands(ledger, () => `watch-${randomUUID()}`);
  const members = ledger.members();
  if (members.some((m) => m.name === 'matcher')) return { commands, member: 'matcher' };
  const factory = members.find((m) => m.role === 'factory');
  return factory === undefined ? undefined : { commands, member: factory.name, factoryMspId: factory.mspId };
}

/** Starts ledger, read model, projector and the api on 127.0.0.1; `close()` stops them in order. */
export async function startApi(options: StartOptions): Promise<RunningApi> {
  const log = options.log ?? (() => undefined);
  keepNewFilesPrivate();
  if (existsSync(options.dataDir)) await requirePrivate(options.dataDir);
  else await mkdir(options.dataDir, { recursive: true, mode: 0o700 });
  const ledger = await openLedger({
    engine: options.engine ?? 'embedded',
    dir: join(options.dataDir, 'ledger'),
    ...(options.connection === undefined ? {} : { connection: options.connection }),
    ...(options.ledgerClock === undefined ? {} : { clock: options.ledgerClock }),
    log,
  });
  const database = await openDatabase({
    ...(options.databaseUrl === undefined ? {} : { url: options.databaseUrl }),
    dir: join(options.dataDir, 'pgdata'),
  });
  const applied = await migrate(database.pool);
  if (applied.length > 0) log(`Applied migrations: ${applied.join(', ')}`);
  useSecretBox(database.pool, new SecretBox(await secretsKey(options.dataDir)));
  const sealed = await sealStoredSecrets(database.pool);
  if (sealed > 0) log(`Sealed ${sealed} authenticator secret(s) stored in the clear by an earlier version`);
  const changes = createChangeFeed();
  // The projector tells the matcher service of each change; the service needs the projector to wait on it.
  const listeners: ((change: PoolChange) => void)[] = [];
  const projector = new Projector(ledger, database.pool, (change) => {
    changes.publish('pool:changed', change);
    for (const listen of listeners) listen(change);
  });
  const matcher = new MatchService(ledger, database.pool, projector, { log, ...options.matcher });
  const smtpUrl = process.env.FABPOOL_SMTP_URL;
  const notifications = new NotificationService(
    database.pool,
    { ...(smtpUrl === undefined || smtpUrl === '' ? {} : { smtpUrl }), ...options.notifications },
    log,
  );
  const alerts = new AlertService(
    database.pool,
    (alert) => {
      changes.publish('alert:raised', alert);
      notifications.alertRaised(alert);
    },
    options.alerts,
    log,
    overrunWatchOf(ledger),
    {
      thresholdHours: matcher.settings.supplierDelayHours,
      alternativesOf: async (workOrderId) => {
        const workOrder = await workOrderById(database.pool, workOrderId);
        return workOrder === undefined
          ? []
          : supplyAlternatives(database.pool, matcher.now(), matcher.settings, workOrder);
      },
    },
  );
  // Triggers are for what happens while the service runs. A new read model replays the ledger's
  // whole history, and re-planning once per old rush order or rejection would starve the replay
  // (each run takes the event loop for seconds); the start-up run plans for the state as it is.
  const liveFromBlock = await ledger.height();
  // Only a node holding the matcher's identity (the operator's) plans; on the others the matcher
  // service answers what was planned, from the read model, and never runs.
  const plans = ledger.members().some((m) => m.name === 'matcher');
  listeners.push((change) => {
    if (plans && change.blockNumber >= liveFromBlock) matcher.notice(change);
    alerts.notice(change);
    if (change.blockNumber >= liveFromBlock) notifications.noticeChange(change);
  });
  await projector.start();
  const tokens = await tokenSettings(options.dataDir);
  const presence = new Presence();
  const demo: DemoHooks = {};
  const app = buildApp({
    presence,
    demo,
    changes,
    ledger,
    pool: database.pool,
    projector,
    matcher,
    alerts,
    notifications,
    tokens,
    forecast: { ...DEFAULT_FORECAST, ...options.forecast },
    verifyLedger: () => ledger.verify(),
    ...(options.nodeDirectory !== undefined && ledger instanceof FabricLedger
      ? { enrolment: new PersonEnrolment(options.nodeDirectory, ledger, database.pool) }
      : {}),
    graphiql: options.graphiql ?? false,
    ...(options.requestsPerMinute === undefined ? {} : { requestsPerMinute: options.requestsPerMinute }),
  });
  const server = await new Promise<Server>((resolve, reject) => {
    const s = app.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => {
      resolve(s);
    });
    s.on('error', reject);
  });
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;
  return {
    url: `http://${options.host ?? '127.0.0.1'}:${port}`,
    ledger,
    database,
    projector,
    matcher,
    alerts,
    notifications,
    presence,
    demo,
    close: async () => {
      await new Promise<void>((resolve) =>
        server.close(() => {
          resolve();
        }),
      );
      server.closeAllConnections();
      await matcher.stop();
      await alerts.stop();
      await notifications.stop();
      await projector.stop();
      await ledger.close();
      await database.close();
    },
  };
}
