import { describe, expect, it } from 'vitest';
import { endorsementFailure, implicitCollectionOrg, satisfiesMajority } from './policy.js';

const orgs = ['AllianceMSP', 'FactoryAMSP', 'FactoryBMSP', 'AuditMSP'];

describe('endorsement policies on the embedded ledger', () => {
  it('needs more than half of the channel for the chaincode policy', () => {
    expect(satisfiesMajority(['AllianceMSP', 'FactoryAMSP'], orgs)).toBe(false);
    expect(satisfiesMajority(['AllianceMSP', 'FactoryAMSP', 'AuditMSP'], orgs)).toBe(true);
  });

  it('applies a key-level policy instead of the majority for that key', () => {
    const policy = (key: string) => (key === 'custody' ? ['AllianceMSP', 'FactoryAMSP'] : undefined);
    expect(
      endorsementFailure(
        { keys: ['custody'], collections: [] },
        ['FactoryAMSP', 'FactoryBMSP', 'AuditMSP'],
        orgs,
        policy,
      ),
    ).toContain('AllianceMSP');
    expect(
      endorsementFailure(
        { keys: ['custody'], collections: [] },
        ['AllianceMSP', 'FactoryAMSP'],
        orgs,
        policy,
      ),
    ).toBeUndefined();
    expect(
      endorsementFailure(
        { keys: ['custody', 'lot'], collections: [] },
        ['AllianceMSP', 'FactoryAMSP'],
        orgs,
        policy,
      ),
    ).toContain('MAJORITY');
  });

  it('needs the organisation of an implicit collection it writes, and nothing more', () => {
    expect(implicitCollectionOrg('_implicit_org_FactoryAMSP')).toBe('FactoryAMSP');
    expect(
      endorsementFailure(
        { keys: [], collections: ['_implicit_org_FactoryAMSP'] },
        ['FactoryAMSP'],
        orgs,
        () => undefined,
      ),
    ).toBeUndefined();
    expect(
      endorsementFailure(
        { keys: [], collections: ['_implicit_org_FactoryAMSP'] },
        ['FactoryBMSP'],
        orgs,
        () => undefined,
      ),
    ).toContain('FactoryAMSP');
  });
});
