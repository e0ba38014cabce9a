#!/usr/bin/env node
/**
 * `npm run node -- <node directory>`: starts one organisation's node (its api, read model and web)
 * from the directory network:up made for it, e.g. network/.runtime/nodes/FactoryA.
 */
import { basename } from 'node:path';
import { startOrganisationNode } from './organisationNode.js';
import { stopOnSignals } from './stopOnSignals.js';

async function main(): Promise<void> {
  const path = process.argv[2];
  if (path === undefined || path === '--help') {
    process.stdout.write(
      'usage: npm run node -- <node directory>   (e.g. network/.runtime/nodes/FactoryA)\n',
    );
    process.exitCode = path === undefined ? 2 : 0;
    return;
  }
  const password = process.env.FABPOOL_DEMO_PASSWORD ?? 'fabpool-demo-2026';
  const running = await startOrganisationNode(path, {
    password,
    log: (line) => process.stdout.write(`[${basename(path)}] ${line}\n`),
  });
  const { node, api } = running;
  process.stdout.write(
    `[${node.organisation}] node of ${node.mspId} in channel '${node.alliance.channel}' (through ${node.gatewayPeer}): ${api.url}/\n` +
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
