import { join } from 'node:path';
import type { PeerOrg, Topology } from './topology.js';

/**
 * Where each organisation's node keeps its material. An organisation's directory
 * (`nodes/<Organisation>`) holds its CA, its identities and their keys, laid out the way Fabric's
 * tools expect (`msp`, `peers`, `orderers`, `users`), its processes' pid files and logs, and in
 * `alliance/` what the other members handed it: their signed membership cards and the MSP
 * definitions it wrote from them. No other organisation's key is ever written there, and no node
 * reads another's directory.
 */
export interface OrganisationRef {
  name: string;
  domain: string;
}

export const nodeDirOf = (nodesDir: string, org: OrganisationRef): string => join(nodesDir, org.name);

/** The organisation's own MSP definition (its roots and node OU rules), made on its node. */
export const ownMspDir = (nodesDir: string, org: OrganisationRef): string =>
  join(nodeDirOf(nodesDir, org), 'msp');

/** The organisation's own TLS root, as its node holds it. */
export const ownTlsRoot = (nodesDir: string, org: OrganisationRef): string =>
  join(ownMspDir(nodesDir, org), 'tlscacerts', 'root-0.pem');

export const peerNodeDir = (nodesDir: string, org: PeerOrg, host = org.peerName): string =>
  join(nodeDirOf(nodesDir, org), 'peers', `${host}.${org.domain}`);

export const userDir = (nodesDir: string, org: OrganisationRef, cryptoUser: string): string =>
  join(nodeDirOf(nodesDir, org), 'users', cryptoUser);

export function ordererNodeDir(nodesDir: string, topology: Topology, node: string): string {
  const org = topology.ordererOrg;
  return join(nodeDirOf(nodesDir, org), 'orderers', `${node}.${org.domain}`);
}

/** The signed card an organisation's node made; the file it hands to the alliance. */
export const cardFileOf = (nodesDir: string, org: OrganisationRef): string =>
  join(nodeDirOf(nodesDir, org), 'card.json');

/** What this node received from the other members: their cards, and what it made of them. */
export const allianceDirOf = (nodesDir: string, org: OrganisationRef): string =>
  join(nodeDirOf(nodesDir, org), 'alliance');

/** Where a node keeps the channel's blocks it made or fetched (the genesis block). */
export const channelDirOf = (nodesDir: string, org: OrganisationRef): string =>
  join(nodeDirOf(nodesDir, org), 'channel');

/** A member's card as a node received it. */
export const publishedCardFile = (allianceDir: string, mspId: string): string =>
  join(allianceDir, 'cards', `${mspId}.json`);

/** An organisation's MSP definition written from its card (what configtxgen and peers trust). */
export const publishedMspDir = (allianceDir: string, mspId: string): string =>
  join(allianceDir, 'msp', mspId);

/** An organisation's TLS root, from its card: what another node needs to reach its peer or orderer. */
export const publishedTlsRoot = (allianceDir: string, mspId: string): string =>
  join(publishedMspDir(allianceDir, mspId), 'tlscacerts', 'root-0.pem');

/** A consenter's TLS certificate, from the ordering organisation's card. */
export const publishedConsenterCert = (allianceDir: string, host: string, port: number): string =>
  join(allianceDir, 'consenters', `${host}-${String(port)}.pem`);
