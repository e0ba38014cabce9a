import { spawn } from 'node:child_process';
import { mkdir, open, readFile, rm, writeFile } from 'node:fs/promises';
import { createConnection, createServer } from 'node:net';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { NetworkError } from './errors.js';
import { runtimePaths } from './paths.js';
import { HOST } from './topology.js';

export interface ProcessSpec {
  /** Unique name: pid file, log file. */
  name: string;
  program: string;
  args: string[];
  env: NodeJS.ProcessEnv;
  cwd?: string;
  /** Ports this process listens on, checked free before it starts. */
  ports: { port: number; owner: string }[];
  /** Runs it in this network namespace (`ip netns exec`), a node's own, as on a separate host. */
  netns?: string;
}

const pidFile = (name: string): string => join(runtimePaths.pids, `${name}.pid`);
export const logFile = (name: string): string => join(runtimePaths.logs, `${name}.log`);

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** The pid of a process this project started and that still runs, or undefined. */
export async function runningPid(name: string): Promise<number | undefined> {
  let text: string;
  try {
    text = await readFile(pidFile(name), 'utf8');
  } catch {
    return undefined;
  }
  const [pidText, program] = text.trim().split('\n');
  const pid = Number(pidText);
  if (!Number.isInteger(pid) || pid <= 0 || !isAlive(pid)) return undefined;
  // A recycled pid belongs to someone else: check it still runs our program.
  try {
    const cmdline = await readFile(`/proc/${pid}/cmdline`, 'utf8');
    if (program !== undefined && !cmdline.includes(program)) return undefined;
  } catch {
    return undefined;
  }
  return pid;
}

export function isPortFree(port: number): Promise<boolean> {
  return new Promise((resolvePromise) => {
    const server = createServer();
    server.once('error', () => {
      resolvePromise(false);
    });
    server.listen(port, HOST, () => {
      server.close(() => {
        resolvePromise(true);
      });
    });
  });
}

/** Starts a long-running process detached from this one, its output in its own log file. */
export async function startProcess(spec: ProcessSpec): Promise<number> {
  const existing = await runningPid(spec.name);
  if (existing !== undefined) return existing;
  // A node's own namespace holds only what this network started there: its ports are its own.
  for (const { port, owner } of spec.netns === undefined ? spec.ports : []) {
    if (!(await isPortFree(port))) {
      throw new NetworkError(
        `port ${HOST}:${port} (${owner}) is already in use by a process this network did not start`,
        `stop it (see: ss -ltnp 'sport = :${port}'), or move the whole network with FABPOOL_NETWORK_PORT_BASE=<another base> (default 17000)`,
      );
    }
  }
  await mkdir(runtimePaths.pids, { recursive: true });
  await mkdir(runtimePaths.logs, { recursive: true });
  const log = await open(logFile(spec.name), 'a');
  try {
    await log.write(`\n--- ${new Date().toISOString()} starting ${spec.program} ${spec.args.join(' ')}\n`);
    const [program, args] =
      spec.netns === undefined
        ? [spec.program, spec.args]
        : ['ip', ['netns', 'exec', spec.netns, spec.program, ...spec.args]];
    const child = spawn(program, args, {
      cwd: spec.cwd,
      env: spec.env,
      detached: true,
      stdio: ['ignore', log.fd, log.fd],
    });
    const pid = child.pid;
    if (pid === undefined)
      throw new NetworkError(`${spec.name} could not be started`, `check that ${spec.program} exists`);
    child.unref();
    await writeFile(pidFile(spec.name), `${pid}\n${spec.program}\n`);
    return pid;
  } finally {
    await log.close();
  }
}

/** Kills a process this project started at once (SIGKILL), as a crash or a pulled plug would. */
export async function killProcess(name: string): Promise<boolean> {
  return stopProcess(name, 0);
}

/** Stops a process this project started (SIGTERM, then SIGKILL after a grace period). */
export async function stopProcess(name: string, graceMs = 10_000): Promise<boolean> {
  const pid = await runningPid(name);
  await rm(pidFile(name), { force: true });
  if (pid === undefined) return false;
  process.kill(pid, graceMs === 0 ? 'SIGKILL' : 'SIGTERM');
  const deadline = Date.now() + graceMs;
  while (isAlive(pid) && Date.now() < deadline) await sleep(100);
  if (isAlive(pid)) process.kill(pid, 'SIGKILL');
  while (isAlive(pid)) await sleep(50);
  return true;
}

export async function lastLogLines(name: string, count = 15): Promise<string> {
  try {
    return (await readFile(logFile(name), 'utf8')).trimEnd().split('\n').slice(-count).join('\n');
  } catch {
    return '(no log)';
  }
}

/** Polls until `probe` succeeds; fails with the process's last log lines and the given fix. */
export async function waitFor(
  what: string,
  processName: string,
  probe: () => Promise<boolean>,
  fix: string,
  timeoutMs = 60_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await probe().catch(() => false)) return;
    // Looked at twice, half a second apart: a process seen between two execs (`ip netns exec`
    // replacing itself with the node) is not taken for one that exited.
    if (
      (await runningPid(processName)) === undefined &&
      (await sleep(500).then(() => runningPid(processName))) === undefined
    ) {
      throw new NetworkError(
        `${what}: ${processName} exited. Its last log lines:\n${await lastLogLines(processName)}`,
        fix,
      );
    }
    if (Date.now() > deadline) {
      throw new NetworkError(
        `${what}: not ready after ${timeoutMs / 1000} s. Last log lines:\n${await lastLogLines(processName)}`,
        fix,
      );
    }
    await sleep(250);
  }
}

export async function httpOk(url: string): Promise<boolean> {
  const response = await fetch(url, { signal: AbortSignal.timeout(2_000) });
  return response.ok;
}

export function tcpOpen(port: number, host = HOST): Promise<boolean> {
  return new Promise((resolvePromise) => {
    const socket = createConnection({ host, port });
    socket.setTimeout(1_000);
    socket.once('connect', () => {
      socket.destroy();
      resolvePromise(true);
    });
    socket.once('error', () => {
      resolvePromise(false);
    });
    socket.once('timeout', () => {
      socket.destroy();
      resolvePromise(false);
    });
  });
}
