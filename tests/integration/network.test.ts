import { randomUUID } from 'node:crypto';
import { EventName, ErrorCode, memberFromJson, memberIdOf } from '@fabpool/chaincode/model';
import { stat } from 'node:fs/promises';
import {
  connectAs,
  findMember,
  RUNTIME_DIR,
  readConnectionDescription,
  type ConnectionDescription,
  type MemberSession,
} from '@fabpool/network';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorCodeOf, errorText, failureOf } from '../support/ledgerErrors.js';

const decode = (bytes: Uint8Array): string => new TextDecoder().decode(bytes);

describe('the live Fabric network', () => {
  let description: ConnectionDescription;
  const sessions: MemberSession[] = [];
  const open = async (name: string, viaMspId?: string): Promise<MemberSession> => {
    const session = await connectAs(description, name, viaMspId === undefined ? {} : { viaMspId });
    sessions.push(session);
    return session;
  };
  const memberContract = (session: MemberSession) =>
    session.gateway.getNetwork(description.channel).getContract(description.chaincode, 'Member');

  beforeAll(async () => {
    description = await readConnectionDescription();
  });

  afterAll(() => {
    for (const session of sessions) session.close();
  });

  it('keeps its keys and its connection description from other users of the machine', async () => {
    // Everything below is reachable by this user only, whatever modes the Fabric tools chose.
    expect((await stat(RUNTIME_DIR)).mode & 0o077).toBe(0);
  });

  it('has a peer for the alliance, both factories and the auditors', () => {
    // Factories added later (the add-factory test adds FactoryC) keep these four in place.
    expect(description.peers.map((p) => p.mspId).slice(0, 3)).toEqual([
      'AllianceMSP',
      'FactoryAMSP',
      'FactoryBMSP',
    ]);
    expect(description.peers.map((p) => p.mspId)).toContain('AuditMSP');
  });

  it('commits a FactoryA member’s write that the auditors read on their own peer and whose event reaches a listener', async () => {
    const factoryA = await open('factory-a-user');
    // A person's entry is read by its own organisation and the overseers (not FactoryB).
    const auditors = await open('auditor');
    const newName = `FactoryA planner ${randomUUID().slice(0, 8)}`;

    const commit = await memberContract(factoryA).submitAsync('UpdateMyProfile', { arguments: [newName] });
    const status = await commit.getStatus();
    expect(status.successful).toBe(true);

    const author = findMember(description, 'factory-a-user');
    const read = memberFromJson(
      decode(
        await memberContract(auditors).evaluateTransaction(
          'GetMember',
          memberIdOf(author.mspId, author.clientId),
        ),
      ),
    );
    expect(read.displayName).toBe(newName);
    expect(read.mspId).toBe('FactoryAMSP');

    // Listen from the committed block as the auditors, who keep their own copy of the ledger.
    const events = await auditors.gateway
      .getNetwork(description.channel)
      .getChaincodeEvents(description.chaincode, {
        startBlock: status.blockNumber,
      });
    try {
      for await (const event of events) {
        if (event.transactionId !== commit.getTransactionId()) continue;
        expect(event.eventName).toBe(EventName.MEMBER_UPDATED);
        expect(memberFromJson(decode(event.payload)).displayName).toBe(newName);
        expect(event.blockNumber).toBe(status.blockNumber);
        break;
      }
    } finally {
      events.close();
    }
  });

  it('refuses a transaction signed by an identity from outside the alliance', async () => {
    const outsider = await open('outsider', 'FactoryAMSP');
    const error = await failureOf(() =>
      memberContract(outsider).submitTransaction('UpdateMyProfile', 'intruder'),
    );
    expect(errorText(error)).toMatch(/access denied.*creator org unknown/);
    // The refusal happens before the chaincode: no member record exists for it.
    const factoryB = await open('factory-b-user');
    const id = memberIdOf(description.outsiders[0]?.mspId ?? '', description.outsiders[0]?.clientId ?? '');
    const lookup = await failureOf(() => memberContract(factoryB).evaluateTransaction('GetMember', id));
    expect(errorCodeOf(lookup)).toBe(ErrorCode.MEMBER_NOT_FOUND);
  });

  it('refuses an operator-only transaction from a factory, with the stable error code', async () => {
    const factoryA = await open('factory-a-admin');
    const target = findMember(description, 'customer-1');
    const error = await failureOf(() =>
      memberContract(factoryA).submitTransaction(
        'RegisterMember',
        target.mspId,
        target.clientId,
        'x',
        'customer',
      ),
    );
    expect(errorCodeOf(error)).toBe(ErrorCode.NOT_OPERATOR);
  });

  it('gave every identity the network issued its role in the member registry', async () => {
    for (const member of description.members) {
      const session = await open(member.name);
      const record = memberFromJson(decode(await memberContract(session).evaluateTransaction('WhoAmI')));
      expect(record).toMatchObject({ mspId: member.mspId, role: member.role, status: 'ACTIVE' });
    }
  });
});
