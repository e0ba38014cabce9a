// @peculiar/x509 resolves its services through decorators' metadata.
import 'reflect-metadata';
import { webcrypto } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import * as x509 from '@peculiar/x509';
import { clientIdOf } from '../../identity/clientId.js';
import type { LedgerMember } from '../ledger.js';
import { memberOrgs, type Topology } from '../../topology.js';
import type { NodeIdentities } from './signatures.js';

x509.cryptoProvider.set(webcrypto as never);

type KeyPair = webcrypto.CryptoKeyPair;

/** A member's X.509 identity: the same shape of certificate as cryptogen issues, node OUs included. */
export interface EmbeddedIdentity extends LedgerMember {
  certPem: string;
  keyPem: string;
}

export interface IdentityFile {
  /** Each organisation's CA certificate, by MSP id: what the embedded channel trusts. */
  cas: Record<string, string>;
  members: EmbeddedIdentity[];
  outsiders: EmbeddedIdentity[];
  /** The channel's peers and orderer, which sign (absent in a file made before they did). */
  nodes?: NodeIdentities;
}

/** The ordering service's MSP on the embedded channel. */
const ORDERER_MSP = 'OrdererMSP';

const ALGORITHM = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' } as const;
const TEN_YEARS_MS = 10 * 365 * 24 * 3_600_000;

async function newKeys(): Promise<KeyPair> {
  return await webcrypto.subtle.generateKey(ALGORITHM, true, ['sign', 'verify']);
}

async function pemOfKey(key: webcrypto.CryptoKey): Promise<string> {
  const der = Buffer.from(await webcrypto.subtle.exportKey('pkcs8', key));
  return `-----BEGIN PRIVATE KEY-----\n${der.toString('base64').replace(/(.{64})/g, '$1\n')}\n-----END PRIVATE KEY-----\n`;
}

/** A CA for `domain` and a certificate (with its key) per person, node OU in the subject. */
export async function issueOrg(
  domain: string,
  people: { cn: string; ou: 'admin' | 'client' | 'peer' | 'orderer' }[],
) {
  const notBefore = new Date(Date.now() - 3_600_000);
  const notAfter = new Date(notBefore.getTime() + TEN_YEARS_MS);
  const caKeys = await newKeys();
  const caName = `O=${domain}, CN=ca.${domain}`;
  const ca = await x509.X509CertificateGenerator.createSelfSigned({
    name: caName,
    keys: caKeys as never,
    notBefore,
    notAfter,
    signingAlgorithm: ALGORITHM,
    extensions: [
      new x509.BasicConstraintsExtension(true, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
    ],
  });
  const issued = [];
  for (const person of people) {
    const keys = await newKeys();
    const cert = await x509.X509CertificateGenerator.create({
      subject: `OU=${person.ou}, CN=${person.cn}`,
      issuer: ca.subject,
      publicKey: keys.publicKey as never,
      signingKey: caKeys.privateKey as never,
      notBefore,
      notAfter,
      signingAlgorithm: ALGORITHM,
      extensions: [new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true)],
    });
    issued.push({ certPem: cert.toString('pem'), keyPem: await pemOfKey(keys.privateKey) });
  }
  return { caPem: ca.toString('pem'), issued };
}

/**
 * Generates a CA per organisation and a certificate per member of the topology (the same names
 * and roles as on the Fabric network), plus an identity from a CA outside the alliance.
 */
export async function generateIdentities(topology: Topology): Promise<IdentityFile> {
  const file: IdentityFile = { cas: {}, members: [], outsiders: [] };
  for (const org of memberOrgs(topology)) {
    const people = org.members.map((m) => ({
      cn: m.cryptoUser,
      ou: m.cryptoUser.startsWith('Admin@') ? ('admin' as const) : ('client' as const),
    }));
    const { caPem, issued } = await issueOrg(org.domain, people);
    file.cas[org.mspId] = caPem;
    org.members.forEach((m, i) => {
      const credentials = issued[i];
      if (credentials === undefined) return;
      file.members.push({
        name: m.name,
        mspId: org.mspId,
        role: m.role,
        displayName: m.displayName,
        clientId: clientIdOf(credentials.certPem),
        ...credentials,
      });
    });
  }
  const { outsider } = topology;
  const { issued } = await issueOrg(outsider.domain, [{ cn: outsider.member.cryptoUser, ou: 'client' }]);
  const credentials = issued[0];
  if (credentials !== undefined) {
    file.outsiders.push({
      name: outsider.member.name,
      mspId: outsider.mspId,
      role: outsider.member.role,
      displayName: outsider.member.displayName,
      clientId: clientIdOf(credentials.certPem),
      ...credentials,
    });
  }
  return file;
}

/**
 * Why identities kept from an earlier fabpool no longer fit the topology (a member missing, or in
 * another organisation: customers and suppliers were once members of the operator's), or
 * undefined when they fit. Such a ledger's history is signed by the old organisations.
 */
export function identitiesMismatch(file: IdentityFile, topology: Topology): string | undefined {
  for (const org of memberOrgs(topology))
    for (const member of org.members) {
      const kept = file.members.find((m) => m.name === member.name);
      if (kept === undefined) return `it has no member ${member.name} (of ${org.mspId})`;
      if (kept.mspId !== org.mspId)
        return `${member.name} is a member of ${kept.mspId} there, of ${org.mspId} now`;
    }
  return undefined;
}

/** The identities kept in `path`, generated on first use so that restarts keep every member's id. */
export async function loadOrCreateIdentities(path: string, topology: Topology): Promise<IdentityFile> {
  try {
    return JSON.parse(await readFile(path, 'utf8')) as IdentityFile;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  const file = await generateIdentities(topology);
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, JSON.stringify(file, null, 2), { mode: 0o600 });
  return file;
}

/**
 * The file's signing nodes, made now if it has none or lacks a channel organisation's peer: a
 * nodes' CA, a peer per channel organisation and an orderer. A ledger that had blocks before
 * signs from its next block on (`signedFrom`).
 */
export async function ensureNodeIdentities(
  path: string,
  file: IdentityFile,
  channelOrgs: readonly string[],
  height: number,
  /** False for a read-only open: nodes made now are kept in memory only (they sign nothing there). */
  persist = true,
): Promise<NodeIdentities> {
  const kept = file.nodes;
  if (kept !== undefined && channelOrgs.every((org) => kept.peers[org] !== undefined)) return kept;
  const nodes: NodeIdentities = kept ?? {
    cas: {},
    peers: {},
    orderer: { mspId: ORDERER_MSP, certPem: '', keyPem: '' },
    signedFrom: height,
  };
  for (const mspId of channelOrgs) {
    if (nodes.peers[mspId] !== undefined) continue;
    const domain = `nodes.${mspId.toLowerCase().replace(/msp$/, '')}.fabpool.local`;
    const { caPem, issued } = await issueOrg(domain, [{ cn: `peer0.${domain}`, ou: 'peer' }]);
    const [peer] = issued;
    if (peer === undefined) throw new Error(`no peer issued for ${mspId}`);
    nodes.cas[mspId] = caPem;
    nodes.peers[mspId] = peer;
  }
  if (nodes.orderer.certPem === '') {
    const { caPem, issued } = await issueOrg('orderer.fabpool.local', [
      { cn: 'orderer1.orderer.fabpool.local', ou: 'orderer' },
    ]);
    const [orderer] = issued;
    if (orderer === undefined) throw new Error('no orderer issued');
    nodes.cas[ORDERER_MSP] = caPem;
    nodes.orderer = { mspId: ORDERER_MSP, ...orderer };
  }
  file.nodes = nodes;
  if (persist) await writeFile(path, JSON.stringify(file, null, 2), { mode: 0o600 });
  return nodes;
}
