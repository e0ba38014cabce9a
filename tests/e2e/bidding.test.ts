import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { createMemberAccounts, startApi, type RunningApi } from '@fabpool/api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LOGIN_MUTATION, loginVariables } from '../support/accounts.js';
import { graphqlClient } from '../support/graphqlClient.js';
import { bucketFromNow, unique } from '../support/poolClient.js';

const PASSWORD = 'bidding-e2e-2026';

/**
 * An order published for bidding is the bids' while its window is open: the matcher places none
 * of it (and the chaincode would refuse a lot of it). A window that closes with no bid gives it
 * back to the matcher; one with bids waits for the customer's award, and the winner gets it.
 */
describe('bidding and the matcher, through the api', () => {
  let api: RunningApi;
  let dir: string;
  const tokens = new Map<string, string>();
  const { ok, mutate } = graphqlClient(() => api.url, tokens);
  const lotsOf = async (workOrderId: string) =>
    (
      (
        await ok(
          'query($id: String!) { workOrder(id: $id) { lots { id factoryId unitPrice bucket quantity status } } }',
          { id: workOrderId },
          'customer-1',
        )
      ).workOrder as {
        lots: {
          id: string;
          factoryId: string;
          unitPrice: number | null;
          bucket: string;
          quantity: number;
          status: string;
        }[];
      }
    ).lots;
  const replan = () => ok('mutation { replan { id error } }', {}, 'alliance-admin');
  /** Publishes an order of 10 units taking bids for 2.5 s: its id, and when its window ends. */
  const publishForBidding = async (prefix: string, partNumber: string) => {
    const workOrderId = `${prefix}-${unique()}`;
    const windowEnd = Date.now() + 2_500;
    await mutate('customer-1', 'publishWorkOrder', {
      workOrderId,
      partNumber,
      quantity: 10,
      routing: [{ seq: 1, process: 'CNC', standardMinutes: 2 }],
      dueBucket: bucketFromNow(4),
      priority: 'NORMAL',
      maxUnitPrice: 400,
      bidWindowEnd: new Date(windowEnd).toISOString(),
    });
    return { workOrderId, windowEnd };
  };
  const factoryId = `F-BID-${unique()}`;
  const rivalId = `F-RIVAL-${unique()}`;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'fabpool-bidding-'));
    api = await startApi({ dataDir: dir });
    const accounts = await createMemberAccounts(api.database.pool, api.ledger, PASSWORD);
    for (const member of ['alliance-admin', 'customer-1', 'factory-a-user', 'factory-b-user']) {
      const login = await ok(LOGIN_MUTATION, loginVariables(accounts, member, PASSWORD), member);
      tokens.set(member, (login.login as { accessToken: string }).accessToken);
    }
    await mutate('factory-a-user', 'registerFactory', {
      factoryId,
      name: factoryId,
      location: 'Suzhou',
      processes: [{ process: 'CNC', pricePerMinute: 50 }],
    });
    await mutate('factory-a-user', 'declareCapacity', {
      factoryId,
      entries: [2, 3, 4].map((n) => ({ process: 'CNC', bucket: bucketFromNow(n), minutes: 480 })),
    });
    // A dearer rival, who wins the bid: the matcher would have chosen factory A.
    await mutate('factory-b-user', 'registerFactory', {
      factoryId: rivalId,
      name: rivalId,
      location: 'Wuxi',
      processes: [{ process: 'CNC', pricePerMinute: 90 }],
    });
    await mutate('factory-b-user', 'declareCapacity', {
      factoryId: rivalId,
      entries: [2, 3, 4].map((n) => ({ process: 'CNC', bucket: bucketFromNow(n), minutes: 480 })),
    });
  });

  afterAll(async () => {
    await api.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('places nothing of an order in its bid window, and places it once the window closed with no bid', async () => {
    const { workOrderId, windowEnd } = await publishForBidding('WO-BID', 'BID-1');
    expect((await replan()).replan).toMatchObject({ error: null });
    expect(await lotsOf(workOrderId)).toEqual([]);
    await sleep(windowEnd - Date.now() + 300);
    expect((await replan()).replan).toMatchObject({ error: null });
    expect((await lotsOf(workOrderId)).map((l) => l.factoryId)).toContain(factoryId);
  });

  /** Seals a bid as factory B's plant, waits out the window and reveals it. */
  const bidAndReveal = async (bid: object, windowEnd: number) => {
    const sealed = await ok(
      'mutation($b: SealBidInput!) { sealBid(bid: $b) { receipt { result } userErrors { code message } } }',
      { b: bid },
      'factory-b-user',
    );
    const { salt } = (sealed.sealBid as { receipt: { result: { sealedBid: { salt: string } } } }).receipt
      .result.sealedBid;
    await sleep(windowEnd - Date.now() + 300);
    await mutate('factory-b-user', 'revealBid', { bid: { ...bid, salt } });
  };

  it('places the winner’s units with the award itself, accepted, at the winning price, by its promised finish', async () => {
    const { workOrderId, windowEnd } = await publishForBidding('WO-WON', 'BID-2');
    const bid = { workOrderId, factoryId: rivalId, unitPrice: 150, quantity: 10, finishBy: bucketFromNow(4) };
    await bidAndReveal(bid, windowEnd);
    // Somebody bid: the closed window does not hand the order to the matcher, the customer awards.
    expect((await replan()).replan).toMatchObject({ error: null });
    expect(await lotsOf(workOrderId)).toEqual([]);
    await mutate('customer-1', 'awardBid', { workOrderId });
    const lots = await lotsOf(workOrderId);
    expect(lots.map((l) => [l.factoryId, l.unitPrice, l.quantity, l.status])).toEqual([
      [rivalId, 150, 10, 'ACCEPTED'],
    ]);
    // It finishes by the time the winner promised: its shift ends by the bid's finishBy.
    for (const lot of lots)
      expect(Date.parse(lot.bucket) + 8 * 3_600_000, lot.bucket).toBeLessThanOrEqual(
        Date.parse(bid.finishBy),
      );
    // The matcher holds it where it is and adds nothing: the bid covered the whole order.
    expect((await replan()).replan).toMatchObject({ error: null });
    expect((await lotsOf(workOrderId)).map((l) => l.id)).toEqual(lots.map((l) => l.id));
  });

  it('leaves what a partial bid did not cover to the matcher, at list price, anywhere', async () => {
    const { workOrderId, windowEnd } = await publishForBidding('WO-PART', 'BID-3');
    await bidAndReveal(
      { workOrderId, factoryId: rivalId, unitPrice: 150, quantity: 6, finishBy: bucketFromNow(4) },
      windowEnd,
    );
    await mutate('customer-1', 'awardBid', { workOrderId });
    expect((await replan()).replan).toMatchObject({ error: null });
    const lots = await lotsOf(workOrderId);
    // 6 units at the winner, at its bid; the other 4 at the cheaper plant A, at its list price (2 min × 50).
    expect(
      lots
        .map((l) => [l.factoryId, l.unitPrice, l.quantity, l.status])
        .sort((a, b) => String(a[0]).localeCompare(String(b[0]))),
    ).toEqual(
      [
        [factoryId, 100, 4, 'ASSIGNED'],
        [rivalId, 150, 6, 'ACCEPTED'],
      ].sort((a, b) => String(a[0]).localeCompare(String(b[0]))),
    );
  });
});
