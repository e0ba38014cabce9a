import { ChaincodeError, ErrorCode } from '../model/errors.js';
import { LOT_HOLDING_STATUSES, type Lot } from '../model/lot.js';
import type { Member } from '../model/member.js';
import type { ProcessParameters } from '../model/bid.js';
import type { WorkOrder } from '../model/workOrder.js';
import { requireRole } from './access.js';

const fail = (code: ErrorCode, message: string): never => {
  throw new ChaincodeError(code, message);
};

function requireOwner(member: Member, workOrder: WorkOrder): void {
  requireRole(member, 'customer');
  if (member.memberId !== workOrder.customerMemberId)
    fail(ErrorCode.NOT_OWNER, `work order ${workOrder.workOrderId} belongs to another customer`);
}

/** The customer who published a work order sets how to make it. */
export function setProcessParameters(
  member: Member,
  workOrder: WorkOrder,
  parameters: ProcessParameters,
): ProcessParameters {
  requireOwner(member, workOrder);
  if (parameters.workOrderId !== workOrder.workOrderId)
    fail(ErrorCode.INVALID_ARGUMENT, 'the parameters name another work order than the request');
  if (workOrder.status !== 'OPEN')
    fail(ErrorCode.WORK_ORDER_CLOSED, `work order ${workOrder.workOrderId} is ${workOrder.status}`);
  return parameters;
}

/**
 * The customer shares the parameters with a factory assigned to the work order: the very
 * parameters it set (same hash as in its own collection), to a factory that holds a lot of it.
 */
export function shareProcessParameters(
  member: Member,
  workOrder: WorkOrder,
  lot: Lot | undefined,
  parametersHash: string,
  customerHash: string | undefined,
): Lot {
  requireOwner(member, workOrder);
  if (lot?.workOrderId !== workOrder.workOrderId || !LOT_HOLDING_STATUSES.includes(lot.status))
    return fail(ErrorCode.LOT_NOT_FOUND, `no live lot of ${workOrder.workOrderId} by that id`);
  if (customerHash === undefined)
    return fail(
      ErrorCode.PARAMETERS_NOT_SET,
      `work order ${workOrder.workOrderId} has no process parameters`,
    );
  if (parametersHash !== customerHash)
    fail(ErrorCode.PARAMETERS_MISMATCH, 'the parameters sent differ from the ones the customer set');
  return lot;
}

/** Process parameters reach the work order's customer and the factories holding its lots, nobody else. */
export function requireParametersReader(member: Member, workOrder: WorkOrder, lots: readonly Lot[]): void {
  if (member.memberId === workOrder.customerMemberId) return;
  const assigned = lots.some(
    (l) => l.factoryMspId === member.mspId && LOT_HOLDING_STATUSES.includes(l.status),
  );
  if (member.role !== 'factory' || !assigned)
    fail(
      ErrorCode.PARAMETERS_NOT_VISIBLE,
      `the process parameters of ${workOrder.workOrderId} are not for ${member.mspId}`,
    );
}
