import {
  ErrorCode,
  EventName,
  lotParser,
  quotaParser,
  quotaPaymentParser,
  workOrderParser,
  type Capacity,
  type PoolEvent,
} from '@fabpool/chaincode/model';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorCodeOf, errorText, failureOf } from '../support/ledgerErrors.js';
import type { LedgerEngine } from '@fabpool/network';
import { openTestLedger } from '../support/engines.js';
import { bucketFromNow, decode, PoolClient, request, unique } from '../support/poolClient.js';

export function poolScenarios(engine: LedgerEngine): void {
  describe(`the shared work-order pool (${engine})`, () => {
    let testLedger: Awaited<ReturnType<typeof openTestLedger>>;
    let pool: PoolClient;
    const submit = (member: string, name: string, tx: string, body: string) =>
      pool.submit(member, name, tx, body);
    const evaluate = (member: string, name: string, tx: string, ...args: string[]) =>
      pool.evaluate(member, name, tx, ...args);

    const factoryId = `F-${unique()}`;
    const quotaId = `Q-${unique()}`;
    const workOrderId = `WO-${unique()}`;
    const runId = `RUN-${unique()}`;
    const [first, second] = [bucketFromNow(3), bucketFromNow(4)];

    beforeAll(async () => {
      testLedger = await openTestLedger(engine);
      pool = new PoolClient(testLedger.ledger);
      await submit(
        'factory-a-user',
        'Factory',
        'RegisterFactory',
        request({
          factoryId,
          name: 'Plant A1',
          location: 'Dongguan',
          processes: [
            { process: 'CNC', pricePerMinute: 100 },
            { process: 'PAINTING', pricePerMinute: 50 },
          ],
        }),
      );
      await submit(
        'factory-a-user',
        'Factory',
        'DeclareCapacity',
        request({
          factoryId,
          entries: [
            { process: 'CNC', bucket: first, minutes: 480 },
            { process: 'PAINTING', bucket: second, minutes: 480 },
          ],
        }),
      );
    });

    afterAll(async () => {
      await testLedger.dispose();
    });

    it('sells a factory’s quota to one customer only, at the listed price', async () => {
      await submit(
        'factory-a-user',
        'Quota',
        'ListQuota',
        request({
          quotaId,
          factoryId,
          process: 'CNC',
          windowStart: first,
          windowEnd: second,
          minutes: 300,
          pricePerMinute: 80,
        }),
      );
      const sold = quotaParser.fromJson(
        await submit('customer-1', 'Quota', 'BuyQuota', request({ quotaId })),
      );
      expect(sold).toMatchObject({ status: 'SOLD', pricePerMinute: 80, buyerMspId: 'CustomerAMSP' });
      const second_ = await failureOf(() => submit('customer-2', 'Quota', 'BuyQuota', request({ quotaId })));
      expect(errorCodeOf(second_)).toBe(ErrorCode.QUOTA_NOT_AVAILABLE);
    });

    it('makes a bought quota a prepayment the buyer declares, the factory confirms, and its terms split on release', async () => {
      const prepaid = `Q-${unique()}`;
      const later = bucketFromNow(9);
      // A plant of its own, so that the other scenarios' capacity stays as they expect it.
      const plant = `F-${unique()}`;
      await submit(
        'factory-a-user',
        'Factory',
        'RegisterFactory',
        request({
          factoryId: plant,
          name: 'Plant A9',
          location: 'Dongguan',
          processes: [{ process: 'CNC', pricePerMinute: 100 }],
        }),
      );
      await submit(
        'factory-a-user',
        'Factory',
        'DeclareCapacity',
        request({ factoryId: plant, entries: [{ process: 'CNC', bucket: later, minutes: 480 }] }),
      );
      await submit(
        'factory-a-user',
        'Quota',
        'ListQuota',
        request({
          quotaId: prepaid,
          factoryId: plant,
          process: 'CNC',
          windowStart: later,
          windowEnd: later,
          minutes: 100,
          pricePerMinute: 80,
          terms: { releaseRefundPercent: 50, releaseNoticeHours: 24, expiryRefundPercent: 0 },
        }),
      );
      const hour = 3_600_000;
      const statement = async () =>
        JSON.parse(
          await evaluate(
            'customer-1',
            'Settlement',
            'GetPeriodStatement',
            'CustomerAMSP',
            'FactoryAMSP',
            new Date(Date.now() - hour).toISOString(),
            new Date(Date.now() + hour).toISOString(),
          ),
        ) as Record<
          'quotaPrepaidByA' | 'quotaPrepaidByB' | 'quotaRefundedToA' | 'quotaForfeitedByA',
          number
        > & { quotaIds: string[] };
      const before = await statement();
      await submit('customer-1', 'Quota', 'BuyQuota', request({ quotaId: prepaid }));
      const payment = async () =>
        quotaPaymentParser.fromJson(await evaluate('customer-1', 'Quota', 'GetQuotaPayment', prepaid));
      expect(await payment()).toMatchObject({ amount: 8_000, status: 'DUE', payeeMspId: 'FactoryAMSP' });
      for (const outsider of ['customer-2', 'factory-b-user'])
        expect(
          errorCodeOf(await failureOf(() => evaluate(outsider, 'Quota', 'GetQuotaPayment', prepaid))),
          outsider,
        ).toBe(ErrorCode.NOT_PARTY);
      const declare = (member: string) =>
        submit(
          member,
          'Quota',
          'DeclareQuotaPayment',
          request({ quotaId: prepaid, paymentReference: 'BANK-Q-1' }),
        );
      expect(errorCodeOf(await failureOf(() => declare('customer-2')))).toBe(ErrorCode.NOT_OWNER);
      await declare('customer-1');
      const confirm = (member: string) =>
        submit(member, 'Quota', 'ConfirmQuotaPayment', request({ quotaId: prepaid }));
      expect(errorCodeOf(await failureOf(() => confirm('factory-b-user')))).toBe(ErrorCode.NOT_OWNER);
      await confirm('factory-a-user');
      expect(await payment()).toMatchObject({ status: 'CONFIRMED', paymentReference: 'BANK-Q-1' });
      // Released three days ahead, with the day's notice its terms ask: half the unused value back.
      await submit('customer-1', 'Quota', 'ReleaseQuota', request({ quotaId: prepaid }));
      expect((await payment()).closed).toMatchObject({
        by: 'RELEASED',
        usedValue: 0,
        refunded: 4_000,
        forfeited: 4_000,
      });
      // The two organisations' statement for the period shows the prepayment, the refund and the
      // forfeit (other scenarios' quotas between them may be in it too: the differences are this one's).
      const after = await statement();
      expect(after.quotaIds).toContain(prepaid);
      expect(after.quotaPrepaidByA - before.quotaPrepaidByA).toBe(8_000);
      expect(after.quotaRefundedToA - before.quotaRefundedToA).toBe(4_000);
      expect(after.quotaForfeitedByA - before.quotaForfeitedByA).toBe(4_000);
      expect(after.quotaPrepaidByB).toBe(before.quotaPrepaidByB);
    });

    it('publishes a work order once per request id, and names the field of a bad request', async () => {
      const fields = {
        workOrderId,
        partNumber: 'HOUSING-7',
        quantity: 100,
        routing: [
          { seq: 1, process: 'CNC', standardMinutes: 2 },
          { seq: 2, process: 'PAINTING', standardMinutes: 1 },
        ],
        dueBucket: second,
        priority: 'RUSH',
        maxUnitPrice: 1000,
      };
      const body = request(fields);
      const published = await submit('customer-1', 'WorkOrder', 'PublishWorkOrder', body);
      // The same request again (a client retry) answers the same and changes nothing.
      expect(await submit('customer-1', 'WorkOrder', 'PublishWorkOrder', body)).toBe(published);
      expect(
        workOrderParser.fromJson(await evaluate('auditor', 'WorkOrder', 'GetWorkOrder', workOrderId))
          .updatedAt,
      ).toBe(workOrderParser.fromJson(published).updatedAt);
      // Before a retry, a client can ask whether the request committed, without a transaction.
      expect(JSON.parse(await evaluate('customer-1', 'Request', 'GetStatus', body))).toMatchObject({
        status: 'COMMITTED',
        response: published,
      });
      const fresh = request({ ...fields, workOrderId: `WO-${unique()}` });
      expect(JSON.parse(await evaluate('customer-1', 'Request', 'GetStatus', fresh))).toEqual({
        status: 'NEW',
      });
      // The same request id with another body is refused, not answered with the first result.
      const reused = JSON.stringify({ ...(JSON.parse(body) as object), workOrderId: `WO-${unique()}` });
      for (const attempt of [
        () => submit('customer-1', 'WorkOrder', 'PublishWorkOrder', reused),
        () => evaluate('customer-1', 'Request', 'GetStatus', reused),
      ])
        expect(errorCodeOf(await failureOf(attempt))).toBe(ErrorCode.REQUEST_ID_REUSED);
      // Another member's request ids are its own.
      expect(JSON.parse(await evaluate('customer-2', 'Request', 'GetStatus', body))).toEqual({
        status: 'NEW',
      });
      // Hostile bytes in free text are refused before anything is written.
      for (const partNumber of ['HOUSING\u0000-7', 'HOUSING-\ud800', 'HOUSING\u001b[2J'])
        expect(
          errorText(
            await failureOf(() =>
              submit(
                'customer-1',
                'WorkOrder',
                'PublishWorkOrder',
                request({
                  ...fields,
                  workOrderId: `WO-${unique()}`,
                  partNumber,
                }),
              ),
            ),
          ),
        ).toContain('/partNumber must match pattern');
      const bad = await failureOf(() =>
        submit(
          'customer-1',
          'WorkOrder',
          'PublishWorkOrder',
          request({ ...fields, workOrderId: `WO-${unique()}`, quantity: 0 }),
        ),
      );
      expect(errorCodeOf(bad)).toBe(ErrorCode.INVALID_ARGUMENT);
      expect(errorText(bad)).toContain('/quantity must be >= 1');
      const auditorWrite = await failureOf(() =>
        submit(
          'auditor',
          'WorkOrder',
          'PublishWorkOrder',
          request({ ...fields, workOrderId: `WO-${unique()}` }),
        ),
      );
      expect(errorCodeOf(auditorWrite)).toBe(ErrorCode.WRONG_ROLE);
    });

    it('publishes a batch of work orders all together, or none of them', async () => {
      const item = (id: string) => ({
        workOrderId: id,
        partNumber: 'PIN-3',
        quantity: 10,
        routing: [{ seq: 1, process: 'CNC', standardMinutes: 1 }],
        dueBucket: second,
        priority: 'NORMAL',
        maxUnitPrice: 500,
        materials: [
          { materialCode: 'BRASS-3', supplierMspId: 'SupplierAMSP', quantity: 2.5, dueBucket: first },
        ],
      });
      const [fresh, other] = [`WO-${unique()}`, `WO-${unique()}`];
      const clash = await failureOf(() =>
        submit(
          'customer-1',
          'WorkOrder',
          'PublishWorkOrders',
          request({ workOrders: [item(fresh), item(workOrderId)] }),
        ),
      );
      expect(errorCodeOf(clash)).toBe(ErrorCode.WORK_ORDER_ALREADY_EXISTS);
      expect(errorText(clash)).toContain('/workOrders/1');
      expect(
        errorCodeOf(await failureOf(() => evaluate('auditor', 'WorkOrder', 'GetWorkOrder', fresh))),
      ).toBe(ErrorCode.WORK_ORDER_NOT_FOUND);
      await submit(
        'customer-1',
        'WorkOrder',
        'PublishWorkOrders',
        request({ workOrders: [item(fresh), item(other)] }),
      );
      const stored = workOrderParser.fromJson(await evaluate('auditor', 'WorkOrder', 'GetWorkOrder', other));
      expect(stored.materials).toEqual(item(other).materials);
    });

    it('records the matcher’s run after re-checking it, and emits every change in one event', async () => {
      const overbooked = await failureOf(() =>
        submit(
          'matcher',
          'Assignment',
          'RecordAssignment',
          request({
            runId: `RUN-${unique()}`,
            inputHash: 'b'.repeat(64),
            objective: 1,
            acceptWithinHours: 4,
            lots: [
              {
                workOrderId,
                factoryId,
                fromSeq: 1,
                toSeq: 1,
                bucket: first,
                quantity: 100,
                unitPrices: [200],
              },
            ],
          }),
        ),
      );
      // CNC has 480 minutes in the window, 300 of them sold as a quota: a lot that does not use the
      // quota may take 180 at most, even for the quota's own buyer.
      expect(errorCodeOf(overbooked)).toBe(ErrorCode.CAPACITY_RESERVED_BY_QUOTA);

      const commit = await pool.submitWith(
        'matcher',
        'Assignment',
        'RecordAssignment',
        [
          request({
            runId,
            inputHash: 'c'.repeat(64),
            objective: 16_000,
            acceptWithinHours: 4,
            lots: [
              {
                workOrderId,
                factoryId,
                fromSeq: 1,
                toSeq: 1,
                bucket: first,
                quantity: 100,
                unitPrices: [160],
                quotaId,
              },
              {
                workOrderId,
                factoryId,
                fromSeq: 2,
                toSeq: 2,
                bucket: second,
                quantity: 100,
                unitPrices: [50],
              },
            ],
          }),
        ],
        {},
      );
      const quota = quotaParser.fromJson(await evaluate('customer-2', 'Quota', 'GetQuota', quotaId));
      expect(quota.consumedMinutes).toBe(200);

      const events = pool.ledger.events({ after: { blockNumber: commit.blockNumber, transactionId: '' } });
      try {
        for await (const event of events) {
          if (event.transactionId !== commit.transactionId) continue;
          expect(event.name).toBe(EventName.ASSIGNMENT_RECORDED);
          const payload = JSON.parse(decode(event.payload)) as PoolEvent;
          expect(payload.changes.map((c) => c.kind).sort()).toEqual([
            'AssignmentRun',
            'Capacity',
            'Capacity',
            'CapacityQuota',
            'Lot',
            'Lot',
          ]);
          break;
        }
      } finally {
        events.close();
      }
    });

    it('lets only the assigned factory accept or reject its lots, and a rejection frees the capacity', async () => {
      const otherFactory = await failureOf(() =>
        submit('factory-b-user', 'Assignment', 'AcceptLot', request({ lotId: `${runId}.1` })),
      );
      expect(errorCodeOf(otherFactory)).toBe(ErrorCode.NOT_OWNER);
      expect(
        lotParser.fromJson(
          await submit('factory-a-user', 'Assignment', 'AcceptLot', request({ lotId: `${runId}.1` })),
        ).status,
      ).toBe('ACCEPTED');
      expect(
        lotParser.fromJson(
          await submit(
            'factory-a-admin',
            'Assignment',
            'RejectLot',
            request({ lotId: `${runId}.2`, reason: 'paint line down' }),
          ),
        ).status,
      ).toBe('REJECTED');
      const painting = JSON.parse(
        await evaluate('auditor', 'Factory', 'GetCapacity', factoryId, 'PAINTING'),
      ) as Capacity[];
      expect(painting.map((c) => c.assignedMinutes)).toEqual([0]);
      const cnc = JSON.parse(
        await evaluate('auditor', 'Factory', 'GetCapacity', factoryId, 'CNC'),
      ) as Capacity[];
      expect(cnc.map((c) => c.assignedMinutes)).toEqual([200]);
    });

    it('moves a lot not yet accepted in a later run: withdrawn as REASSIGNED, its minutes free for the new lot', async () => {
      const paint = {
        workOrderId,
        factoryId,
        fromSeq: 2,
        toSeq: 2,
        bucket: second,
        quantity: 100,
        unitPrices: [50],
      };
      const replaced = `RUN-${unique()}`;
      const run = (id: string, body: Record<string, unknown>) =>
        submit(
          'matcher',
          'Assignment',
          'RecordAssignment',
          request({ runId: id, inputHash: 'd'.repeat(64), objective: 5_000, acceptWithinHours: 4, ...body }),
        );
      await run(replaced, { lots: [paint] });
      const accepted = await failureOf(() =>
        run(`RUN-${unique()}`, { lots: [], withdrawLotIds: [`${runId}.1`] }),
      );
      expect(errorCodeOf(accepted)).toBe(ErrorCode.LOT_WRONG_STATUS);
      const moving = `RUN-${unique()}`;
      await run(moving, { lots: [{ ...paint, quantity: 60 }], withdrawLotIds: [`${replaced}.1`] });
      expect(
        lotParser.fromJson(await evaluate('matcher', 'Assignment', 'GetLot', `${replaced}.1`)).status,
      ).toBe('REASSIGNED');
      expect(
        lotParser.fromJson(await evaluate('matcher', 'Assignment', 'GetLot', `${moving}.1`)).quantity,
      ).toBe(60);
      const painting = JSON.parse(
        await evaluate('auditor', 'Factory', 'GetCapacity', factoryId, 'PAINTING'),
      ) as Capacity[];
      expect(painting.map((c) => c.assignedMinutes)).toEqual([60]);
    });
  });
}
