import { ErrorCode, supplyDelayParser } from '@fabpool/chaincode/model';
import type { LedgerEngine } from '@fabpool/network';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestLedger } from '../support/engines.js';
import { errorCodeOf, failureOf } from '../support/ledgerErrors.js';
import { bucketFromNow, PoolClient, request, unique } from '../support/poolClient.js';

/** A supplier's delay is a ledger fact its own organisation signs; nobody else may report it. */
export function supplyDelayScenarios(engine: LedgerEngine): void {
  describe(`supply delays on the ledger (${engine})`, () => {
    let testLedger: Awaited<ReturnType<typeof openTestLedger>>;
    let pool: PoolClient;
    const submit = (member: string, name: string, tx: string, fields: object) =>
      pool.submit(member, name, tx, request(fields));
    const workOrderId = `WO-SD-${unique()}`;

    beforeAll(async () => {
      testLedger = await openTestLedger(engine);
      pool = new PoolClient(testLedger.ledger);
      const supplier = testLedger.ledger.members().find((m) => m.name === 'supplier-1')?.mspId ?? '?';
      await submit('customer-1', 'WorkOrder', 'PublishWorkOrder', {
        workOrderId,
        partNumber: 'SHAFT-SD',
        quantity: 10,
        routing: [{ seq: 1, process: 'CNC', standardMinutes: 2 }],
        dueBucket: bucketFromNow(5),
        priority: 'NORMAL',
        maxUnitPrice: 1_000,
        materials: [
          { materialCode: 'STEEL-45', supplierMspId: supplier, quantity: 11, dueBucket: bucketFromNow(2) },
        ],
      });
    });

    afterAll(async () => {
      await testLedger.dispose();
    });

    it('records the supplier’s own report, numbered, and refuses anyone else’s', async () => {
      const report = {
        workOrderId,
        materialCode: 'STEEL-45',
        delayHours: 12,
        reason: '轧钢厂排产延误 mill backlog',
      };
      for (const [member, code] of [
        ['customer-1', ErrorCode.WRONG_ROLE],
        ['factory-a-user', ErrorCode.WRONG_ROLE],
        ['alliance-admin', ErrorCode.WRONG_ROLE],
      ] as const)
        expect(
          errorCodeOf(await failureOf(() => submit(member, 'Supply', 'ReportDelay', report))),
          member,
        ).toBe(code);
      expect(
        errorCodeOf(
          await failureOf(() =>
            submit('supplier-1', 'Supply', 'ReportDelay', { ...report, materialCode: 'COPPER-9' }),
          ),
        ),
      ).toBe(ErrorCode.NOT_OWNER);
      const first = supplyDelayParser.fromJson(await submit('supplier-1', 'Supply', 'ReportDelay', report));
      expect(first).toMatchObject({ seq: 1, delayHours: 12, materialCode: 'STEEL-45' });
      expect(Date.parse(first.expectedAt) - Date.parse(first.reportedAt)).toBe(12 * 3_600_000);
      const second = supplyDelayParser.fromJson(
        await submit('supplier-1', 'Supply', 'ReportDelay', {
          ...report,
          delayHours: 6,
          reason: 'partly shipped',
        }),
      );
      expect(second.seq).toBe(2);
    });
  });
}
