import { ChaincodeError, ErrorCode } from '../model/errors.js';
import type { Member, MemberRole } from '../model/member.js';
import type { WorkOrder } from '../model/workOrder.js';
import type { Caller } from './membership.js';

/** The caller's own active record in the member registry: nobody else transacts in the pool. */
export function requireActiveMember(caller: Caller, record: Member | undefined): Member {
  if (record?.status !== 'ACTIVE') {
    throw new ChaincodeError(
      ErrorCode.NOT_A_MEMBER,
      `${caller.mspId} caller is not an active member of the alliance`,
    );
  }
  return record;
}

export function requireRole(member: Member, ...roles: MemberRole[]): void {
  if (!roles.includes(member.role)) {
    throw new ChaincodeError(
      ErrorCode.WRONG_ROLE,
      `role ${member.role} may not do this (needs ${roles.join(' or ')})`,
    );
  }
}

/** Records of an organisation (its factories, its lots) change only by that organisation's members. */
export function requireOrg(member: Member, mspId: string, what: string): void {
  if (member.mspId !== mspId) {
    throw new ChaincodeError(ErrorCode.NOT_OWNER, `${what} belongs to ${mspId}, not to ${member.mspId}`);
  }
}

/**
 * A customer acts only on its own work orders: several customers (and the operator and a supplier)
 * may share one organisation, so the goods it supplies and the deliveries it receives are checked
 * per member, not per organisation. Factories act for their organisation's plants.
 */
export function requireOwnWorkOrder(member: Member, workOrder: WorkOrder): void {
  if (member.role === 'customer' && member.memberId !== workOrder.customerMemberId)
    throw new ChaincodeError(
      ErrorCode.NOT_OWNER,
      `work order ${workOrder.workOrderId} belongs to another customer`,
    );
}
