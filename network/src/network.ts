import { createHash } from 'node:crypto';
import { chmod, mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, join, relative } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { ErrorCode, findErrorCode, memberFromJson, memberIdOf } from '@fabpool/chaincode/model';
import type { MembershipCard } from '@fabpool/chaincode/model';
import { parse, stringify } from 'yaml';
import { ordererAdmin, ordererConfigDir, peerAdmin, peerConfigDir } from './adminCli.js';
import { ensureBinaries, fabricBinary, SAMPLE_CONFIG_DIR } from './binaries.js';
import { ensureChaincodePackage } from './chaincodePackage.js';
import { CHANNEL_PROFILE, channelBlockFile, channelConfig } from './channelConfig.js';
import {
  describeConnection,
  describeNode,
  writeConnectionDescription,
  type ConnectionDescription,
} from './connection.js';
import { ensureNamespaces, namespacePlan, removeNamespaces } from './namespaces.js';
import { allianceDirOf, channelDirOf, nodeDirOf, peerNodeDir } from './nodeLayout.js';
import { organisationNodeFile, writeOrganisationNodeFile } from './organisationNodeFile.js';
import { NetworkError } from './errors.js';
import { peersKnown } from './gossip.js';
import { exists } from './files.js';
import { CommandError, run } from './exec.js';
import { connectAs, gatewayErrorText, type MemberSession } from './gateway.js';
import {
  ensureOrganisationIdentities,
  organisationPlans,
  exchangeCards,
} from './identity/organisationNode.js';
import { decodeUtf8 } from './ledger/ledger.js';
import { proposerOf } from './memberRegistration.js';
import { CCAAS_ENV, ordererConfig, peerCoreConfig } from './nodeConfig.js';
import { CHAINCODE_DIR, REPO_DIR, RUNTIME_DIR, runtimePaths } from './paths.js';
import {
  httpOk,
  killProcess,
  logFile,
  processLabel,
  runningPid,
  startProcess,
  stopProcess,
  tcpOpen,
  waitFor,
  type ProcessRef,
} from './processes.js';
import {
  buildTopology,
  CHAINCODE_NAME,
  CHANNEL_ID,
  DEFAULT_PORT_BASE,
  memberOrgs,
  type PeerOrg,
  type Topology,
  type TopologyOptions,
} from './topology.js';

/** What the network was created with; it stays fixed until `down --clean`. */
interface NetworkState {
  options: TopologyOptions;
  chaincodeSequence: number;
}

type Log = (line: string) => void;

export async function readState(): Promise<NetworkState | undefined> {
  try {
    return JSON.parse(await readFile(runtimePaths.state, 'utf8')) as NetworkState;
  } catch {
    return undefined;
  }
}

export async function writeState(state: NetworkState): Promise<void> {
  await writeFile(runtimePaths.state, `${JSON.stringify(state, null, 2)}\n`);
}

// Each process belongs to its organisation's node: its pid file and log are in that node's directory.
const ordererProcess = (topology: Topology, name: string): ProcessRef => ({
  name,
  home: nodeDirOf(runtimePaths.nodes, topology.ordererOrg),
});
const peerProcess = (org: PeerOrg): ProcessRef => ({
  name: 'peer',
  home: nodeDirOf(runtimePaths.nodes, org),
});
const chaincodeProcess = (org: PeerOrg): ProcessRef => ({
  name: 'chaincode',
  home: nodeDirOf(runtimePaths.nodes, org),
});

/** The network's processes in tiers, clients of a tier first: chaincode servers, peers, orderers. */
function processTiers(topology: Topology): ProcessRef[][] {
  return [
    topology.peerOrgs.map(chaincodeProcess),
    topology.peerOrgs.map(peerProcess),
    topology.ordererOrg.nodes.map((n) => ordererProcess(topology, n.name)),
  ];
}

export function networkProcesses(topology: Topology): ProcessRef[] {
  return processTiers(topology).flat();
}

/** The fix a person reads when a process fails: its own log, in its node's directory. */
const readLog = (ref: ProcessRef, then: string): string =>
  `read ${relative(REPO_DIR, logFile(ref))}; ${then}`;

async function loadSample(file: string): Promise<Record<string, unknown>> {
  return parse(await readFile(join(SAMPLE_CONFIG_DIR, file), 'utf8')) as Record<string, unknown>;
}

/**
 * Every organisation's identities, each made by its own CA in its own node directory (those that
 * exist are kept), and every member's card handed to every member's node. Only members of the
 * channel hand in a card; the test network's outsider never does. Answers the cards as the
 * ordering organisation's node received them.
 */
export async function ensureIdentities(topology: Topology, log: Log): Promise<MembershipCard[]> {
  await mkdir(runtimePaths.nodes, { recursive: true, mode: 0o700 });
  const plans = organisationPlans(topology, runtimePaths.nodes);
  // Each CA listens on its own ports, so the organisations enrol side by side.
  await Promise.all(plans.map((plan) => ensureOrganisationIdentities(plan, runtimePaths.nodes, log)));
  return exchangeCards(plans, runtimePaths.nodes, topology.ordererOrg);
}

/**
 * A network made by fabpool before each organisation had its own node directory kept every
 * organisation's keys in one place, made by cryptogen. Its identities cannot be carried over
 * without replacing every certificate the channel trusts, so it is rebuilt, with this message.
 */
export async function checkRuntimeLayout(legacyCryptoDir = runtimePaths.legacyCrypto): Promise<void> {
  if (await exists(legacyCryptoDir))
    throw new NetworkError(
      `the network in ${RUNTIME_DIR} was made by an earlier fabpool, in which one directory (crypto/) held every organisation's keys; its identities cannot be moved to the organisations' own nodes`,
      'rebuild it (its ledger data is lost): npm run network:down -- --clean, then npm run network:up',
    );
}

/**
 * A network made before its nodes stopped sharing directories kept every process's pid file and
 * log in `.runtime/pids` and `logs`, the genesis block and its configtx in `channel/` and
 * `config/`, the cards in `alliance/` and one chaincode package in `chaincode/`. Each is moved to
 * the node it belongs to (the processes keep running; a log moved on the same disk stays the file
 * they write); the shared cards and package are dropped, since every node receives the cards again
 * and builds its own package (the same id). Nothing of the ledgers changes.
 */
export async function moveSharedFilesIntoNodes(
  topology: Topology,
  log: Log,
  runtimeDir = RUNTIME_DIR,
): Promise<void> {
  const shared = {
    pids: join(runtimeDir, 'pids'),
    logs: join(runtimeDir, 'logs'),
    channel: join(runtimeDir, 'channel'),
    configtx: join(runtimeDir, 'config', 'configtx'),
    alliance: join(runtimeDir, 'alliance'),
    chaincode: join(runtimeDir, 'chaincode'),
  };
  const found = await Promise.all(Object.values(shared).map(exists));
  if (!found.some(Boolean)) return;
  log("Moving this network's shared pid files, logs, genesis block and cards into the nodes they belong to");
  const nodesDir = join(runtimeDir, 'nodes');
  for (const running of networkProcesses(topology)) {
    const org = basename(running.home);
    const ref = { name: running.name, home: join(nodesDir, org) };
    // The names these processes had in the shared directories.
    const before = ref.name === 'peer' || ref.name === 'chaincode' ? `${ref.name}-${org}` : ref.name;
    for (const [from, to] of [
      [join(shared.pids, `${before}.pid`), join(ref.home, 'run', `${ref.name}.pid`)],
      [join(shared.logs, `${before}.log`), logFile(ref)],
    ] as const) {
      if (!(await exists(from))) continue;
      await mkdir(dirname(to), { recursive: true, mode: 0o700 });
      await rename(from, to);
    }
  }
  const ordering = join(nodesDir, topology.ordererOrg.name);
  if ((await exists(shared.channel)) && !(await exists(join(ordering, 'channel'))))
    await rename(shared.channel, join(ordering, 'channel'));
  if ((await exists(shared.configtx)) && !(await exists(join(ordering, 'config', 'configtx')))) {
    await mkdir(join(ordering, 'config'), { recursive: true });
    await rename(shared.configtx, join(ordering, 'config', 'configtx'));
  }
  for (const dir of [
    shared.pids,
    shared.logs,
    shared.channel,
    join(runtimeDir, 'config'),
    shared.alliance,
    shared.chaincode,
  ])
    await rm(dir, { recursive: true, force: true });
}

async function writeNodeConfigs(topology: Topology): Promise<void> {
  const dirs = { nodes: runtimePaths.nodes };
  const core = await loadSample('core.yaml');
  const orderer = await loadSample('orderer.yaml');
  for (const org of topology.peerOrgs) {
    await mkdir(peerConfigDir(org), { recursive: true });
    await writeFile(join(peerConfigDir(org), 'core.yaml'), stringify(peerCoreConfig(core, org, dirs)));
  }
  for (const node of topology.ordererOrg.nodes) {
    await mkdir(ordererConfigDir(topology, node.name), { recursive: true });
    await writeFile(
      join(ordererConfigDir(topology, node.name), 'orderer.yaml'),
      stringify(ordererConfig(orderer, topology, node.name, dirs)),
    );
  }
}

/** The ordering organisation's node makes the channel's first block, from the cards it received. */
const genesisBlockFile = (topology: Topology): string =>
  channelBlockFile(channelDirOf(runtimePaths.nodes, topology.ordererOrg));
const configtxDir = (topology: Topology): string =>
  join(nodeDirOf(runtimePaths.nodes, topology.ordererOrg), 'config', 'configtx');

async function ensureGenesisBlock(
  topology: Topology,
  cards: MembershipCard[],
  joinedLater: readonly string[],
  log: Log,
): Promise<string> {
  const block = genesisBlockFile(topology);
  const configDir = configtxDir(topology);
  if (await exists(block)) {
    // A founding organisation of this fabpool that the channel never had (an older fabpool made
    // it) could sign nothing on it: say so, rather than fail at its first transaction.
    const founded = await readFile(join(configDir, 'configtx.yaml'), 'utf8').catch(() => '');
    const missing = cards
      .map((c) => c.mspId)
      .filter((mspId) => !joinedLater.includes(mspId) && !founded.includes(`ID: ${mspId}\n`));
    if (founded !== '' && missing.length > 0)
      throw new NetworkError(
        `the channel in ${RUNTIME_DIR} was made by an earlier fabpool without ${missing.join(', ')}`,
        'wipe it first: npm run network:down -- --clean, then npm run network:up',
      );
    return block;
  }
  log(`Creating the genesis block of channel '${CHANNEL_ID}' on the ordering service's node (configtxgen)`);
  await mkdir(dirname(block), { recursive: true });
  await mkdir(configDir, { recursive: true });
  const founders = cards.map((c) => c.mspId).join(', ');
  log(`  from the founding organisations' cards: ${founders}`);
  await writeFile(
    join(configDir, 'configtx.yaml'),
    stringify(channelConfig(cards, allianceDirOf(runtimePaths.nodes, topology.ordererOrg))),
  );
  await run(fabricBinary('configtxgen'), [
    '-configPath',
    configDir,
    '-profile',
    CHANNEL_PROFILE,
    '-outputBlock',
    block,
    '-channelID',
    CHANNEL_ID,
  ]);
  return block;
}

/**
 * A node is ready when its operations endpoint reports healthy and every listener it serves
 * accepts connections: health comes up first, and a restarted node opens its gRPC and admin
 * listeners a moment later.
 */
async function nodeReady(host: string, operationsPort: number, listenPorts: number[]): Promise<boolean> {
  if (!(await httpOk(`http://${host}:${operationsPort}/healthz`))) return false;
  for (const port of listenPorts) if (!(await tcpOpen(port, host))) return false;
  return true;
}

async function startOrderers(topology: Topology): Promise<void> {
  await Promise.all(topology.ordererOrg.nodes.map((node) => startOrderer(topology, node)));
}

async function startOrderer(
  topology: Topology,
  node: Topology['ordererOrg']['nodes'][number],
): Promise<void> {
  const ref = ordererProcess(topology, node.name);
  await startProcess({
    ...ref,
    program: fabricBinary('orderer'),
    args: [],
    env: {
      ...process.env,
      FABRIC_CFG_PATH: ordererConfigDir(topology, node.name),
      FABRIC_LOGGING_SPEC: 'info',
    },
    ...(topology.ordererOrg.netns === undefined ? {} : { netns: topology.ordererOrg.netns }),
    ports: [
      { port: node.listenPort, owner: node.name },
      { port: node.adminPort, owner: `${node.name} admin` },
      { port: node.operationsPort, owner: `${node.name} operations` },
    ],
  });
  await waitFor(
    `orderer ${node.name} health`,
    ref,
    () => nodeReady(topology.ordererOrg.host, node.operationsPort, [node.listenPort, node.adminPort]),
    readLog(ref, 'if its data is damaged, npm run network:down -- --clean'),
  );
}

async function startPeer(org: PeerOrg): Promise<void> {
  const ref = peerProcess(org);
  await startProcess({
    ...ref,
    program: fabricBinary('peer'),
    args: ['node', 'start'],
    env: {
      ...process.env,
      FABRIC_CFG_PATH: peerConfigDir(org),
      FABRIC_LOGGING_SPEC: 'info:gossip,discovery=warning',
      [CCAAS_ENV.address]: `${org.host}:${org.chaincodeServerPort}`,
      [CCAAS_ENV.rootCert]: join(peerNodeDir(runtimePaths.nodes, org, 'ccaas'), 'tls', 'ca.crt'),
    },
    ...(org.netns === undefined ? {} : { netns: org.netns }),
    ports: [
      { port: org.listenPort, owner: `${org.name} peer` },
      { port: org.chaincodeListenPort, owner: `${org.name} peer chaincode listener` },
      { port: org.operationsPort, owner: `${org.name} peer operations` },
    ],
  });
  await waitFor(
    `peer of ${org.name} health`,
    ref,
    () => nodeReady(org.host, org.operationsPort, [org.listenPort]),
    readLog(ref, 'if its data is damaged, npm run network:down -- --clean'),
  );
}

async function startPeers(topology: Topology): Promise<void> {
  await Promise.all(topology.peerOrgs.map(startPeer));
}

/** The running network's peer organisation of an MSP id. */
async function peerOrgOf(mspId: string): Promise<PeerOrg> {
  const state = await readState();
  if (state === undefined) throw new NetworkError('no fabpool network here', 'npm run network:up');
  const org = buildTopology(state.options).peerOrgs.find((o) => o.mspId === mspId);
  if (org === undefined)
    throw new NetworkError(`no peer organisation ${mspId} in this network`, 'check the MSP id');
  return org;
}

/** The running network's orderer nodes, by name (`orderer1`, …). */
export async function ordererNames(): Promise<string[]> {
  const state = await readState();
  if (state === undefined) throw new NetworkError('no fabpool network here', 'npm run network:up');
  return buildTopology(state.options).ordererOrg.nodes.map((n) => n.name);
}

/** Kills one orderer at once (SIGKILL), as a crash would; its data stays. */
export async function crashOrderer(name: string): Promise<void> {
  const state = await readState();
  if (state === undefined) throw new NetworkError('no fabpool network here', 'npm run network:up');
  await killProcess(ordererProcess(buildTopology(state.options), name));
}

/** Starts a crashed or stopped orderer again and waits until it is healthy; Raft catches it up. */
export async function startOrdererAgain(name: string): Promise<void> {
  const state = await readState();
  if (state === undefined) throw new NetworkError('no fabpool network here', 'npm run network:up');
  const topology = buildTopology(state.options);
  const node = topology.ordererOrg.nodes.find((n) => n.name === name);
  if (node === undefined) throw new NetworkError(`no orderer ${name} in this network`, 'see ordererNames()');
  await startOrderer(topology, node);
}

/** Kills one organisation's peer at once (SIGKILL), as a crash would; its data stays. */
export async function crashPeer(mspId: string): Promise<void> {
  await killProcess(peerProcess(await peerOrgOf(mspId)));
}

/** Stops one organisation's peer (its data stays): what an outage or a maintenance window does. */
export async function stopPeer(mspId: string): Promise<void> {
  await stopProcess(peerProcess(await peerOrgOf(mspId)));
}

/** Kills one organisation's chaincode server at once (SIGKILL): its peer can no longer run the contracts. */
export async function crashChaincodeServer(mspId: string): Promise<void> {
  await killProcess(chaincodeProcess(await peerOrgOf(mspId)));
}

/** Starts a crashed chaincode server again with the deployed package; its peer dials it on the next call. */
export async function startChaincodeServerAgain(mspId: string): Promise<void> {
  const org = await peerOrgOf(mspId);
  const { packageId } = await ensureChaincodePackage(chaincodeDirOf(org));
  await startChaincodeServer(org, packageId);
}

/** Starts a stopped peer again and waits until it is healthy; it catches up on blocks by itself. */
export async function startPeerAgain(mspId: string): Promise<void> {
  await startPeer(await peerOrgOf(mspId));
}

/**
 * The orderers join with the genesis block their own organisation made (channel participation
 * API); each peer's admin then fetches block 0 from an orderer over the network, as a peer on
 * another host must, and joins with it. No block file passes between nodes.
 */
async function joinChannel(topology: Topology, block: string, log: Log): Promise<void> {
  for (const node of topology.ordererOrg.nodes) {
    const admin = ordererAdmin(topology, node);
    if (!(await admin.list()).includes(CHANNEL_ID)) {
      log(`Joining ${node.name} to '${CHANNEL_ID}' (channel participation API)`);
      await admin.join(CHANNEL_ID, block);
    }
  }
  await Promise.all(
    topology.peerOrgs.map(async (org) => {
      const admin = peerAdmin(topology, org);
      const { stdout } = await admin.peer(['channel', 'list']);
      if (stdout.split('\n').some((line) => line.trim() === CHANNEL_ID)) return;
      log(`Joining the peer of ${org.name} to '${CHANNEL_ID}' (block 0 fetched from the ordering service)`);
      try {
        const own = channelBlockFile(channelDirOf(runtimePaths.nodes, org));
        await mkdir(dirname(own), { recursive: true });
        await fetchGenesisBlock(admin, own);
        await admin.peer(['channel', 'join', '-b', own]);
      } catch (error) {
        throw new NetworkError(
          `the peer of ${org.name} did not join '${CHANNEL_ID}': ${error instanceof Error ? error.message : String(error)}`,
          readLog(peerProcess(org), `the orderer must be up and the block must list ${org.mspId}`),
        );
      }
    }),
  );
}

/** Block 0 of the channel from an orderer; a channel an orderer has just joined may take a moment to serve. */
async function fetchGenesisBlock(admin: ReturnType<typeof peerAdmin>, file: string): Promise<void> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    try {
      await admin.peer(['channel', 'fetch', '0', file, '-c', CHANNEL_ID, ...admin.ordererArgs]);
      return;
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await sleep(500);
    }
  }
}

/** A fingerprint of the built contract code, so a running chaincode server with old code is restarted. */
async function chaincodeBuildHash(): Promise<string> {
  const dist = join(CHAINCODE_DIR, 'dist');
  if (!(await exists(join(dist, 'index.js')))) {
    throw new NetworkError(
      'the chaincode is not built',
      'run npm run build first (npm run network:up does it)',
    );
  }
  const hash = createHash('sha256');
  const files = (await readdir(dist, { recursive: true })).filter((f) => f.endsWith('.js')).sort();
  for (const file of files) hash.update(file).update(await readFile(join(dist, file)));
  return hash.digest('hex');
}

/** Where an organisation's node keeps the chaincode package it built and the build its server runs. */
const chaincodeDirOf = (org: PeerOrg): string => join(nodeDirOf(runtimePaths.nodes, org), 'chaincode');

/**
 * Each peer organisation's node builds the package itself; the build is reproducible, so all
 * arrive at one package id, which every organisation must approve. A differing id is refused.
 */
async function ensureChaincodePackages(
  topology: Topology,
): Promise<{ files: Map<string, string>; packageId: string }> {
  const built = await Promise.all(
    topology.peerOrgs.map((org) => ensureChaincodePackage(chaincodeDirOf(org))),
  );
  const ids = new Set(built.map((b) => b.packageId));
  const [packageId] = ids;
  if (packageId === undefined || ids.size !== 1)
    throw new NetworkError(
      `the organisations' nodes built different chaincode packages (${[...ids].join(', ')})`,
      'every node must build from the same fabpool release; npm run network:down -- --clean, then npm run network:up',
    );
  return {
    files: new Map(topology.peerOrgs.map((org, i) => [org.mspId, built[i]?.file ?? ''])),
    packageId,
  };
}

async function startChaincodeServers(topology: Topology, packageId: string, log: Log): Promise<void> {
  const build = await chaincodeBuildHash();
  await Promise.all(
    topology.peerOrgs.map(async (org) => {
      const stampFile = join(chaincodeDirOf(org), 'running-build');
      const runningBuild = await readFile(stampFile, 'utf8').catch(() => '');
      if (runningBuild !== build && (await stopProcess(chaincodeProcess(org))))
        log(`Restarting the chaincode server of ${org.name} with the new build`);
      await startChaincodeServer(org, packageId);
      await writeFile(stampFile, build);
    }),
  );
}

/** Starts one organisation's chaincode server (reused when running) and waits until it listens. */
async function startChaincodeServer(org: PeerOrg, packageId: string): Promise<void> {
  const shimCli = join(REPO_DIR, 'node_modules', 'fabric-shim', 'cli.js');
  const ref = chaincodeProcess(org);
  const tls = join(peerNodeDir(runtimePaths.nodes, org, 'ccaas'), 'tls');
  await startProcess({
    ...ref,
    program: process.execPath,
    args: [
      shimCli,
      'server',
      `--chaincode-address=${org.host}:${org.chaincodeServerPort}`,
      `--chaincode-id=${packageId}`,
      `--chaincode-tls-cert-file=${join(tls, 'server.crt')}`,
      `--chaincode-tls-key-file=${join(tls, 'server.key')}`,
      `--module-path=${CHAINCODE_DIR}`,
    ],
    env: { ...process.env, CORE_CHAINCODE_LOGGING_LEVEL: 'info', CORE_CHAINCODE_LOGGING_SHIM: 'warning' },
    cwd: CHAINCODE_DIR,
    ports: [{ port: org.chaincodeServerPort, owner: `${org.name} chaincode server` }],
    ...(org.netns === undefined ? {} : { netns: org.netns }),
  });
  await waitFor(
    `chaincode server of ${org.name}`,
    ref,
    () => tcpOpen(org.chaincodeServerPort, org.host),
    readLog(ref, 'the chaincode must build (npm run build)'),
  );
}

interface CommittedDefinition {
  sequence: number;
}

async function deployChaincode(
  topology: Topology,
  state: NetworkState,
  files: Map<string, string>,
  packageId: string,
  log: Log,
): Promise<void> {
  const admins = topology.peerOrgs.map((org) => peerAdmin(topology, org));
  await Promise.all(
    admins.map(async (admin) => {
      const { stdout } = await admin.peer(['lifecycle', 'chaincode', 'queryinstalled', '-O', 'json']);
      const installed =
        (JSON.parse(stdout || '{}') as { installed_chaincodes?: { package_id: string }[] })
          .installed_chaincodes ?? [];
      if (installed.some((c) => c.package_id === packageId)) return;
      log(`Installing the chaincode package on the peer of ${admin.org.name}`);
      await admin.peer(['lifecycle', 'chaincode', 'install', files.get(admin.org.mspId) ?? ''], 300_000);
    }),
  );
  const first = admins[0];
  if (first === undefined) throw new Error('no peer organisation');
  const definition = [
    '--channelID',
    CHANNEL_ID,
    '--name',
    CHAINCODE_NAME,
    '--version',
    String(state.chaincodeSequence),
    '--sequence',
    String(state.chaincodeSequence),
  ];
  const approve = async (admin: PeerAdmin): Promise<void> => {
    log(`Approving chaincode '${CHAINCODE_NAME}' sequence ${state.chaincodeSequence} for ${admin.org.name}`);
    await admin.peer([
      'lifecycle',
      'chaincode',
      'approveformyorg',
      ...admin.ordererArgs,
      ...definition,
      '--package-id',
      packageId,
    ]);
  };
  const committed = await queryCommitted(first);
  if (committed !== undefined && committed.sequence >= state.chaincodeSequence) {
    // An organisation that joined after the commit must still approve before its peer runs the chaincode.
    const unapproved = await Promise.all(
      admins.map(async (admin) => ((await hasApproved(admin, committed.sequence)) ? [] : [admin])),
    );
    await Promise.all(unapproved.flat().map(approve));
    return;
  }
  const readiness = await first.peer([
    'lifecycle',
    'chaincode',
    'checkcommitreadiness',
    ...definition,
    '-O',
    'json',
  ]);
  const approvals = (JSON.parse(readiness.stdout) as { approvals: Record<string, boolean> }).approvals;
  await Promise.all(admins.filter((admin) => approvals[admin.org.mspId] !== true).map(approve));
  log(`Committing chaincode '${CHAINCODE_NAME}' sequence ${state.chaincodeSequence} to '${CHANNEL_ID}'`);
  try {
    await first.peer([
      'lifecycle',
      'chaincode',
      'commit',
      ...first.ordererArgs,
      ...definition,
      ...first.endorserArgs(topology.peerOrgs),
    ]);
  } catch (error) {
    throw new NetworkError(
      `the chaincode definition did not commit: ${error instanceof Error ? error.message : String(error)}`,
      'every organisation must have approved the same package id; check the peer logs (network/.runtime/nodes/<Organisation>/logs/peer.log)',
    );
  }
}

type PeerAdmin = ReturnType<typeof peerAdmin>;

async function hasApproved(admin: PeerAdmin, sequence: number): Promise<boolean> {
  try {
    await admin.peer([
      'lifecycle',
      'chaincode',
      'queryapproved',
      '--channelID',
      CHANNEL_ID,
      '--name',
      CHAINCODE_NAME,
      '--sequence',
      String(sequence),
      '-O',
      'json',
    ]);
    return true;
  } catch (error) {
    if (
      error instanceof CommandError &&
      /not found|could not fetch|does not exist|no such/i.test(error.stderr + error.stdout)
    )
      return false;
    throw error;
  }
}

async function queryCommitted(admin: PeerAdmin): Promise<CommittedDefinition | undefined> {
  try {
    const { stdout } = await admin.peer([
      'lifecycle',
      'chaincode',
      'querycommitted',
      '--channelID',
      CHANNEL_ID,
      '--name',
      CHAINCODE_NAME,
      '-O',
      'json',
    ]);
    return JSON.parse(stdout) as CommittedDefinition;
  } catch (error) {
    if (
      error instanceof CommandError &&
      /not found|does not exist|is not defined/i.test(error.stderr + error.stdout)
    )
      return undefined;
    throw error;
  }
}

/**
 * Gives every identity the network issued its role in the on-chain member registry: the
 * operator's own registered by the operator, every other organisation's proposed by its own admin
 * and approved by the operator. This is also the proof that the network commits transactions: it retries
 * until the peers have discovered each other (gossip, after a start) and a transaction that a
 * majority of organisations endorsed commits.
 */
async function registerMembers(description: ConnectionDescription, log: Log): Promise<void> {
  const deadline = Date.now() + 120_000;
  const session = await connectAs(description, 'alliance-admin');
  // Each organisation's admin proposes its own identities' roles; the operator approves.
  const proposers = new Map<string, Promise<MemberSession>>();
  try {
    const contract = session.gateway
      .getNetwork(description.channel)
      .getContract(description.chaincode, 'Member');
    const stateOf = async (mspId: string, clientId: string): Promise<string | undefined> => {
      try {
        const record = memberFromJson(
          decodeUtf8(await contract.evaluateTransaction('GetMember', memberIdOf(mspId, clientId))),
        );
        return record.status;
      } catch (error) {
        if (findErrorCode(gatewayErrorText(error)) === ErrorCode.MEMBER_NOT_FOUND) return undefined;
        throw error;
      }
    };
    // Pending counts as missing: a start cut short between proposal and approval approves it now.
    const isRegistered = async (mspId: string, clientId: string): Promise<boolean> =>
      (await stateOf(mspId, clientId)) === 'ACTIVE';
    const memberContractOf = async (name: string) => {
      const opened = proposers.get(name) ?? connectAs(description, name);
      proposers.set(name, opened);
      return (await opened).gateway
        .getNetwork(description.channel)
        .getContract(description.chaincode, 'Member');
    };
    const registerOnce = async (m: ConnectionDescription['members'][number]): Promise<void> => {
      const proposer = proposerOf(description.members, m);
      const state = await stateOf(m.mspId, m.clientId);
      if (state === 'ACTIVE') return;
      if (proposer === undefined) {
        await contract.submitTransaction('RegisterMember', m.mspId, m.clientId, m.displayName, m.role);
        return;
      }
      if (state === undefined)
        await (
          await memberContractOf(proposer)
        )
          .submitTransaction('ProposeMember', m.clientId, m.displayName, m.role)
          .catch((error: unknown) => {
            // Proposed by an attempt whose answer was lost, or seen by its own peer before ours.
            if (findErrorCode(gatewayErrorText(error)) !== ErrorCode.MEMBER_ALREADY_EXISTS) throw error;
          });
      await contract.submitTransaction('ApproveMember', memberIdOf(m.mspId, m.clientId));
    };
    // A proposing organisation's own peer may not have discovered the others yet just after a
    // start, and the operator's peer may not have its proposal yet: such failures are retried
    // until the deadline; each attempt
    // starts from what the registry holds, so a step that did commit is not repeated.
    const register = async (m: ConnectionDescription['members'][number]): Promise<void> => {
      for (;;) {
        try {
          await registerOnce(m);
          return;
        } catch (error) {
          // The operator's peer may not have the proposal's block yet (MEMBER.NOT_FOUND) either.
          const code = findErrorCode(gatewayErrorText(error));
          if ((code !== undefined && code !== ErrorCode.MEMBER_NOT_FOUND) || Date.now() > deadline)
            throw error;
          await sleep(1_000);
        }
      }
    };
    // People enrolled on a node since founding wait for the operator's own review, never this.
    const [admin, ...others] = description.members.filter((m) => m.enrolled !== true);
    if (admin === undefined) return;
    // The operator's own record goes first (every other registration reads it). On a network that
    // already has it, the operator re-confirms its profile: either way one endorsed transaction must
    // commit before the network counts as up.
    for (;;) {
      try {
        if (await isRegistered(admin.mspId, admin.clientId)) {
          await contract.submitTransaction('UpdateMyProfile', admin.displayName);
        } else {
          log('Registering the network identities in the member registry');
          await register(admin);
        }
        break;
      } catch (error) {
        // Until gossip has spread, the gateway cannot find enough endorsers: retry.
        if (Date.now() > deadline) {
          throw new NetworkError(
            `no transaction committed within 120 s: ${error instanceof Error ? error.message : String(error)}`,
            'check the peer and chaincode logs (network/.runtime/nodes/<Organisation>/logs/)',
          );
        }
        await sleep(1_000);
      }
    }
    const missing: typeof others = [];
    for (const m of others) if (!(await isRegistered(m.mspId, m.clientId))) missing.push(m);
    await Promise.all(missing.map(register));
  } finally {
    session.close();
    for (const opened of proposers.values()) (await opened).close();
  }
}

/**
 * Waits until every peer knows every other organisation's peer on the channel by gossip. Until then
 * a gateway's discovery finds no endorsers for a policy that names a peer it has not met ("no
 * combination of peers can be derived", "failed to find any endorsing peers"). A start after a stop
 * takes longest: the peers find each other again only when they next reconnect to the anchor peers.
 */
async function waitForGossip(topology: Topology, log: Log): Promise<void> {
  const others = topology.peerOrgs.length - 1;
  const started = Date.now();
  let told = false;
  for (;;) {
    const known = await Promise.all(
      topology.peerOrgs.map(async (org) => {
        try {
          const response = await fetch(`http://${org.host}:${org.operationsPort}/metrics`, {
            signal: AbortSignal.timeout(2_000),
          });
          return peersKnown(await response.text(), CHANNEL_ID) ?? 0;
        } catch {
          return 0;
        }
      }),
    );
    if (known.every((n) => n >= others)) return;
    const waiting = topology.peerOrgs.filter((_, i) => (known[i] ?? 0) < others).map((o) => o.name);
    if (Date.now() - started > 120_000)
      throw new NetworkError(
        `the peers of ${waiting.join(', ')} did not find every other peer by gossip within 120 s`,
        'check their anchor peers and logs (network/.runtime/nodes/<Organisation>/logs/peer.log)',
      );
    if (!told && Date.now() - started > 2_000) {
      log(`Waiting for the peers to find each other by gossip (${waiting.join(', ')})`);
      told = true;
    }
    await sleep(500);
  }
}

export interface UpOptions {
  orderers?: 1 | 3;
  /** Each organisation's node in its own network namespace (root only); fixed when the network is made. */
  namespaces?: boolean;
  log?: Log;
}

/**
 * Brings the whole network up, reusing whatever already runs: binaries, crypto, channel, chaincode
 * and the member registry. Safe to run again at any time.
 */
export async function up(
  options: UpOptions = {},
): Promise<{ description: ConnectionDescription; seconds: number }> {
  const log = options.log ?? console.log;
  const started = Date.now();
  await ensureBinaries(log);
  // Every organisation's node directory (its keys) is under it, as long as one host plays every
  // node: nobody but this user may enter it.
  await mkdir(RUNTIME_DIR, { recursive: true, mode: 0o700 });
  await chmod(RUNTIME_DIR, 0o700);
  await checkRuntimeLayout();
  let state = await readState();
  if (state === undefined) {
    const portBase = Number(process.env.FABPOOL_NETWORK_PORT_BASE ?? DEFAULT_PORT_BASE);
    state = {
      options: {
        orderers: options.orderers ?? 1,
        extraFactories: [],
        portBase,
        ...(options.namespaces === true ? { namespaces: true } : {}),
      },
      chaincodeSequence: 1,
    };
    log(
      `Creating a new fabpool network in ${RUNTIME_DIR} (${state.options.orderers} orderer(s), ports from ${portBase}${options.namespaces === true ? ', a network namespace per organisation' : ''})`,
    );
  } else if (options.orderers !== undefined && options.orderers !== state.options.orderers) {
    throw new NetworkError(
      `the network in ${RUNTIME_DIR} was created with ${state.options.orderers} orderer(s)`,
      `wipe it first: npm run network:down -- --clean, then npm run network:up -- --orderers ${options.orderers}`,
    );
  } else if (options.namespaces !== undefined && options.namespaces !== (state.options.namespaces === true)) {
    throw new NetworkError(
      `the network in ${RUNTIME_DIR} was created ${state.options.namespaces === true ? 'with' : 'without'} a network namespace per organisation`,
      `wipe it first: npm run network:down -- --clean, then npm run network:up${options.namespaces ? ' -- --namespaces' : ''}`,
    );
  }
  await writeState(state);
  const topology = buildTopology(state.options);
  const namespaces = namespacePlan(topology);
  if (namespaces !== undefined) {
    log(
      `Each organisation's node in its own network namespace, on the private link ${namespaces.bridge.address}/24`,
    );
    await ensureNamespaces(namespaces);
  }
  await moveSharedFilesIntoNodes(topology, log);
  const cards = await ensureIdentities(topology, log);
  await writeNodeConfigs(topology);
  const block = await ensureGenesisBlock(
    topology,
    cards,
    state.options.extraFactories.map((name) => `${name}MSP`),
    log,
  );
  log('Starting orderers and peers');
  await startOrderers(topology);
  await startPeers(topology);
  await joinChannel(topology, block, log);
  const { files, packageId } = await ensureChaincodePackages(topology);
  await startChaincodeServers(topology, packageId, log);
  await deployChaincode(topology, state, files, packageId, log);
  for (const org of memberOrgs(topology)) {
    const nodeDir = nodeDirOf(runtimePaths.nodes, org);
    await writeConnectionDescription(await describeNode(topology, org), join(nodeDir, 'connection.json'));
    await writeOrganisationNodeFile(nodeDir, organisationNodeFile(topology, org));
  }
  const description = await describeConnection(topology);
  await writeConnectionDescription(description);
  await waitForGossip(topology, log);
  await registerMembers(description, log);
  const seconds = (Date.now() - started) / 1000;
  log(`fabpool network is up (${seconds.toFixed(1)} s); connection description: ${runtimePaths.connection}`);
  return { description, seconds };
}

/** The node directory of every member organisation of the running network (`fabpool node` starts one). */
export async function organisationNodeDirs(): Promise<{ organisation: string; dir: string }[]> {
  const state = await readState();
  if (state === undefined) throw new NetworkError('no fabpool network here', 'npm run network:up');
  return memberOrgs(buildTopology(state.options)).map((org) => ({
    organisation: org.name,
    dir: nodeDirOf(runtimePaths.nodes, org),
  }));
}

/** Stops every process this project started and removes the nodes' namespaces; `clean` also deletes all network data. */
export async function down(options: { clean?: boolean; log?: Log } = {}): Promise<void> {
  const log = options.log ?? console.log;
  const state = await readState();
  const topology = buildTopology(
    state?.options ?? { orderers: 3, extraFactories: [], portBase: DEFAULT_PORT_BASE },
  );
  for (const tier of processTiers(topology)) {
    const stopped = await Promise.all(
      tier.map(async (ref) => ((await stopProcess(ref)) ? [processLabel(ref)] : [])),
    );
    if (stopped.flat().length > 0) log(`Stopped ${stopped.flat().join(', ')}`);
  }
  // With its processes stopped, the nodes' namespaces and link go too: `up` makes them again.
  const namespaces = namespacePlan(topology);
  if (namespaces !== undefined) {
    await removeNamespaces(namespaces);
    log(`Removed the nodes' network namespaces and the link ${namespaces.bridge.name}`);
  }
  if (options.clean === true) {
    await rm(RUNTIME_DIR, { recursive: true, force: true });
    log(`Removed ${RUNTIME_DIR}`);
  }
}

export async function status(): Promise<{ name: string; pid: number | undefined }[]> {
  const state = await readState();
  if (state === undefined) return [];
  return Promise.all(
    networkProcesses(buildTopology(state.options)).map(async (ref) => ({
      name: processLabel(ref),
      pid: await runningPid(ref),
    })),
  );
}

/** True when every process of an existing network runs. */
export async function isUp(): Promise<boolean> {
  const processes = await status();
  return processes.length > 0 && processes.every((p) => p.pid !== undefined);
}
