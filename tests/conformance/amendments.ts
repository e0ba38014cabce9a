import {
  amendmentParser,
  ErrorCode,
  lotParser,
  workOrderParser,
  type Capacity,
} from '@fabpool/chaincode/model';
import type { LedgerEngine } from '@fabpool/network';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestLedger } from '../support/engines.js';
import { errorCodeOf, failureOf } from '../support/ledgerErrors.js';
import { bucketFromNow, openPlant, PoolClient, request, unique } from '../support/poolClient.js';

/**
 * A customer amends its order on the ledger: fewer units release the lots no factory accepted yet
 * at once; cutting into an accepted lot waits for that factory's consent, and applies with it.
 */
export function amendmentScenarios(engine: LedgerEngine): void {
  describe(`amending a work order (${engine})`, () => {
    let testLedger: Awaited<ReturnType<typeof openTestLedger>>;
    let pool: PoolClient;
    const submit = (member: string, name: string, tx: string, fields: object) =>
      pool.submit(member, name, tx, request(fields));
    const factoryId = `F-AM-${unique()}`;
    const workOrderId = `WO-AM-${unique()}`;
    const runId = `RUN-AM-${unique()}`;
    const [accepted, assigned] = [`${runId}.1`, `${runId}.2`];
    const bucket = bucketFromNow(3);
    const lotStatus = async (lotId: string) =>
      lotParser.fromJson(await pool.evaluate('auditor', 'Assignment', 'GetLot', lotId)).status;
    const workOrder = async () =>
      workOrderParser.fromJson(await pool.evaluate('customer-1', 'WorkOrder', 'GetWorkOrder', workOrderId));
    const heldMinutes = async () =>
      (
        JSON.parse(
          await pool.evaluate('factory-a-user', 'Factory', 'GetCapacity', factoryId, 'CNC'),
        ) as Capacity[]
      ).find((c) => c.bucket === bucket)?.assignedMinutes;

    beforeAll(async () => {
      testLedger = await openTestLedger(engine);
      pool = new PoolClient(testLedger.ledger);
      await openPlant(submit, 'factory-a-user', {
        factoryId,
        process: 'CNC',
        pricePerMinute: 50,
        buckets: [bucket],
      });
      await submit('customer-1', 'WorkOrder', 'PublishWorkOrder', {
        workOrderId,
        partNumber: 'PIN-30',
        quantity: 30,
        routing: [{ seq: 1, process: 'CNC', standardMinutes: 2 }],
        dueBucket: bucketFromNow(5),
        priority: 'NORMAL',
        maxUnitPrice: 1_000,
      });
      const lot = (quantity: number) => ({
        workOrderId,
        factoryId,
        fromSeq: 1,
        toSeq: 1,
        bucket,
        quantity,
        unitPrices: [100],
      });
      await submit('matcher', 'Assignment', 'RecordAssignment', {
        runId,
        inputHash: 'c'.repeat(64),
        objective: 3_000,
        acceptWithinHours: 4,
        lots: [lot(20), lot(10)],
      });
      await submit('factory-a-user', 'Assignment', 'AcceptLot', { lotId: accepted });
    });

    afterAll(async () => {
      await testLedger.dispose();
    });

    it('applies at once a cut the lots not yet accepted absorb, releasing them and their minutes', async () => {
      expect(await heldMinutes()).toBe(60);
      expect(
        errorCodeOf(
          await failureOf(() =>
            submit('customer-2', 'WorkOrder', 'AmendWorkOrder', { workOrderId, quantity: 25 }),
          ),
        ),
      ).toBe(ErrorCode.NOT_OWNER);
      expect(
        errorCodeOf(
          await failureOf(() =>
            submit('customer-1', 'WorkOrder', 'AmendWorkOrder', { workOrderId, quantity: 40 }),
          ),
        ),
      ).toBe(ErrorCode.AMENDMENT_INVALID);
      const amendment = amendmentParser.fromJson(
        await submit('customer-1', 'WorkOrder', 'AmendWorkOrder', {
          workOrderId,
          quantity: 25,
          reason: '客户需求减少 demand down',
        }),
      );
      expect(amendment).toMatchObject({
        seq: 1,
        status: 'APPLIED',
        releasedLotIds: [assigned],
        consentOf: [],
      });
      expect(await lotStatus(assigned)).toBe('REASSIGNED');
      expect(await heldMinutes()).toBe(40);
      expect(await workOrder()).toMatchObject({ quantity: 25, amendments: 1 });
    });

    it('waits for the factory whose accepted lot it cuts into, and applies with its consent', async () => {
      const asked = amendmentParser.fromJson(
        await submit('customer-1', 'WorkOrder', 'AmendWorkOrder', {
          workOrderId,
          quantity: 12,
          priority: 'RUSH',
        }),
      );
      expect(asked).toMatchObject({
        seq: 2,
        status: 'AWAITING_CONSENT',
        consentOf: ['FactoryAMSP'],
        touchedLotIds: [accepted],
      });
      expect(await workOrder()).toMatchObject({ quantity: 25, priority: 'NORMAL', pendingAmendment: 2 });
      expect(
        errorCodeOf(
          await failureOf(() =>
            submit('customer-1', 'WorkOrder', 'AmendWorkOrder', { workOrderId, quantity: 10 }),
          ),
        ),
      ).toBe(ErrorCode.AMENDMENT_PENDING);
      expect(
        errorCodeOf(
          await failureOf(() =>
            submit('factory-b-user', 'WorkOrder', 'AnswerAmendment', { workOrderId, seq: 2, consent: true }),
          ),
        ),
      ).toBe(ErrorCode.AMENDMENT_NOT_ASKED);
      const applied = amendmentParser.fromJson(
        await submit('factory-a-user', 'WorkOrder', 'AnswerAmendment', {
          workOrderId,
          seq: 2,
          consent: true,
          note: '尚未开工 not started yet',
        }),
      );
      expect(applied).toMatchObject({
        status: 'APPLIED',
        consents: [{ mspId: 'FactoryAMSP', consent: true }],
      });
      expect(await lotStatus(accepted)).toBe('REASSIGNED');
      expect(await heldMinutes()).toBe(0);
      const amended = await workOrder();
      expect(amended).toMatchObject({ quantity: 12, priority: 'RUSH', amendments: 2 });
      expect(amended.pendingAmendment).toBeUndefined();
      const history = JSON.parse(
        await pool.evaluate('customer-1', 'WorkOrder', 'GetAmendments', workOrderId),
      ) as {
        seq: number;
        status: string;
      }[];
      expect(history.map((a) => [a.seq, a.status])).toEqual([
        [1, 'APPLIED'],
        [2, 'APPLIED'],
      ]);
    });
  });
}
