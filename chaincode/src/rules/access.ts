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

/** Operators and auditors oversee the whole pool: they read every record on the channel. */
export function overseesAll(member: Member): boolean {
  return member.role === 'operator' || member.role === 'auditor';
}

export function requireOverseer(member: Member, what: string): void {
  if (!overseesAll(member))
    throw new ChaincodeError(ErrorCode.WRONG_ROLE, `${what} is read by operators and auditors only`);
}

/**
 * A work order's records — its lots, their custody, progress and settlements — are read by its own
 * customer, by the factory organisations holding one of its lots (hand-overs chain them) and by the
 * overseers; not by the organisation's other customers, other factories or suppliers.
 */
export function requireWorkOrderReader(
  member: Member,
  workOrder: WorkOrder,
  lotFactoryMspIds: readonly string[],
): void {
  if (overseesAll(member) || member.memberId === workOrder.customerMemberId) return;
  if (member.role === 'factory' && lotFactoryMspIds.includes(member.mspId)) return;
  throw new ChaincodeError(
    ErrorCode.NOT_PARTY,
    `the records of work order ${workOrder.workOrderId} are not for ${member.memberId}`,
  );
}

/** A whole work order's trace (every lot's price, every settlement): its customer and the overseers. */
export function requireTraceReader(member: Member, workOrder: WorkOrder): void {
  if (overseesAll(member) || member.memberId === workOrder.customerMemberId) return;
  throw new ChaincodeError(
    ErrorCode.NOT_PARTY,
    `the trace of work order ${workOrder.workOrderId} is for its customer, operators and auditors`,
  );
}

/** A factory's declared and assigned minutes: its own organisation and the overseers (the matcher). */
export function requireCapacityReader(member: Member, factoryMspId: string): void {
  if (overseesAll(member) || (member.role === 'factory' && member.mspId === factoryMspId)) return;
  throw new ChaincodeError(ErrorCode.NOT_PARTY, `the capacity of ${factoryMspId}'s plants is its own`);
}

/**
 * Whose revealed bids on a work order `member` may read: every bidder's (no `mspId`) for the
 * order's customer and the overseers, a factory its own organisation's only, nobody else any.
 */
export function visibleBidders(member: Member, workOrder: WorkOrder): { mspId?: string } {
  if (overseesAll(member) || member.memberId === workOrder.customerMemberId) return {};
  if (member.role === 'factory') return { mspId: member.mspId };
  throw new ChaincodeError(
    ErrorCode.NOT_PARTY,
    `the bids on work order ${workOrder.workOrderId} are not for ${member.memberId}`,
  );
}

/**
 * Whose settlements go into a statement `member` asks for between `mspA` and `mspB`: a factory only
 * for its own organisation, a customer only its own payments (its organisation's other customers'
 * are not its business), overseers everything.
 */
export function statementScope(member: Member, mspA: string, mspB: string): { payerMemberId?: string } {
  if (overseesAll(member)) return {};
  if (member.mspId !== mspA && member.mspId !== mspB)
    throw new ChaincodeError(ErrorCode.NOT_PARTY, 'a statement is for the two organisations it is between');
  if (member.role === 'customer') return { payerMemberId: member.memberId };
  if (member.role === 'factory') return {};
  throw new ChaincodeError(ErrorCode.WRONG_ROLE, `role ${member.role} has no statements`);
}

/**
 * A work order in the pool: every factory sees it (they bid on it and are matched to it), its own
 * customer and the overseers; the organisation's other customers and suppliers do not.
 */
export function requirePoolReader(member: Member, workOrder: WorkOrder): void {
  if (overseesAll(member) || member.role === 'factory' || member.memberId === workOrder.customerMemberId)
    return;
  throw new ChaincodeError(
    ErrorCode.NOT_PARTY,
    `work order ${workOrder.workOrderId} is not for ${member.memberId}`,
  );
}

/**
 * A factory's list prices and its quota offers are for those who buy (customers), the overseers
 * and the factory's own organisation: not for its rivals, nor for suppliers.
 */
export function seesOffersOf(member: Member, factoryMspId: string): boolean {
  return (
    overseesAll(member) ||
    member.role === 'customer' ||
    (member.role === 'factory' && member.mspId === factoryMspId)
  );
}

export function requireOfferReader(member: Member, factoryMspId: string): void {
  if (!seesOffersOf(member, factoryMspId))
    throw new ChaincodeError(
      ErrorCode.NOT_PARTY,
      `the offers of ${factoryMspId}'s plants are not for ${member.memberId}`,
    );
}

/**
 * A person's registry entry (certificate subject, name, role, who approved it) is the business of
 * that person, of the people of the same organisation and of the overseers; a rival or a trading
 * partner learns the organisation from each record it shares, never its staff list.
 */
export function seesMember(reader: Member, subject: Member): boolean {
  return overseesAll(reader) || reader.mspId === subject.mspId;
}

export function requireMemberReader(reader: Member, subject: Member): void {
  if (!seesMember(reader, subject))
    throw new ChaincodeError(
      ErrorCode.NOT_PARTY,
      `the people of ${subject.mspId} are not listed to ${reader.mspId}`,
    );
}
