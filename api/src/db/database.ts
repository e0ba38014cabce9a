import { mkdir } from 'node:fs/promises';
import { PGlite } from '@electric-sql/pglite';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';
import pg from 'pg';

export interface Database {
  pool: pg.Pool;
  /** Where it is: a real server's URL, or the embedded one's. */
  url: string;
  embedded: boolean;
  close(): Promise<void>;
}

/**
 * The read model's database. With a `DATABASE_URL`, that PostgreSQL server; without, PGlite
 * (PostgreSQL in WebAssembly) keeping its data in `dir`, served over the PostgreSQL protocol on
 * 127.0.0.1 so that `pg` is the only driver either way. PGlite is one connection underneath, so
 * the pool holds one.
 */
export async function openDatabase(options: { url?: string; dir: string; port?: number }): Promise<Database> {
  if (options.url !== undefined && options.url !== '') {
    const pool = new pg.Pool({ connectionString: options.url, max: 10 });
    // A connection that breaks while idle (a server restart) is dropped by the pool, not fatal.
    pool.on('error', () => undefined);
    await pool.query('SELECT 1');
    return { pool, url: options.url, embedded: false, close: () => pool.end() };
  }
  await mkdir(options.dir, { recursive: true });
  const db = await PGlite.create(options.dir);
  // Two: the pool's one connection, and the one that replaces it while the server is still letting
  // a closed one go (one at a time, it would refuse the replacement).
  const server = new PGLiteSocketServer({
    db,
    host: '127.0.0.1',
    port: options.port ?? 0,
    maxConnections: 2,
  });
  await server.start();
  const address = server.getServerConn();
  const url = `postgres://postgres@${address}/postgres`;
  // PGlite is one session whatever connects to it: a connection opened after another closed (the
  // pool closes idle ones) would find that one's prepared statements and settings, which the
  // driver does not know of. Each connection starts from a clean session, as on a server; one
  // that cannot is not handed out, and its caller gets the error.
  const pool = new pg.Pool({
    connectionString: url,
    max: 1,
    ssl: false,
    // pg-pool awaits this hook before handing the connection out (@types/pg still types it void).
    // eslint-disable-next-line @typescript-eslint/no-misused-promises
    onConnect: async (client) => {
      await client.query('DISCARD ALL');
    },
  });
  pool.on('error', () => undefined);
  await pool.query('SELECT 1');
  return {
    pool,
    url,
    embedded: true,
    close: async () => {
      await pool.end();
      await server.stop();
      await db.close();
    },
  };
}
