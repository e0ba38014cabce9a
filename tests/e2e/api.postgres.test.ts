import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll } from 'vitest';
import { startPostgres } from '../support/postgresServer.js';
import { apiScenarios } from './apiScenarios.js';

// The same scenarios with the read model on a real PostgreSQL server (Debian's package, started
// here on 127.0.0.1 and stopped after), one fresh database per api.
let server: Awaited<ReturnType<typeof startPostgres>> | undefined;
beforeAll(async () => {
  server = await startPostgres();
}, 60_000);
afterAll(async () => {
  await server?.stop();
});

apiScenarios('postgres', async () => {
  if (server === undefined) throw new Error('PostgreSQL did not start');
  const name = `fabpool_${randomUUID().replace(/-/g, '').slice(0, 12)}`;
  const admin = new pg.Client({ connectionString: server.url });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  return server.url.replace(/\/postgres$/, `/${name}`);
});
