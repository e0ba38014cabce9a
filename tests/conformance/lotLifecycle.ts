import {
  custodyParser,
  ErrorCode,
  handOverParser,
  lotParser,
  progressParser,
  settlementParser,
  statementParser,
  type Custody,
  type HandOver,
  type Lot,
  type OperationException,
  type OperationProgress,
  type PeriodStatement,
  type Settlement,
} from '@fabpool/chaincode/model';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorCodeOf, errorText, failureOf } from '../support/ledgerErrors.js';
import type { LedgerEngine } from '@fabpool/network';
import { openTestLedger } from '../support/engines.js';
import { bucketFromNow, PoolClient, request, sleep, unique } from '../support/poolClient.js';

interface TraceStep {
  kind: string;
  id: string;
  txId: string;
  at: string;
  record: unknown;
}
interface Trace {
  lots: {
    lot: Lot;
    custody?: Custody;
    handOvers: HandOver[];
    progress: OperationProgress[];
    exceptions: OperationException[];
    settlement?: Settlement;
  }[];
  steps: TraceStep[];
}

/**
 * One work order through two factories on the live network: material handed over in two steps,
 * operations scanned with a 15% overrun freezing the next one, delivery, settlement and payment,
 * then the whole trace under the work order's one id.
 */
export function lotLifecycleScenarios(engine: LedgerEngine): void {
  describe(`a lot from material to settlement (${engine})`, () => {
    let testLedger: Awaited<ReturnType<typeof openTestLedger>>;
    let pool: PoolClient;
    const submit = (member: string, name: string, tx: string, fields: object) =>
      pool.submit(member, name, tx, request(fields));
    const startedAt = new Date().toISOString();
    const [factoryA, factoryB] = [`F-${unique()}`, `F-${unique()}`];
    const workOrderId = `WO-${unique()}`;
    const runId = `RUN-${unique()}`;
    const [lot1, lot2] = [`${runId}.1`, `${runId}.2`];
    const [first, second] = [bucketFromNow(3), bucketFromNow(4)];
    const scan = { operatorId: 'OP-Li', machineId: 'CNC-03' };

    beforeAll(async () => {
      testLedger = await openTestLedger(engine);
      pool = new PoolClient(testLedger.ledger);
      await submit('factory-a-user', 'Factory', 'RegisterFactory', {
        factoryId: factoryA,
        name: 'Suzhou Precision',
        location: 'Suzhou',
        processes: [
          { process: 'CNC', pricePerMinute: 10_000 },
          { process: 'PAINTING', pricePerMinute: 10_000 },
        ],
      });
      await submit('factory-b-user', 'Factory', 'RegisterFactory', {
        factoryId: factoryB,
        name: 'Kunshan Assembly',
        location: 'Kunshan',
        processes: [{ process: 'ASSEMBLY', pricePerMinute: 50 }],
      });
      await submit('factory-a-user', 'Factory', 'DeclareCapacity', {
        factoryId: factoryA,
        entries: [
          { process: 'CNC', bucket: first, minutes: 480 },
          { process: 'PAINTING', bucket: first, minutes: 480 },
        ],
      });
      await submit('factory-b-user', 'Factory', 'DeclareCapacity', {
        factoryId: factoryB,
        entries: [{ process: 'ASSEMBLY', bucket: second, minutes: 480 }],
      });
      // Standard times of a fraction of a second for CNC and painting, so that the few hundred
      // milliseconds between two blocks overrun them; assembly's 30 minutes per unit cannot.
      await submit('customer-1', 'WorkOrder', 'PublishWorkOrder', {
        workOrderId,
        partNumber: 'BRACKET-22',
        quantity: 10,
        routing: [
          { seq: 1, process: 'CNC', standardMinutes: 0.0001 },
          {
            seq: 2,
            process: 'PAINTING',
            standardMinutes: 0.0001,
            material: { materialCode: 'PAINT-RAL7035', unit: 'kg', perUnit: 0.05 },
          },
          { seq: 3, process: 'ASSEMBLY', standardMinutes: 30 },
        ],
        dueBucket: second,
        priority: 'NORMAL',
        maxUnitPrice: 2000,
        latePenaltyPerUnitPerBucket: 100,
      });
      await submit('matcher', 'Assignment', 'RecordAssignment', {
        runId,
        inputHash: 'd'.repeat(64),
        objective: 15_020,
        acceptWithinHours: 4,
        lots: [
          {
            workOrderId,
            factoryId: factoryA,
            fromSeq: 1,
            toSeq: 2,
            bucket: first,
            quantity: 10,
            unitPrices: [1, 1],
          },
          {
            workOrderId,
            factoryId: factoryB,
            fromSeq: 3,
            toSeq: 3,
            bucket: second,
            quantity: 10,
            unitPrices: [1500],
          },
        ],
      });
      await submit('factory-a-user', 'Assignment', 'AcceptLot', { lotId: lot1 });
      await submit('factory-b-user', 'Assignment', 'AcceptLot', { lotId: lot2 });
    });

    afterAll(async () => {
      await testLedger.dispose();
    });

    it('moves the customer’s material to the factory only when the factory confirms what it counted', async () => {
      const atStart = custodyParser.fromJson(await pool.evaluate('auditor', 'Custody', 'GetCustody', lot1));
      expect(atStart).toMatchObject({ holderMspId: 'CustomerAMSP', quantity: 10 });
      expect(
        errorCodeOf(
          await failureOf(() =>
            submit('factory-a-user', 'Progress', 'StartOperation', { lotId: lot1, seq: 1, ...scan }),
          ),
        ),
      ).toBe(ErrorCode.MATERIAL_NOT_AT_FACTORY);
      // Another customer of the same organisation cannot send this customer's material.
      expect(
        errorCodeOf(
          await failureOf(() =>
            submit('customer-2', 'Custody', 'OfferHandOver', {
              lotId: lot1,
              toMspId: 'FactoryAMSP',
              quantity: 10,
            }),
          ),
        ),
      ).toBe(ErrorCode.NOT_OWNER);
      await submit('customer-1', 'Custody', 'OfferHandOver', {
        lotId: lot1,
        toMspId: 'FactoryAMSP',
        quantity: 10,
      });
      const offered = custodyParser.fromJson(await pool.evaluate('auditor', 'Custody', 'GetCustody', lot1));
      expect(offered.holderMspId).toBe('CustomerAMSP');
      expect(
        errorCodeOf(
          await failureOf(() =>
            submit('factory-b-user', 'Custody', 'ConfirmHandOver', { lotId: lot1, receivedQuantity: 10 }),
          ),
        ),
      ).toBe(ErrorCode.CUSTODY_NOT_RECEIVER);
      expect(
        errorCodeOf(
          await failureOf(() =>
            submit('factory-a-user', 'Custody', 'ConfirmHandOver', { lotId: lot1, receivedQuantity: 9 }),
          ),
        ),
      ).toBe(ErrorCode.CUSTODY_QUANTITY);
      // Custody carries a key-level endorsement policy: without the holder's peers, the
      // confirmation is endorsed (a majority of organisations agree) but fails validation.
      const withoutHolder = await failureOf(() =>
        pool.submitWith(
          'factory-a-user',
          'Custody',
          'ConfirmHandOver',
          [request({ lotId: lot1, receivedQuantity: 10 })],
          {
            endorsingOrganizations: ['FactoryAMSP', 'FactoryBMSP', 'AuditMSP'],
          },
        ),
      );
      expect(errorText(withoutHolder)).toContain('ENDORSEMENT_POLICY_FAILURE');
      const confirmed = handOverParser.fromJson(
        await submit('factory-a-user', 'Custody', 'ConfirmHandOver', { lotId: lot1, receivedQuantity: 10 }),
      );
      expect(confirmed).toMatchObject({
        fromMspId: 'CustomerAMSP',
        toMspId: 'FactoryAMSP',
        receivedQuantity: 10,
        difference: 0,
      });
    });

    it('opens an exception on a 15% overrun and freezes the next operation until it is closed', async () => {
      expect(
        errorCodeOf(
          await failureOf(() =>
            submit('factory-b-user', 'Progress', 'StartOperation', { lotId: lot1, seq: 1, ...scan }),
          ),
        ),
      ).toBe(ErrorCode.NOT_OWNER);
      await submit('factory-a-user', 'Progress', 'StartOperation', { lotId: lot1, seq: 1, ...scan });
      // 10 units × 0.0001 min is 60 ms of standard time: let more than 115% of it pass on any engine.
      await sleep(150);
      const reportBody = request({ lotId: lot1, seq: 1, goodQuantity: 9, scrapQuantity: 1, ...scan });
      const reported = progressParser.fromJson(
        await pool.submit('factory-a-user', 'Progress', 'ReportOperation', reportBody),
      );
      expect(reported).toMatchObject({ status: 'REPORTED', goodQuantity: 9, overrun: true });
      // A scanner that retries the same report gets the same answer and changes nothing.
      expect(
        progressParser.fromJson(
          await pool.submit('factory-a-user', 'Progress', 'ReportOperation', reportBody),
        ),
      ).toEqual(reported);

      expect(
        errorCodeOf(
          await failureOf(() =>
            submit('factory-a-user', 'Progress', 'StartOperation', { lotId: lot1, seq: 2, ...scan }),
          ),
        ),
      ).toBe(ErrorCode.OPERATION_FROZEN);
      await submit('factory-a-admin', 'Progress', 'CloseException', {
        lotId: lot1,
        seq: 1,
        cause: 'fixture re-clamped',
        firstAction: 'first piece re-inspected',
        confirmedBy: 'team-lead-Zhang',
      });
      // Operation 2 is scanned on a phone in a dead spot: its start and report wait in the phone's
      // queue and reach the ledger together, later. It is timed by the scans, not by the commits.
      const scannedStart = new Date().toISOString();
      await sleep(150);
      const scannedReport = new Date().toISOString();
      await sleep(400);
      await submit('factory-a-user', 'Progress', 'StartOperation', {
        lotId: lot1,
        seq: 2,
        ...scan,
        machineId: 'PAINT-1',
        scannedAt: scannedStart,
      });
      const paintReport = { lotId: lot1, seq: 2, goodQuantity: 9, scrapQuantity: 0, ...scan };
      // Painting consumes paint by the routing's standard: its report says how much it used.
      expect(
        errorCodeOf(
          await failureOf(() =>
            submit('factory-a-user', 'Progress', 'ReportOperation', {
              ...paintReport,
              scannedAt: scannedReport,
            }),
          ),
        ),
      ).toBe(ErrorCode.OPERATION_MATERIAL);
      await submit('factory-a-user', 'Progress', 'ReportOperation', {
        ...paintReport,
        materialUsed: 0.52,
        scannedAt: scannedReport,
      });
      const { progress, exceptions } = JSON.parse(
        await pool.evaluate('auditor', 'Progress', 'GetLotProgress', lot1),
      ) as {
        progress: OperationProgress[];
        exceptions: OperationException[];
      };
      expect(progress.map((p) => [p.seq, p.status])).toEqual([
        [1, 'REPORTED'],
        [2, 'REPORTED'],
      ]);
      expect(progress.map((p) => p.material)).toEqual([
        undefined,
        { materialCode: 'PAINT-RAL7035', unit: 'kg', standard: 0.45, used: 0.52 },
      ]);
      expect(exceptions.map((e) => [e.seq, e.status])).toEqual([
        [1, 'CLOSED'],
        [2, 'OPEN'],
      ]);
      const offline = progress.find((p) => p.seq === 2);
      expect([offline?.startedAt, offline?.reportedAt]).toEqual([scannedStart, scannedReport]);
      expect(offline?.actualMinutes).toBe(
        Math.round(((Date.parse(scannedReport) - Date.parse(scannedStart)) / 60_000) * 1000) / 1000,
      );
      expect(lotParser.fromJson(await pool.evaluate('auditor', 'Assignment', 'GetLot', lot1))).toMatchObject({
        status: 'DONE',
        doneQuantity: 9,
      });
    });

    it('hands finished units into the next factory’s lot, the frozen operation waiting for its exception', async () => {
      const into = { lotId: lot1, toMspId: 'FactoryBMSP', quantity: 9, intoLotId: lot2 };
      expect(
        errorCodeOf(await failureOf(() => submit('factory-a-user', 'Custody', 'OfferHandOver', into))),
      ).toBe(ErrorCode.OPERATION_FROZEN);
      await submit('factory-a-user', 'Progress', 'CloseException', {
        lotId: lot1,
        seq: 2,
        cause: 'oven warm-up',
        firstAction: 'oven pre-heated before shift',
        confirmedBy: 'team-lead-Zhang',
      });
      await submit('factory-a-user', 'Custody', 'OfferHandOver', into);
      const handOver = handOverParser.fromJson(
        await submit('factory-b-user', 'Custody', 'ConfirmHandOver', {
          lotId: lot1,
          receivedQuantity: 8,
          note: 'one bracket bent in the crate',
        }),
      );
      expect(handOver).toMatchObject({
        fromMspId: 'FactoryAMSP',
        toMspId: 'FactoryBMSP',
        heldQuantity: 9,
        receivedQuantity: 8,
        difference: 1,
      });
      expect(
        custodyParser.fromJson(await pool.evaluate('auditor', 'Custody', 'GetCustody', lot2)),
      ).toMatchObject({
        holderMspId: 'FactoryBMSP',
        quantity: 8,
      });
      expect(lotParser.fromJson(await pool.evaluate('auditor', 'Assignment', 'GetLot', lot1))).toMatchObject({
        status: 'DELIVERED',
        deliveredQuantity: 8,
      });
    });

    it('delivers, settles and is paid; a period statement nets it', async () => {
      await submit('factory-b-user', 'Progress', 'StartOperation', {
        lotId: lot2,
        seq: 3,
        ...scan,
        machineId: 'ASM-2',
      });
      const report = progressParser.fromJson(
        await submit('factory-b-user', 'Progress', 'ReportOperation', {
          lotId: lot2,
          seq: 3,
          goodQuantity: 8,
          scrapQuantity: 0,
          ...scan,
        }),
      );
      expect(report.overrun).toBe(false);
      await submit('factory-b-user', 'Custody', 'OfferHandOver', {
        lotId: lot2,
        toMspId: 'CustomerAMSP',
        quantity: 8,
      });
      // Nor confirm its delivery, though the goods are offered to their shared organisation.
      expect(
        errorCodeOf(
          await failureOf(() =>
            submit('customer-2', 'Custody', 'ConfirmHandOver', { lotId: lot2, receivedQuantity: 8 }),
          ),
        ),
      ).toBe(ErrorCode.NOT_OWNER);
      await submit('customer-1', 'Custody', 'ConfirmHandOver', { lotId: lot2, receivedQuantity: 8 });
      expect(
        errorCodeOf(
          await failureOf(() =>
            submit('customer-2', 'Settlement', 'AcceptDelivery', { lotId: lot2, acceptedQuantity: 8 }),
          ),
        ),
      ).toBe(ErrorCode.NOT_OWNER);
      const settlement = settlementParser.fromJson(
        await submit('customer-1', 'Settlement', 'AcceptDelivery', { lotId: lot2, acceptedQuantity: 7 }),
      );
      expect(settlement).toMatchObject({
        gross: 7 * 1500,
        latePenalty: 0,
        prepaidCredit: 0,
        amountDue: 10_500,
        status: 'DUE',
      });
      await submit('customer-1', 'Settlement', 'AcceptDelivery', { lotId: lot1, acceptedQuantity: 8 });
      // The customer says it sent the money; only the factory paid says it arrived.
      const payment = { settlementId: lot2, paymentReference: 'ICBC-20261125-001' };
      expect(
        errorCodeOf(await failureOf(() => submit('factory-b-user', 'Settlement', 'DeclarePayment', payment))),
      ).toBe(ErrorCode.NOT_OWNER);
      expect(
        settlementParser.fromJson(await submit('customer-1', 'Settlement', 'DeclarePayment', payment)),
      ).toMatchObject({ status: 'DECLARED', paymentReference: 'ICBC-20261125-001' });
      for (const member of ['customer-1', 'factory-a-user'])
        expect(
          errorCodeOf(
            await failureOf(() => submit(member, 'Settlement', 'ConfirmPayment', { settlementId: lot2 })),
          ),
        ).toBe(ErrorCode.NOT_OWNER);
      const paid = settlementParser.fromJson(
        await submit('factory-b-user', 'Settlement', 'ConfirmPayment', { settlementId: lot2 }),
      );
      expect(paid).toMatchObject({ status: 'PAID', paymentReference: 'ICBC-20261125-001' });
      expect(lotParser.fromJson(await pool.evaluate('auditor', 'Assignment', 'GetLot', lot2)).status).toBe(
        'SETTLED',
      );
      const statement = JSON.parse(
        await pool.evaluate(
          'auditor',
          'Settlement',
          'GetPeriodStatement',
          'FactoryBMSP',
          'CustomerAMSP',
          startedAt,
          '2099-01-01T00:00:00Z',
        ),
      ) as PeriodStatement;
      expect(statement.settlementIds).toContain(lot2);
      expect(statement.owedByB).toBeGreaterThanOrEqual(10_500);
    });

    it('closes the period into a statement both sides sign, or one side disputes', async () => {
      const settled = settlementParser.fromJson(
        await pool.evaluate('customer-1', 'Settlement', 'GetSettlement', lot2),
      );
      const period = {
        factoryMspId: 'FactoryBMSP',
        customerMemberId: settled.payerMemberId,
        from: startedAt,
        to: new Date().toISOString(),
      };
      const [disputedId, agreedId] = [`ST-${unique()}`, `ST-${unique()}`];
      const close = (member: string, statementId: string) =>
        submit(member, 'Settlement', 'CloseStatement', { statementId, ...period });
      // Neither another factory nor another customer of the same organisation is a side of it.
      for (const stranger of ['factory-a-user', 'customer-2'])
        expect(errorCodeOf(await failureOf(() => close(stranger, disputedId)))).toBe(ErrorCode.NOT_PARTY);
      const opened = statementParser.fromJson(await close('factory-b-user', disputedId));
      expect(opened).toMatchObject({
        status: 'OPEN',
        customerMspId: 'CustomerAMSP',
        figures: { settlementIds: [lot2], owedByA: 10_500, outstandingByA: 0 },
        factorySignature: { mspId: 'FactoryBMSP' },
      });
      expect(opened.customerSignature).toBeUndefined();
      expect(errorCodeOf(await failureOf(() => close('customer-1', agreedId)))).toBe(
        ErrorCode.STATEMENT_OVERLAPS,
      );
      expect(
        errorCodeOf(
          await failureOf(() => pool.evaluate('customer-2', 'Settlement', 'GetStatement', disputedId)),
        ),
      ).toBe(ErrorCode.NOT_PARTY);
      expect(
        statementParser.fromJson(await pool.evaluate('auditor', 'Settlement', 'GetStatement', disputedId))
          .status,
      ).toBe('OPEN');
      const disputed = statementParser.fromJson(
        await submit('customer-1', 'Settlement', 'DisputeStatement', {
          statementId: disputedId,
          reason: '验收数量应为8件',
          settlementIds: [lot2],
          quotaIds: [],
        }),
      );
      expect(disputed).toMatchObject({
        status: 'DISPUTED',
        dispute: { reason: '验收数量应为8件', settlementIds: [lot2] },
      });
      // Closed again by the customer, acknowledged by the factory: agreed, both sides' word on it.
      const reopened = statementParser.fromJson(await close('customer-1', agreedId));
      expect(reopened.contentHash).toBe(opened.contentHash);
      expect(
        errorCodeOf(
          await failureOf(() =>
            submit('customer-1', 'Settlement', 'AcknowledgeStatement', { statementId: agreedId }),
          ),
        ),
      ).toBe(ErrorCode.STATEMENT_WRONG_STATUS);
      const agreed = statementParser.fromJson(
        await submit('factory-b-user', 'Settlement', 'AcknowledgeStatement', { statementId: agreedId }),
      );
      expect(agreed).toMatchObject({
        status: 'AGREED',
        customerSignature: { mspId: 'CustomerAMSP', memberId: settled.payerMemberId },
        factorySignature: { mspId: 'FactoryBMSP' },
      });
    });

    it('traces the work order across both factories under its one id, each step with its transaction', async () => {
      const trace = JSON.parse(
        await pool.evaluate('auditor', 'Trace', 'TraceWorkOrder', workOrderId),
      ) as Trace;
      expect(trace.lots.map((l) => [l.lot.lotId, l.lot.status])).toEqual([
        [lot1, 'DELIVERED'],
        [lot2, 'SETTLED'],
      ]);
      const kinds = new Set(trace.steps.map((s) => s.kind));
      for (const kind of [
        'WorkOrder',
        'AssignmentRun',
        'Lot',
        'Custody',
        'HandOver',
        'OperationProgress',
        'OperationException',
        'Settlement',
      ])
        expect(kinds).toContain(kind);
      expect(trace.steps.every((s) => /^[0-9a-f]{64}$/.test(s.txId))).toBe(true);
      const times = trace.steps.map((s) => s.at);
      expect([...times].sort()).toEqual(times);
      const history = JSON.parse(
        await pool.evaluate('auditor', 'Trace', 'GetHistory', 'Lot', lot1),
      ) as TraceStep[];
      expect(history.map((h) => (h.record as Lot).status)).toEqual([
        'ASSIGNED',
        'ACCEPTED',
        'IN_PROGRESS',
        'DONE',
        'DELIVERED',
        'DELIVERED',
      ]);
    });
  });
}
