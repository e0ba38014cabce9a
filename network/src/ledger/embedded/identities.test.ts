import { describe, expect, it } from 'vitest';
import { buildTopology, defaultTopologyOptions } from '../../topology.js';
import { identitiesMismatch, type IdentityFile } from './identities.js';

const topology = buildTopology(defaultTopologyOptions());

/** Identities as the current topology would issue them (only names and organisations matter here). */
function current(): IdentityFile {
  const members = [...topology.peerOrgs, ...topology.clientOrgs].flatMap((org) =>
    org.members.map((m) => ({
      name: m.name,
      mspId: org.mspId,
      role: m.role,
      displayName: m.displayName,
      clientId: `x509::/CN=${m.name}::/CN=ca`,
      certPem: '',
      keyPem: '',
    })),
  );
  return { cas: {}, members, outsiders: [] };
}

describe('identities kept by an embedded ledger', () => {
  it('fit the topology they were issued for', () => {
    expect(identitiesMismatch(current(), topology)).toBeUndefined();
  });

  it('from the time customers were members of the operator’s organisation, are named as not fitting', () => {
    const old = current();
    old.members = old.members.map((m) => (m.name === 'customer-1' ? { ...m, mspId: 'AllianceMSP' } : m));
    expect(identitiesMismatch(old, topology)).toBe(
      'customer-1 is a member of AllianceMSP there, of CustomerAMSP now',
    );
    old.members = old.members.filter((m) => m.name !== 'supplier-a-admin');
    expect(identitiesMismatch(old, topology)).toMatch(/customer-1|supplier-a-admin/);
  });
});
