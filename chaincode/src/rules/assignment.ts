import type { AssignmentRun } from '../model/assignmentRun.js';
import type { Capacity } from '../model/capacity.js';
import type { Process } from '../model/common.js';
import { ChaincodeError, ErrorCode } from '../model/errors.js';
import type { Factory } from '../model/factory.js';
import { LOT_HOLDING_STATUSES, type Lot } from '../model/lot.js';
import type { Member } from '../model/member.js';
import { quotaCoversBucket, type CapacityQuota } from '../model/quota.js';
import type { RecordAssignmentRequest } from '../model/requests.js';
import type { WorkOrder } from '../model/workOrder.js';
import { requireRole } from './access.js';
import { biddingAllows } from './bid.js';
import { capacityId } from './factory.js';
import { releaseLot } from './lot.js';
import { lotMinutesByProcess, operationsOf } from './lotMinutes.js';
import { firstUnhonouredQuota } from './quota.js';

/** What the ledger holds that a run's checks read. */
export interface AssignmentView {
  runExists: boolean;
  workOrders: ReadonlyMap<string, WorkOrder>;
  factories: ReadonlyMap<string, Factory>;
  /** Every capacity record of each (factory, process) the run touches, by capacity id. */
  capacities: ReadonlyMap<string, Capacity>;
  /** Every quota of each (factory, process) the run touches, by quota id. */
  quotas: ReadonlyMap<string, CapacityQuota>;
  /** The lots the run's work orders already have. */
  lotsByWorkOrder: ReadonlyMap<string, readonly Lot[]>;
  /** The lots the run withdraws, by id (absent: not on the ledger). */
  withdrawn: ReadonlyMap<string, Lot>;
  /** How many bids were revealed for each of the run's work orders that took bids and has no award. */
  revealedBids: ReadonlyMap<string, number>;
}

export interface AssignmentOutcome {
  run: AssignmentRun;
  lots: Lot[];
  withdrawnLots: Lot[];
  capacities: Capacity[];
  quotas: CapacityQuota[];
}

/** The (factory, process) pairs whose capacity and quotas a run's checks must read. */
export function factoryProcessesOf(
  request: RecordAssignmentRequest,
  workOrders: ReadonlyMap<string, WorkOrder>,
  withdrawn: readonly Lot[] = [],
): { factoryId: string; process: Process }[] {
  const pairs = new Map<string, { factoryId: string; process: Process }>();
  for (const lot of [...request.lots, ...withdrawn]) {
    const workOrder = workOrders.get(lot.workOrderId);
    if (workOrder === undefined) continue;
    for (const op of operationsOf(workOrder, lot))
      pairs.set(`${lot.factoryId}/${op.process}`, { factoryId: lot.factoryId, process: op.process });
  }
  return [...pairs.values()].sort((a, b) =>
    `${a.factoryId}/${a.process}` < `${b.factoryId}/${b.process}` ? -1 : 1,
  );
}

const fail = (code: ErrorCode, message: string): never => {
  throw new ChaincodeError(code, message);
};

/**
 * Re-checks and records a matcher run. Every lot must be makeable (the factory offers each
 * process), fit the declared capacity of its bucket, be priced at the factory's list price or the
 * quota's locked price, use only a quota its work order's customer bought and never beyond its
 * minutes, leave every other buyer's quota reservation honourable, keep each operation's units
 * within the work order's quantity and the unit price over the routing within its maximum.
 */
export function recordAssignment(
  member: Member,
  view: AssignmentView,
  request: RecordAssignmentRequest,
  now: string,
): AssignmentOutcome {
  requireRole(member, 'operator');
  if (view.runExists) fail(ErrorCode.RUN_ALREADY_RECORDED, `run ${request.runId} is already recorded`);
  const capacities = new Map(view.capacities);
  const quotas = new Map(view.quotas);
  const changedCapacities = new Set<string>();
  const changedQuotas = new Set<string>();
  const lotsByWorkOrder = new Map<string, Lot[]>(
    [...view.lotsByWorkOrder].map(([id, lots]) => [id, [...lots]]),
  );
  const acceptBy = new Date(Date.parse(now) + request.acceptWithinHours * 3_600_000).toISOString();
  const lots: Lot[] = [];
  const withdrawIds = request.withdrawLotIds ?? [];
  if (request.lots.length === 0 && withdrawIds.length === 0)
    fail(ErrorCode.INVALID_ARGUMENT, 'a run records or withdraws at least one lot');

  // Moved lots first: what they held is free for the run's new lots.
  const withdrawnLots = withdrawIds.map((lotId, i) => {
    const at = `/withdrawLotIds/${i}`;
    const lot =
      view.withdrawn.get(lotId) ?? fail(ErrorCode.LOT_NOT_FOUND, `${at}: lot ${lotId} does not exist`);
    if (lot.status !== 'ASSIGNED')
      fail(
        ErrorCode.LOT_WRONG_STATUS,
        `${at}: lot ${lotId} is ${lot.status}; only a lot its factory has not accepted yet can be moved`,
      );
    const workOrder =
      view.workOrders.get(lot.workOrderId) ??
      fail(ErrorCode.WORK_ORDER_NOT_FOUND, `${at}: work order ${lot.workOrderId} does not exist`);
    const quota = lot.quotaId === undefined ? undefined : quotas.get(lot.quotaId);
    const released = releaseLot(workOrder, lot, capacities, quota, now);
    for (const capacity of released.capacities) {
      capacities.set(capacityId(capacity), capacity);
      changedCapacities.add(capacityId(capacity));
    }
    if (released.quota !== undefined) {
      quotas.set(released.quota.quotaId, released.quota);
      changedQuotas.add(released.quota.quotaId);
    }
    const moved: Lot = { ...lot, status: 'REASSIGNED', updatedAt: now };
    lotsByWorkOrder.set(
      lot.workOrderId,
      (lotsByWorkOrder.get(lot.workOrderId) ?? []).map((l) => (l.lotId === lotId ? moved : l)),
    );
    return moved;
  });

  request.lots.forEach((proposed, i) => {
    const at = `/lots/${i}`;
    const workOrder =
      view.workOrders.get(proposed.workOrderId) ??
      fail(ErrorCode.WORK_ORDER_NOT_FOUND, `${at}/workOrderId ${proposed.workOrderId} does not exist`);
    if (workOrder.status !== 'OPEN')
      fail(ErrorCode.WORK_ORDER_CLOSED, `${at}: work order ${workOrder.workOrderId} is ${workOrder.status}`);
    if (proposed.toSeq < proposed.fromSeq || proposed.toSeq > workOrder.routing.length) {
      fail(
        ErrorCode.INVALID_ARGUMENT,
        `${at}: operations ${proposed.fromSeq}..${proposed.toSeq} are not in the routing of ${workOrder.workOrderId} (1..${workOrder.routing.length})`,
      );
    }
    const factory =
      view.factories.get(proposed.factoryId) ??
      fail(ErrorCode.FACTORY_NOT_FOUND, `${at}/factoryId ${proposed.factoryId} does not exist`);
    const bidding = biddingAllows(workOrder, now, view.revealedBids.get(workOrder.workOrderId) ?? 0);
    if (bidding !== undefined) fail(ErrorCode.BID_DECIDES, `${at}: ${bidding}`);
    const ops = operationsOf(workOrder, proposed);
    if (proposed.unitPrices.length !== ops.length)
      fail(ErrorCode.INVALID_ARGUMENT, `${at}/unitPrices needs one price per operation (${ops.length})`);

    const quota =
      proposed.quotaId === undefined
        ? undefined
        : (quotas.get(proposed.quotaId) ??
          fail(ErrorCode.QUOTA_NOT_FOUND, `${at}/quotaId ${proposed.quotaId} does not exist`));
    if (quota !== undefined) {
      if (quota.status !== 'SOLD' || quota.buyerMemberId !== workOrder.customerMemberId) {
        fail(
          ErrorCode.QUOTA_NOT_BUYER,
          `${at}/quotaId ${quota.quotaId} was not bought by the customer of ${workOrder.workOrderId}`,
        );
      }
      if (
        quota.factoryId !== factory.factoryId ||
        ops.some((op) => op.process !== quota.process) ||
        !quotaCoversBucket(quota, proposed.bucket)
      ) {
        fail(
          ErrorCode.QUOTA_MISMATCH,
          `${at}/quotaId ${quota.quotaId} covers ${quota.factoryId} ${quota.process} in ${quota.windowStart}..${quota.windowEnd} only`,
        );
      }
    }

    ops.forEach((op, k) => {
      const offer =
        factory.processes.find((p) => p.process === op.process) ??
        fail(
          ErrorCode.PROCESS_NOT_OFFERED,
          `${at}: ${factory.factoryId} does not run ${op.process} (operation ${op.seq})`,
        );
      // The quota's locked price, else the list price (an award's own lots carry the bid's price).
      const expected = Math.round((quota?.pricePerMinute ?? offer.pricePerMinute) * op.standardMinutes);
      if (proposed.unitPrices[k] !== expected) {
        fail(
          ErrorCode.PRICE_MISMATCH,
          `${at}/unitPrices/${k} is ${proposed.unitPrices[k] ?? '?'}, but operation ${op.seq} costs ${expected} per unit at ${quota === undefined ? 'list' : 'quota'} price`,
        );
      }
    });

    const minutesByProcess = lotMinutesByProcess(workOrder, proposed);
    for (const [process, minutes] of minutesByProcess) {
      const id = capacityId({ factoryId: factory.factoryId, process, bucket: proposed.bucket });
      const capacity = capacities.get(id);
      const assigned = (capacity?.assignedMinutes ?? 0) + minutes;
      if (capacity === undefined || assigned > capacity.declaredMinutes) {
        fail(
          ErrorCode.CAPACITY_EXCEEDED,
          `${at}: ${minutes} more minutes exceed the capacity declared for ${id} (${capacity?.assignedMinutes ?? 0} of ${capacity?.declaredMinutes ?? 0} used)`,
        );
      } else {
        capacities.set(id, { ...capacity, assignedMinutes: assigned, updatedAt: now });
        changedCapacities.add(id);
      }
    }
    if (quota !== undefined) {
      const minutes = minutesByProcess.get(quota.process) ?? 0;
      const current = quotas.get(quota.quotaId) ?? quota;
      if (current.consumedMinutes + minutes > current.minutes) {
        fail(
          ErrorCode.QUOTA_EXCEEDED,
          `${at}: ${minutes} minutes exceed what is left of quota ${quota.quotaId} (${current.minutes - current.consumedMinutes})`,
        );
      }
      quotas.set(quota.quotaId, {
        ...current,
        consumedMinutes: current.consumedMinutes + minutes,
        updatedAt: now,
      });
      changedQuotas.add(quota.quotaId);
    }

    const unitPrice = proposed.unitPrices.reduce((a, b) => a + b, 0);
    const lot: Lot = {
      lotId: `${request.runId}.${i + 1}`,
      workOrderId: workOrder.workOrderId,
      runId: request.runId,
      factoryId: factory.factoryId,
      factoryMspId: factory.mspId,
      fromSeq: proposed.fromSeq,
      toSeq: proposed.toSeq,
      bucket: proposed.bucket,
      quantity: proposed.quantity,
      unitPrices: proposed.unitPrices,
      unitPrice,
      minutes: [...minutesByProcess.values()].reduce((a, b) => a + b, 0),
      ...(quota === undefined ? {} : { quotaId: quota.quotaId }),
      status: 'ASSIGNED',
      acceptBy,
      assignedAt: now,
      updatedAt: now,
    };
    lots.push(lot);
    const siblings = lotsByWorkOrder.get(workOrder.workOrderId) ?? [];
    siblings.push(lot);
    lotsByWorkOrder.set(workOrder.workOrderId, siblings);
    checkWorkOrderTotals(workOrder, siblings, at);
  });

  for (const { factoryId, process } of factoryProcessesOf(request, view.workOrders)) {
    const own = [...capacities.values()].filter((c) => c.factoryId === factoryId && c.process === process);
    const reserved = [...quotas.values()].filter((q) => q.factoryId === factoryId && q.process === process);
    const short = firstUnhonouredQuota(own, reserved);
    if (short !== undefined) {
      fail(
        ErrorCode.CAPACITY_RESERVED_BY_QUOTA,
        `${factoryId} ${process}: the run leaves too few minutes in ${short.windowStart}..${short.windowEnd} for quota ${short.quotaId}`,
      );
    }
  }

  return {
    run: {
      runId: request.runId,
      inputHash: request.inputHash,
      objective: request.objective,
      lotIds: lots.map((l) => l.lotId),
      ...(withdrawnLots.length === 0 ? {} : { withdrawnLotIds: withdrawnLots.map((l) => l.lotId) }),
      recordedBy: member.memberId,
      recordedAt: now,
    },
    lots,
    withdrawnLots,
    capacities: [...changedCapacities].sort().flatMap((id) => capacities.get(id) ?? []),
    quotas: [...changedQuotas].sort().flatMap((id) => quotas.get(id) ?? []),
  };
}

/** Each operation's units within the work order's quantity, and the worst unit price over the routing within its maximum. */
export function checkWorkOrderTotals(workOrder: WorkOrder, lots: readonly Lot[], at: string): void {
  const holding = lots.filter((l) => LOT_HOLDING_STATUSES.includes(l.status));
  let worstUnitPrice = 0;
  for (const op of workOrder.routing) {
    const covering = holding.filter((l) => l.fromSeq <= op.seq && op.seq <= l.toSeq);
    const units = covering.reduce((sum, l) => sum + l.quantity, 0);
    if (units > workOrder.quantity) {
      fail(
        ErrorCode.WORK_ORDER_OVER_ASSIGNED,
        `${at}: operation ${op.seq} of ${workOrder.workOrderId} would have ${units} units in lots, more than its ${workOrder.quantity}`,
      );
    }
    worstUnitPrice += Math.max(0, ...covering.map((l) => l.unitPrices[op.seq - l.fromSeq] ?? 0));
  }
  if (worstUnitPrice > workOrder.maxUnitPrice) {
    fail(
      ErrorCode.PRICE_ABOVE_MAX,
      `${at}: a unit of ${workOrder.workOrderId} could cost ${worstUnitPrice}, above its maximum ${workOrder.maxUnitPrice}`,
    );
  }
}
