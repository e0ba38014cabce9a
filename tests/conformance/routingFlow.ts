import {
  custodyParser,
  ErrorCode,
  handOverParser,
  lotParser,
  type Custody,
  type Lot,
} from '@fabpool/chaincode/model';
import type { LedgerEngine } from '@fabpool/network';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestLedger } from '../support/engines.js';
import { errorCodeOf, failureOf } from '../support/ledgerErrors.js';
import { bucketFromNow, PoolClient, request, unique } from '../support/poolClient.js';

/**
 * A three-operation order whose lots the matcher could well publish: cutting at one plant of
 * factory A, painting split between another plant of A and factory B, assembly back at A. Units
 * flow by quantity — A feeds its own lots in one step it signs alone, B's lot with a two-step
 * hand-over — and every unit is accounted for at delivery.
 */
export function routingFlowScenarios(engine: LedgerEngine): void {
  describe(`a routing through plants of one organisation and of two (${engine})`, () => {
    let testLedger: Awaited<ReturnType<typeof openTestLedger>>;
    let pool: PoolClient;
    const submit = (member: string, name: string, tx: string, fields: object) =>
      pool.submit(member, name, tx, request(fields));
    const plant = (name: string) => `F-${name}-${unique()}`;
    const [cutting, painting, assembly, paintingB] = [
      plant('CUT'),
      plant('PAINT'),
      plant('ASM'),
      plant('PAINTB'),
    ];
    const workOrderId = `WO-${unique()}`;
    const runId = `RUN-${unique()}`;
    const [cut, paintA, paintB, assemble] = [`${runId}.1`, `${runId}.2`, `${runId}.3`, `${runId}.4`];
    const buckets = [bucketFromNow(3), bucketFromNow(4), bucketFromNow(5)] as const;
    const scan = { operatorId: 'OP-Wang', machineId: 'LINE-1' };
    const custodyOf = async (lotId: string): Promise<Custody> =>
      custodyParser.fromJson(await pool.evaluate('auditor', 'Custody', 'GetCustody', lotId));
    const lotOf = async (lotId: string): Promise<Lot> =>
      lotParser.fromJson(await pool.evaluate('auditor', 'Assignment', 'GetLot', lotId));
    const work = async (member: string, lotId: string, seq: number, scrap = 0) => {
      await submit(member, 'Progress', 'StartOperation', { lotId, seq, ...scan });
      const { quantity } = await custodyOf(lotId);
      await submit(member, 'Progress', 'ReportOperation', {
        lotId,
        seq,
        goodQuantity: quantity - scrap,
        scrapQuantity: scrap,
        ...scan,
      });
    };

    beforeAll(async () => {
      testLedger = await openTestLedger(engine);
      pool = new PoolClient(testLedger.ledger);
      const plants: [string, string, string, 'CNC' | 'PAINTING' | 'ASSEMBLY'][] = [
        ['factory-a-user', cutting, 'Suzhou plant 1', 'CNC'],
        ['factory-a-user', painting, 'Suzhou plant 2', 'PAINTING'],
        ['factory-a-user', assembly, 'Suzhou plant 3', 'ASSEMBLY'],
        ['factory-b-user', paintingB, 'Kunshan paint shop', 'PAINTING'],
      ];
      for (const [member, factoryId, name, process] of plants) {
        await submit(member, 'Factory', 'RegisterFactory', {
          factoryId,
          name,
          location: name.split(' ')[0],
          processes: [{ process, pricePerMinute: 50 }],
        });
        await submit(member, 'Factory', 'DeclareCapacity', {
          factoryId,
          entries: buckets.map((bucket) => ({ process, bucket, minutes: 480 })),
        });
      }
      await submit('customer-1', 'WorkOrder', 'PublishWorkOrder', {
        workOrderId,
        partNumber: 'HOUSING-7',
        quantity: 10,
        routing: [
          { seq: 1, process: 'CNC', standardMinutes: 5 },
          { seq: 2, process: 'PAINTING', standardMinutes: 5 },
          { seq: 3, process: 'ASSEMBLY', standardMinutes: 5 },
        ],
        dueBucket: buckets[2],
        priority: 'NORMAL',
        maxUnitPrice: 2000,
      });
      const lot = (factoryId: string, seq: number, bucket: 0 | 1 | 2, quantity: number) => ({
        workOrderId,
        factoryId,
        fromSeq: seq,
        toSeq: seq,
        bucket: buckets[bucket],
        quantity,
        unitPrices: [250],
      });
      await submit('matcher', 'Assignment', 'RecordAssignment', {
        runId,
        inputHash: 'e'.repeat(64),
        objective: 7_500,
        acceptWithinHours: 4,
        lots: [
          lot(cutting, 1, 0, 10),
          lot(painting, 2, 1, 6),
          lot(paintingB, 2, 1, 4),
          lot(assembly, 3, 2, 10),
        ],
      });
      for (const lotId of [cut, paintA, assemble])
        await submit('factory-a-user', 'Assignment', 'AcceptLot', { lotId });
      await submit('factory-b-user', 'Assignment', 'AcceptLot', { lotId: paintB });
      await submit('customer-1', 'Custody', 'OfferHandOver', {
        lotId: cut,
        toMspId: 'FactoryAMSP',
        quantity: 10,
      });
      await submit('factory-a-user', 'Custody', 'ConfirmHandOver', { lotId: cut, receivedQuantity: 10 });
      await work('factory-a-user', cut, 1, 1);
    });

    afterAll(async () => {
      await testLedger.dispose();
    });

    it('feeds the organisation’s own lot at its other plant in one step, keeping the rest for the next', async () => {
      // Offering to oneself is not a hand-over: the chaincode says what to do instead.
      expect(
        errorCodeOf(
          await failureOf(() =>
            submit('factory-a-user', 'Custody', 'OfferHandOver', {
              lotId: cut,
              toMspId: 'FactoryAMSP',
              quantity: 6,
              intoLotId: paintA,
            }),
          ),
        ),
      ).toBe(ErrorCode.CUSTODY_WRONG_TARGET);
      // Nor may anyone else feed A's lot from A's goods: not the other factory, not the customer.
      const before = await custodyOf(cut);
      for (const [member, code] of [
        ['factory-b-user', ErrorCode.CUSTODY_NOT_HOLDER],
        ['customer-1', ErrorCode.WRONG_ROLE],
        ['customer-2', ErrorCode.NOT_OWNER],
        ['auditor', ErrorCode.WRONG_ROLE],
      ] as const) {
        const fedBy = () =>
          submit(member, 'Custody', 'HandOverWithin', { lotId: cut, intoLotId: paintA, quantity: 6 });
        expect(errorCodeOf(await failureOf(fedBy)), member).toBe(code);
      }
      expect(await custodyOf(cut)).toEqual(before);
      // The lot takes no more than it was planned for.
      expect(
        errorCodeOf(
          await failureOf(() =>
            submit('factory-a-user', 'Custody', 'HandOverWithin', {
              lotId: cut,
              intoLotId: paintA,
              quantity: 7,
            }),
          ),
        ),
      ).toBe(ErrorCode.CUSTODY_QUANTITY);
      const within = handOverParser.fromJson(
        await submit('factory-a-user', 'Custody', 'HandOverWithin', {
          lotId: cut,
          intoLotId: paintA,
          quantity: 6,
        }),
      );
      expect(within).toMatchObject({
        fromMspId: 'FactoryAMSP',
        toMspId: 'FactoryAMSP',
        intoLotId: paintA,
        heldQuantity: 9,
        receivedQuantity: 6,
        difference: 0,
      });
      expect(await custodyOf(cut)).toMatchObject({ holderMspId: 'FactoryAMSP', quantity: 3 });
      expect(await custodyOf(paintA)).toMatchObject({ holderMspId: 'FactoryAMSP', quantity: 6 });
      expect(await lotOf(cut)).toMatchObject({ status: 'DONE', deliveredQuantity: 6 });
    });

    it('sends the rest to the other organisation’s lot, which counts it; the first lot is then delivered', async () => {
      await submit('factory-a-user', 'Custody', 'OfferHandOver', {
        lotId: cut,
        toMspId: 'FactoryBMSP',
        quantity: 3,
        intoLotId: paintB,
      });
      await submit('factory-b-user', 'Custody', 'ConfirmHandOver', { lotId: cut, receivedQuantity: 3 });
      expect(await custodyOf(paintB)).toMatchObject({ holderMspId: 'FactoryBMSP', quantity: 3 });
      const cutLot = await lotOf(cut);
      expect(cutLot).toMatchObject({ status: 'DELIVERED', deliveredQuantity: 9 });
      expect((await custodyOf(cut)).quantity).toBe(0);
    });

    it('gathers both painting lots into the one assembly lot and delivers every good unit', async () => {
      await work('factory-a-user', paintA, 2);
      await work('factory-b-user', paintB, 2, 1);
      await submit('factory-a-user', 'Custody', 'HandOverWithin', {
        lotId: paintA,
        intoLotId: assemble,
        quantity: 6,
      });
      await submit('factory-b-user', 'Custody', 'OfferHandOver', {
        lotId: paintB,
        toMspId: 'FactoryAMSP',
        quantity: 2,
        intoLotId: assemble,
      });
      await submit('factory-a-user', 'Custody', 'ConfirmHandOver', { lotId: paintB, receivedQuantity: 2 });
      expect(await custodyOf(assemble)).toMatchObject({ holderMspId: 'FactoryAMSP', quantity: 8 });
      await work('factory-a-user', assemble, 3);
      await submit('factory-a-user', 'Custody', 'OfferHandOver', {
        lotId: assemble,
        toMspId: 'CustomerAMSP',
        quantity: 8,
      });
      await submit('customer-1', 'Custody', 'ConfirmHandOver', { lotId: assemble, receivedQuantity: 8 });
      // 10 in = 8 delivered + 2 scrap (one cut, one painted), no difference.
      expect(await lotOf(assemble)).toMatchObject({ status: 'DELIVERED', deliveredQuantity: 8 });
      for (const lotId of [paintA, paintB]) expect((await lotOf(lotId)).status).toBe('DELIVERED');
      const trace = JSON.parse(await pool.evaluate('auditor', 'Trace', 'TraceWorkOrder', workOrderId)) as {
        lots: { lot: Lot; handOvers: { receivedQuantity: number; difference: number }[] }[];
      };
      const handOvers = trace.lots.flatMap((l) => l.handOvers);
      expect(handOvers).toHaveLength(6);
      expect(handOvers.reduce((sum, h) => sum + h.difference, 0)).toBe(0);
    });
  });
}
