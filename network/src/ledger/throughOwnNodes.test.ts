import { describe, expect, it } from 'vitest';
import type { Committed, Ledger, LedgerMember } from './ledger.js';
import { ThroughOwnNodes } from './throughOwnNodes.js';

/** A node's ledger that records who it was asked to sign for. */
function node(mspId: string, names: string[], signed: string[]): Ledger {
  const members: LedgerMember[] = names.map((name) => ({
    name,
    mspId,
    role: 'factory',
    displayName: name,
    clientId: name,
  }));
  const committed: Committed = { payload: new Uint8Array(), transactionId: 'tx', blockNumber: 1 };
  return {
    engine: 'fabric',
    members: () => members,
    submit: (member) => {
      signed.push(`${mspId}:${member}`);
      return Promise.resolve(committed);
    },
    evaluate: () => Promise.resolve(new Uint8Array()),
    events: () => ({
      [Symbol.asyncIterator]: () => ({ next: () => Promise.resolve({ done: true, value: undefined }) }),
      close: () => undefined,
    }),
    signConfigUpdate: () => Promise.resolve(new Uint8Array()),
    height: () => Promise.resolve(7),
    verify: () => Promise.reject(new Error('not here')),
    close: () => Promise.resolve(),
  };
}

describe('acting for each member through its own organisation’s node', () => {
  it('sends each member’s transaction to the node that holds its key, and refuses a member no node holds', async () => {
    const signed: string[] = [];
    const people = new ThroughOwnNodes([
      node('AllianceMSP', ['matcher'], signed),
      node('FactoryAMSP', ['factory-a-user'], signed),
    ]);
    await people.submit('factory-a-user', 'Assignment', 'AcceptLot', ['{}']);
    await people.submit('matcher', 'Assignment', 'RecordAssignment', ['{}']);
    expect(signed).toEqual(['FactoryAMSP:factory-a-user', 'AllianceMSP:matcher']);
    await expect(people.submit('customer-1', 'Quota', 'BuyQuota', ['{}'])).rejects.toThrow(
      /no node holds the identity of customer-1/,
    );
    expect(people.members().map((m) => m.name)).toEqual(['matcher', 'factory-a-user']);
    expect(await people.height()).toBe(7);
  });
});
