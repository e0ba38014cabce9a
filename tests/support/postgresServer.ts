import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { chown, mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Where Debian's postgresql package puts its server programs (newest version first), or PATH. */
function serverBin(program: string): string {
  const root = '/usr/lib/postgresql';
  if (existsSync(root)) {
    for (const version of readdirSync(root).sort((a, b) => Number(b) - Number(a))) {
      const path = join(root, version, 'bin', program);
      if (existsSync(path)) return path;
    }
  }
  try {
    return execFileSync('which', [program], { encoding: 'utf8' }).trim();
  } catch {
    throw new Error(
      `PostgreSQL's ${program} is not installed: apt-get install postgresql (bash .ci/run does)`,
    );
  }
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => {
        resolve(typeof address === 'object' && address !== null ? address.port : 0);
      });
    });
    server.on('error', reject);
  });
}

/**
 * A throwaway PostgreSQL server for one test run: a new cluster in a temporary directory, on a
 * free port of 127.0.0.1, trust authentication for its one user. PostgreSQL refuses to run as
 * root, so as root it runs as the `postgres` user the Debian package creates.
 */
export async function startPostgres(): Promise<{
  url: string;
  stop(): Promise<void>;
  /** Stops the server as a crash would (immediate shutdown, no checkpoint) and starts it again after `downMs`. */
  restart(downMs?: number): Promise<void>;
}> {
  const dir = await mkdtemp(join(tmpdir(), 'fabpool-pg-'));
  const asRoot = process.getuid?.() === 0;
  const wrap = (program: string, args: string[]): [string, string[]] =>
    asRoot ? ['runuser', ['-u', 'postgres', '--', program, ...args]] : [program, args];
  if (asRoot) {
    const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim());
    const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim());
    await chown(dir, uid, gid);
  }
  const data = join(dir, 'data');
  const [initdb, initArgs] = wrap(serverBin('initdb'), [
    '-D',
    data,
    '-U',
    'fabpool',
    '--auth=trust',
    '--encoding=UTF8',
    '--no-sync',
  ]);
  execFileSync(initdb, initArgs, { stdio: 'ignore' });
  const port = await freePort();
  const [postgres, args] = wrap(serverBin('postgres'), [
    '-D',
    data,
    '-h',
    '127.0.0.1',
    '-p',
    String(port),
    '-k',
    dir,
    '-c',
    'fsync=off',
    // Sized as a server is, not initdb's 128 MB floor for tiny machines: with that, a read model of
    // a few hundred thousand events no longer fits and every write also evicts a dirty page.
    '-c',
    'shared_buffers=1GB',
  ]);
  const url = `postgres://fabpool@127.0.0.1:${port}/postgres`;
  const pg = (await import('pg')).default;
  const launch = async (): Promise<ChildProcess> => {
    const child = spawn(postgres, args, { stdio: 'ignore' });
    const deadline = Date.now() + 30_000;
    for (;;) {
      const client = new pg.Client({ connectionString: url });
      try {
        await client.connect();
        await client.end();
        return child;
      } catch (error) {
        await client.end().catch(() => undefined);
        if (Date.now() > deadline || child.exitCode !== null)
          throw new Error(`PostgreSQL did not start: ${(error as Error).message}`);
        await new Promise((r) => setTimeout(r, 200));
      }
    }
  };
  let child = await launch();
  // Through pg_ctl: as root the server runs under runuser, which does not pass signals on.
  const shutDown = async (mode: 'fast' | 'immediate'): Promise<void> => {
    const [pgCtl, stopArgs] = wrap(serverBin('pg_ctl'), ['stop', '-D', data, '-m', mode, '-w']);
    if (child.exitCode === null) {
      const exited = new Promise((r) => child.once('exit', r));
      execFileSync(pgCtl, stopArgs, { stdio: 'ignore' });
      await exited;
    }
  };
  return {
    url,
    stop: async () => {
      await shutDown('fast');
      await rm(dir, { recursive: true, force: true });
    },
    restart: async (downMs = 0) => {
      await shutDown('immediate');
      await new Promise((r) => setTimeout(r, downMs));
      child = await launch();
    },
  };
}
