import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { peerAdmin } from './adminCli.js';
import { fabricBinary } from './binaries.js';
import { channelConfig } from './channelConfig.js';
import { NetworkError } from './errors.js';
import { run } from './exec.js';
import { ensureCrypto, isUp, readState, up, writeState } from './network.js';
import { runtimePaths } from './paths.js';
import {
  buildTopology,
  CHANNEL_ID,
  HOST,
  isValidFactoryOrgName,
  type PeerOrg,
  type Topology,
} from './topology.js';

type Log = (line: string) => void;

interface ConfigJson {
  channel_group: { groups: { Application: { groups: Record<string, unknown> } } };
}

const configtxlator = (args: string[]) => run(fabricBinary('configtxlator'), args);

/**
 * Adds a factory organisation to the running network: its crypto, a channel configuration update
 * signed by the admins of every existing organisation (the channel's Admins policy is a majority),
 * then its peer and chaincode server, its approval of the chaincode and its members' registration.
 * Running it again for the same factory only finishes what is missing.
 */
export async function addFactory(name: string, log: Log = console.log): Promise<void> {
  if (!isValidFactoryOrgName(name)) {
    throw new NetworkError(
      `'${name}' is not a factory organisation name`,
      'use Factory followed by a capital letter and letters or digits, e.g. FactoryC',
    );
  }
  const state = await readState();
  if (state === undefined || !(await isUp())) {
    throw new NetworkError('the network is not running', 'start it first: npm run network:up');
  }
  const before = buildTopology(state.options);
  if (!state.options.extraFactories.includes(name)) {
    state.options.extraFactories.push(name);
  }
  const topology = buildTopology(state.options);
  const org = topology.peerOrgs.find((o) => o.name === name);
  if (org === undefined) throw new Error(`topology lost ${name}`);
  await ensureCrypto(topology, log);
  await addOrgToChannel(before, topology, org, log);
  // Only now the channel knows the organisation: from here on, up() treats it as one of the network's.
  await writeState(state);
  await up({ log });
  log(`${name} is a member of channel '${CHANNEL_ID}' with its own peer at ${HOST}:${org.listenPort}`);
}

async function addOrgToChannel(
  existing: Topology,
  topology: Topology,
  org: PeerOrg,
  log: Log,
): Promise<void> {
  const work = await mkdtemp(join(tmpdir(), 'fabpool-add-org-'));
  try {
    const operator = existing.peerOrgs[0];
    if (operator === undefined) throw new Error('no operator organisation');
    const operatorAdmin = peerAdmin(existing, operator);
    await operatorAdmin.peer([
      'channel',
      'fetch',
      'config',
      join(work, 'config_block.pb'),
      '-c',
      CHANNEL_ID,
      ...operatorAdmin.ordererArgs,
    ]);
    await configtxlator([
      'proto_decode',
      '--input',
      join(work, 'config_block.pb'),
      '--type',
      'common.Block',
      '--output',
      join(work, 'block.json'),
    ]);
    const block = JSON.parse(await readFile(join(work, 'block.json'), 'utf8')) as {
      data: { data: { payload: { data: { config: ConfigJson } } }[] };
    };
    const config = block.data.data[0]?.payload.data.config;
    if (config === undefined)
      throw new NetworkError('the channel config block has no config', 'npm run network:down -- --clean');
    if (org.mspId in config.channel_group.groups.Application.groups) {
      log(`${org.mspId} is already in channel '${CHANNEL_ID}'`);
      return;
    }

    log(
      `Adding ${org.mspId} to channel '${CHANNEL_ID}' (config update signed by ${existing.peerOrgs.map((o) => o.name).join(', ')})`,
    );
    const configtxDir = join(work, 'configtx');
    await mkdir(configtxDir);
    await writeFile(
      join(configtxDir, 'configtx.yaml'),
      stringify(channelConfig(topology, runtimePaths.crypto)),
    );
    const printed = await run(fabricBinary('configtxgen'), [
      '-configPath',
      configtxDir,
      '-printOrg',
      org.mspId,
    ]);
    const orgGroup = JSON.parse(printed.stdout) as { values: Record<string, unknown> };
    // configtxgen -printOrg leaves out anchor peers; gossip across organisations needs them.
    orgGroup.values.AnchorPeers = {
      mod_policy: 'Admins',
      value: { anchor_peers: [{ host: HOST, port: org.listenPort }] },
      version: '0',
    };
    const updated = structuredClone(config);
    updated.channel_group.groups.Application.groups[org.mspId] = orgGroup;

    const file = (n: string): string => join(work, n);
    await writeFile(file('config.json'), JSON.stringify(config));
    await writeFile(file('updated.json'), JSON.stringify(updated));
    await configtxlator([
      'proto_encode',
      '--input',
      file('config.json'),
      '--type',
      'common.Config',
      '--output',
      file('config.pb'),
    ]);
    await configtxlator([
      'proto_encode',
      '--input',
      file('updated.json'),
      '--type',
      'common.Config',
      '--output',
      file('updated.pb'),
    ]);
    await configtxlator([
      'compute_update',
      '--channel_id',
      CHANNEL_ID,
      '--original',
      file('config.pb'),
      '--updated',
      file('updated.pb'),
      '--output',
      file('update.pb'),
    ]);
    await configtxlator([
      'proto_decode',
      '--input',
      file('update.pb'),
      '--type',
      'common.ConfigUpdate',
      '--output',
      file('update.json'),
    ]);
    const envelope = {
      payload: {
        header: { channel_header: { channel_id: CHANNEL_ID, type: 2 } },
        data: { config_update: JSON.parse(await readFile(file('update.json'), 'utf8')) as unknown },
      },
    };
    await writeFile(file('envelope.json'), JSON.stringify(envelope));
    await configtxlator([
      'proto_encode',
      '--input',
      file('envelope.json'),
      '--type',
      'common.Envelope',
      '--output',
      file('envelope.pb'),
    ]);

    const admins = existing.peerOrgs.map((o) => peerAdmin(existing, o));
    const submitter = admins[admins.length - 1];
    if (submitter === undefined) throw new Error('no admins');
    for (const admin of admins.slice(0, -1))
      await admin.peer(['channel', 'signconfigtx', '-f', file('envelope.pb')]);
    try {
      await submitter.peer([
        'channel',
        'update',
        '-f',
        file('envelope.pb'),
        '-c',
        CHANNEL_ID,
        ...submitter.ordererArgs,
      ]);
    } catch (error) {
      throw new NetworkError(
        `the channel refused the config update adding ${org.mspId}: ${error instanceof Error ? error.message : String(error)}`,
        'read network/.runtime/logs/orderer1.log; a majority of the organisations admins must sign',
      );
    }
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}
