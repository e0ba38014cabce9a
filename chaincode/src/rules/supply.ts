import { ChaincodeError, ErrorCode } from '../model/errors.js';
import type { Member } from '../model/member.js';
import type { ReportSupplyDelayRequest } from '../model/requests.js';
import type { SupplyDelay } from '../model/supply.js';
import type { WorkOrder } from '../model/workOrder.js';
import { requireRole } from './access.js';

/**
 * A supplier reports, for its own organisation only, that a material it supplies to an open work
 * order comes later: when it now comes is the report's time plus the delay. Each report is kept,
 * numbered; the latest of a material is the one that counts.
 */
export function reportSupplyDelay(
  member: Member,
  workOrder: WorkOrder,
  earlier: readonly SupplyDelay[],
  request: ReportSupplyDelayRequest,
  now: string,
): SupplyDelay {
  requireRole(member, 'supplier');
  if (workOrder.status !== 'OPEN')
    throw new ChaincodeError(
      ErrorCode.WORK_ORDER_CLOSED,
      `work order ${workOrder.workOrderId} is ${workOrder.status}`,
    );
  const supplied = (workOrder.materials ?? []).some(
    (m) => m.materialCode === request.materialCode && m.supplierMspId === member.mspId,
  );
  if (!supplied)
    throw new ChaincodeError(
      ErrorCode.NOT_OWNER,
      `${workOrder.workOrderId} needs no ${request.materialCode} from ${member.mspId}`,
    );
  return {
    workOrderId: workOrder.workOrderId,
    materialCode: request.materialCode,
    seq: Math.max(0, ...earlier.map((d) => d.seq)) + 1,
    supplierMspId: member.mspId,
    delayHours: request.delayHours,
    expectedAt: new Date(Date.parse(now) + request.delayHours * 3_600_000).toISOString(),
    reason: request.reason,
    reportedAt: now,
    reportedByMemberId: member.memberId,
  };
}
