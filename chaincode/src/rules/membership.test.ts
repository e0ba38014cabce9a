import { describe, expect, it } from 'vitest';
import { ErrorCode, memberIdOf, type Member } from '../model/index.js';
import {
  applyForMembership,
  approveMember,
  isOperator,
  proposeMember,
  registerMember,
  updateOwnProfile,
  type Caller,
} from './membership.js';

const NOW = '2026-11-24T08:00:00.000Z';

function aCaller(overrides: Partial<Caller> = {}): Caller {
  return {
    mspId: 'FactoryAMSP',
    clientId: 'x509::/C=CN/OU=client/CN=User1@factorya.fabpool.local::/C=CN/CN=ca.factorya.fabpool.local',
    isOrgAdmin: false,
    ...overrides,
  };
}

const allianceAdmin = aCaller({
  mspId: 'AllianceMSP',
  clientId: 'x509::/C=CN/OU=admin/CN=Admin@alliance.fabpool.local::/C=CN/CN=ca.alliance.fabpool.local',
  isOrgAdmin: true,
});

describe('membership rules', () => {
  it('derives the same member id for the same identity and a different one per MSP', () => {
    const caller = aCaller();
    expect(memberIdOf(caller.mspId, caller.clientId)).toBe(memberIdOf(caller.mspId, caller.clientId));
    expect(memberIdOf('FactoryBMSP', caller.clientId)).not.toBe(memberIdOf(caller.mspId, caller.clientId));
    expect(memberIdOf(caller.mspId, caller.clientId)).toMatch(/^[0-9a-f]{64}$/);
  });

  it('records an application as pending, for the caller itself', () => {
    const caller = aCaller();
    const member = applyForMembership(
      caller,
      undefined,
      { displayName: ' Line lead ', role: 'factory' },
      NOW,
    );
    expect(member).toMatchObject({
      mspId: 'FactoryAMSP',
      clientId: caller.clientId,
      displayName: 'Line lead',
    });
    expect(member.status).toBe('PENDING');
    expect(member.createdBy).toBe(member.memberId);
  });

  it('refuses to let anyone apply for the operator role', () => {
    expect(() =>
      applyForMembership(aCaller(), undefined, { displayName: 'x', role: 'operator' }, NOW),
    ).toThrow(ErrorCode.INVALID_ARGUMENT);
  });

  it('refuses a second application from the same identity', () => {
    const first = applyForMembership(aCaller(), undefined, { displayName: 'x', role: 'factory' }, NOW);
    expect(() => applyForMembership(aCaller(), first, { displayName: 'x', role: 'factory' }, NOW)).toThrow(
      ErrorCode.MEMBER_ALREADY_EXISTS,
    );
  });

  it('lets only an operator approve, and only a pending member', () => {
    const pending = applyForMembership(aCaller(), undefined, { displayName: 'x', role: 'factory' }, NOW);
    expect(() => approveMember(aCaller({ isOrgAdmin: true }), undefined, pending, NOW)).toThrow(
      ErrorCode.NOT_OPERATOR,
    );
    const approved = approveMember(allianceAdmin, undefined, pending, NOW);
    expect(approved.status).toBe('ACTIVE');
    expect(approved.approvedBy).toBe(memberIdOf(allianceAdmin.mspId, allianceAdmin.clientId));
    expect(() => approveMember(allianceAdmin, undefined, approved, NOW)).toThrow(
      ErrorCode.MEMBER_NOT_PENDING,
    );
  });

  it('treats an active operator member as an operator, and a pending one as not', () => {
    const matcher = aCaller({ mspId: 'AllianceMSP' });
    const record: Member = registerMember(
      allianceAdmin,
      undefined,
      undefined,
      { mspId: matcher.mspId, clientId: matcher.clientId, displayName: 'matcher', role: 'operator' },
      NOW,
    );
    expect(isOperator(matcher, record)).toBe(true);
    expect(isOperator(matcher, { ...record, status: 'PENDING' })).toBe(false);
    expect(isOperator(aCaller({ mspId: 'FactoryAMSP', isOrgAdmin: true }), undefined)).toBe(false);
  });

  it('grants another organisation’s identity a role only as its own admin proposes and an operator approves', () => {
    const newPlanner =
      'x509::/C=CN/OU=client/CN=User7@factorya.fabpool.local::/C=CN/CN=ca.factorya.fabpool.local';
    // The operator alone cannot give a FactoryA identity a role.
    expect(() =>
      registerMember(
        allianceAdmin,
        undefined,
        undefined,
        { mspId: 'FactoryAMSP', clientId: newPlanner, displayName: 'planner', role: 'auditor' },
        NOW,
      ),
    ).toThrow(ErrorCode.NOT_OWNER);
    // Nor can a client of FactoryA propose, nor anyone propose an operator.
    const request = { clientId: newPlanner, displayName: 'planner', role: 'factory' as const };
    expect(() => proposeMember(aCaller(), undefined, request, NOW)).toThrow(ErrorCode.NOT_ORG_ADMIN);
    const factoryAdmin = aCaller({ isOrgAdmin: true });
    expect(() => proposeMember(factoryAdmin, undefined, { ...request, role: 'operator' }, NOW)).toThrow(
      ErrorCode.INVALID_ARGUMENT,
    );
    const proposed = proposeMember(factoryAdmin, undefined, request, NOW);
    expect(proposed).toMatchObject({
      mspId: 'FactoryAMSP',
      status: 'PENDING',
      createdBy: memberIdOf(factoryAdmin.mspId, factoryAdmin.clientId),
    });
    const approved = approveMember(allianceAdmin, undefined, proposed, NOW);
    expect(approved).toMatchObject({
      status: 'ACTIVE',
      createdBy: memberIdOf(factoryAdmin.mspId, factoryAdmin.clientId),
      approvedBy: memberIdOf(allianceAdmin.mspId, allianceAdmin.clientId),
    });
  });

  it('refuses to register a member whose client id is not an x509 id', () => {
    expect(() =>
      registerMember(
        allianceAdmin,
        undefined,
        undefined,
        { mspId: 'AllianceMSP', clientId: 'bob', displayName: 'b', role: 'customer' },
        NOW,
      ),
    ).toThrow(ErrorCode.INVALID_ARGUMENT);
  });

  it('lets a member rename itself, and refuses a caller that is not a member', () => {
    const member = applyForMembership(aCaller(), undefined, { displayName: 'old', role: 'factory' }, NOW);
    const later = '2026-11-24T09:00:00.000Z';
    expect(updateOwnProfile(aCaller(), member, 'new', later)).toMatchObject({
      displayName: 'new',
      updatedAt: later,
    });
    expect(() => updateOwnProfile(aCaller(), undefined, 'new', later)).toThrow(ErrorCode.MEMBER_NOT_FOUND);
    expect(() => updateOwnProfile(aCaller(), member, '  ', later)).toThrow(ErrorCode.INVALID_ARGUMENT);
  });
});
