import { ChaincodeError, ErrorCode } from '../model/errors.js';
import { isMemberRole, memberIdOf, OPERATOR_MSP_ID, type Member, type MemberRole } from '../model/member.js';

/** Who is calling, as the ledger established it from the signed proposal. */
export interface Caller {
  mspId: string;
  clientId: string;
  /** The certificate carries the `admin` node OU of its organisation. */
  isOrgAdmin: boolean;
}

/**
 * The alliance operator is an admin of the operator's MSP, or anyone that operator made an
 * active `operator` member (the matcher's identity, for example).
 */
export function isOperator(caller: Caller, callerRecord: Member | undefined): boolean {
  if (caller.mspId === OPERATOR_MSP_ID && caller.isOrgAdmin) return true;
  return callerRecord?.status === 'ACTIVE' && callerRecord.role === 'operator';
}

export function requireOperator(caller: Caller, callerRecord: Member | undefined): void {
  if (!isOperator(caller, callerRecord)) {
    throw new ChaincodeError(ErrorCode.NOT_OPERATOR, `${caller.mspId} caller is not an alliance operator`);
  }
}

export function parseRole(value: string): MemberRole {
  if (!isMemberRole(value)) {
    throw new ChaincodeError(ErrorCode.INVALID_ARGUMENT, `unknown role '${value}'`);
  }
  return value;
}

export function parseDisplayName(value: string): string {
  const name = value.trim();
  if (name.length === 0 || name.length > 120) {
    throw new ChaincodeError(ErrorCode.INVALID_ARGUMENT, 'display name must have 1 to 120 characters');
  }
  return name;
}

interface NewMember {
  mspId: string;
  clientId: string;
  displayName: string;
  role: MemberRole;
}

/**
 * A caller applies for membership for itself. The operator role cannot be applied for:
 * it is only granted by an operator.
 */
export function applyForMembership(
  caller: Caller,
  existing: Member | undefined,
  request: { displayName: string; role: MemberRole },
  now: string,
): Member {
  if (request.role === 'operator') {
    throw new ChaincodeError(ErrorCode.INVALID_ARGUMENT, 'the operator role is granted, not applied for');
  }
  return createMember(
    existing,
    { mspId: caller.mspId, clientId: caller.clientId, ...request },
    'PENDING',
    caller,
    now,
  );
}

/**
 * The operator registers a member of its own organisation directly; the record is active at once.
 * Another organisation's identities get their role only as that organisation's admin proposes it
 * (`proposeMember`) and an operator approves: no single member writes another's roles.
 */
export function registerMember(
  caller: Caller,
  callerRecord: Member | undefined,
  existing: Member | undefined,
  request: NewMember,
  now: string,
): Member {
  requireOperator(caller, callerRecord);
  if (request.mspId !== caller.mspId)
    throw new ChaincodeError(
      ErrorCode.NOT_OWNER,
      `roles of ${request.mspId}'s identities are proposed by its own admin and approved by an operator`,
    );
  const member = createMember(existing, request, 'ACTIVE', caller, now);
  return { ...member, approvedAt: now, approvedBy: memberIdOf(caller.mspId, caller.clientId) };
}

/**
 * An organisation's admin proposes a role for one of its own organisation's identities (its own
 * included); the record waits, pending, for an operator's approval. The operator role is granted
 * by operators only.
 */
export function proposeMember(
  caller: Caller,
  existing: Member | undefined,
  request: { clientId: string; displayName: string; role: MemberRole },
  now: string,
): Member {
  if (!caller.isOrgAdmin)
    throw new ChaincodeError(
      ErrorCode.NOT_ORG_ADMIN,
      `a role is proposed by an admin of ${caller.mspId} (OU=admin), not by ${caller.clientId}`,
    );
  if (request.role === 'operator')
    throw new ChaincodeError(
      ErrorCode.INVALID_ARGUMENT,
      'the operator role is granted by operators, not proposed',
    );
  return createMember(existing, { mspId: caller.mspId, ...request }, 'PENDING', caller, now);
}

export function approveMember(
  caller: Caller,
  callerRecord: Member | undefined,
  member: Member,
  now: string,
): Member {
  requireOperator(caller, callerRecord);
  if (member.status !== 'PENDING') {
    throw new ChaincodeError(ErrorCode.MEMBER_NOT_PENDING, `member ${member.memberId} is ${member.status}`);
  }
  return {
    ...member,
    status: 'ACTIVE',
    approvedAt: now,
    approvedBy: memberIdOf(caller.mspId, caller.clientId),
  };
}

function createMember(
  existing: Member | undefined,
  request: NewMember,
  status: Member['status'],
  caller: Caller,
  now: string,
): Member {
  const memberId = memberIdOf(request.mspId, request.clientId);
  if (existing !== undefined) {
    throw new ChaincodeError(ErrorCode.MEMBER_ALREADY_EXISTS, `member ${memberId} already exists`);
  }
  if (!request.clientId.startsWith('x509::')) {
    throw new ChaincodeError(ErrorCode.INVALID_ARGUMENT, 'client id must be an x509 identity id');
  }
  return {
    memberId,
    mspId: request.mspId,
    clientId: request.clientId,
    displayName: parseDisplayName(request.displayName),
    role: request.role,
    status,
    createdAt: now,
    createdBy: memberIdOf(caller.mspId, caller.clientId),
  };
}

/** A member changes its own profile; nobody else can, and a non-member has nothing to change. */
export function updateOwnProfile(
  caller: Caller,
  existing: Member | undefined,
  displayName: string,
  now: string,
): Member {
  if (existing === undefined) {
    throw new ChaincodeError(ErrorCode.MEMBER_NOT_FOUND, `${caller.mspId} caller is not a registered member`);
  }
  return { ...existing, displayName: parseDisplayName(displayName), updatedAt: now };
}
