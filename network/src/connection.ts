import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { clientIdOf } from './identity/clientId.js';
import { credentialsInMsp, enrolledCredentials, readEnrolledMembers } from './identity/enrolledMembers.js';
import { allianceDirOf, nodeDirOf, publishedTlsRoot, userDir, type OrganisationRef } from './nodeLayout.js';
import { NetworkError } from './errors.js';
import { runtimePaths } from './paths.js';
import {
  CHAINCODE_NAME,
  CHANNEL_ID,
  memberOrgs,
  type MemberIdentity,
  type MemberOrg,
  type Topology,
} from './topology.js';

export { clientIdOf };

export interface MemberCredentials {
  name: string;
  mspId: string;
  role: MemberIdentity['role'];
  displayName: string;
  /** Fabric's client identity id, as chaincode sees it (`x509::<subject>::<issuer>`). */
  clientId: string;
  certPath: string;
  keyPath: string;
  /**
   * Enrolled by its organisation's node after the alliance was formed: its role is proposed and
   * approved through the node's api and the operator, never by `network:up`.
   */
  enrolled?: true;
}

export interface PeerEndpoint {
  mspId: string;
  org: string;
  endpoint: string;
  tlsRootCertPath: string;
  /** Host name in the peer's TLS certificate. */
  hostAlias: string;
}

/** What the api, the matcher and the tests need to reach the running network. */
export interface ConnectionDescription {
  channel: string;
  chaincode: string;
  peers: PeerEndpoint[];
  orderers: { endpoint: string; tlsRootCertPath: string }[];
  members: MemberCredentials[];
  /** Identities with valid-looking certificates from a CA outside the alliance. */
  outsiders: MemberCredentials[];
}

async function credentials(
  nodes: string,
  org: OrganisationRef,
  mspId: string,
  m: MemberIdentity,
): Promise<MemberCredentials> {
  return credentialsInMsp(
    join(userDir(nodes, org, m.cryptoUser), 'msp'),
    mspId,
    m,
    'run npm run network:down -- --clean, then npm run network:up',
  );
}

/**
 * What one organisation's node needs to reach the channel: the public endpoints and TLS roots of
 * every peer and orderer (from their cards), and its own members' credentials only.
 */
export async function describeNode(topology: Topology, org: MemberOrg): Promise<ConnectionDescription> {
  const { nodes } = runtimePaths;
  // The others' endpoints and TLS roots as this node received them, on their cards.
  const alliance = allianceDirOf(nodes, org);
  const members: MemberCredentials[] = [];
  for (const m of org.members) members.push(await credentials(nodes, org, org.mspId, m));
  // People its admin enrolled on its node since: a rewrite of the description must not drop them.
  const nodeDir = nodeDirOf(nodes, org);
  for (const m of await readEnrolledMembers(nodeDir))
    members.push(await enrolledCredentials(nodeDir, org.mspId, m));
  return {
    channel: CHANNEL_ID,
    chaincode: CHAINCODE_NAME,
    peers: topology.peerOrgs.map((o) => ({
      mspId: o.mspId,
      org: o.name,
      endpoint: `${o.host}:${o.listenPort}`,
      tlsRootCertPath: publishedTlsRoot(alliance, o.mspId),
      hostAlias: `${o.peerName}.${o.domain}`,
    })),
    orderers: topology.ordererOrg.nodes.map((n) => ({
      endpoint: `${topology.ordererOrg.host}:${n.listenPort}`,
      tlsRootCertPath: publishedTlsRoot(alliance, topology.ordererOrg.mspId),
    })),
    members,
    outsiders: [],
  };
}

/**
 * The single-host shortcut the api, the matcher and the tests still use: every node's description
 * merged, so one process can act for any member. Each member's key stays in its own organisation's
 * node directory; this file names where, and holds no key itself.
 */
export async function describeConnection(topology: Topology): Promise<ConnectionDescription> {
  const perNode = await Promise.all(memberOrgs(topology).map((org) => describeNode(topology, org)));
  const [first] = perNode;
  if (first === undefined) throw new Error('the topology has no peer organisation');
  const { outsider } = topology;
  return {
    ...first,
    members: perNode.flatMap((d) => d.members),
    outsiders: [await credentials(runtimePaths.nodes, outsider, outsider.mspId, outsider.member)],
  };
}

export async function writeConnectionDescription(
  description: ConnectionDescription,
  path = runtimePaths.connection,
): Promise<void> {
  await writeFile(path, `${JSON.stringify(description, null, 2)}\n`);
}

/** Reads the connection description the last `network:up` wrote. */
export async function readConnectionDescription(
  path = runtimePaths.connection,
): Promise<ConnectionDescription> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch {
    throw new NetworkError(`no connection description at ${path}`, 'start the network: npm run network:up');
  }
  const parsed = JSON.parse(text) as Partial<ConnectionDescription>;
  if (!Array.isArray(parsed.peers) || !Array.isArray(parsed.members) || typeof parsed.channel !== 'string') {
    throw new NetworkError(
      `${path} is not a fabpool connection description`,
      'run npm run network:up to rewrite it',
    );
  }
  return parsed as ConnectionDescription;
}

export function findMember(description: ConnectionDescription, name: string): MemberCredentials {
  const member = [...description.members, ...description.outsiders].find((m) => m.name === name);
  if (member === undefined) throw new Error(`no member '${name}' in the connection description`);
  return member;
}

export function peerOf(description: ConnectionDescription, mspId: string): PeerEndpoint {
  const peer = description.peers.find((p) => p.mspId === mspId) ?? description.peers[0];
  if (peer === undefined) throw new Error('the connection description lists no peer');
  return peer;
}
