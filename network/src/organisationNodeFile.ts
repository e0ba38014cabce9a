import { readFile, writeFile } from 'node:fs/promises';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { NetworkError } from './errors.js';
import { CHAINCODE_NAME, CHANNEL_ID, type MemberOrg, type Topology } from './topology.js';

/**
 * What `fabpool node` reads from an organisation's node directory (`node.json`): which
 * organisation it is, the alliance it joins, where its api listens, and where its own connection
 * description and data are (relative to the directory, so the directory is the whole node).
 */
export interface OrganisationNodeFile {
  organisation: string;
  mspId: string;
  alliance: { channel: string; chaincode: string };
  /** Its own peer's endpoint, or the peer it submits through when it runs none. */
  gatewayPeer: string;
  /**
   * Where its api listens: on its own address, inside its own network namespace when the network
   * gives each organisation one (`npm run node` enters it), else on 127.0.0.1.
   */
  api: { host: string; port: number; netns?: string };
  connection: string;
  dataDir: string;
  /**
   * Its own certificate authority, which the node starts for a moment to enrol a new person
   * (absent from node files written before enrolment existed).
   */
  ca?: { host: string; port: number; operationsPort: number; netns?: string };
}

/** A node file as read: its paths absolute, and the node directory it came from. */
export interface OrganisationNode extends OrganisationNodeFile {
  directory: string;
}

export const NODE_FILE = 'node.json';

export function organisationNodeFile(topology: Topology, org: MemberOrg): OrganisationNodeFile {
  const own = topology.peerOrgs.find((p) => p.mspId === org.mspId) ?? topology.peerOrgs[0];
  if (own === undefined) throw new Error('the topology has no peer');
  return {
    organisation: org.name,
    mspId: org.mspId,
    alliance: { channel: CHANNEL_ID, chaincode: CHAINCODE_NAME },
    gatewayPeer: `${own.host}:${String(own.listenPort)}`,
    api: { host: org.host, port: org.apiPort, ...(org.netns === undefined ? {} : { netns: org.netns }) },
    connection: 'connection.json',
    dataDir: 'api',
    ca: {
      host: org.host,
      port: org.caPort,
      operationsPort: org.caOperationsPort,
      ...(org.netns === undefined ? {} : { netns: org.netns }),
    },
  };
}

export async function writeOrganisationNodeFile(nodeDir: string, file: OrganisationNodeFile): Promise<void> {
  await writeFile(join(nodeDir, NODE_FILE), `${JSON.stringify(file, null, 2)}\n`);
}

/** Reads a node's file (given the node directory or the file), with its paths made absolute. */
export async function readOrganisationNodeFile(path: string): Promise<OrganisationNode> {
  const file = path.endsWith('.json') ? path : join(path, NODE_FILE);
  let parsed: unknown;
  try {
    parsed = JSON.parse(await readFile(file, 'utf8'));
  } catch (error) {
    throw new NetworkError(
      `no organisation node at ${file}: ${error instanceof Error ? error.message : String(error)}`,
      'give the node directory network:up made, e.g. network/.runtime/nodes/FactoryA',
    );
  }
  const node = parsed as Partial<OrganisationNodeFile>;
  const text = (v: unknown): v is string => typeof v === 'string' && v.length > 0;
  if (
    !text(node.organisation) ||
    !text(node.mspId) ||
    !text(node.connection) ||
    !text(node.dataDir) ||
    !text(node.gatewayPeer) ||
    typeof node.api?.port !== 'number' ||
    !text(node.api.host) ||
    !text(node.alliance?.channel) ||
    !text(node.alliance.chaincode)
  )
    throw new NetworkError(
      `${file} is not an organisation node file`,
      'run npm run network:up to write it again',
    );
  const base = dirname(resolve(file));
  const absolute = (p: string) => (isAbsolute(p) ? p : join(base, p));
  return {
    ...(node as OrganisationNodeFile),
    directory: base,
    connection: absolute(node.connection),
    dataDir: absolute(node.dataDir),
  };
}
