import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  organisationNodeFile,
  readOrganisationNodeFile,
  writeOrganisationNodeFile,
} from './organisationNodeFile.js';
import { buildTopology, defaultTopologyOptions } from './topology.js';

describe('an organisation’s node file', () => {
  const dirs: string[] = [];
  afterAll(async () => {
    for (const dir of dirs) await rm(dir, { recursive: true, force: true });
  });
  const topology = buildTopology(defaultTopologyOptions());

  it('names the organisation, the channel, its gateway peer and its api, with paths inside its directory', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'fabpool-node-file-'));
    dirs.push(dir);
    const supplier = topology.clientOrgs[0];
    if (supplier === undefined) throw new Error('no supplier');
    await writeOrganisationNodeFile(dir, organisationNodeFile(topology, supplier));
    const node = await readOrganisationNodeFile(dir);
    expect(node).toMatchObject({
      organisation: 'SupplierA',
      mspId: 'SupplierAMSP',
      alliance: { channel: 'alliance', chaincode: 'fabpool' },
      // It runs no peer: it submits through the operator's.
      gatewayPeer: `127.0.0.1:${String(topology.peerOrgs[0]?.listenPort)}`,
      api: { host: '127.0.0.1', port: supplier.apiPort },
      connection: join(dir, 'connection.json'),
      dataDir: join(dir, 'api'),
      directory: dir,
      // Its own CA, which the node starts to enrol someone new.
      ca: { host: '127.0.0.1', port: supplier.caPort, operationsPort: supplier.caOperationsPort },
    });
    expect(node.api.netns).toBeUndefined();
  });

  it('puts the api of a network with a namespace per organisation on its own address, in its namespace', () => {
    const spread = buildTopology({ ...defaultTopologyOptions(), namespaces: true });
    const factoryA = spread.peerOrgs.find((o) => o.name === 'FactoryA');
    if (factoryA === undefined) throw new Error('no FactoryA');
    expect(organisationNodeFile(spread, factoryA).api).toEqual({
      host: factoryA.host,
      port: factoryA.apiPort,
      netns: factoryA.netns,
    });
    expect(factoryA.host).not.toBe('127.0.0.1');
  });

  it('refuses a directory without one, or a file that is not one, saying what to give', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'fabpool-node-file-'));
    dirs.push(dir);
    await expect(readOrganisationNodeFile(dir)).rejects.toThrow(
      /no organisation node at .*node\.json[\s\S]*network\/\.runtime\/nodes\/FactoryA/,
    );
    await writeFile(join(dir, 'node.json'), JSON.stringify({ organisation: 'FactoryA' }));
    await expect(readOrganisationNodeFile(dir)).rejects.toThrow(/is not an organisation node file/);
  });
});
