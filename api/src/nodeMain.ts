#!/usr/bin/env node
/**
 * `npm run node -- <node directory> [--data-dir <directory>]`: starts one organisation's node (its
 * api, read model and web) from the directory network:up made for it, e.g.
 * network/.runtime/nodes/FactoryA. On a network that gives each organisation its own network
 * namespace, the node runs inside its organisation's, on its own address.
 */
import { spawn } from 'node:child_process';
import { basename } from 'node:path';
import { readOrganisationNodeFile } from '@fabpool/network';
import { startOrganisationNode } from './organisationNode.js';
import { stopOnSignals } from './stopOnSignals.js';

/** Set in the process started inside the namespace, so that it does not enter it again. */
const INSIDE = 'FABPOOL_NODE_NETNS';

function usage(): void {
  process.stdout.write(
    'usage: npm run node -- <node directory> [--data-dir <directory>]   (e.g. network/.runtime/nodes/FactoryA)\n',
  );
}

/** Runs this very command again inside the namespace, passing signals on and its exit code back. */
function runInside(netns: string): void {
  const child = spawn(
    'ip',
    ['netns', 'exec', netns, process.execPath, ...process.execArgv, ...process.argv.slice(1)],
    { stdio: 'inherit', env: { ...process.env, [INSIDE]: netns } },
  );
  for (const signal of ['SIGINT', 'SIGTERM'] as const)
    process.on(signal, () => {
      child.kill(signal);
    });
  child.on('exit', (code, signal) => {
    process.exitCode = code ?? (signal === null ? 1 : 0);
  });
  child.on('error', (error) => {
    process.stderr.write(
      `fabpool node could not enter namespace ${netns} (ip netns exec, as root): ${error.message}\n`,
    );
    process.exitCode = 1;
  });
}

async function main(): Promise<void> {
  const [path, ...rest] = process.argv.slice(2);
  if (path === undefined || path === '--help') {
    usage();
    process.exitCode = path === undefined ? 2 : 0;
    return;
  }
  const dataDirAt = rest.indexOf('--data-dir');
  const dataDir = dataDirAt < 0 ? undefined : rest[dataDirAt + 1];
  if (dataDirAt >= 0 && dataDir === undefined) {
    usage();
    process.exitCode = 2;
    return;
  }
  const { api: listen } = await readOrganisationNodeFile(path);
  if (listen.netns !== undefined && process.env[INSIDE] !== listen.netns) {
    runInside(listen.netns);
    return;
  }
  const password = process.env.FABPOOL_DEMO_PASSWORD ?? 'fabpool-demo-2026';
  const running = await startOrganisationNode(path, {
    password,
    ...(dataDir === undefined ? {} : { dataDir }),
    log: (line) => process.stdout.write(`[${basename(path)}] ${line}\n`),
  });
  const { node, api } = running;
  process.stdout.write(
    `[${node.organisation}] node of ${node.mspId} in channel '${node.alliance.channel}' (through ${node.gatewayPeer})${
      listen.netns === undefined ? '' : ` in network namespace ${listen.netns}`
    }: ${api.url}/\n` +
      `[${node.organisation}] members who log in here (password ${password}): ${api.ledger
        .members()
        .map((m) => `${m.name} (${m.role})`)
        .join(', ')}${running.runsMatcher ? '; this node runs the matcher' : ''}\n`,
  );
  stopOnSignals(() => running.close());
}

main().catch((error: unknown) => {
  process.stderr.write(
    `fabpool node could not start: ${error instanceof Error ? error.message : String(error)}\n`,
  );
  process.exitCode = 1;
});
