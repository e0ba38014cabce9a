import { createPrivateKey, createPublicKey, KeyObject, randomUUID, X509Certificate } from 'node:crypto';
import { mkdtemp, readdir, readFile, readlink, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative, sep } from 'node:path';
import { ErrorCode } from '@fabpool/chaincode/model';
import {
  connectAs,
  FabricLedger,
  OrganisationCa,
  readConnectionDescription,
  RUNTIME_DIR,
  type ConnectionDescription,
} from '@fabpool/network';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { filesUnder, freePort } from '../support/files.js';
import { errorCodeOf, errorText, failureOf } from '../support/ledgerErrors.js';
import { bucketFromNow, request } from '../support/poolClient.js';

const NODES_DIR = join(RUNTIME_DIR, 'nodes');
const PEM = /-----BEGIN ([A-Z ]+)-----[^-]+-----END \1-----/g;

/** The PEM blocks of one kind in a file (a file may hold several, or be a binary ledger file). */
async function pemBlocks(file: string, kind: (label: string) => boolean): Promise<string[]> {
  if ((await stat(file)).size > 4_000_000) return [];
  // JSON files (cards, connection descriptions) hold PEM with escaped line breaks.
  const text = (await readFile(file, 'latin1')).replaceAll('\\n', '\n');
  return [...text.matchAll(PEM)].filter((m) => kind(m[1] ?? '')).map((m) => m[0]);
}

/** A key's public half (DER, base64): what ties a private key to the certificate issued for it. */
const spkiOf = (key: KeyObject | string): string =>
  (key instanceof KeyObject && key.type === 'public' ? key : createPublicKey(key))
    .export({ type: 'spki', format: 'der' })
    .toString('base64');

/** Fabric CA labels its Idemix revocation key PKCS#8 while writing it in SEC1 form: read it as SEC1. */
function privateKeyOf(pem: string): KeyObject | undefined {
  for (const text of [pem, pem.replaceAll('PRIVATE KEY', 'EC PRIVATE KEY')]) {
    try {
      return createPrivateKey(text);
    } catch {
      // try the next reading
    }
  }
  return undefined;
}

function certificateOf(pem: string): X509Certificate | undefined {
  try {
    return new X509Certificate(pem);
  } catch {
    return undefined;
  }
}

/**
 * Every organisation's keys on its own node, and nobody able to sign for another. On this single
 * host each node is a directory (`network/.runtime/nodes/<Organisation>`) that no other node reads;
 * what passes between them is cards (copied into each recipient's `alliance/`) and, over the
 * network, blocks and configuration updates.
 */
describe('one node per organisation', () => {
  let operatorNode: ConnectionDescription;
  let factoryANode: ConnectionDescription;

  beforeAll(async () => {
    operatorNode = await readConnectionDescription(join(NODES_DIR, 'Alliance', 'connection.json'));
    factoryANode = await readConnectionDescription(join(NODES_DIR, 'FactoryA', 'connection.json'));
  });

  it('keeps every private key in the node directory of the organisation whose CA issued it', async () => {
    const organisations = await readdir(NODES_DIR);
    expect(organisations).toEqual(
      expect.arrayContaining(['Alliance', 'FactoryA', 'FactoryB', 'Audit', 'Orderer']),
    );
    // Which organisation's node each public key's certificate belongs to, by its own root.
    const owner = new Map<string, string>();
    for (const org of organisations) {
      const root = new X509Certificate(await readFile(join(NODES_DIR, org, 'msp', 'cacerts', 'root-0.pem')));
      for (const file of await filesUnder(join(NODES_DIR, org)))
        for (const pem of await pemBlocks(file, (label) => label === 'CERTIFICATE')) {
          // A ledger file may hold certificate text cut by its compression: not a certificate.
          const cert = certificateOf(pem);
          if (cert === undefined) continue;
          const ownIssued =
            cert.fingerprint256 === root.fingerprint256 ||
            (cert.checkIssued(root) && cert.verify(root.publicKey));
          if (ownIssued) owner.set(spkiOf(cert.publicKey), org);
        }
      // The CA's own Idemix revocation key has a bare public key beside it, not a certificate.
      for (const file of await filesUnder(join(NODES_DIR, org, 'ca')))
        for (const pem of await pemBlocks(file, (label) => label === 'PUBLIC KEY'))
          owner.set(spkiOf(pem), org);
    }
    const misplaced: string[] = [];
    let keys = 0;
    for (const file of await filesUnder(RUNTIME_DIR)) {
      for (const pem of await pemBlocks(file, (label) => label.endsWith('PRIVATE KEY'))) {
        keys++;
        const path = relative(RUNTIME_DIR, file);
        const [top, node] = path.split(sep);
        const key = privateKeyOf(pem);
        const issuedBy = key === undefined ? undefined : owner.get(spkiOf(key));
        // A key that cannot even be read is reported, not skipped.
        if (top !== 'nodes' || issuedBy === undefined || issuedBy !== node)
          misplaced.push(
            `${path} (${key === undefined ? 'an unreadable key' : `key of ${issuedBy ?? 'no organisation of this network'}`})`,
          );
      }
    }
    process.stdout.write(
      `[organisation nodes] ${JSON.stringify({ nodes: organisations.length, privateKeys: keys, misplaced: misplaced.length })}\n`,
    );
    expect(keys).toBeGreaterThan(organisations.length);
    expect(misplaced).toEqual([]);
  });

  it('shares no directory between nodes: each keeps its own logs, pid files, received cards, chaincode package and genesis block', async () => {
    // Besides the nodes, only the network's own bookkeeping: its options, its lock, and the tests'
    // merged connection description (paths into each node's directory, no key).
    const top = (await readdir(RUNTIME_DIR)).filter((name) => name !== 'nodes').sort();
    expect(top.filter((name) => !['connection.json', 'network.lock', 'state.json'].includes(name))).toEqual(
      [],
    );
    for (const org of operatorNode.peers.map((p) => p.org)) {
      const dir = join(NODES_DIR, org);
      expect(await readdir(join(dir, 'logs')), org).toEqual(
        expect.arrayContaining(['peer.log', 'chaincode.log']),
      );
      expect(await readdir(join(dir, 'run')), org).toEqual(
        expect.arrayContaining(['peer.pid', 'chaincode.pid']),
      );
      // Every member's card as this node received it, the ordering service's among them.
      expect(await readdir(join(dir, 'alliance', 'cards')), org).toEqual(
        expect.arrayContaining(['OrdererMSP.json', 'AllianceMSP.json', 'FactoryAMSP.json']),
      );
      // Block 0, fetched from the ordering service, and the package it built itself.
      expect(await readdir(join(dir, 'channel')), org).toEqual(['alliance.block']);
      expect(
        (await readdir(join(dir, 'chaincode'))).some((f) => f.endsWith('.tar.gz')),
        org,
      ).toBe(true);
    }
  });

  it('runs each organisation’s peer and chaincode server in a network namespace of its own, on its own address', async () => {
    const state = JSON.parse(await readFile(join(RUNTIME_DIR, 'state.json'), 'utf8')) as {
      options: { namespaces?: boolean };
    };
    // The tests' network is made with namespaces when they run as root, as in CI.
    expect(state.options.namespaces === true).toBe(process.getuid?.() === 0);
    if (state.options.namespaces !== true) return;
    // Each process's pid file is in its own organisation's node directory.
    const namespaceOf = async (org: string, processName: string) => {
      const pid = (
        await readFile(join(RUNTIME_DIR, 'nodes', org, 'run', `${processName}.pid`), 'utf8')
      ).split('\n')[0];
      return readlink(`/proc/${pid ?? ''}/ns/net`);
    };
    const ours = await readlink('/proc/self/ns/net');
    const peers = operatorNode.peers.map((p) => p.org);
    const seen = new Map<string, string>();
    for (const org of peers) {
      const namespace = await namespaceOf(org, 'peer');
      expect(namespace, org).not.toBe(ours);
      expect(await namespaceOf(org, 'chaincode'), org).toBe(namespace);
      expect([...seen.values()], org).not.toContain(namespace);
      seen.set(org, namespace);
    }
    const addresses = operatorNode.peers.map((p) => p.endpoint.split(':')[0]);
    expect(new Set(addresses).size).toBe(addresses.length);
    expect(addresses).not.toContain('127.0.0.1');
  });

  it('gives the operator’s node its own members only, and no key of FactoryA', async () => {
    expect(new Set(operatorNode.members.map((m) => m.mspId))).toEqual(new Set(['AllianceMSP']));
    expect(new Set(factoryANode.members.map((m) => m.mspId))).toEqual(new Set(['FactoryAMSP']));
    for (const member of operatorNode.members)
      expect(relative(join(NODES_DIR, 'Alliance'), member.keyPath).startsWith('..')).toBe(false);
    await expect(connectAs(operatorNode, 'factory-a-user')).rejects.toThrow(/no member 'factory-a-user'/);
  });

  describe('forgery: the operator acting for FactoryA', () => {
    let operatorLedger: FabricLedger;
    let factoryALedger: FabricLedger;
    const plant = `F-${randomUUID().slice(0, 8)}`;
    const capacity = () =>
      factoryALedger
        .evaluate('factory-a-user', 'Factory', 'GetCapacity', [plant, 'CNC'])
        .then((b) => Buffer.from(b).toString());

    const declare = () =>
      request({ factoryId: plant, entries: [{ process: 'CNC', bucket: bucketFromNow(3), minutes: 480 }] });

    beforeAll(async () => {
      operatorLedger = await FabricLedger.open(operatorNode);
      factoryALedger = await FabricLedger.open(factoryANode);
      // FactoryA's node registers its plant and its capacity, signed with FactoryA's own key.
      await factoryALedger.submit('factory-a-user', 'Factory', 'RegisterFactory', [
        request({
          factoryId: plant,
          name: 'Dongguan CNC',
          location: 'Dongguan',
          processes: [{ process: 'CNC', pricePerMinute: 10_000 }],
        }),
      ]);
      await factoryALedger.submit('factory-a-user', 'Factory', 'DeclareCapacity', [declare()]);
    });

    afterAll(async () => {
      await operatorLedger.close();
      await factoryALedger.close();
    });

    it('is refused by the chaincode when the operator signs as itself', async () => {
      const before = await capacity();
      const error = await failureOf(() =>
        operatorLedger.submit('alliance-admin', 'Factory', 'DeclareCapacity', [declare()]),
      );
      expect(errorCodeOf(error)).toBe(ErrorCode.WRONG_ROLE);
      expect(await capacity()).toBe(before);
    });

    it('is refused by the peers when the operator makes its own certificate claiming FactoryAMSP', async () => {
      // The operator runs a CA of its own that calls itself FactoryA and enrols a "factory" member:
      // its certificate does not chain to the root on FactoryA's card, so no peer accepts it.
      const work = await mkdtemp(join(tmpdir(), 'fabpool-forger-'));
      const rogue = await OrganisationCa.start({
        dir: work,
        mspId: 'FactoryAMSP',
        organisation: 'FactoryA',
        host: '127.0.0.1',
        port: await freePort(),
        operationsPort: await freePort(),
      });
      try {
        const forged = await rogue.enrol({ name: 'factory-a-user', kind: 'client', role: 'factory' });
        const template = operatorNode.members[0];
        if (template === undefined) throw new Error('the operator node has no member');
        const withForgery: ConnectionDescription = {
          ...operatorNode,
          members: [
            ...operatorNode.members,
            {
              ...template,
              name: 'forged-factory-a',
              mspId: 'FactoryAMSP',
              certPath: join(forged.mspDir, 'signcerts', 'cert.pem'),
              keyPath: forged.privateKeyFile,
            },
          ],
        };
        const forger = await FabricLedger.open(withForgery);
        try {
          const before = await capacity();
          const error = await failureOf(() =>
            forger.submit('forged-factory-a', 'Factory', 'DeclareCapacity', [declare()]),
          );
          expect(errorText(error)).toMatch(/unknown authority|creator|access denied|not valid|verify/i);
          expect(await capacity()).toBe(before);
        } finally {
          await forger.close();
        }
      } finally {
        await rogue.stop();
        await rm(work, { recursive: true, force: true });
      }
    });
  });
});
