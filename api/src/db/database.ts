import { chmod, mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
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

/** PostgreSQL's name for the socket of a server in a directory (what `pg` connects to, given the directory). */
const SOCKET_NAME = '.s.PGSQL.5432';
/** A Unix socket's path is at most 107 bytes on Linux. */
const MAX_SOCKET_PATH = 107;

/**
 * The read model's database. With a `DATABASE_URL`, that PostgreSQL server; without, PGlite
 * (PostgreSQL in WebAssembly) keeping its data in `dir`, served over the PostgreSQL protocol on a
 * Unix socket in a directory only this user may enter (`dir`/../pgsocket, mode 700), so that `pg`
 * is the only driver either way and no other local user can reach it: PGlite takes any password,
 * and a TCP port would let any local process in as the superuser. PGlite is one connection
 * underneath, so the pool holds one.
 */
export async function openDatabase(options: { url?: string; dir: string }): Promise<Database> {
  if (options.url !== undefined && options.url !== '') {
    const pool = new pg.Pool({ connectionString: options.url, max: 10 });
    // A connection that breaks (a server restart) is not fatal: idle, the pool drops it; checked
    // out, the query under way fails and its caller decides.
    pool.on('error', () => undefined);
    pool.on('connect', (client) => {
      client.on('error', () => undefined);
    });
    await pool.query('SELECT 1');
    return { pool, url: options.url, embedded: false, close: () => pool.end() };
  }
  await mkdir(options.dir, { recursive: true, mode: 0o700 });
  const socketDir = join(options.dir, '..', `${options.dir.split('/').pop() ?? 'pg'}-socket`);
  const socketPath = join(socketDir, SOCKET_NAME);
  if (Buffer.byteLength(socketPath) > MAX_SOCKET_PATH)
    throw new Error(
      `the embedded database's socket path ${socketPath} is longer than ${MAX_SOCKET_PATH} bytes: choose a shorter data directory`,
    );
  await mkdir(socketDir, { recursive: true, mode: 0o700 });
  await chmod(socketDir, 0o700);
  // A socket left by a process that was killed would make the new server fail to listen.
  await rm(socketPath, { force: true });
  const db = await PGlite.create(options.dir);
  // Two: the pool's one connection, and the one that replaces it while the server is still letting
  // a closed one go (one at a time, it would refuse the replacement).
  const server = new PGLiteSocketServer({ db, path: socketPath, maxConnections: 2 });
  await server.start();
  const url = `postgres://postgres@/postgres?host=${encodeURIComponent(socketDir)}`;
  // PGlite is one session whatever connects to it: a connection opened after another closed (the
  // pool closes idle ones) would find that one's prepared statements and settings, which the
  // driver does not know of. Each connection starts from a clean session, as on a server; one
  // that cannot is not handed out, and its caller gets the error.
  const pool = new pg.Pool({
    host: socketDir,
    user: 'postgres',
    database: 'postgres',
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
      await rm(socketDir, { recursive: true, force: true });
    },
  };
}
