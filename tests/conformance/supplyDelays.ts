import { ErrorCode, supplyChoiceParser, supplyDelayParser, workOrderParser } from '@fabpool/chaincode/model';
import type { LedgerEngine } from '@fabpool/network';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestLedger } from '../support/engines.js';
import { errorCodeOf, failureOf } from '../support/ledgerErrors.js';
import { bucketFromNow, PoolClient, request, unique } from '../support/poolClient.js';

/**
 * A supplier's delay is a ledger fact its own organisation signs; nobody else may report it. Its
 * customer answers it, once, on the ledger: a backup supplier then supplies the material.
 */
export function supplyDelayScenarios(engine: LedgerEngine): void {
  describe(`supply delays on the ledger (${engine})`, () => {
    let testLedger: Awaited<ReturnType<typeof openTestLedger>>;
    let pool: PoolClient;
    const submit = (member: string, name: string, tx: string, fields: object) =>
      pool.submit(member, name, tx, request(fields));
    const workOrderId = `WO-SD-${unique()}`;
    const backedUpId = `WO-SB-${unique()}`;
    const mspOf = (name: string): string =>
      testLedger.ledger.members().find((m) => m.name === name)?.mspId ?? '?';

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

    it('takes its customer’s answer once: a backup supplier then supplies the material, from its lead time', async () => {
      const [supplierA, supplierB] = [mspOf('supplier-1'), mspOf('supplier-2')];
      await submit('customer-1', 'WorkOrder', 'PublishWorkOrder', {
        workOrderId: backedUpId,
        partNumber: 'BRACKET-SB',
        quantity: 20,
        routing: [{ seq: 1, process: 'CNC', standardMinutes: 2 }],
        dueBucket: bucketFromNow(6),
        priority: 'NORMAL',
        maxUnitPrice: 1_000,
        materials: [
          {
            materialCode: 'AL-6061',
            supplierMspId: supplierA,
            quantity: 21,
            dueBucket: bucketFromNow(2),
            backups: [{ supplierMspId: supplierB, leadTimeHours: 6, extraCostPerUnit: 120 }],
          },
        ],
      });
      const material = { workOrderId: backedUpId, materialCode: 'AL-6061' };
      const answer = (fields: object) => ({ ...material, delaySeq: 1, choice: 'MOVE_PLANTS', ...fields });
      const refusal = async (member: string, fields: object) =>
        errorCodeOf(await failureOf(() => submit(member, 'Supply', 'ChooseAlternative', answer(fields))));
      // Nothing to answer before a delay is reported.
      expect(await refusal('customer-1', {})).toBe(ErrorCode.SUPPLY_CHOICE_INVALID);
      await submit('supplier-1', 'Supply', 'ReportDelay', {
        ...material,
        delayHours: 20,
        reason: 'mill backlog',
      });
      expect(await refusal('customer-2', {})).toBe(ErrorCode.NOT_OWNER);
      expect(await refusal('supplier-1', {})).toBe(ErrorCode.NOT_OWNER);
      expect(await refusal('alliance-admin', {})).toBe(ErrorCode.NOT_OWNER);
      expect(await refusal('customer-1', { delaySeq: 2 })).toBe(ErrorCode.SUPPLY_CHOICE_INVALID);
      // No lot of it anywhere yet: there are no plants to keep it at.
      expect(await refusal('customer-1', { choice: 'KEEP_PLANTS' })).toBe(ErrorCode.SUPPLY_CHOICE_INVALID);
      expect(await refusal('customer-1', { choice: 'BACKUP_SUPPLIER', backupSupplierMspId: supplierA })).toBe(
        ErrorCode.SUPPLY_CHOICE_INVALID,
      );

      const choice = supplyChoiceParser.fromJson(
        await submit(
          'customer-1',
          'Supply',
          'ChooseAlternative',
          answer({ choice: 'BACKUP_SUPPLIER', backupSupplierMspId: supplierB }),
        ),
      );
      expect(choice).toMatchObject({ delaySeq: 1, supplierMspId: supplierB, extraCost: 120 * 21 });
      expect(Date.parse(choice.expectedAt) - Date.parse(choice.chosenAt)).toBe(6 * 3_600_000);
      expect(await refusal('customer-1', {})).toBe(ErrorCode.SUPPLY_ALREADY_CHOSEN);
      const switched = workOrderParser.fromJson(
        await pool.evaluate('customer-1', 'WorkOrder', 'GetWorkOrder', backedUpId),
      );
      expect(switched.materials?.[0]).toMatchObject({ supplierMspId: supplierB, backups: [] });

      // The backup now supplies it and speaks for it; the former supplier no longer does.
      expect(
        errorCodeOf(
          await failureOf(() =>
            submit('supplier-1', 'Supply', 'ReportDelay', { ...material, delayHours: 2, reason: 'late' }),
          ),
        ),
      ).toBe(ErrorCode.NOT_OWNER);
      const next = supplyDelayParser.fromJson(
        await submit('supplier-2', 'Supply', 'ReportDelay', {
          ...material,
          delayHours: 10,
          reason: '车辆故障 truck down',
        }),
      );
      expect(next).toMatchObject({ seq: 2, supplierMspId: supplierB });
      expect(
        supplyChoiceParser.fromJson(
          await submit('customer-1', 'Supply', 'ChooseAlternative', answer({ delaySeq: 2 })),
        ),
      ).toMatchObject({
        choice: 'MOVE_PLANTS',
        supplierMspId: supplierB,
        expectedAt: next.expectedAt,
        extraCost: 0,
      });
    });
  });
}
