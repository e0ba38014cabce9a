import { join } from 'node:path';
import { fabricBinary } from './binaries.js';
import {
  allianceDirOf,
  ordererNodeDir,
  ownTlsRoot,
  peerNodeDir,
  publishedTlsRoot,
  userDir,
} from './nodeLayout.js';
import { run, type RunResult } from './exec.js';
import { runtimePaths } from './paths.js';
import type { OrdererNode, PeerOrg, Topology } from './topology.js';

/** A node's configuration sits beside its keys and its ledger, in its organisation's directory. */
export const peerConfigDir = (org: PeerOrg): string => join(peerNodeDir(runtimePaths.nodes, org), 'config');
export const ordererConfigDir = (topology: Topology, name: string): string =>
  join(ordererNodeDir(runtimePaths.nodes, topology, name), 'config');

/** The peer CLI acting as an organisation's admin against that organisation's peer. */
export function peerAdmin(topology: Topology, org: PeerOrg) {
  const { nodes } = runtimePaths;
  // Other organisations' TLS roots come from the cards this organisation's node received.
  const alliance = allianceDirOf(nodes, org);
  const orderer = topology.ordererOrg.nodes[0];
  if (orderer === undefined) throw new Error('topology has no orderer');
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    FABRIC_CFG_PATH: peerConfigDir(org),
    CORE_PEER_LOCALMSPID: org.mspId,
    CORE_PEER_MSPCONFIGPATH: join(userDir(nodes, org, `Admin@${org.domain}`), 'msp'),
    CORE_PEER_ADDRESS: `${org.host}:${org.listenPort}`,
    CORE_PEER_TLS_ENABLED: 'true',
    CORE_PEER_TLS_ROOTCERT_FILE: ownTlsRoot(nodes, org),
    FABRIC_LOGGING_SPEC: 'warning',
  };
  const ordererArgs = [
    '-o',
    `${topology.ordererOrg.host}:${orderer.listenPort}`,
    '--tls',
    '--cafile',
    publishedTlsRoot(alliance, topology.ordererOrg.mspId),
  ];
  return {
    org,
    ordererArgs,
    peer: (args: string[], timeoutMs = 120_000): Promise<RunResult> =>
      run(fabricBinary('peer'), args, { env, timeoutMs }),
    /** --peerAddresses/--tlsRootCertFiles for a set of organisations' peers (to collect endorsements). */
    endorserArgs: (orgs: PeerOrg[]): string[] =>
      orgs.flatMap((o) => [
        '--peerAddresses',
        `${o.host}:${o.listenPort}`,
        '--tlsRootCertFiles',
        o.mspId === org.mspId ? ownTlsRoot(nodes, o) : publishedTlsRoot(alliance, o.mspId),
      ]),
  };
}

/** osnadmin acting as the orderer organisation's admin against one orderer node. */
export function ordererAdmin(topology: Topology, node: OrdererNode) {
  const org = topology.ordererOrg;
  const admin = join(userDir(runtimePaths.nodes, org, `Admin@${org.domain}`), 'tls');
  const common = [
    '-o',
    `${topology.ordererOrg.host}:${node.adminPort}`,
    '--ca-file',
    ownTlsRoot(runtimePaths.nodes, org),
    '--client-cert',
    join(admin, 'client.crt'),
    '--client-key',
    join(admin, 'client.key'),
  ];
  return {
    list: async (): Promise<string[]> => {
      const { stdout } = await run(fabricBinary('osnadmin'), ['channel', 'list', ...common]);
      return channelNames(stdout);
    },
    join: (channelId: string, block: string): Promise<RunResult> =>
      run(fabricBinary('osnadmin'), [
        'channel',
        'join',
        '--channelID',
        channelId,
        '--config-block',
        block,
        ...common,
      ]),
  };
}

/** Reads channel names from osnadmin's `channel list` output (a status line, then JSON). */
export function channelNames(output: string): string[] {
  const start = output.indexOf('{');
  if (start < 0) return [];
  const parsed = JSON.parse(output.slice(start)) as { channels?: { name: string }[] | null };
  return (parsed.channels ?? []).map((c) => c.name);
}
