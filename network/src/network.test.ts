import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { checkRuntimeLayout, moveSharedFilesIntoNodes } from './network.js';
import { buildTopology } from './topology.js';

describe('a network made by an earlier fabpool', () => {
  const dirs: string[] = [];
  afterAll(async () => {
    for (const dir of dirs) await rm(dir, { recursive: true, force: true });
  });

  it('is refused with the command that rebuilds it, and a current one is left alone', async () => {
    const runtime = await mkdtemp(join(tmpdir(), 'fabpool-layout-'));
    dirs.push(runtime);
    await expect(checkRuntimeLayout(join(runtime, 'crypto'))).resolves.toBeUndefined();
    await mkdir(join(runtime, 'crypto', 'peerOrganizations'), { recursive: true });
    await expect(checkRuntimeLayout(join(runtime, 'crypto'))).rejects.toThrow(
      /earlier fabpool.*crypto\/.*every organisation's keys[\s\S]*network:down -- --clean/,
    );
  });
});

describe('a network whose nodes shared directories', () => {
  it('moves each pid file, log and the genesis block into the node they belong to, and drops the shared cards and package', async () => {
    const runtime = await mkdtemp(join(tmpdir(), 'fabpool-shared-'));
    try {
      const topology = buildTopology({ orderers: 1, extraFactories: [], portBase: 17000 });
      const put = async (path: string, text: string) => {
        await mkdir(join(runtime, path, '..'), { recursive: true });
        await writeFile(join(runtime, path), text);
      };
      await put('pids/peer-FactoryA.pid', '123\npeer\n');
      await put('logs/peer-FactoryA.log', 'peer log');
      await put('logs/chaincode-Audit.log', 'chaincode log');
      await put('pids/orderer1.pid', '456\norderer\n');
      await put('channel/alliance.block', 'block');
      await put('config/configtx/configtx.yaml', 'Organizations: []');
      await put('alliance/cards/FactoryAMSP.json', '{}');
      await put('chaincode/fabpool_1.0.tar.gz', 'package');
      const lines: string[] = [];
      await moveSharedFilesIntoNodes(topology, (line) => lines.push(line), runtime);
      const nodes = join(runtime, 'nodes');
      expect(await readFile(join(nodes, 'FactoryA', 'run', 'peer.pid'), 'utf8')).toBe('123\npeer\n');
      expect(await readFile(join(nodes, 'FactoryA', 'logs', 'peer.log'), 'utf8')).toBe('peer log');
      expect(await readFile(join(nodes, 'Audit', 'logs', 'chaincode.log'), 'utf8')).toBe('chaincode log');
      expect(await readFile(join(nodes, 'Orderer', 'run', 'orderer1.pid'), 'utf8')).toBe('456\norderer\n');
      expect(await readFile(join(nodes, 'Orderer', 'channel', 'alliance.block'), 'utf8')).toBe('block');
      expect(await readFile(join(nodes, 'Orderer', 'config', 'configtx', 'configtx.yaml'), 'utf8')).toBe(
        'Organizations: []',
      );
      expect(await readdir(runtime)).toEqual(['nodes']);
      expect(lines).toHaveLength(1);
      // Once moved, nothing is left to move.
      await moveSharedFilesIntoNodes(topology, (line) => lines.push(line), runtime);
      expect(lines).toHaveLength(1);
    } finally {
      await rm(runtime, { recursive: true, force: true });
    }
  });
});
