import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll } from 'vitest';
import { startPostgres } from './postgresServer.js';

/**
 * A PostgreSQL server (Debian's package) for one test file — started on 127.0.0.1 before its
 * tests, stopped after — and a fresh, empty database on it each time one is asked for.
 */
export function postgresDatabases(): (() => Promise<string>) & {
  /** The server crashes (immediate shutdown) and starts again after `downMs`, keeping its data. */
  restart(downMs?: number): Promise<void>;
} {
  let server: Awaited<ReturnType<typeof startPostgres>> | undefined;
  beforeAll(async () => {
    server = await startPostgres();
  }, 60_000);
  afterAll(async () => {
    await server?.stop();
  });
  const newDatabase = async () => {
    if (server === undefined) throw new Error('PostgreSQL did not start');
    const name = `fabpool_${randomUUID().replace(/-/g, '').slice(0, 12)}`;
    const admin = new pg.Client({ connectionString: server.url });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${name}`);
    await admin.end();
    return server.url.replace(/\/postgres$/, `/${name}`);
  };
  return Object.assign(newDatabase, {
    restart: async (downMs?: number) => {
      if (server === undefined) throw new Error('PostgreSQL did not start');
      await server.restart(downMs);
    },
  });
}
