import type { Custody } from '../model/custody.js';
import { ChaincodeError, ErrorCode } from '../model/errors.js';
import type { Lot } from '../model/lot.js';
import type { Member } from '../model/member.js';
import {
  OVERRUN_TOLERANCE,
  SCAN_CLOCK_SKEW_MINUTES,
  SCAN_OFFLINE_LIMIT_HOURS,
  type OperationException,
  type OperationProgress,
} from '../model/progress.js';
import type {
  CloseExceptionRequest,
  ReportOperationRequest,
  StartOperationRequest,
} from '../model/requests.js';
import type { WorkOrder } from '../model/workOrder.js';
import { requireOrg, requireRole } from './access.js';

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

/** A scan reports an operation: every unit that entered is good or scrap; timed from scan to scan. */
export function reportOperation(
  member: Member,
  lot: Lot,
  custody: Custody,
  progress: OperationProgress | undefined,
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
  };
  const outcome: ReportOutcome = {
    progress: reported,
    custody: { ...custody, quantity: request.goodQuantity, updatedAt: now },
  };
  if (overrun) {
    outcome.exception = {
      lotId: lot.lotId,
      workOrderId: lot.workOrderId,
      seq: progress.seq,
      kind: 'OVERRUN',
      status: 'OPEN',
      actualMinutes,
      allowedMinutes: roundMinutes(progress.standardMinutes * (1 + OVERRUN_TOLERANCE)),
      openedAt: now,
    };
  }
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
