import { randomBytes } from 'node:crypto';
import { digestOf, ErrorCode, type Bid, type SealedBid, type WorkOrder } from '@fabpool/chaincode/model';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorCodeOf, failureOf } from '../support/ledgerErrors.js';
import type { LedgerEngine } from '@fabpool/network';
import { openTestLedger } from '../support/engines.js';
import { bucketFromNow, PoolClient, request, unique } from '../support/poolClient.js';

const salt = (): string => randomBytes(18).toString('base64url');
const sleepUntil = async (instant: string): Promise<void> => {
  const wait = Date.parse(instant) - Date.now();
  if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
};

/**
 * Private data on the live network: process parameters in the customer's collection, shared with
 * the assigned factory only; sealed bids in each bidder's collection, revealed against their hash
 * after the window and awarded to the best.
 */
export function privateDataScenarios(engine: LedgerEngine): void {
  describe(`private process parameters and sealed bids (${engine})`, () => {
    let testLedger: Awaited<ReturnType<typeof openTestLedger>>;
    let pool: PoolClient;
    const submit = (member: string, name: string, tx: string, fields: object) =>
      pool.submit(member, name, tx, request(fields));
    const [plantA, plantB] = [`F-${unique()}`, `F-${unique()}`];
    const workOrderId = `WO-${unique()}`;
    const bucket = bucketFromNow(3);
    const parameters = {
      workOrderId,
      parameters: { spindleRpm: 12_000, feedMmPerMin: 850, coolant: 'emulsion 6%' },
      notes: 'deburr both faces',
      salt: salt(),
    };
    let windowEnd = '';
    const bidOf = (factoryId: string, unitPrice: number): SealedBid => ({
      workOrderId,
      factoryId,
      unitPrice,
      quantity: 40,
      finishBy: `${bucketFromNow(5).slice(0, 19)}.000Z`,
      salt: salt(),
    });
    const bidA = bidOf(plantA, 900);
    const bidB = bidOf(plantB, 850);

    beforeAll(async () => {
      testLedger = await openTestLedger(engine);
      pool = new PoolClient(testLedger.ledger);
      for (const [member, factoryId] of [
        ['factory-a-user', plantA],
        ['factory-b-user', plantB],
      ] as const) {
        await submit(member, 'Factory', 'RegisterFactory', {
          factoryId,
          name: 'Ningbo Mould',
          location: 'Ningbo',
          processes: [{ process: 'CNC', pricePerMinute: 100 }],
        });
        await submit(member, 'Factory', 'DeclareCapacity', {
          factoryId,
          entries: [{ process: 'CNC', bucket, minutes: 480 }],
        });
      }
      // Long enough for the sealing transactions to commit on Fabric (a few blocks), short on the embedded ledger.
      windowEnd = new Date(Date.now() + (engine === 'fabric' ? 12_000 : 3_000)).toISOString();
      await submit('customer-1', 'WorkOrder', 'PublishWorkOrder', {
        workOrderId,
        partNumber: 'GEAR-9',
        quantity: 40,
        routing: [{ seq: 1, process: 'CNC', standardMinutes: 5 }],
        dueBucket: bucketFromNow(6),
        priority: 'NORMAL',
        maxUnitPrice: 1000,
        bidWindowEnd: windowEnd,
      });
    });

    afterAll(async () => {
      await testLedger.dispose();
    });

    it('keeps process parameters in the customer’s collection; the channel sees their hash', async () => {
      const set = JSON.parse(
        await pool.submitPrivate(
          'customer-1',
          'ProcessParameters',
          'SetProcessParameters',
          request({ workOrderId }),
          { parameters },
          'CustomerAMSP',
        ),
      ) as { hash: string };
      expect(set.hash).toBe(digestOf(parameters));
      const publicView = JSON.parse(
        await pool.evaluate('auditor', 'ProcessParameters', 'GetProcessParametersHash', workOrderId),
      ) as { hash: string };
      expect(publicView.hash).toBe(digestOf(parameters));
      expect(
        JSON.parse(
          await pool.evaluate('customer-1', 'ProcessParameters', 'GetProcessParameters', workOrderId),
        ),
      ).toEqual(parameters);
      for (const outsider of ['auditor', 'factory-b-user', 'customer-2'])
        expect(
          errorCodeOf(
            await failureOf(() =>
              pool.evaluate(outsider, 'ProcessParameters', 'GetProcessParameters', workOrderId),
            ),
          ),
        ).toBe(ErrorCode.PARAMETERS_NOT_VISIBLE);
      const unsalted = await failureOf(() =>
        pool.submitPrivate(
          'customer-1',
          'ProcessParameters',
          'SetProcessParameters',
          request({ workOrderId }),
          { parameters: { ...parameters, salt: 'short' } },
          'CustomerAMSP',
        ),
      );
      expect(errorCodeOf(unsalted)).toBe(ErrorCode.INVALID_ARGUMENT);
    });

    it('seals bids in each bidder’s collection: during the window nothing but hashes is public', async () => {
      for (const [member, bid, org] of [
        ['factory-a-user', bidA, 'FactoryAMSP'],
        ['factory-b-user', bidB, 'FactoryBMSP'],
      ] as const) {
        const sealed = JSON.parse(
          await pool.submitPrivate(
            member,
            'Bid',
            'SealBid',
            request({ workOrderId, factoryId: bid.factoryId }),
            { bid },
            org,
          ),
        ) as { sealHash: string };
        expect(sealed.sealHash).toBe(digestOf(bid));
      }
      expect(JSON.parse(await pool.evaluate('factory-b-user', 'Bid', 'GetBids', workOrderId))).toEqual([]);
      expect(
        (
          JSON.parse(
            await pool.evaluate('factory-b-user', 'Bid', 'GetSealedBidHash', workOrderId, plantA),
          ) as {
            sealHash: string;
          }
        ).sealHash,
      ).toBe(digestOf(bidA));
      // The bidder reads its own sealed bid back (salt included); another organisation may not.
      expect(
        JSON.parse(await pool.evaluate('factory-a-user', 'Bid', 'GetOwnSealedBid', workOrderId, plantA)),
      ).toEqual(bidA);
      expect(
        errorCodeOf(
          await failureOf(() =>
            pool.evaluate('factory-b-user', 'Bid', 'GetOwnSealedBid', workOrderId, plantA),
          ),
        ),
      ).toBe(ErrorCode.NOT_OWNER);
      expect(
        errorCodeOf(await failureOf(() => submit('factory-a-user', 'Bid', 'RevealBid', { bid: bidA }))),
      ).toBe(ErrorCode.BID_WINDOW_OPEN);
    });

    it('reveals only the sealed bid after the window and awards the best one', async () => {
      await sleepUntil(windowEnd);
      await new Promise((resolve) => setTimeout(resolve, 1000));
      const late = await failureOf(() =>
        pool.submitPrivate(
          'factory-a-user',
          'Bid',
          'SealBid',
          request({ workOrderId, factoryId: plantA }),
          { bid: bidA },
          'FactoryAMSP',
        ),
      );
      expect(errorCodeOf(late)).toBe(ErrorCode.BID_WINDOW_CLOSED);
      const forged = await failureOf(() =>
        submit('factory-a-user', 'Bid', 'RevealBid', { bid: { ...bidA, unitPrice: 800 } }),
      );
      expect(errorCodeOf(forged)).toBe(ErrorCode.BID_HASH_MISMATCH);
      await submit('factory-a-user', 'Bid', 'RevealBid', { bid: bidA });
      await submit('factory-b-user', 'Bid', 'RevealBid', { bid: bidB });
      // Revealed bids wait for the customer's award: the matcher may place none of it meanwhile.
      const early = await failureOf(() =>
        submit('matcher', 'Assignment', 'RecordAssignment', {
          runId: `RUN-${unique()}`,
          inputHash: 'a'.repeat(64),
          objective: 20_000,
          acceptWithinHours: 4,
          lots: [
            { workOrderId, factoryId: plantA, fromSeq: 1, toSeq: 1, bucket, quantity: 40, unitPrices: [800] },
          ],
        }),
      );
      expect(errorCodeOf(early)).toBe(ErrorCode.BID_DECIDES);
      const awarded = JSON.parse(await submit('customer-1', 'Bid', 'AwardBid', { workOrderId })) as WorkOrder;
      expect(awarded.award).toMatchObject({ factoryId: plantB, unitPrice: 850, factoryMspId: 'FactoryBMSP' });
      // A losing bidder learns its own outcome, not the winner's price; the customer sees every bid.
      const own = JSON.parse(await pool.evaluate('factory-a-user', 'Bid', 'GetBids', workOrderId)) as Bid[];
      expect(own.map((b) => [b.factoryId, b.status])).toEqual([[plantA, 'NOT_AWARDED']]);
      const bids = JSON.parse(await pool.evaluate('customer-1', 'Bid', 'GetBids', workOrderId)) as Bid[];
      expect(bids.map((b) => [b.factoryId, b.status]).sort()).toEqual(
        [
          [plantA, 'NOT_AWARDED'],
          [plantB, 'AWARDED'],
        ].sort(),
      );
    });

    it('shares the parameters with the assigned factory only, and only as they were set', async () => {
      // The award placed plant B's units itself: its lot, accepted, at the bid's price (850), not the list price.
      const lotId = `AWARD-${workOrderId}.1`;
      expect(JSON.parse(await pool.evaluate('customer-1', 'Assignment', 'GetLot', lotId))).toMatchObject({
        factoryId: plantB,
        quantity: 40,
        unitPrice: 850,
        status: 'ACCEPTED',
        bucket,
      });
      // The bid covered the whole order: the matcher can add nothing to it.
      const more = await failureOf(() =>
        submit('matcher', 'Assignment', 'RecordAssignment', {
          runId: `RUN-${unique()}`,
          inputHash: 'a'.repeat(64),
          objective: 20_000,
          acceptWithinHours: 4,
          lots: [
            { workOrderId, factoryId: plantA, fromSeq: 1, toSeq: 1, bucket, quantity: 1, unitPrices: [500] },
          ],
        }),
      );
      expect(errorCodeOf(more)).toBe(ErrorCode.WORK_ORDER_OVER_ASSIGNED);
      const tampered = await failureOf(() =>
        pool.submitPrivate(
          'customer-1',
          'ProcessParameters',
          'ShareProcessParameters',
          request({ workOrderId, lotId }),
          { parameters: { ...parameters, notes: 'something else' } },
          'FactoryBMSP',
        ),
      );
      expect(errorCodeOf(tampered)).toBe(ErrorCode.PARAMETERS_MISMATCH);
      await pool.submitPrivate(
        'customer-1',
        'ProcessParameters',
        'ShareProcessParameters',
        request({ workOrderId, lotId }),
        { parameters },
        'FactoryBMSP',
      );
      expect(
        JSON.parse(
          await pool.evaluate('factory-b-user', 'ProcessParameters', 'GetProcessParameters', workOrderId),
        ),
      ).toEqual(parameters);
      expect(
        errorCodeOf(
          await failureOf(() =>
            pool.evaluate('factory-a-user', 'ProcessParameters', 'GetProcessParameters', workOrderId),
          ),
        ),
      ).toBe(ErrorCode.PARAMETERS_NOT_VISIBLE);
    });
  });
}
