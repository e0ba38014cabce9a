import { describe, expect, it } from 'vitest';
import { ErrorCode } from '../model/errors.js';
import type { OperationProgress } from '../model/progress.js';
import { aCustody, aLot, aMember, aWorkOrder, minutesAfterNow, NOW } from '../testing/builders.js';
import {
  closeException,
  escalateException,
  flagOverrun,
  isOverrun,
  nextEscalationDue,
  nextOnTheFloor,
  reportOperation,
  startOperation,
} from './progress.js';

const customer = aMember('customer', 'AllianceMSP', 'customer-1');
const factoryA = aMember('factory', 'FactoryAMSP');
const factoryB = aMember('factory', 'FactoryBMSP');
const workOrder = aWorkOrder(customer); // CNC 2 min/unit, then PAINTING 1 min/unit
const scan = { requestId: 'req-scan-0001', lotId: 'RUN-1/1', operatorId: 'OP-7', machineId: 'CNC-3' };
const report = (seq: number, goodQuantity: number, scrapQuantity: number) => ({
  ...scan,
  seq,
  goodQuantity,
  scrapQuantity,
});

function started(seq = 1, inputQuantity = 100): OperationProgress {
  return startOperation(
    factoryA,
    workOrder,
    aLot(),
    aCustody({ quantity: inputQuantity }),
    [],
    [],
    { ...scan, seq },
    NOW,
  ).progress;
}

describe('operation progress', () => {
  it('starts the first operation with the units the factory holds, and moves the lot in progress', () => {
    const { progress, lot } = startOperation(
      factoryA,
      workOrder,
      aLot(),
      aCustody({ quantity: 98 }),
      [],
      [],
      { ...scan, seq: 1 },
      NOW,
    );
    expect(progress).toMatchObject({
      seq: 1,
      process: 'CNC',
      inputQuantity: 98,
      standardMinutes: 196,
      status: 'STARTED',
    });
    expect(lot.status).toBe('IN_PROGRESS');
  });

  it('refuses another org, material not at the factory, an operation outside the lot, or out of order', () => {
    const start = (overrides: {
      member?: typeof factoryA;
      seq?: number;
      holder?: string;
      progress?: OperationProgress[];
    }) =>
      startOperation(
        overrides.member ?? factoryA,
        workOrder,
        aLot(),
        aCustody({ holderMspId: overrides.holder ?? 'FactoryAMSP' }),
        overrides.progress ?? [],
        [],
        { ...scan, seq: overrides.seq ?? 1 },
        NOW,
      );
    expect(() => start({ member: factoryB })).toThrow(ErrorCode.NOT_OWNER);
    expect(() => start({ holder: 'AllianceMSP' })).toThrow(ErrorCode.MATERIAL_NOT_AT_FACTORY);
    expect(() => start({ seq: 3 })).toThrow(ErrorCode.OPERATION_NOT_IN_LOT);
    expect(() => start({ seq: 2 })).toThrow(ErrorCode.OPERATION_OUT_OF_ORDER);
    expect(() => start({ seq: 1, progress: [started()] })).toThrow(ErrorCode.OPERATION_ALREADY_STARTED);
  });

  it('reports good and scrap units that add up to what entered, and finishes the lot on its last operation', () => {
    expect(() =>
      reportOperation(
        factoryA,
        aLot(),
        aCustody(),
        started(),
        undefined,
        report(1, 90, 5),
        minutesAfterNow(100),
      ),
    ).toThrow(ErrorCode.OPERATION_QUANTITY);
    const first = reportOperation(
      factoryA,
      aLot(),
      aCustody(),
      started(),
      undefined,
      report(1, 95, 5),
      minutesAfterNow(200),
    );
    expect(first.progress).toMatchObject({
      status: 'REPORTED',
      goodQuantity: 95,
      actualMinutes: 200,
      overrun: false,
    });
    expect(first.exception).toBeUndefined();
    expect(first.custody.quantity).toBe(95);
    expect(first.doneLot).toBeUndefined();
    const second = startOperation(
      factoryA,
      workOrder,
      aLot({ status: 'IN_PROGRESS' }),
      first.custody,
      [first.progress],
      [],
      { ...scan, seq: 2 },
      minutesAfterNow(200),
    );
    expect(second.progress.inputQuantity).toBe(95);
    const last = reportOperation(
      factoryA,
      aLot(),
      first.custody,
      { ...second.progress, startedAt: NOW },
      undefined,
      report(2, 95, 0),
      minutesAfterNow(90),
    );
    expect(last.doneLot).toMatchObject({ status: 'DONE', doneQuantity: 95 });
  });

  it('records the material an operation used against its standard consumption, required where the routing sets one', () => {
    const steel = { materialCode: 'STEEL-45', unit: 'kg', perUnit: 0.125 };
    const withMaterial = {
      ...workOrder,
      routing: workOrder.routing.map((op) => (op.seq === 1 ? { ...op, material: steel } : op)),
    };
    const { progress } = startOperation(
      factoryA,
      withMaterial,
      aLot(),
      aCustody({ quantity: 98 }),
      [],
      [],
      { ...scan, seq: 1 },
      NOW,
    );
    expect(progress.material).toEqual({ materialCode: 'STEEL-45', unit: 'kg', standard: 12.25 });
    const reportWith = (materialUsed?: number) =>
      reportOperation(
        factoryA,
        aLot(),
        aCustody({ quantity: 98 }),
        progress,
        undefined,
        { ...report(1, 96, 2), ...(materialUsed === undefined ? {} : { materialUsed }) },
        minutesAfterNow(150),
      );
    expect(() => reportWith()).toThrow(ErrorCode.OPERATION_MATERIAL);
    expect(reportWith(13.10049).progress.material).toEqual({
      materialCode: 'STEEL-45',
      unit: 'kg',
      standard: 12.25,
      used: 13.1,
    });
    // An operation the routing sets no standard for takes no material figure: it has no unit.
    expect(started().material).toBeUndefined();
    expect(() =>
      reportOperation(
        factoryA,
        aLot(),
        aCustody(),
        started(),
        undefined,
        { ...report(1, 100, 0), materialUsed: 5 },
        minutesAfterNow(200),
      ),
    ).toThrow(ErrorCode.OPERATION_MATERIAL);
  });

  it('opens an exception past 15% over standard time and freezes the next operation until it is closed', () => {
    expect(isOverrun(230, 200)).toBe(false);
    expect(isOverrun(230.001, 200)).toBe(true);
    const onTime = reportOperation(
      factoryA,
      aLot(),
      aCustody(),
      started(),
      undefined,
      report(1, 100, 0),
      minutesAfterNow(230),
    );
    expect(onTime.exception).toBeUndefined();
    const late = reportOperation(
      factoryA,
      aLot(),
      aCustody(),
      started(),
      undefined,
      report(1, 100, 0),
      minutesAfterNow(231),
    );
    expect(late.exception).toMatchObject({ status: 'OPEN', seq: 1, actualMinutes: 231, allowedMinutes: 230 });
    const exception = late.exception;
    if (exception === undefined) throw new Error('expected an exception');
    const next = (exceptions: (typeof exception)[]) =>
      startOperation(
        factoryA,
        workOrder,
        aLot({ status: 'IN_PROGRESS' }),
        late.custody,
        [late.progress],
        exceptions,
        { ...scan, seq: 2 },
        minutesAfterNow(232),
      );
    expect(() => next([exception])).toThrow(ErrorCode.OPERATION_FROZEN);
    const close = {
      requestId: 'req-close-0001',
      lotId: 'RUN-1/1',
      seq: 1,
      cause: 'tool wear',
      firstAction: 'insert changed',
      confirmedBy: 'team-lead-Wang',
    };
    expect(() => closeException(factoryB, aLot(), exception, close, NOW)).toThrow(ErrorCode.NOT_OWNER);
    const closed = closeException(factoryA, aLot(), exception, close, minutesAfterNow(240));
    expect(closed).toMatchObject({ status: 'CLOSED', cause: 'tool wear', confirmedBy: 'team-lead-Wang' });
    expect(() => closeException(factoryA, aLot(), closed, close, NOW)).toThrow(ErrorCode.EXCEPTION_CLOSED);
    expect(next([closed]).progress.seq).toBe(2);
  });
});

describe('scan times', () => {
  // The phone was offline: both scans reach the ledger together, an hour after the start.
  const startAt = (scannedAt: string | undefined, now: string) =>
    startOperation(
      factoryA,
      workOrder,
      aLot({ updatedAt: NOW }),
      aCustody({ quantity: 20 }),
      [],
      [],
      { ...scan, seq: 1, ...(scannedAt === undefined ? {} : { scannedAt }) },
      now,
    ).progress;

  it('times an operation from the operator’s scans, however late the queue reaches the ledger', () => {
    const replayedAt = minutesAfterNow(70);
    const progress = startAt(minutesAfterNow(5), replayedAt);
    expect(progress.startedAt).toBe(minutesAfterNow(5));
    const outcome = reportOperation(
      factoryA,
      aLot(),
      aCustody({ quantity: 20 }),
      progress,
      undefined,
      { ...report(1, 20, 0), scannedAt: minutesAfterNow(45) },
      replayedAt,
    );
    // 40 minutes against 20 units × 2 min = 40 standard: on time, not the ~0 of two commits together.
    expect(outcome.progress.actualMinutes).toBe(40);
    expect(outcome.progress.reportedAt).toBe(minutesAfterNow(45));
    expect(outcome.exception).toBeUndefined();
  });

  it('still applies the +15% rule to replayed scans', () => {
    const replayedAt = minutesAfterNow(120);
    const progress = startAt(minutesAfterNow(1), replayedAt);
    const outcome = reportOperation(
      factoryA,
      aLot(),
      aCustody({ quantity: 20 }),
      progress,
      undefined,
      { ...report(1, 20, 0), scannedAt: minutesAfterNow(51) },
      replayedAt,
    );
    // 50 minutes against 46 allowed (40 × 1.15).
    expect(outcome.progress.actualMinutes).toBe(50);
    expect(outcome.exception).toMatchObject({ kind: 'OVERRUN', actualMinutes: 50, allowedMinutes: 46 });
  });

  it('uses the ledger’s time without a scan time, and for a clock a little ahead', () => {
    expect(startAt(undefined, minutesAfterNow(3)).startedAt).toBe(minutesAfterNow(3));
    expect(startAt(minutesAfterNow(6), minutesAfterNow(3)).startedAt).toBe(minutesAfterNow(3));
  });

  it('refuses a scan time far ahead of the ledger, older than the offline limit, or before the step it follows', () => {
    expect(() => startAt(minutesAfterNow(30), minutesAfterNow(3))).toThrow(ErrorCode.SCAN_TIME);
    expect(() => startAt(minutesAfterNow(1), minutesAfterNow(73 * 60))).toThrow(ErrorCode.SCAN_TIME);
    // Before the lot was accepted.
    expect(() => startAt(minutesAfterNow(-1), minutesAfterNow(3))).toThrow(ErrorCode.SCAN_TIME);
    const progress = startAt(minutesAfterNow(10), minutesAfterNow(30));
    expect(() =>
      reportOperation(
        factoryA,
        aLot(),
        aCustody({ quantity: 20 }),
        progress,
        undefined,
        { ...report(1, 20, 0), scannedAt: minutesAfterNow(9) },
        minutesAfterNow(30),
      ),
    ).toThrow(ErrorCode.SCAN_TIME);
  });
});

describe('overruns caught while they run, and escalation', () => {
  // 100 units × 2 min = 200 standard minutes, 230 allowed.
  const operator = aMember('operator', 'AllianceMSP', 'matcher');
  const flag = (member = operator, at = minutesAfterNow(231), existing?: Parameters<typeof flagOverrun>[4]) =>
    flagOverrun(member, workOrder, aLot(), started(), existing, 1, at);

  it('opens the exception of a running operation past 115% of its standard time, not before', () => {
    expect(() => flag(operator, minutesAfterNow(230))).toThrow(ErrorCode.EXCEPTION_NOT_OVERRUN);
    const opened = flag();
    expect(opened).toMatchObject({
      seq: 1,
      status: 'OPEN',
      whileRunning: true,
      actualMinutes: 231,
      allowedMinutes: 230,
      openedAt: minutesAfterNow(231),
      escalations: [{ level: 1, notified: [{ party: 'FACTORY_LEAD', mspId: 'FactoryAMSP' }] }],
    });
    expect(() => flag(operator, minutesAfterNow(300), opened)).toThrow(ErrorCode.EXCEPTION_NOT_OVERRUN);
    // The next operation is frozen while the first still runs.
    expect(() =>
      startOperation(factoryA, workOrder, aLot(), aCustody(), [], [opened], { ...scan, seq: 2 }, NOW),
    ).toThrow(ErrorCode.OPERATION_FROZEN);
    // Its report does not open a second one; the exception learns the final minutes.
    const reported = reportOperation(
      factoryA,
      aLot(),
      aCustody(),
      started(),
      opened,
      report(1, 100, 0),
      minutesAfterNow(260),
    );
    expect(reported.exception).toMatchObject({
      whileRunning: true,
      actualMinutes: 260,
      openedAt: minutesAfterNow(231),
    });
    // An exception answered while the operation ran stays answered.
    const closed = { ...opened, status: 'CLOSED' as const };
    expect(
      reportOperation(
        factoryA,
        aLot(),
        aCustody(),
        started(),
        closed,
        report(1, 100, 0),
        minutesAfterNow(260),
      ).exception,
    ).toBeUndefined();
  });

  it('is flagged only by the lot’s factory, the order’s customer or the operator', () => {
    expect(flag(factoryA).whileRunning).toBe(true);
    expect(flag(customer).whileRunning).toBe(true);
    expect(() => flag(factoryB)).toThrow(ErrorCode.NOT_OWNER);
    expect(() => flag(aMember('customer', 'AllianceMSP', 'customer-2'))).toThrow(ErrorCode.NOT_OWNER);
    expect(() => flag(aMember('auditor', 'AuditMSP', 'auditor'))).toThrow(ErrorCode.WRONG_ROLE);
    expect(() => flagOverrun(operator, workOrder, aLot(), undefined, undefined, 1, NOW)).toThrow(
      ErrorCode.OPERATION_NOT_STARTED,
    );
  });

  it('climbs one level every 15 minutes unanswered: manager, then customer and operator', () => {
    const opened = flag();
    const at = (minutes: number) => minutesAfterNow(231 + minutes);
    expect(nextEscalationDue(opened)).toBe(Date.parse(at(15)));
    expect(() => escalateException(operator, workOrder, aLot(), opened, 1, at(14))).toThrow(
      ErrorCode.EXCEPTION_NOT_DUE,
    );
    const manager = escalateException(operator, workOrder, aLot(), opened, 1, at(15));
    expect(manager.escalations?.at(-1)).toMatchObject({
      level: 2,
      at: at(15),
      notified: [{ party: 'FACTORY_MANAGER', mspId: 'FactoryAMSP' }],
      byMemberId: operator.memberId,
    });
    expect(() => escalateException(operator, workOrder, aLot(), manager, 1, at(29))).toThrow(
      ErrorCode.EXCEPTION_NOT_DUE,
    );
    const everyone = escalateException(factoryA, workOrder, aLot(), manager, 1, at(40));
    expect(everyone.escalations?.map((e) => e.level)).toEqual([1, 2, 3]);
    expect(everyone.escalations?.at(-1)?.notified).toEqual([
      { party: 'CUSTOMER', mspId: workOrder.customerMspId },
      { party: 'OPERATOR' },
    ]);
    expect(nextEscalationDue(everyone)).toBeUndefined();
    expect(() => escalateException(operator, workOrder, aLot(), everyone, 1, at(90))).toThrow(
      ErrorCode.EXCEPTION_NOT_DUE,
    );
    const answered = { ...manager, status: 'CLOSED' as const };
    expect(() => escalateException(operator, workOrder, aLot(), answered, 1, at(40))).toThrow(
      ErrorCode.EXCEPTION_CLOSED,
    );
    expect(() => escalateException(factoryB, workOrder, aLot(), manager, 1, at(40))).toThrow(
      ErrorCode.NOT_OWNER,
    );
  });
});

describe('what a lot waits for on the floor', () => {
  const reported = (seq: number, goodQuantity: number): OperationProgress => ({
    ...started(1),
    seq,
    status: 'REPORTED',
    reportedAt: minutesAfterNow(200),
    goodQuantity,
    scrapQuantity: 100 - goodQuantity,
  });

  it('says what it waits for before the operator scans: a decision, material, a count, an answer', () => {
    expect(nextOnTheFloor(aLot({ status: 'ASSIGNED' }), undefined, [], [])).toEqual({ kind: 'DECISION' });
    expect(nextOnTheFloor(aLot(), aCustody({ holderMspId: 'CustomerAMSP' }), [], [])).toEqual({
      kind: 'MATERIAL',
    });
    const offered = { toMspId: 'FactoryAMSP', quantity: 100, offeredAt: NOW, offeredByMemberId: 'c' };
    expect(nextOnTheFloor(aLot(), aCustody({ holderMspId: 'CustomerAMSP', offer: offered }), [], [])).toEqual(
      { kind: 'COUNT' },
    );
    const frozen = flagOverrun(
      aMember('operator', 'AllianceMSP'),
      workOrder,
      aLot(),
      started(),
      undefined,
      1,
      minutesAfterNow(231),
    );
    expect(nextOnTheFloor(aLot({ status: 'IN_PROGRESS' }), aCustody(), [started()], [frozen])).toEqual({
      kind: 'FROZEN',
      seq: 1,
    });
  });

  it('gives the scan it is ready for, with the units to count, as the chaincode would take it', () => {
    expect(nextOnTheFloor(aLot(), aCustody({ quantity: 80 }), [], [])).toEqual({
      kind: 'START',
      seq: 1,
      quantity: 80,
    });
    expect(nextOnTheFloor(aLot({ status: 'IN_PROGRESS' }), aCustody(), [started(1, 80)], [])).toEqual({
      kind: 'REPORT',
      seq: 1,
      quantity: 80,
    });
    expect(
      nextOnTheFloor(aLot({ status: 'IN_PROGRESS' }), aCustody({ quantity: 95 }), [reported(1, 95)], []),
    ).toEqual({
      kind: 'START',
      seq: 2,
      quantity: 95,
    });
    expect(
      nextOnTheFloor(aLot({ status: 'DONE' }), aCustody(), [reported(1, 95), reported(2, 94)], []),
    ).toEqual({ kind: 'HAND_ON' });
    expect(nextOnTheFloor(aLot({ status: 'DELIVERED' }), aCustody(), [], [])).toEqual({ kind: 'CLOSED' });
  });
});
