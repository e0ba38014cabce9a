import { X509Certificate } from 'node:crypto';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ErrorCode, marshal, type MembershipCard, type SignedMembershipCard } from '@fabpool/chaincode/model';
import { verifyMembershipCard } from '@fabpool/chaincode/rules/membershipCard';
import {
  OrganisationCa,
  organisationGroupFromCard,
  signMembershipCard,
  type EnrolledIdentity,
} from '@fabpool/network';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { filesUnder, freePort } from '../support/files.js';

const codeOf = (action: () => unknown): string | undefined => {
  try {
    action();
    return undefined;
  } catch (error) {
    return (error as { code?: string }).code;
  }
};

/**
 * Issue "one node per organisation", first step: each company's identities come from its own
 * certificate authority (Fabric CA) on its own node, and what leaves the node is a membership card
 * signed by its admin, from which the channel configuration can be built. Two companies here, each
 * with its own directory, as two hosts would have.
 */
describe('an organisation’s own certificate authority and membership card', () => {
  let customerDir: string;
  let factoryDir: string;
  let customerCa: OrganisationCa;
  let factoryCa: OrganisationCa;
  let customerAdmin: EnrolledIdentity;
  let buyer: EnrolledIdentity;
  let factoryAdmin: EnrolledIdentity;
  let card: SignedMembershipCard;

  const cardOf = async (ca: OrganisationCa, admin: EnrolledIdentity, fields: Partial<MembershipCard>) => {
    const root = await ca.rootCertificate();
    return signMembershipCard(
      {
        cardVersion: 1,
        mspId: ca.options.mspId,
        organisation: ca.options.organisation,
        kind: 'customer',
        rootCertificates: [root],
        tlsRootCertificates: [root],
        peers: [],
        adminCertificate: admin.certificate,
        issuedAt: new Date().toISOString(),
        ...fields,
      },
      admin.privateKeyFile,
    );
  };

  beforeAll(async () => {
    customerDir = await mkdtemp(join(tmpdir(), 'fabpool-node-customer-a-'));
    factoryDir = await mkdtemp(join(tmpdir(), 'fabpool-node-factory-x-'));
    customerCa = await OrganisationCa.start({
      dir: customerDir,
      mspId: 'CustomerAMSP',
      organisation: '苏州客户A有限公司',
      host: '127.0.0.1',
      port: await freePort(),
      operationsPort: await freePort(),
    });
    factoryCa = await OrganisationCa.start({
      dir: factoryDir,
      mspId: 'FactoryXMSP',
      organisation: 'Factory X',
      host: '127.0.0.1',
      port: await freePort(),
      operationsPort: await freePort(),
    });
    customerAdmin = await customerCa.enrol({ name: 'customer-a-admin', kind: 'admin', role: 'customer' });
    buyer = await customerCa.enrol({ name: 'buyer-li', kind: 'client', role: 'customer' });
    factoryAdmin = await factoryCa.enrol({
      name: 'factory-x-admin',
      kind: 'admin',
      role: 'factory',
    });
    card = await cardOf(customerCa, customerAdmin, {});
  }, 120_000);

  afterAll(async () => {
    await customerCa.stop();
    await factoryCa.stop();
    await rm(customerDir, { recursive: true, force: true });
    await rm(factoryDir, { recursive: true, force: true });
  });

  it('issues each identity from the organisation’s own root, its kind as node OU and its role as an attribute', async () => {
    const root = new X509Certificate(await customerCa.rootCertificate());
    for (const [identity, ou] of [
      [customerAdmin, 'admin'],
      [buyer, 'client'],
    ] as const) {
      const certificate = new X509Certificate(identity.certificate);
      expect(certificate.checkIssued(root) && certificate.verify(root.publicKey)).toBe(true);
      expect(certificate.subject).toContain(`OU=${ou}`);
      expect(certificate.subject).toContain('O=苏州客户A有限公司');
      // Fabric CA's attribute extension (OID 1.2.3.4.5.6.7.8.1), which a chaincode's client identity reads.
      expect(certificate.raw.toString('utf8')).toContain('"fabpool.role":"customer"');
    }
    expect(
      new X509Certificate(buyer.certificate).checkIssued(
        new X509Certificate(await factoryCa.rootCertificate()),
      ),
    ).toBe(false);
  });

  it('enrols a peer with a TLS certificate for its address, from the same organisation', async () => {
    const peer = await customerCa.enrol({
      name: 'peer0',
      kind: 'peer',
      hosts: ['127.0.0.1', 'peer0.customer-a'],
    });
    const tls = new X509Certificate(peer.tls?.certificate ?? '');
    expect(tls.subjectAltName).toContain('peer0.customer-a');
    // Serves TLS and dials it (gRPC clients refuse a server certificate without serverAuth).
    expect(tls.keyUsage).toEqual(expect.arrayContaining(['1.3.6.1.5.5.7.3.1', '1.3.6.1.5.5.7.3.2']));
    expect(tls.checkIssued(new X509Certificate(await customerCa.rootCertificate()))).toBe(true);
    expect(new X509Certificate(peer.certificate).subject).toContain('OU=peer');
    // Enrolled once: a restarted node finds it and keeps the same key.
    const again = await customerCa.enrol({ name: 'peer0', kind: 'peer', hosts: ['127.0.0.1'] });
    expect(again.privateKeyFile).toBe(peer.privateKeyFile);
  });

  it('keeps every private key on its own node, readable by its owner only, and off the card', async () => {
    const keyFiles = (await filesUnder(customerDir)).filter((f) => f.includes('keystore'));
    expect(keyFiles.length).toBeGreaterThanOrEqual(3);
    for (const file of keyFiles) expect((await stat(file)).mode & 0o077, file).toBe(0);
    expect((await stat(customerDir)).mode & 0o077).toBe(0);
    // The registrar's secret stays in the CA's own 0600 files, never in its log.
    const registrarSecret = (await readFile(join(customerDir, 'ca', 'registrar.secret'), 'utf8')).trim();
    expect(await readFile(join(customerDir, 'ca', 'server.log'), 'utf8')).not.toContain(registrarSecret);
    const cardText = JSON.stringify(card);
    expect(cardText).not.toMatch(/PRIVATE KEY/);
    // No file of the factory's node holds any of the customer's keys, and the other way round.
    const customerKeys = await Promise.all(keyFiles.map((f) => readFile(f, 'utf8')));
    for (const file of await filesUnder(factoryDir)) {
      const text = await readFile(file, 'latin1');
      for (const key of customerKeys) expect(text.includes(key.trim()), file).toBe(false);
    }
  });

  it('verifies a card its admin signed, and refuses one altered, signed by a non-admin or by another organisation', async () => {
    const now = new Date();
    expect(verifyMembershipCard(card, now)).toEqual(card.card);
    const altered = { ...card, card: { ...card.card, peers: [{ host: '203.0.113.9', port: 7051 }] } };
    expect(codeOf(() => verifyMembershipCard(altered, now))).toBe(ErrorCode.CARD_BAD_SIGNATURE);
    const byBuyer = await signMembershipCard(
      { ...card.card, adminCertificate: buyer.certificate },
      buyer.privateKeyFile,
    );
    expect(codeOf(() => verifyMembershipCard(byBuyer, now))).toBe(ErrorCode.CARD_NOT_SIGNED_BY_ADMIN);
    // The factory's admin cannot vouch for the customer's roots.
    const forged = await signMembershipCard(
      { ...card.card, adminCertificate: factoryAdmin.certificate },
      factoryAdmin.privateKeyFile,
    );
    expect(codeOf(() => verifyMembershipCard(forged, now))).toBe(ErrorCode.CARD_NOT_SIGNED_BY_ADMIN);
    expect(marshal(card.card).length).toBeLessThan(8_000);
  });

  it('turns a card into its organisation’s group of the channel configuration, without any of its files', async () => {
    const work = await mkdtemp(join(tmpdir(), 'fabpool-operator-work-'));
    try {
      const withPeer = await cardOf(customerCa, customerAdmin, {
        peers: [{ host: '10.77.0.5', port: 7051 }],
      });
      const group = (await organisationGroupFromCard(withPeer.card, work)) as {
        values: {
          MSP: {
            value: { config: { name: string; root_certs: string[]; fabric_node_ous: { enable: boolean } } };
          };
          AnchorPeers: { value: { anchor_peers: { host: string; port: number }[] } };
        };
      };
      const msp = group.values.MSP.value.config;
      expect(msp.name).toBe('CustomerAMSP');
      expect(Buffer.from(msp.root_certs[0] ?? '', 'base64').toString('utf8')).toBe(
        await customerCa.rootCertificate(),
      );
      expect(msp.fabric_node_ous.enable).toBe(true);
      expect(group.values.AnchorPeers.value.anchor_peers).toEqual([{ host: '10.77.0.5', port: 7051 }]);
      // Nothing but public material was written on the node that built it.
      for (const file of await filesUnder(work))
        expect(await readFile(file, 'utf8')).not.toMatch(/PRIVATE KEY/);
    } finally {
      await rm(work, { recursive: true, force: true });
    }
  });
});
