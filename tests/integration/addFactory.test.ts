import { randomUUID, X509Certificate } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { governanceParsers, memberFromJson, memberIdOf } from '@fabpool/chaincode/model';
import {
  addFactory,
  connectAs,
  findMember,
  readConnectionDescription,
  RUNTIME_DIR,
  type MemberSession,
} from '@fabpool/network';
import { afterAll, describe, expect, it } from 'vitest';

const decode = (bytes: Uint8Array): string => new TextDecoder().decode(bytes);

describe('adding a factory organisation to the running network', () => {
  const sessions: MemberSession[] = [];
  afterAll(() => {
    for (const session of sessions) session.close();
  });

  it('lets the new factory transact through its own peer and the others read it', async () => {
    const started = Date.now();
    const { proposalId } = await addFactory('FactoryC', (line) =>
      process.stdout.write(`[add-factory] ${line}\n`),
    );
    const description = await readConnectionDescription();
    expect(description.peers.map((p) => p.mspId)).toContain('FactoryCMSP');

    const factoryC = await connectAs(description, 'factory-c-user');
    // The auditors read it on their own peer (a person's entry is not for rival factories).
    const auditors = await connectAs(description, 'auditor');
    sessions.push(factoryC, auditors);
    const contract = (s: MemberSession) =>
      s.gateway.getNetwork(description.channel).getContract(description.chaincode, 'Member');

    const name = `FactoryC planner ${randomUUID().slice(0, 8)}`;
    await contract(factoryC).submitTransaction('UpdateMyProfile', name);
    const author = findMember(description, 'factory-c-user');
    const read = memberFromJson(
      decode(
        await contract(auditors).evaluateTransaction('GetMember', memberIdOf(author.mspId, author.clientId)),
      ),
    );
    expect(read).toMatchObject({ mspId: 'FactoryCMSP', role: 'factory', displayName: name });
    // FactoryC's identities came from its own CA: Fabric CA's role attribute (cryptogen writes none),
    // issued by FactoryC's CA, and no key of that CA anywhere but in FactoryC's own node directory.
    const planner = new X509Certificate(
      await readFile(findMember(description, 'factory-c-user').certPath, 'utf8'),
    );
    expect(planner.raw.toString('utf8')).toContain('"fabpool.role":"factory"');
    expect(planner.issuer).toContain('CN=ca.factorycmsp');
    // Every member's node received FactoryC's card (certificates only), and FactoryC's node the
    // others'; the CA's key stayed on its node.
    for (const node of ['Alliance', 'FactoryA', 'Orderer'])
      expect(
        await readdir(join(RUNTIME_DIR, 'nodes', node, 'alliance', 'msp', 'FactoryCMSP', 'cacerts')),
      ).toEqual(['root-0.pem']);
    expect(await readdir(join(RUNTIME_DIR, 'nodes', 'FactoryC', 'alliance', 'cards'))).toContain(
      'OrdererMSP.json',
    );
    const caKeys = await readdir(join(RUNTIME_DIR, 'nodes', 'FactoryC', 'ca', 'msp', 'keystore'));
    expect(caKeys.length).toBeGreaterThan(0);

    // A figure for the notes, not a limit: card to first transaction of the new company.
    process.stdout.write(
      `[add-factory] FactoryC joined and transacted ${((Date.now() - started) / 1000).toFixed(1)} s from the start of add-factory (crypto and card made, proposal, approvals on the ledger, channel update, peer joined, first transaction)\n`,
    );

    // The admission went through the ledger: the card, and each other organisation's admin's own
    // signature of the update, the operator's added by the submitter.
    const governance = auditors.gateway
      .getNetwork(description.channel)
      .getContract(description.chaincode, 'Governance');
    const proposal = governanceParsers.proposal.fromJson(
      decode(await governance.evaluateTransaction('GetProposal', proposalId ?? '')),
    );
    expect(proposal).toMatchObject({ status: 'APPLIED', proposedByMspId: 'AllianceMSP' });
    expect(proposal.card.card.mspId).toBe('FactoryCMSP');
    // Every other member organisation's admin, the suppliers' too, though they run no peer.
    expect(proposal.approvals.map((a) => a.mspId)).toEqual([
      'FactoryAMSP',
      'FactoryBMSP',
      'CustomerAMSP',
      'AuditMSP',
      'SupplierAMSP',
      'SupplierBMSP',
    ]);
  });
});
