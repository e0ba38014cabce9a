import { mkdtemp, readdir, readFile, readlink, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readOrganisationNodeFile, RUNTIME_DIR } from '@fabpool/network';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startNodeProcess } from '../support/organisationNodes.js';

const NODE_DIR = join(RUNTIME_DIR, 'nodes', 'FactoryA');

/** The processes whose command line holds every one of `parts`. */
async function processesWith(...parts: string[]): Promise<number[]> {
  const found: number[] = [];
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const command = await readFile(`/proc/${entry}/cmdline`, 'utf8').catch(() => '');
    if (parts.every((p) => command.includes(p))) found.push(Number(entry));
  }
  return found;
}

/**
 * `npm run node` as a company runs it: one organisation's node in a process of its own, which on
 * a network with a namespace per organisation enters its organisation's and listens on its own
 * address there, reached over the private link like its peer.
 */
describe('one organisation’s node in a process of its own', () => {
  let scratch: string;
  let node: Awaited<ReturnType<typeof startNodeProcess>>;

  beforeAll(async () => {
    scratch = await mkdtemp(join(tmpdir(), 'fabpool-node-process-'));
    node = await startNodeProcess('FactoryA', scratch, 'node-process-2026');
  }, 180_000);

  afterAll(async () => {
    await node.close();
    await rm(scratch, { recursive: true, force: true });
  });

  it('listens on its organisation’s own address, inside its namespace when the network gives it one', async () => {
    const file = await readOrganisationNodeFile(NODE_DIR);
    const asRoot = process.getuid?.() === 0;
    // The tests' network has a namespace per organisation when they run as root, as in CI.
    expect(file.api.netns !== undefined).toBe(asRoot);
    expect(node.url).toBe(`http://${file.api.host}:${String(file.api.port)}`);
    const said = (await (await fetch(`${node.url}/node`)).json()) as { organisations: string[] };
    expect(said.organisations).toEqual(['FactoryAMSP']);
    if (file.api.netns === undefined) return;

    // Not on the host's loopback: only over the link, at its address.
    expect(file.api.host).not.toBe('127.0.0.1');
    await expect(fetch(`http://127.0.0.1:${String(file.api.port)}/node`)).rejects.toThrow();
    // The process that serves it (beside the one that entered the namespace for it) is in FactoryA's peer's.
    const servers = await processesWith('nodeMain.js', scratch);
    expect(servers.length).toBeGreaterThanOrEqual(1);
    const peerPid = (await readFile(join(RUNTIME_DIR, 'nodes', 'FactoryA', 'run', 'peer.pid'), 'utf8')).split(
      '\n',
    )[0];
    const namespaces = await Promise.all(servers.map((pid) => readlink(`/proc/${String(pid)}/ns/net`)));
    expect(namespaces).toContain(await readlink(`/proc/${peerPid ?? ''}/ns/net`));
  });

  it('stops with its namespace’s process when asked to', async () => {
    expect(await node.close()).toBe(0);
    expect(await processesWith('nodeMain.js', scratch)).toEqual([]);
  });
});
