import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ErrorCode, type MembershipCard } from '@fabpool/chaincode/model';
import { verifyMembershipCard } from '@fabpool/chaincode/rules/membershipCard';
import { parse } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { issueOrg } from '../ledger/embedded/identities.js';
import { signMembershipCard, writeMspDirectory } from './membershipCard.js';

const codeOf = async (action: () => unknown): Promise<string | undefined> => {
  try {
    await action();
    return undefined;
  } catch (error) {
    return (error as { code?: string }).code;
  }
};

describe('membership cards', () => {
  let dir: string;
  let customer: Awaited<ReturnType<typeof issueOrg>>;
  let stranger: Awaited<ReturnType<typeof issueOrg>>;
  const keyFile = (name: string) => join(dir, `${name}.key`);
  const cardOf = (adminCertificate: string): MembershipCard => ({
    cardVersion: 1,
    mspId: 'CustomerAMSP',
    organisation: 'Customer A',
    kind: 'customer',
    rootCertificates: [customer.caPem],
    tlsRootCertificates: [customer.caPem],
    peers: [],
    adminCertificate,
    issuedAt: '2026-12-03T08:00:00Z',
  });

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'fabpool-card-'));
    customer = await issueOrg('customer-a.example', [
      { cn: 'admin', ou: 'admin' },
      { cn: 'buyer', ou: 'client' },
    ]);
    stranger = await issueOrg('stranger.example', [{ cn: 'admin', ou: 'admin' }]);
    await writeFile(keyFile('admin'), customer.issued[0]?.keyPem ?? '');
    await writeFile(keyFile('buyer'), customer.issued[1]?.keyPem ?? '');
    await writeFile(keyFile('stranger'), stranger.issued[0]?.keyPem ?? '');
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('holds when an admin of the organisation signed it, and names what is wrong otherwise', async () => {
    const [admin, buyer] = customer.issued;
    const card = await signMembershipCard(cardOf(admin?.certPem ?? ''), keyFile('admin'));
    expect(verifyMembershipCard(card, new Date())).toEqual(card.card);
    const renamed = { ...card, card: { ...card.card, organisation: 'Customer B' } };
    expect(await codeOf(() => verifyMembershipCard(renamed, new Date()))).toBe(ErrorCode.CARD_BAD_SIGNATURE);
    const byClient = await signMembershipCard(cardOf(buyer?.certPem ?? ''), keyFile('buyer'));
    expect(await codeOf(() => verifyMembershipCard(byClient, new Date()))).toBe(
      ErrorCode.CARD_NOT_SIGNED_BY_ADMIN,
    );
    const byStranger = await signMembershipCard(
      cardOf(stranger.issued[0]?.certPem ?? ''),
      keyFile('stranger'),
    );
    expect(await codeOf(() => verifyMembershipCard(byStranger, new Date()))).toBe(
      ErrorCode.CARD_NOT_SIGNED_BY_ADMIN,
    );
    // Another organisation's admin key cannot sign for this admin's certificate either.
    const mismatched = await signMembershipCard(cardOf(admin?.certPem ?? ''), keyFile('stranger'));
    expect(await codeOf(() => verifyMembershipCard(mismatched, new Date()))).toBe(
      ErrorCode.CARD_BAD_SIGNATURE,
    );
  });

  it('refuses a card that does not follow its schema before anything is signed', async () => {
    const card = { ...cardOf(customer.issued[0]?.certPem ?? ''), mspId: 'customer a' };
    expect(await codeOf(() => signMembershipCard(card, keyFile('admin')))).toBe(ErrorCode.CARD_INVALID);
  });

  it('writes the MSP directory a channel configuration needs from the card alone', async () => {
    const mspDir = join(dir, 'msp');
    await writeMspDirectory(cardOf(customer.issued[0]?.certPem ?? ''), mspDir);
    expect(await readFile(join(mspDir, 'cacerts', 'root-0.pem'), 'utf8')).toBe(customer.caPem);
    const config = parse(await readFile(join(mspDir, 'config.yaml'), 'utf8')) as {
      NodeOUs: { Enable: boolean; AdminOUIdentifier: { OrganizationalUnitIdentifier: string } };
    };
    expect(config.NodeOUs.Enable).toBe(true);
    expect(config.NodeOUs.AdminOUIdentifier.OrganizationalUnitIdentifier).toBe('admin');
  });
});
