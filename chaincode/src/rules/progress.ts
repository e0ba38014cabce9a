import type { Custody } from '../model/custody.js';
import { ChaincodeError, ErrorCode } from '../model/errors.js';
import type { Lot } from '../model/lot.js';
import type { Member } from '../model/member.js';
import {
  ESCALATION_LADDER,
  ESCALATION_STEP_MINUTES,
  OVERRUN_TOLERANCE,
  SCAN_CLOCK_SKEW_MINUTES,
  SCAN_OFFLINE_LIMIT_HOURS,
  type Escalation,
  type MaterialUse,
  type OperationException,
  type OperationProgress,
} from '../model/progress.js';
import type {
  CloseExceptionRequest,
  ReportOperationRequest,
  StartOperationRequest,
} from '../model/requests.js';
import type { WorkOrder } from '../model/workOrder.js';
import { requireOrg, requireOwnWorkOrder, requireRole } from './access.js';

const fail = (code: ErrorCode, message: string): never => {
  throw new ChaincodeError(code, message);
};

/** Minutes rounded to the millisecond's worth of precision, the same on every peer. */
const roundMinutes = (x: number): number => Math.round(x * 1000) / 1000;

function requireLotFactory(member: Member, lot: Lot): void {
  requireRole(member, 'factory');
  requireOrg(member, lot.factoryMspId, `lot ${lot.lotId}`);
}

/**
 * The time a scan happened: the operator's (the device's clock), bounded by the ledger's. It may be
 * ahead of the transaction's time by the clock skew allowed (and then counts as the transaction's
 * time: nothing happens after its own commit), behind it by the offline limit at most, and never
 * before the step it follows (`earliest`). Without a scan time, the transaction's time.
 */
export function scanTime(scannedAt: string | undefined, now: string, earliest: string | undefined): string {
  if (scannedAt === undefined) return now;
  const scanned = Date.parse(scannedAt);
  const committed = Date.parse(now);
  if (scanned > committed + SCAN_CLOCK_SKEW_MINUTES * 60_000)
    fail(
      ErrorCode.SCAN_TIME,
      `/scannedAt ${scannedAt} is after the ledger's time ${now} by more than ${SCAN_CLOCK_SKEW_MINUTES} minutes: check the device's clock`,
    );
  if (scanned < committed - SCAN_OFFLINE_LIMIT_HOURS * 3_600_000)
    fail(
      ErrorCode.SCAN_TIME,
      `/scannedAt ${scannedAt} is more than ${SCAN_OFFLINE_LIMIT_HOURS} hours before it reached the ledger: enter it by hand`,
    );
  if (earliest !== undefined && scanned < Date.parse(earliest))
    fail(ErrorCode.SCAN_TIME, `/scannedAt ${scannedAt} is before the step it follows (${earliest})`);
  return scanned > committed ? now : new Date(scanned).toISOString();
}

/** Whether an operation's actual time runs over its standard time by more than the tolerance. */
export function isOverrun(actualMinutes: number, standardMinutes: number): boolean {
  // In whole thousandths of a minute and whole percent, so 200 × 1.15 is 230, not 229.99999999999997.
  const percent = Math.round((1 + OVERRUN_TOLERANCE) * 100);
  return Math.round(actualMinutes * 1000) * 100 > Math.round(standardMinutes * 1000) * percent;
}

/**
 * A scan starts one operation of a lot. The material must be at the lot's factory, operations run
 * in routing order, and any open exception on the lot freezes its next operation.
 */
export function startOperation(
  member: Member,
  workOrder: WorkOrder,
  lot: Lot,
  custody: Custody,
  progressOfLot: readonly OperationProgress[],
  exceptionsOfLot: readonly OperationException[],
  request: StartOperationRequest,
  now: string,
): { progress: OperationProgress; lot: Lot } {
  requireLotFactory(member, lot);
  if (lot.status !== 'ACCEPTED' && lot.status !== 'IN_PROGRESS')
    fail(
      ErrorCode.LOT_WRONG_STATUS,
      `lot ${lot.lotId} is ${lot.status}: only an accepted lot can be worked on`,
    );
  const { seq } = request;
  const operation = workOrder.routing.find((op) => op.seq === seq);
  if (operation === undefined || seq < lot.fromSeq || seq > lot.toSeq)
    return fail(
      ErrorCode.OPERATION_NOT_IN_LOT,
      `/seq ${seq} is not an operation of lot ${lot.lotId} (${lot.fromSeq}–${lot.toSeq})`,
    );
  if (progressOfLot.some((p) => p.seq === seq))
    fail(ErrorCode.OPERATION_ALREADY_STARTED, `operation ${seq} of lot ${lot.lotId} has already started`);
  if (custody.holderMspId !== lot.factoryMspId || custody.offer !== undefined)
    fail(
      ErrorCode.MATERIAL_NOT_AT_FACTORY,
      `lot ${lot.lotId}'s material is ${custody.offer === undefined ? `held by ${custody.holderMspId ?? 'nobody yet'}` : 'being handed over'}, not at ${lot.factoryMspId}`,
    );
  const open = exceptionsOfLot.find((e) => e.status === 'OPEN');
  if (open !== undefined)
    fail(
      ErrorCode.OPERATION_FROZEN,
      `lot ${lot.lotId} is frozen: operation ${open.seq} ran ${open.actualMinutes} min against ${open.allowedMinutes} allowed; close its exception first`,
    );
  let inputQuantity = custody.quantity;
  if (seq > lot.fromSeq) {
    const previous = progressOfLot.find((p) => p.seq === seq - 1);
    if (previous?.status !== 'REPORTED' || previous.goodQuantity === undefined)
      return fail(
        ErrorCode.OPERATION_OUT_OF_ORDER,
        `operation ${seq - 1} of lot ${lot.lotId} is not reported yet`,
      );
    inputQuantity = previous.goodQuantity;
  }
  if (inputQuantity === 0)
    fail(ErrorCode.OPERATION_QUANTITY, `lot ${lot.lotId} has no units left to enter operation ${seq}`);
  // Not before the operation it follows was reported, nor, for the lot's first, before it was accepted.
  const previousStep =
    seq > lot.fromSeq ? progressOfLot.find((p) => p.seq === seq - 1)?.reportedAt : lot.updatedAt;
  const startedAt = scanTime(request.scannedAt, now, previousStep);
  return {
    progress: {
      lotId: lot.lotId,
      workOrderId: lot.workOrderId,
      seq,
      process: operation.process,
      status: 'STARTED',
      inputQuantity,
      standardMinutes: roundMinutes(operation.standardMinutes * inputQuantity),
      operatorId: request.operatorId,
      machineId: request.machineId,
      startedAt,
      startedByMemberId: member.memberId,
      ...(operation.material === undefined
        ? {}
        : {
            material: {
              materialCode: operation.material.materialCode,
              unit: operation.material.unit,
              standard: roundAmount(operation.material.perUnit * inputQuantity),
            },
          }),
    },
    lot: lot.status === 'IN_PROGRESS' ? lot : { ...lot, status: 'IN_PROGRESS', updatedAt: now },
  };
}

export interface ReportOutcome {
  progress: OperationProgress;
  /** Set when the operation ran over: the lot's next operation is frozen until it is closed. */
  exception?: OperationException;
  /** The lot, when this was its last operation (now DONE). */
  doneLot?: Lot;
  /** Custody now counts the good units only: scrap does not travel on. */
  custody: Custody;
}

/** Material amounts are kept to three decimals (grams of a kilogram, millimetres of a metre). */
const roundAmount = (x: number): number => Math.round(x * 1000) / 1000;

/**
 * The material a report says its operation used: required where the routing set the operation a
 * standard consumption (the variance is measured against it), refused where it set none (there is
 * no material or unit to count it in).
 */
function materialUsed(
  lot: Lot,
  progress: OperationProgress,
  request: ReportOperationRequest,
): MaterialUse | undefined {
  if (progress.material === undefined) {
    if (request.materialUsed !== undefined)
      fail(
        ErrorCode.OPERATION_MATERIAL,
        `/materialUsed: operation ${request.seq} of lot ${lot.lotId} has no standard consumption to report against`,
      );
    return undefined;
  }
  if (request.materialUsed === undefined)
    return fail(
      ErrorCode.OPERATION_MATERIAL,
      `/materialUsed is required: operation ${request.seq} of lot ${lot.lotId} consumes ${progress.material.materialCode} (standard ${progress.material.standard} ${progress.material.unit})`,
    );
  return { ...progress.material, used: roundAmount(request.materialUsed) };
}

/**
 * A scan reports an operation: every unit that entered is good or scrap; timed from scan to scan.
 * An overrun opens an exception, as of the report's scan, unless the watch opened one while it ran
 * (then that one learns the operation's final minutes).
 */
export function reportOperation(
  member: Member,
  lot: Lot,
  custody: Custody,
  progress: OperationProgress | undefined,
  existing: OperationException | undefined,
  request: ReportOperationRequest,
  now: string,
): ReportOutcome {
  requireLotFactory(member, lot);
  if (progress === undefined)
    return fail(
      ErrorCode.OPERATION_NOT_STARTED,
      `operation ${request.seq} of lot ${lot.lotId} was never started`,
    );
  if (progress.status !== 'STARTED')
    fail(ErrorCode.OPERATION_NOT_STARTED, `operation ${request.seq} of lot ${lot.lotId} is already reported`);
  if (request.goodQuantity + request.scrapQuantity !== progress.inputQuantity)
    fail(
      ErrorCode.OPERATION_QUANTITY,
      `/goodQuantity + /scrapQuantity is ${request.goodQuantity + request.scrapQuantity}, but ${progress.inputQuantity} units entered operation ${request.seq}`,
    );
  const material = materialUsed(lot, progress, request);
  const reportedAt = scanTime(request.scannedAt, now, progress.startedAt);
  const actualMinutes = roundMinutes((Date.parse(reportedAt) - Date.parse(progress.startedAt)) / 60_000);
  const overrun = isOverrun(actualMinutes, progress.standardMinutes);
  const reported: OperationProgress = {
    ...progress,
    status: 'REPORTED',
    operatorId: request.operatorId,
    machineId: request.machineId,
    reportedAt,
    reportedByMemberId: member.memberId,
    goodQuantity: request.goodQuantity,
    scrapQuantity: request.scrapQuantity,
    actualMinutes,
    overrun,
    ...(material === undefined ? {} : { material }),
  };
  const outcome: ReportOutcome = {
    progress: reported,
    custody: { ...custody, quantity: request.goodQuantity, updatedAt: now },
  };
  if (existing?.status === 'OPEN') outcome.exception = { ...existing, actualMinutes };
  else if (overrun && existing === undefined)
    outcome.exception = openException(lot, progress, actualMinutes, reportedAt, member, false);
  if (progress.seq === lot.toSeq)
    outcome.doneLot = { ...lot, status: 'DONE', doneQuantity: request.goodQuantity, updatedAt: now };
  return outcome;
}

/** The lot's factory closes an exception with its cause, first action and who confirmed it; the lot thaws. */
export function closeException(
  member: Member,
  lot: Lot,
  exception: OperationException | undefined,
  request: CloseExceptionRequest,
  now: string,
): OperationException {
  requireLotFactory(member, lot);
  if (exception === undefined)
    return fail(
      ErrorCode.EXCEPTION_NOT_FOUND,
      `operation ${request.seq} of lot ${lot.lotId} has no exception`,
    );
  if (exception.status !== 'OPEN')
    fail(
      ErrorCode.EXCEPTION_CLOSED,
      `the exception of operation ${request.seq} of lot ${lot.lotId} is already closed`,
    );
  return {
    ...exception,
    status: 'CLOSED',
    cause: request.cause,
    firstAction: request.firstAction,
    confirmedBy: request.confirmedBy,
    closedAt: now,
    closedByMemberId: member.memberId,
  };
}

/** An exception as it opens: the factory's team lead is told at once (level 1). */
function openException(
  lot: Lot,
  progress: OperationProgress,
  actualMinutes: number,
  openedAt: string,
  member: Member,
  whileRunning: boolean,
): OperationException {
  return {
    lotId: lot.lotId,
    workOrderId: lot.workOrderId,
    seq: progress.seq,
    kind: 'OVERRUN',
    status: 'OPEN',
    actualMinutes,
    allowedMinutes: roundMinutes(progress.standardMinutes * (1 + OVERRUN_TOLERANCE)),
    openedAt,
    ...(whileRunning ? { whileRunning } : {}),
    escalations: [escalation(1, lot, undefined, openedAt, member)],
  };
}

function escalation(
  level: number,
  lot: Lot,
  workOrder: WorkOrder | undefined,
  at: string,
  member: Member,
): Escalation {
  const parties = ESCALATION_LADDER[level - 1] ?? [];
  return {
    level,
    at,
    notified: parties.map((party) => {
      if (party === 'FACTORY_LEAD' || party === 'FACTORY_MANAGER') return { party, mspId: lot.factoryMspId };
      if (party === 'CUSTOMER' && workOrder !== undefined) return { party, mspId: workOrder.customerMspId };
      return { party };
    }),
    byMemberId: member.memberId,
  };
}

/**
 * The watch that may act on a running operation or an open exception: the lot's factory, the
 * order's customer, or the operator. What it claims is checked against the ledger's own record
 * and clock, so it signs only a fact anyone can verify, never something for another member.
 */
function requireWatcher(member: Member, lot: Lot, workOrder: WorkOrder): void {
  requireRole(member, 'factory', 'customer', 'operator');
  if (member.role === 'factory') requireOrg(member, lot.factoryMspId, `lot ${lot.lotId}`);
  requireOwnWorkOrder(member, workOrder);
}

/**
 * An operation still running past its allowed time (standard × quantity + 15%): the exception
 * opens now, before the report, and freezes the lot's next operation at once.
 */
export function flagOverrun(
  member: Member,
  workOrder: WorkOrder,
  lot: Lot,
  progress: OperationProgress | undefined,
  existing: OperationException | undefined,
  seq: number,
  now: string,
): OperationException {
  requireWatcher(member, lot, workOrder);
  if (progress?.status !== 'STARTED')
    return fail(ErrorCode.OPERATION_NOT_STARTED, `operation ${seq} of lot ${lot.lotId} is not running`);
  if (existing !== undefined)
    fail(
      ErrorCode.EXCEPTION_NOT_OVERRUN,
      `operation ${seq} of lot ${lot.lotId} has an exception already (${existing.status})`,
    );
  const running = roundMinutes((Date.parse(now) - Date.parse(progress.startedAt)) / 60_000);
  if (!isOverrun(running, progress.standardMinutes))
    fail(
      ErrorCode.EXCEPTION_NOT_OVERRUN,
      `operation ${seq} of lot ${lot.lotId} has run ${running} min of the ${roundMinutes(progress.standardMinutes * (1 + OVERRUN_TOLERANCE))} allowed`,
    );
  return openException(lot, progress, running, now, member, true);
}

/**
 * An exception still open climbs one level when its time comes: the factory's manager 15 minutes
 * after it opened, the customer and the operator after 30. Each level is recorded once, with whom
 * it told; the exception's own time (its scan's) counts, so a late-synced report escalates at once.
 */
export function escalateException(
  member: Member,
  workOrder: WorkOrder,
  lot: Lot,
  exception: OperationException | undefined,
  seq: number,
  now: string,
): OperationException {
  requireWatcher(member, lot, workOrder);
  if (exception === undefined)
    return fail(ErrorCode.EXCEPTION_NOT_FOUND, `operation ${seq} of lot ${lot.lotId} has no exception`);
  if (exception.status !== 'OPEN')
    fail(ErrorCode.EXCEPTION_CLOSED, `the exception of operation ${seq} of lot ${lot.lotId} is answered`);
  const reached = exception.escalations?.at(-1)?.level ?? 1;
  const level = reached + 1;
  if (level > ESCALATION_LADDER.length)
    fail(
      ErrorCode.EXCEPTION_NOT_DUE,
      `the exception of operation ${seq} of lot ${lot.lotId} has reached every level`,
    );
  const due = Date.parse(exception.openedAt) + (level - 1) * ESCALATION_STEP_MINUTES * 60_000;
  if (Date.parse(now) < due)
    fail(
      ErrorCode.EXCEPTION_NOT_DUE,
      `level ${level} of the exception of operation ${seq} of lot ${lot.lotId} is due at ${new Date(due).toISOString()}`,
    );
  return {
    ...exception,
    escalations: [...(exception.escalations ?? []), escalation(level, lot, workOrder, now, member)],
  };
}

/** When an open exception's next level is due (undefined once every level is reached). */
export function nextEscalationDue(exception: OperationException): number | undefined {
  const level = (exception.escalations?.at(-1)?.level ?? 1) + 1;
  if (exception.status !== 'OPEN' || level > ESCALATION_LADDER.length) return undefined;
  return Date.parse(exception.openedAt) + (level - 1) * ESCALATION_STEP_MINUTES * 60_000;
}

/** What a lot waits for on the floor, or the scan it is ready for (see `nextOnTheFloor`). */
export const FLOOR_NEXT_KINDS = [
  'DECISION',
  'MATERIAL',
  'COUNT',
  'FROZEN',
  'START',
  'REPORT',
  'HAND_ON',
  'CLOSED',
] as const;
export type FloorNextKind = (typeof FLOOR_NEXT_KINDS)[number];

export interface FloorNext {
  kind: FloorNextKind;
  /** The operation concerned (START, REPORT, FROZEN). */
  seq?: number;
  /** The units it would take in (START) or that went in (REPORT): what the operator counts. */
  quantity?: number;
}

/**
 * What the lot's next scan is, by the same rules `startOperation` and `reportOperation` apply, so
 * that the operator sees before scanning what the ledger would refuse: a lot not yet accepted
 * waits for its factory's decision; material not at the factory (or still to be counted in) waits;
 * an open exception freezes it; else the running operation is to be reported, or the next one
 * started with what the previous left; after the last, the units go on.
 */
export function nextOnTheFloor(
  lot: Lot,
  custody: Custody | undefined,
  progressOfLot: readonly OperationProgress[],
  exceptionsOfLot: readonly OperationException[],
): FloorNext {
  if (lot.status === 'ASSIGNED') return { kind: 'DECISION' };
  if (lot.status !== 'ACCEPTED' && lot.status !== 'IN_PROGRESS')
    return lot.status === 'DONE' ? { kind: 'HAND_ON' } : { kind: 'CLOSED' };
  const open = exceptionsOfLot.find((e) => e.status === 'OPEN');
  if (open !== undefined) return { kind: 'FROZEN', seq: open.seq };
  const running = progressOfLot.find((p) => p.status === 'STARTED');
  if (running !== undefined) return { kind: 'REPORT', seq: running.seq, quantity: running.inputQuantity };
  if (custody?.offer !== undefined)
    return { kind: custody.offer.toMspId === lot.factoryMspId ? 'COUNT' : 'HAND_ON' };
  if (custody?.holderMspId !== lot.factoryMspId || custody.quantity === 0) return { kind: 'MATERIAL' };
  const reported = progressOfLot.filter((p) => p.status === 'REPORTED').sort((a, b) => a.seq - b.seq);
  const last = reported[reported.length - 1];
  const seq = last === undefined ? lot.fromSeq : last.seq + 1;
  if (seq > lot.toSeq) return { kind: 'HAND_ON' };
  return { kind: 'START', seq, quantity: last?.goodQuantity ?? custody.quantity };
}
