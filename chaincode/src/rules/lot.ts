import type { Capacity } from '../model/capacity.js';
import { ChaincodeError, ErrorCode } from '../model/errors.js';
import type { Lot } from '../model/lot.js';
import type { Member } from '../model/member.js';
import type { CapacityQuota } from '../model/quota.js';
import type { WorkOrder } from '../model/workOrder.js';
import { requireOrg, requireRole } from './access.js';
import { lotMinutesByProcess } from './lotMinutes.js';
import { capacityId } from './factory.js';

function requireDecision(member: Member, lot: Lot, now: string): void {
  requireRole(member, 'factory');
  requireOrg(member, lot.factoryMspId, `lot ${lot.lotId}`);
  if (lot.status !== 'ASSIGNED')
    throw new ChaincodeError(ErrorCode.LOT_WRONG_STATUS, `lot ${lot.lotId} is ${lot.status}, not ASSIGNED`);
  if (Date.parse(now) > Date.parse(lot.acceptBy)) {
    throw new ChaincodeError(
      ErrorCode.LOT_DEADLINE_PASSED,
      `lot ${lot.lotId} had to be decided by ${lot.acceptBy}`,
    );
  }
}

/** The assigned factory takes the lot on, before the deadline. */
export function acceptLot(member: Member, lot: Lot, now: string): Lot {
  requireDecision(member, lot, now);
  return { ...lot, status: 'ACCEPTED', updatedAt: now };
}

/**
 * Gives back what a lot held: its minutes in each process's capacity of its bucket, and what it
 * consumed of its quota. Used when a lot is rejected or cancelled.
 */
export function releaseLot(
  workOrder: WorkOrder,
  lot: Lot,
  capacities: ReadonlyMap<string, Capacity>,
  quota: CapacityQuota | undefined,
  now: string,
): { capacities: Capacity[]; quota?: CapacityQuota } {
  const minutesByProcess = lotMinutesByProcess(workOrder, lot);
  const released: Capacity[] = [];
  for (const [process, minutes] of minutesByProcess) {
    const id = capacityId({ factoryId: lot.factoryId, process, bucket: lot.bucket });
    const capacity = capacities.get(id);
    if (capacity === undefined)
      throw new ChaincodeError(
        ErrorCode.CORRUPT_RECORD,
        `lot ${lot.lotId} holds minutes of missing capacity ${id}`,
      );
    released.push({ ...capacity, assignedMinutes: capacity.assignedMinutes - minutes, updatedAt: now });
  }
  if (quota === undefined) return { capacities: released };
  const minutes = minutesByProcess.get(quota.process) ?? 0;
  return {
    capacities: released,
    quota: { ...quota, consumedMinutes: quota.consumedMinutes - minutes, updatedAt: now },
  };
}

/** The assigned factory declines the lot, before the deadline, with a reason. */
export function rejectLot(member: Member, lot: Lot, reason: string, now: string): Lot {
  requireDecision(member, lot, now);
  return { ...lot, status: 'REJECTED', rejectReason: reason, updatedAt: now };
}
