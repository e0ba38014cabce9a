import { describe, expect, it } from 'vitest';
import { isAdminIdentity, proposerOf } from './memberRegistration.js';

const id = (name: string, mspId: string, ou: string, cn: string) => ({
  name,
  mspId,
  clientId: `x509::/C=CN/OU=${ou}/CN=${cn}::/C=CN/CN=ca.example`,
});
const identities: ReturnType<typeof id>[] = [
  id('alliance-admin', 'AllianceMSP', 'admin', 'Admin@alliance'),
  id('customer-1', 'AllianceMSP', 'client', 'User2@alliance'),
  id('factory-a-admin', 'FactoryAMSP', 'admin', 'Admin@factorya'),
  id('factory-a-user', 'FactoryAMSP', 'client', 'User1@factorya'),
];

describe('who proposes a member’s role', () => {
  it('has the operator register its own organisation, and each other organisation’s admin propose its own', () => {
    const [, customer, factoryAdmin, planner] = identities;
    if (customer === undefined || factoryAdmin === undefined || planner === undefined)
      throw new Error('fixture');
    expect(proposerOf(identities, customer)).toBeUndefined();
    expect(proposerOf(identities, planner)).toBe('factory-a-admin');
    expect(proposerOf(identities, factoryAdmin)).toBe('factory-a-admin');
    expect(() => proposerOf(identities, id('x', 'FactoryBMSP', 'client', 'User1@factoryb'))).toThrow(
      /FactoryBMSP has no admin/,
    );
  });

  it('reads the admin node OU from the subject, not from a name that contains it', () => {
    expect(isAdminIdentity('x509::/C=CN/OU=admin/CN=Admin@x::/CN=ca')).toBe(true);
    expect(isAdminIdentity('x509::CN=Admin@x,OU=admin,O=X::CN=ca')).toBe(true);
    expect(isAdminIdentity('x509::/C=CN/OU=client/CN=OU=admin-lookalike::/CN=ca')).toBe(false);
    expect(isAdminIdentity('x509::/C=CN/OU=client/CN=u::/OU=admin/CN=ca')).toBe(false);
  });
});
