import { ChaincodeError, ErrorCode } from '../model/errors.js';
import type { Lot } from '../model/lot.js';
import type { Member } from '../model/member.js';
import type { PublishWorkOrderRequest, PublishWorkOrdersRequest } from '../model/requests.js';
import type { WorkOrder } from '../model/workOrder.js';
import { requireRole } from './access.js';

/** What makes one work order publishable, whoever publishes it (the api checks ERP rows with it too). */
export function checkWorkOrderItem(
  existing: WorkOrder | undefined,
  request: Omit<PublishWorkOrderRequest, 'requestId'>,
  now: string,
): void {
  if (existing !== undefined)
    throw new ChaincodeError(
      ErrorCode.WORK_ORDER_ALREADY_EXISTS,
      `work order ${request.workOrderId} already exists`,
    );
  request.routing.forEach((op, i) => {
    if (op.seq !== i + 1)
      throw new ChaincodeError(
        ErrorCode.INVALID_ARGUMENT,
        `/routing/${i}/seq must be ${i + 1}: operations are numbered in order from 1`,
      );
  });
  (request.materials ?? []).forEach((m, i) => {
    const suppliers = [m.supplierMspId, ...(m.backups ?? []).map((b) => b.supplierMspId)];
    if (new Set(suppliers).size !== suppliers.length)
      throw new ChaincodeError(
        ErrorCode.INVALID_ARGUMENT,
        `/materials/${i}/backups must name suppliers other than ${m.supplierMspId}, each once`,
      );
  });
  if (request.bidWindowEnd !== undefined && Date.parse(request.bidWindowEnd) <= Date.parse(now))
    throw new ChaincodeError(
      ErrorCode.INVALID_ARGUMENT,
      `/bidWindowEnd ${request.bidWindowEnd} has already passed`,
    );
}

/** A customer publishes a work order into the shared pool. */
export function publishWorkOrder(
  member: Member,
  existing: WorkOrder | undefined,
  request: Omit<PublishWorkOrderRequest, 'requestId'>,
  now: string,
): WorkOrder {
  requireRole(member, 'customer');
  checkWorkOrderItem(existing, request, now);
  const { workOrderId, partNumber, quantity, routing, dueBucket, priority, maxUnitPrice } = request;
  return {
    workOrderId,
    partNumber,
    quantity,
    routing,
    dueBucket,
    priority,
    maxUnitPrice,
    latePenaltyPerUnitPerBucket: request.latePenaltyPerUnitPerBucket ?? 0,
    ...(request.bidWindowEnd === undefined ? {} : { bidWindowEnd: request.bidWindowEnd }),
    ...(request.materials === undefined ? {} : { materials: request.materials }),
    customerMemberId: member.memberId,
    customerMspId: member.mspId,
    status: 'OPEN',
    publishedAt: now,
    updatedAt: now,
  };
}

/**
 * A batch from a customer's ERP: every work order is checked as if published alone, and a
 * failure names its row; one bad row publishes none (the caller writes them in one transaction).
 */
export function publishWorkOrders(
  member: Member,
  existing: ReadonlyMap<string, WorkOrder>,
  request: PublishWorkOrdersRequest,
  now: string,
): WorkOrder[] {
  const seen = new Set<string>();
  return request.workOrders.map((item, i) => {
    try {
      if (seen.has(item.workOrderId))
        throw new ChaincodeError(ErrorCode.INVALID_ARGUMENT, `work order ${item.workOrderId} appears twice`);
      seen.add(item.workOrderId);
      return publishWorkOrder(member, existing.get(item.workOrderId), item, now);
    } catch (error) {
      if (error instanceof ChaincodeError)
        throw new ChaincodeError(
          error.code,
          `/workOrders/${i}: ${error.message.slice(error.code.length + 2)}`,
        );
      throw error;
    }
  });
}

/**
 * The customer cancels an open work order. Lots not yet started are cancelled with it (their
 * capacity and quota minutes are given back by the caller); once work has started it cannot be.
 */
export function cancelWorkOrder(
  member: Member,
  workOrder: WorkOrder,
  lots: readonly Lot[],
  now: string,
): { workOrder: WorkOrder; cancelledLots: Lot[] } {
  if (workOrder.customerMemberId !== member.memberId) {
    throw new ChaincodeError(
      ErrorCode.NOT_OWNER,
      `only the customer who published ${workOrder.workOrderId} may cancel it`,
    );
  }
  if (workOrder.status !== 'OPEN')
    throw new ChaincodeError(
      ErrorCode.WORK_ORDER_CLOSED,
      `work order ${workOrder.workOrderId} is ${workOrder.status}`,
    );
  const started = lots.find(
    (l) => !['ASSIGNED', 'ACCEPTED', 'REJECTED', 'REASSIGNED', 'CANCELLED'].includes(l.status),
  );
  if (started !== undefined) {
    throw new ChaincodeError(
      ErrorCode.LOT_WRONG_STATUS,
      `lot ${started.lotId} is ${started.status}: work has started`,
    );
  }
  const cancelledLots = lots
    .filter((l) => l.status === 'ASSIGNED' || l.status === 'ACCEPTED')
    .map((l): Lot => ({ ...l, status: 'CANCELLED', updatedAt: now }));
  return { workOrder: { ...workOrder, status: 'CANCELLED', updatedAt: now }, cancelledLots };
}
