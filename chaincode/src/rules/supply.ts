import { ChaincodeError, ErrorCode } from '../model/errors.js';
import type { Lot, LotStatus } from '../model/lot.js';
import type { Member } from '../model/member.js';
import type { ChooseSupplyAlternativeRequest, ReportSupplyDelayRequest } from '../model/requests.js';
import type { SupplyChoice, SupplyDelay } from '../model/supply.js';
import type { MaterialNeed, WorkOrder } from '../model/workOrder.js';
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

/** Lots whose factory still holds work of the order: where KEEP_PLANTS keeps it. */
const LIVE_LOT: readonly LotStatus[] = ['ASSIGNED', 'ACCEPTED', 'IN_PROGRESS'];

/** The factories KEEP_PLANTS keeps an order's work at: those of its live lots, sorted. */
export function keptFactoryIds(lots: readonly Pick<Lot, 'status' | 'factoryId'>[]): string[] {
  return [...new Set(lots.filter((l) => LIVE_LOT.includes(l.status)).map((l) => l.factoryId))].sort();
}

/**
 * The customer who published a work order answers its material's latest delay, once: wait with
 * the work kept at the factories of its live lots, wait and let the work move, or order from one
 * of the material's backup suppliers, which then supplies it (and reports its own delays) from its
 * committed date, the choice's time plus its lead time, at its extra cost.
 */
export function chooseSupplyAlternative(
  member: Member,
  workOrder: WorkOrder,
  lots: readonly Lot[],
  delays: readonly SupplyDelay[],
  choices: readonly SupplyChoice[],
  request: ChooseSupplyAlternativeRequest,
  now: string,
): { choice: SupplyChoice; workOrder: WorkOrder } {
  if (workOrder.customerMemberId !== member.memberId)
    throw new ChaincodeError(
      ErrorCode.NOT_OWNER,
      `only the customer who published ${workOrder.workOrderId} chooses for its material`,
    );
  if (workOrder.status !== 'OPEN')
    throw new ChaincodeError(
      ErrorCode.WORK_ORDER_CLOSED,
      `work order ${workOrder.workOrderId} is ${workOrder.status}`,
    );
  const materials = workOrder.materials ?? [];
  const material = materials.find((m) => m.materialCode === request.materialCode);
  const latest = delays.reduce<SupplyDelay | undefined>(
    (l, d) => (l === undefined || d.seq > l.seq ? d : l),
    undefined,
  );
  if (material === undefined || latest === undefined)
    throw new ChaincodeError(
      ErrorCode.SUPPLY_CHOICE_INVALID,
      `no delay of ${request.materialCode} for ${workOrder.workOrderId} was reported`,
    );
  if (request.delaySeq !== latest.seq)
    throw new ChaincodeError(
      ErrorCode.SUPPLY_CHOICE_INVALID,
      `delay ${request.delaySeq} of ${request.materialCode} is not its latest (${latest.seq})`,
    );
  if (choices.some((c) => c.delaySeq === latest.seq))
    throw new ChaincodeError(
      ErrorCode.SUPPLY_ALREADY_CHOSEN,
      `delay ${latest.seq} of ${request.materialCode} for ${workOrder.workOrderId} was answered already`,
    );
  const base = {
    workOrderId: workOrder.workOrderId,
    materialCode: material.materialCode,
    delaySeq: latest.seq,
    choice: request.choice,
    chosenAt: now,
    chosenByMemberId: member.memberId,
  };
  if (request.choice === 'BACKUP_SUPPLIER') {
    const backup = (material.backups ?? []).find((b) => b.supplierMspId === request.backupSupplierMspId);
    if (backup === undefined)
      throw new ChaincodeError(
        ErrorCode.SUPPLY_CHOICE_INVALID,
        `${request.backupSupplierMspId ?? '(none)'} is no backup supplier of ${material.materialCode}`,
      );
    const switched: MaterialNeed = {
      ...material,
      supplierMspId: backup.supplierMspId,
      backups: (material.backups ?? []).filter((b) => b !== backup),
    };
    return {
      choice: {
        ...base,
        supplierMspId: backup.supplierMspId,
        expectedAt: new Date(Date.parse(now) + backup.leadTimeHours * 3_600_000).toISOString(),
        extraCost: Math.round(backup.extraCostPerUnit * material.quantity),
      },
      workOrder: {
        ...workOrder,
        materials: materials.map((m) => (m === material ? switched : m)),
        updatedAt: now,
      },
    };
  }
  if (request.backupSupplierMspId !== undefined)
    throw new ChaincodeError(
      ErrorCode.SUPPLY_CHOICE_INVALID,
      `${request.choice} keeps ${latest.supplierMspId}: name no backup supplier`,
    );
  const keepFactoryIds = keptFactoryIds(lots);
  if (request.choice === 'KEEP_PLANTS' && keepFactoryIds.length === 0)
    throw new ChaincodeError(
      ErrorCode.SUPPLY_CHOICE_INVALID,
      `${workOrder.workOrderId} has no lot at any plant yet: there is no plant to keep`,
    );
  return {
    choice: {
      ...base,
      supplierMspId: latest.supplierMspId,
      expectedAt: latest.expectedAt,
      ...(request.choice === 'KEEP_PLANTS' ? { keepFactoryIds } : {}),
      extraCost: 0,
    },
    workOrder,
  };
}
