import { join } from 'node:path';
import type { PeerOrg, Topology } from './topology.js';

const SANS = ['127.0.0.1', 'localhost'];

/** cryptogen's input: one CA and one TLS CA per organisation, node OUs so roles show in certificates. */
export function cryptoConfig(topology: Topology): object {
  const userCount = (org: PeerOrg): number =>
    Math.max(0, ...org.members.map((m) => Number(/^User(\d+)@/.exec(m.cryptoUser)?.[1] ?? 0)));
  return {
    OrdererOrgs: [
      {
        Name: topology.ordererOrg.name,
        Domain: topology.ordererOrg.domain,
        EnableNodeOUs: true,
        Specs: topology.ordererOrg.nodes.map((n) => ({ Hostname: n.name, SANS })),
      },
    ],
    PeerOrgs: [
      ...topology.peerOrgs.map((org) => ({
        Name: org.name,
        Domain: org.domain,
        EnableNodeOUs: true,
        // 'ccaas' is the TLS identity of the organisation's chaincode server, not a peer.
        Specs: [
          { Hostname: org.peerName, SANS },
          { Hostname: 'ccaas', SANS },
        ],
        Users: { Count: userCount(org) },
      })),
      {
        Name: topology.outsider.name,
        Domain: topology.outsider.domain,
        EnableNodeOUs: true,
        Specs: [{ Hostname: 'peer0', SANS }],
        Users: { Count: 1 },
      },
    ],
  };
}

/** Where cryptogen puts each organisation's material. */
export function orgCryptoDir(cryptoDir: string, kind: 'peer' | 'orderer', domain: string): string {
  return join(cryptoDir, kind === 'peer' ? 'peerOrganizations' : 'ordererOrganizations', domain);
}

export function peerNodeDir(cryptoDir: string, org: PeerOrg, host = org.peerName): string {
  return join(orgCryptoDir(cryptoDir, 'peer', org.domain), 'peers', `${host}.${org.domain}`);
}

export function userDir(
  cryptoDir: string,
  kind: 'peer' | 'orderer',
  domain: string,
  cryptoUser: string,
): string {
  return join(orgCryptoDir(cryptoDir, kind, domain), 'users', cryptoUser);
}

export function ordererNodeDir(cryptoDir: string, topology: Topology, node: string): string {
  const domain = topology.ordererOrg.domain;
  return join(orgCryptoDir(cryptoDir, 'orderer', domain), 'orderers', `${node}.${domain}`);
}

export function tlsCaCert(cryptoDir: string, kind: 'peer' | 'orderer', domain: string): string {
  return join(orgCryptoDir(cryptoDir, kind, domain), 'tlsca', `tlsca.${domain}-cert.pem`);
}
