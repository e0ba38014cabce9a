import { ErrorCode, exceptionParser, type OperationException } from '@fabpool/chaincode/model';
import type { LedgerEngine } from '@fabpool/network';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestLedger } from '../support/engines.js';
import { errorCodeOf, failureOf } from '../support/ledgerErrors.js';
import { bucketFromNow, openPlant, PoolClient, request, sleep, unique } from '../support/poolClient.js';

/**
 * The watch on a running operation: past 115% of its standard time, the operator's watch opens
 * the exception on the ledger before the report comes, which freezes the next operation at once;
 * the chaincode checks the claim against its own record and clock, and the exception's next
 * escalation only when it is due.
 */
export function overrunWatchScenarios(engine: LedgerEngine): void {
  describe(`an overrun caught while the operation runs (${engine})`, () => {
    let testLedger: Awaited<ReturnType<typeof openTestLedger>>;
    let pool: PoolClient;
    const submit = (member: string, name: string, tx: string, fields: object) =>
      pool.submit(member, name, tx, request(fields));
    const factoryId = `F-W-${unique()}`;
    const workOrderId = `WO-W-${unique()}`;
    const runId = `RUN-W-${unique()}`;
    const lotId = `${runId}.1`;
    const scan = { operatorId: 'OP-Zhao', machineId: 'CNC-9' };
    const exceptionsOf = async (): Promise<OperationException[]> =>
      (
        JSON.parse(await pool.evaluate('auditor', 'Progress', 'GetLotProgress', lotId)) as {
          exceptions: unknown[];
        }
      ).exceptions.map((e) => exceptionParser.check(e));

    beforeAll(async () => {
      testLedger = await openTestLedger(engine);
      pool = new PoolClient(testLedger.ledger);
      const bucket = bucketFromNow(3);
      await openPlant(submit, 'factory-a-user', {
        factoryId,
        process: 'CNC',
        pricePerMinute: 10_000,
        buckets: [bucket],
      });
      // 10 units × 0.0001 min: 60 ms of standard time, which a short wait overruns.
      await submit('customer-1', 'WorkOrder', 'PublishWorkOrder', {
        workOrderId,
        partNumber: 'SLEEVE-3',
        quantity: 10,
        routing: [
          { seq: 1, process: 'CNC', standardMinutes: 0.0001 },
          { seq: 2, process: 'CNC', standardMinutes: 0.0001 },
        ],
        dueBucket: bucketFromNow(5),
        priority: 'NORMAL',
        maxUnitPrice: 2_000,
      });
      await submit('matcher', 'Assignment', 'RecordAssignment', {
        runId,
        inputHash: 'a'.repeat(64),
        objective: 20,
        acceptWithinHours: 4,
        lots: [{ workOrderId, factoryId, fromSeq: 1, toSeq: 2, bucket, quantity: 10, unitPrices: [1, 1] }],
      });
      await submit('factory-a-user', 'Assignment', 'AcceptLot', { lotId });
      await submit('customer-1', 'Custody', 'OfferHandOver', { lotId, toMspId: 'FactoryAMSP', quantity: 10 });
      await submit('factory-a-user', 'Custody', 'ConfirmHandOver', { lotId, receivedQuantity: 10 });
      await submit('factory-a-user', 'Progress', 'StartOperation', { lotId, seq: 1, ...scan });
    });

    afterAll(async () => {
      await testLedger.dispose();
    });

    it('opens the exception of the running operation, signed by a watch the chaincode checks', async () => {
      await sleep(200);
      for (const [member, code] of [
        ['factory-b-user', ErrorCode.NOT_OWNER],
        ['customer-2', ErrorCode.NOT_OWNER],
        ['auditor', ErrorCode.WRONG_ROLE],
      ] as const) {
        const flaggedBy = () => submit(member, 'Progress', 'FlagOverrun', { lotId, seq: 1 });
        expect(errorCodeOf(await failureOf(flaggedBy)), member).toBe(code);
      }
      // Operation 2 has not started: nothing runs over there.
      expect(
        errorCodeOf(await failureOf(() => submit('matcher', 'Progress', 'FlagOverrun', { lotId, seq: 2 }))),
      ).toBe(ErrorCode.OPERATION_NOT_STARTED);
      const opened = exceptionParser.fromJson(
        await submit('matcher', 'Progress', 'FlagOverrun', { lotId, seq: 1 }),
      );
      expect(opened).toMatchObject({
        seq: 1,
        status: 'OPEN',
        whileRunning: true,
        escalations: [{ level: 1, notified: [{ party: 'FACTORY_LEAD', mspId: 'FactoryAMSP' }] }],
      });
      expect(opened.actualMinutes).toBeGreaterThan(opened.allowedMinutes);
      expect(
        errorCodeOf(await failureOf(() => submit('matcher', 'Progress', 'FlagOverrun', { lotId, seq: 1 }))),
      ).toBe(ErrorCode.EXCEPTION_NOT_OVERRUN);
      // The manager is told 15 minutes after it opened, not now.
      expect(
        errorCodeOf(
          await failureOf(() => submit('matcher', 'Progress', 'EscalateException', { lotId, seq: 1 })),
        ),
      ).toBe(ErrorCode.EXCEPTION_NOT_DUE);
    });

    it('keeps one exception through the report, and the next operation frozen until it is answered', async () => {
      await submit('factory-a-user', 'Progress', 'ReportOperation', {
        lotId,
        seq: 1,
        goodQuantity: 10,
        scrapQuantity: 0,
        ...scan,
      });
      expect(
        errorCodeOf(
          await failureOf(() =>
            submit('factory-a-user', 'Progress', 'StartOperation', { lotId, seq: 2, ...scan }),
          ),
        ),
      ).toBe(ErrorCode.OPERATION_FROZEN);
      const [exception] = await exceptionsOf();
      expect(await exceptionsOf()).toHaveLength(1);
      expect(exception?.whileRunning).toBe(true);
      await submit('factory-a-user', 'Progress', 'CloseException', {
        lotId,
        seq: 1,
        cause: 'chuck pressure low',
        firstAction: 'pressure reset, first piece measured',
        confirmedBy: 'team-lead-Sun',
      });
      expect(
        errorCodeOf(
          await failureOf(() => submit('matcher', 'Progress', 'EscalateException', { lotId, seq: 1 })),
        ),
      ).toBe(ErrorCode.EXCEPTION_CLOSED);
      await submit('factory-a-user', 'Progress', 'StartOperation', { lotId, seq: 2, ...scan });
    });
  });
}
