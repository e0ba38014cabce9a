import { spawn } from 'node:child_process';
import { mkdir, open, readFile, rm, writeFile } from 'node:fs/promises';
import { createConnection, createServer } from 'node:net';
import { basename, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { NetworkError } from './errors.js';
import { HOST } from './topology.js';

/**
 * A process one organisation's node runs. Its pid file and its log sit in that node's own
 * directory (`run/`, `logs/`), as on a host of its own: no node writes into a directory it shares.
 */
export interface ProcessRef {
  /** Unique within its node: pid file, log file (`peer`, `chaincode`, `orderer1`). */
  name: string;
  /** The node directory that owns it. */
  home: string;
}

/** How we name a process to a person: its node and its name (`FactoryA/peer`). */
export const processLabel = (p: ProcessRef): string => `${basename(p.home)}/${p.name}`;

export interface ProcessSpec extends ProcessRef {
  program: string;
  args: string[];
  env: NodeJS.ProcessEnv;
  cwd?: string;
  /** Ports this process listens on, checked free before it starts. */
  ports: { port: number; owner: string }[];
  /** Runs it in this network namespace (`ip netns exec`), a node's own, as on a separate host. */
  netns?: string;
}

const pidFile = (p: ProcessRef): string => join(p.home, 'run', `${p.name}.pid`);
export const logFile = (p: ProcessRef): string => join(p.home, 'logs', `${p.name}.log`);

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** The pid of a process this project started and that still runs, or undefined. */
export async function runningPid(ref: ProcessRef): Promise<number | undefined> {
  let text: string;
  try {
    text = await readFile(pidFile(ref), 'utf8');
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
  const existing = await runningPid(spec);
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
  await mkdir(join(spec.home, 'run'), { recursive: true, mode: 0o700 });
  await mkdir(join(spec.home, 'logs'), { recursive: true, mode: 0o700 });
  const log = await open(logFile(spec), 'a', 0o600);
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
      throw new NetworkError(
        `${processLabel(spec)} could not be started`,
        `check that ${spec.program} exists`,
      );
    child.unref();
    await writeFile(pidFile(spec), `${pid}\n${spec.program}\n`);
    return pid;
  } finally {
    await log.close();
  }
}

/** Kills a process this project started at once (SIGKILL), as a crash or a pulled plug would. */
export async function killProcess(ref: ProcessRef): Promise<boolean> {
  return stopProcess(ref, 0);
}

/** Stops a process this project started (SIGTERM, then SIGKILL after a grace period). */
export async function stopProcess(ref: ProcessRef, graceMs = 10_000): Promise<boolean> {
  const pid = await runningPid(ref);
  await rm(pidFile(ref), { force: true });
  if (pid === undefined) return false;
  process.kill(pid, graceMs === 0 ? 'SIGKILL' : 'SIGTERM');
  const deadline = Date.now() + graceMs;
  while (isAlive(pid) && Date.now() < deadline) await sleep(100);
  if (isAlive(pid)) process.kill(pid, 'SIGKILL');
  while (isAlive(pid)) await sleep(50);
  return true;
}

export async function lastLogLines(ref: ProcessRef, count = 15): Promise<string> {
  try {
    return (await readFile(logFile(ref), 'utf8')).trimEnd().split('\n').slice(-count).join('\n');
  } catch {
    return '(no log)';
  }
}

/** Polls until `probe` succeeds; fails with the process's last log lines and the given fix. */
export async function waitFor(
  what: string,
  processRef: ProcessRef,
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
      (await runningPid(processRef)) === undefined &&
      (await sleep(500).then(() => runningPid(processRef))) === undefined
    ) {
      throw new NetworkError(
        `${what}: ${processLabel(processRef)} exited (log: ${logFile(processRef)}). Its last log lines:\n${await lastLogLines(processRef)}`,
        fix,
      );
    }
    if (Date.now() > deadline) {
      throw new NetworkError(
        `${what}: not ready after ${timeoutMs / 1000} s (log: ${logFile(processRef)}). Last log lines:\n${await lastLogLines(processRef)}`,
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
