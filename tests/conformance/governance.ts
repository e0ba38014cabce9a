import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { common } from '@hyperledger/fabric-protos';
import {
  ErrorCode,
  governanceParsers,
  memberFromJson,
  memberIdOf,
  type OrganisationProposal,
  type SignedMembershipCard,
} from '@fabpool/chaincode/model';
import { issueOrganisationIdentities, signMembershipCard, type LedgerEngine } from '@fabpool/network';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestLedger } from '../support/engines.js';
import { errorCodeOf } from '../support/ledgerErrors.js';
import { PoolClient, request, unique } from '../support/poolClient.js';

const updateFor = (channel: string, marker: string): string => {
  const update = new common.ConfigUpdate();
  update.setChannelId(channel);
  // Any content will do for the ledger: it records and checks signatures, the orderer applies.
  const writeSet = new common.ConfigGroup();
  writeSet.setModPolicy(marker);
  update.setWriteSet(writeSet);
  return Buffer.from(update.serializeBinary()).toString('base64');
};

/**
 * Admitting an organisation through the ledger (issue "one node per organisation"): its card and
 * the channel update are proposed, and each member's admin approves by leaving its own signature of
 * the update, which the chaincode checks is really the caller's, over exactly that update.
 */
export function governanceScenarios(engine: LedgerEngine): void {
  describe(`admitting an organisation by proposal and admins' signatures (${engine})`, () => {
    let testLedger: Awaited<ReturnType<typeof openTestLedger>>;
    let pool: PoolClient;
    let dir: string;
    let card: SignedMembershipCard;
    const proposalId = `P-${unique()}`;
    let configUpdate: string;

    const signature = async (member: string, update = configUpdate) =>
      Buffer.from(await pool.ledger.signConfigUpdate(member, Buffer.from(update, 'base64'))).toString(
        'base64',
      );
    const attempt = (member: string, transaction: string, fields: object) =>
      pool.submit(member, 'Governance', transaction, request(fields)).then(
        (answer) => governanceParsers.proposal.fromJson(answer),
        (error: unknown) => errorCodeOf(error) ?? String(error),
      );

    beforeAll(async () => {
      testLedger = await openTestLedger(engine);
      pool = new PoolClient(testLedger.ledger);
      dir = await mkdtemp(join(tmpdir(), 'fabpool-newcomer-'));
      // The newcomer's own CA and admin, made on "its node": only the card comes to the alliance.
      const newcomer = await issueOrganisationIdentities('customer-b.example', [
        { cn: 'admin', ou: 'admin' },
      ]);
      const admin = newcomer.issued[0];
      if (admin === undefined) throw new Error('no admin issued');
      await writeFile(join(dir, 'admin.key'), admin.keyPem, { mode: 0o600 });
      card = await signMembershipCard(
        {
          cardVersion: 1,
          mspId: 'CustomerBMSP',
          organisation: 'Customer B',
          kind: 'customer',
          rootCertificates: [newcomer.caPem],
          tlsRootCertificates: [newcomer.caPem],
          peers: [],
          adminCertificate: admin.certPem,
          issuedAt: new Date().toISOString(),
        },
        join(dir, 'admin.key'),
      );
      configUpdate = updateFor('alliance', proposalId);
    });

    afterAll(async () => {
      await testLedger.dispose();
      await rm(dir, { recursive: true, force: true });
    });

    it('takes a proposal only from an organisation’s admin, with a card that holds, for this channel', async () => {
      const fields = { proposalId, card, configUpdate };
      expect(await attempt('factory-a-user', 'ProposeOrganisation', fields)).toBe(ErrorCode.NOT_ORG_ADMIN);
      const altered = { ...card, card: { ...card.card, organisation: 'Customer C' } };
      expect(await attempt('alliance-admin', 'ProposeOrganisation', { ...fields, card: altered })).toBe(
        ErrorCode.CARD_BAD_SIGNATURE,
      );
      expect(
        await attempt('alliance-admin', 'ProposeOrganisation', {
          ...fields,
          configUpdate: updateFor('another-channel', proposalId),
        }),
      ).toBe(ErrorCode.INVALID_ARGUMENT);
      const proposal = (await attempt(
        'alliance-admin',
        'ProposeOrganisation',
        fields,
      )) as OrganisationProposal;
      expect(proposal).toMatchObject({ status: 'OPEN', approvals: [], proposedByMspId: 'AllianceMSP' });
      expect(proposal.card.card.mspId).toBe('CustomerBMSP');
    });

    it('counts an approval only as its own admin’s signature over exactly the proposed update', async () => {
      const approve = async (member: string, configSignature: string) =>
        attempt(member, 'ApproveProposal', { proposalId, configSignature });
      // FactoryA's admin cannot pass off FactoryB's signature as its own, nor sign another update.
      expect(await approve('factory-a-admin', await signature('factory-b-admin'))).toBe(
        ErrorCode.CONFIG_SIGNATURE_INVALID,
      );
      expect(
        await approve('factory-a-admin', await signature('factory-a-admin', updateFor('alliance', 'other'))),
      ).toBe(ErrorCode.CONFIG_SIGNATURE_INVALID);
      expect(await approve('factory-a-admin', Buffer.from('not a signature').toString('base64'))).toBe(
        ErrorCode.CONFIG_SIGNATURE_INVALID,
      );
      // A client of the organisation, even with its own signature, is not its admin.
      expect(await approve('factory-a-user', await signature('factory-a-user'))).toBe(
        ErrorCode.NOT_ORG_ADMIN,
      );
      const once = (await approve(
        'factory-a-admin',
        await signature('factory-a-admin'),
      )) as OrganisationProposal;
      expect(once.approvals.map((a) => a.mspId)).toEqual(['FactoryAMSP']);
      expect(await approve('factory-a-admin', await signature('factory-a-admin'))).toBe(
        ErrorCode.PROPOSAL_ALREADY_APPROVED,
      );
      await approve('alliance-admin', await signature('alliance-admin'));
      const three = (await approve(
        'factory-b-admin',
        await signature('factory-b-admin'),
      )) as OrganisationProposal;
      expect(three.approvals.map((a) => a.mspId)).toEqual(['FactoryAMSP', 'AllianceMSP', 'FactoryBMSP']);
      const stored = governanceParsers.proposal.fromJson(
        await pool.evaluate('auditor', 'Governance', 'GetProposal', proposalId),
      );
      expect(stored).toEqual(three);
    });

    it('has every organisation’s roles proposed by its own admin and approved by an operator, both on the ledger', async () => {
      const byName = new Map(pool.ledger.members().map((m) => [m.name, m]));
      const idOf = (name: string) => {
        const m = byName.get(name);
        if (m === undefined) throw new Error(`no member ${name}`);
        return memberIdOf(m.mspId, m.clientId);
      };
      const planner = memberFromJson(
        await pool.evaluate('auditor', 'Member', 'GetMember', idOf('factory-a-user')),
      );
      expect(planner).toMatchObject({
        status: 'ACTIVE',
        createdBy: idOf('factory-a-admin'),
        approvedBy: idOf('alliance-admin'),
      });
      const someoneOfFactoryA = (byName.get('factory-a-user')?.clientId ?? '').replace('User1@', 'User9@');
      const refusal = (member: string, transaction: string, args: string[]) =>
        pool.ledger.submit(member, 'Member', transaction, args).then(
          () => 'accepted',
          (error: unknown) => errorCodeOf(error),
        );
      // The operator alone cannot write a role for FactoryA's identities, nor FactoryA's client propose one.
      expect(
        await refusal('alliance-admin', 'RegisterMember', [
          'FactoryAMSP',
          someoneOfFactoryA,
          'spy',
          'auditor',
        ]),
      ).toBe(ErrorCode.NOT_OWNER);
      expect(
        await refusal('factory-a-user', 'ProposeMember', [someoneOfFactoryA, 'planner 9', 'factory']),
      ).toBe(ErrorCode.NOT_ORG_ADMIN);
    });

    it('closes once applied: no approval after that', async () => {
      expect(await attempt('auditor', 'MarkApplied', { proposalId })).toBe(ErrorCode.NOT_ORG_ADMIN);
      const applied = (await attempt('alliance-admin', 'MarkApplied', {
        proposalId,
      })) as OrganisationProposal;
      expect(applied.status).toBe('APPLIED');
      expect(
        await attempt('audit-admin', 'ApproveProposal', {
          proposalId,
          configSignature: await signature('audit-admin'),
        }),
      ).toBe(ErrorCode.PROPOSAL_CLOSED);
    });
  });
}
