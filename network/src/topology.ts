/**
 * The shape of fabpool's Fabric network: pure data, derived from a few choices, so that every
 * script, config file and connection description agrees on names, hosts and ports.
 */

export const CHANNEL_ID = 'alliance';
export const CHAINCODE_NAME = 'fabpool';
export const HOST = '127.0.0.1';

export interface OrdererNode {
  name: string; // orderer1
  listenPort: number;
  adminPort: number;
  operationsPort: number;
}

export interface MemberIdentity {
  /** Name used by the api, the matcher and the tests: `factory-a-user`. */
  name: string;
  /** cryptogen's user directory name: `Admin@factorya.fabpool.local`. */
  cryptoUser: string;
  /** Role the identity is registered with in the on-chain member registry. */
  role: 'operator' | 'factory' | 'customer' | 'auditor' | 'supplier';
  displayName: string;
}

/**
 * A member organisation of the channel: its own CA, its own identities, its card. A company that
 * holds no goods and no private data (a supplier) need not run a peer: it signs with its own keys
 * and submits through a peer of the channel.
 */
export interface MemberOrg extends OrganisationBase {
  /** Where its node's api serves its members (`fabpool node`). */
  apiPort: number;
  /** What kind of company it is in the alliance (written on its membership card). */
  kind: 'operator' | 'factory' | 'customer' | 'supplier' | 'auditor';
  members: MemberIdentity[];
}

/** A member organisation that runs a peer and a chaincode server. */
export interface PeerOrg extends MemberOrg {
  peerName: string; // peer0
  listenPort: number;
  chaincodeListenPort: number;
  operationsPort: number;
  /** Where this organisation's chaincode server listens. */
  chaincodeServerPort: number;
}

/** An organisation's admin: the identity whose certificate carries the `admin` node OU. */
export function isAdminMember(member: MemberIdentity): boolean {
  return member.cryptoUser.startsWith('Admin@');
}

export function adminOf(org: MemberOrg): MemberIdentity {
  const admin = org.members.find(isAdminMember);
  if (admin === undefined) throw new Error(`${org.name} has no admin`);
  return admin;
}

/** What every organisation has, in or out of the channel: its names, its node's place, its CA. */
export interface OrganisationBase {
  name: string;
  mspId: string;
  domain: string;
  /** The address its node listens on: 127.0.0.1, or its own in its network namespace. */
  host: string;
  /** Its node's own Linux network namespace, when the network runs each node in one. */
  netns?: string;
  /** Its own certificate authority (Fabric CA), run on its node while it enrols someone. */
  caPort: number;
  caOperationsPort: number;
}

export interface OrdererOrg extends OrganisationBase {
  nodes: OrdererNode[];
}

export interface Topology {
  portBase: number;
  ordererOrg: OrdererOrg;
  peerOrgs: PeerOrg[];
  /** Member organisations without a peer of their own. */
  clientOrgs: MemberOrg[];
  /** An organisation with valid-looking crypto that is not part of the channel. */
  outsider: OrganisationBase & { member: MemberIdentity };
}

export interface TopologyOptions {
  /** 1 by default; 3 for Raft fault tests. */
  orderers: 1 | 3;
  /** Factory organisations added after the first two, in the order they were added. */
  extraFactories: string[];
  portBase: number;
  /**
   * Each organisation's node in its own Linux network namespace with its own address on a private
   * link (a bridge in the host's namespace), as separate hosts would be. Needs root.
   */
  namespaces?: boolean;
}

export const DEFAULT_PORT_BASE = 17000;

/** The private link's subnet, by port base so that two networks on one machine never share it. */
export function privateSubnet(portBase: number): string {
  return `10.77.${String(Math.floor(portBase / 1000) % 250)}`;
}

/** A node's address and namespace: its own on the private link, or 127.0.0.1 in the host's. */
function placement(
  options: Pick<TopologyOptions, 'namespaces' | 'portBase'>,
  name: string,
  index: number,
): { host: string; netns?: string } {
  if (options.namespaces !== true) return { host: HOST };
  const tag = String(Math.floor(options.portBase / 1000));
  return {
    host: `${privateSubnet(options.portBase)}.${String(index)}`,
    netns: `fp${tag}-${name.toLowerCase()}`,
  };
}

export function defaultTopologyOptions(): TopologyOptions {
  return { orderers: 1, extraFactories: [], portBase: DEFAULT_PORT_BASE };
}

const FACTORY_NAME = /^Factory[A-Z][A-Za-z0-9]{0,15}$/;

export function isValidFactoryOrgName(name: string): boolean {
  return FACTORY_NAME.test(name);
}

function orderer(index: number, portBase: number): OrdererNode {
  const base = portBase + index * 10;
  return { name: `orderer${index}`, listenPort: base, adminPort: base + 1, operationsPort: base + 2 };
}

function memberOrg(
  name: string,
  kind: MemberOrg['kind'],
  slot: number,
  options: Pick<TopologyOptions, 'namespaces' | 'portBase'>,
  members: MemberIdentity[],
): MemberOrg {
  const base = options.portBase + 100 + slot * 10;
  const domain = `${name.toLowerCase()}.fabpool.local`;
  return {
    name,
    mspId: `${name}MSP`,
    domain,
    ...placement(options, name, 20 + slot),
    caPort: base + 4,
    caOperationsPort: base + 5,
    apiPort: base + 6,
    kind,
    members: members.map((m) => ({ ...m, cryptoUser: `${m.cryptoUser}@${domain}` })),
  };
}

function peerOrg(
  name: string,
  kind: MemberOrg['kind'],
  slot: number,
  options: Pick<TopologyOptions, 'namespaces' | 'portBase'>,
  members: MemberIdentity[],
): PeerOrg {
  const base = options.portBase + 100 + slot * 10;
  return {
    ...memberOrg(name, kind, slot, options, members),
    peerName: 'peer0',
    listenPort: base,
    chaincodeListenPort: base + 1,
    operationsPort: base + 2,
    chaincodeServerPort: base + 3,
  };
}

function factoryMembers(name: string): MemberIdentity[] {
  const slug = name.replace(/^Factory/, '').toLowerCase();
  return [
    { name: `factory-${slug}-admin`, cryptoUser: 'Admin', role: 'factory', displayName: `${name} admin` },
    { name: `factory-${slug}-user`, cryptoUser: 'User1', role: 'factory', displayName: `${name} planner` },
  ];
}

export function buildTopology(options: TopologyOptions): Topology {
  const { portBase } = options;
  for (const name of options.extraFactories) {
    if (!isValidFactoryOrgName(name)) throw new Error(`invalid factory organisation name '${name}'`);
  }
  const factories = ['FactoryA', 'FactoryB', ...options.extraFactories];
  const peerOrgs: PeerOrg[] = [
    peerOrg('Alliance', 'operator', 0, options, [
      { name: 'alliance-admin', cryptoUser: 'Admin', role: 'operator', displayName: 'Alliance operator' },
      { name: 'matcher', cryptoUser: 'User1', role: 'operator', displayName: 'Matching service' },
    ]),
    ...factories.map((name, i) => peerOrg(name, 'factory', i + 1, options, factoryMembers(name))),
    // A customer company holds material and receives goods (custody needs its own peer's
    // endorsement) and keeps its process parameters in its own private collection: it runs a peer.
    peerOrg('CustomerA', 'customer', 10, options, [
      { name: 'customer-a-admin', cryptoUser: 'Admin', role: 'customer', displayName: 'CustomerA admin' },
      { name: 'customer-1', cryptoUser: 'User1', role: 'customer', displayName: 'Customer One' },
      { name: 'customer-2', cryptoUser: 'User2', role: 'customer', displayName: 'Customer Two' },
    ]),
    peerOrg('Audit', 'auditor', 9, options, [
      { name: 'audit-admin', cryptoUser: 'Admin', role: 'auditor', displayName: 'Audit admin' },
      { name: 'auditor', cryptoUser: 'User1', role: 'auditor', displayName: 'Auditor' },
    ]),
  ];
  // Audit keeps slot 9 and CustomerA slot 10 so that factories added later take slots 3..8
  // without moving anyone. The suppliers run no peer: only their CAs' ports (slots 11 and 13;
  // slot 12's ports are the outsider's). SupplierB is the demo's backup supplier of SupplierA's materials.
  const clientOrgs = [
    memberOrg('SupplierA', 'supplier', 11, options, [
      { name: 'supplier-a-admin', cryptoUser: 'Admin', role: 'supplier', displayName: 'SupplierA admin' },
      { name: 'supplier-1', cryptoUser: 'User1', role: 'supplier', displayName: 'Supplier One' },
    ]),
    memberOrg('SupplierB', 'supplier', 13, options, [
      { name: 'supplier-b-admin', cryptoUser: 'Admin', role: 'supplier', displayName: 'SupplierB admin' },
      { name: 'supplier-2', cryptoUser: 'User1', role: 'supplier', displayName: 'Supplier Two' },
    ]),
  ];
  if (factories.length > 8) throw new Error('at most 8 factory organisations fit the port plan');
  const nodes = Array.from({ length: options.orderers }, (_, i) => orderer(i + 1, portBase));
  return {
    portBase,
    // Ports below the first orderer's (portBase + 10) and above Audit's (portBase + 19x) are free.
    ordererOrg: {
      name: 'Orderer',
      mspId: 'OrdererMSP',
      domain: 'orderer.fabpool.local',
      ...placement(options, 'Orderer', 10),
      caPort: portBase + 4,
      caOperationsPort: portBase + 5,
      nodes,
    },
    peerOrgs,
    clientOrgs,
    outsider: {
      name: 'Outsider',
      mspId: 'OutsiderMSP',
      domain: 'outsider.example',
      host: HOST,
      caPort: portBase + 224,
      caOperationsPort: portBase + 225,
      member: {
        name: 'outsider',
        cryptoUser: 'User1@outsider.example',
        role: 'customer',
        displayName: 'Not a member',
      },
    },
  };
}

/** Every member organisation of the channel, those with a peer first. */
export function memberOrgs(topology: Topology): MemberOrg[] {
  return [...topology.peerOrgs, ...topology.clientOrgs];
}

/** Every port the network listens on, with what listens there (for clear "port in use" errors). */
export function allPorts(topology: Topology): { port: number; owner: string }[] {
  return [
    ...topology.ordererOrg.nodes.flatMap((n) => [
      { port: n.listenPort, owner: `${n.name} (orderer)` },
      { port: n.adminPort, owner: `${n.name} (orderer admin)` },
      { port: n.operationsPort, owner: `${n.name} (orderer operations)` },
    ]),
    ...topology.peerOrgs.flatMap((o) => [
      { port: o.listenPort, owner: `${o.name} peer` },
      { port: o.chaincodeListenPort, owner: `${o.name} peer (chaincode listener)` },
      { port: o.operationsPort, owner: `${o.name} peer (operations)` },
      { port: o.chaincodeServerPort, owner: `${o.name} chaincode server` },
    ]),
    // Each organisation's CA listens only while it enrols someone, but it must find its ports free.
    ...[topology.ordererOrg, ...memberOrgs(topology), topology.outsider].flatMap((o) => [
      { port: o.caPort, owner: `${o.name} certificate authority` },
      { port: o.caOperationsPort, owner: `${o.name} certificate authority (operations)` },
    ]),
    ...memberOrgs(topology).map((o) => ({ port: o.apiPort, owner: `${o.name} node's api` })),
  ];
}
