import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createMemberAccounts, startApi, type MatcherRun, type RunningApi } from '@fabpool/api';
import { runInputParser } from '@fabpool/chaincode/model';
import { inflateRunInput } from '@fabpool/chaincode/rules/runInput';
import { decodeUtf8 } from '@fabpool/network';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LOGIN_MUTATION, loginVariables } from '../support/accounts.js';
import { graphqlClient, nodesOf } from '../support/graphqlClient.js';
import { bucketFromNow, unique } from '../support/poolClient.js';

const PASSWORD = 'improvement-e2e-2026';
const RUN =
  'id triggers { kind detail } solver ledgerRunIds lotsAdded lotsWithdrawn unplacedUnits cost { total } error';

type Run = MatcherRun & { solver: string; cost: { total: number } };

/**
 * A pool large enough for the quick first plan (here: more than one order, the threshold lowered
 * from the matcher's 3,000): the service publishes the first plan at once, improves it on a worker
 * thread, publishes the improvement as a run of its own, and the next quick plan keeps it.
 */
describe('the matcher service’s background improvement, through the api', () => {
  let api: RunningApi;
  let dir: string;
  const tokens = new Map<string, string>();
  const { ok, mutate } = graphqlClient(() => api.url, tokens);
  const runs = async (): Promise<Run[]> =>
    nodesOf<Run>(
      await ok(`query { matcherRuns(first: 20) { edges { node { ${RUN} } } } }`, {}, 'alliance-admin'),
      'matcherRuns',
    );
  const placedOf = async (workOrderId: string): Promise<number> =>
    (
      (
        await ok(
          'query($id: String!) { workOrder(id: $id) { lots { status quantity } } }',
          { id: workOrderId },
          'customer-1',
        )
      ).workOrder as { lots: { status: string; quantity: number }[] }
    ).lots
      .filter((l) => l.status === 'ASSIGNED')
      .reduce((s, l) => s + l.quantity, 0);

  const cheap = `F-CHEAP-${unique()}`;
  const dear = `F-DEAR-${unique()}`;
  const large = `WO-LARGE-${unique()}`;
  const thrifty = `WO-THRIFTY-${unique()}`;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'fabpool-improve-'));
    api = await startApi({ dataDir: dir, matcher: { firstPlanAbove: 1 } });
    const accounts = await createMemberAccounts(api.database.pool, api.ledger, PASSWORD);
    for (const member of ['alliance-admin', 'customer-1', 'factory-a-user', 'factory-b-user', 'auditor']) {
      const login = await ok(LOGIN_MUTATION, loginVariables(accounts, member, PASSWORD), member);
      tokens.set(member, (login.login as { accessToken: string }).accessToken);
    }
    const buckets = [2, 3].map(bucketFromNow);
    for (const [member, factoryId, price] of [
      ['factory-a-user', cheap, 80],
      ['factory-b-user', dear, 100],
    ] as const) {
      await mutate(member, 'registerFactory', {
        factoryId,
        name: factoryId,
        location: 'Ningbo',
        processes: [{ process: 'CNC', pricePerMinute: price }],
      });
      await mutate(member, 'declareCapacity', {
        factoryId,
        entries: buckets.map((bucket) => ({ process: 'CNC', bucket, minutes: 950 })),
      });
    }
    // Dispatch places the larger order first, on the cheap plant's minutes (1,800 of its 1,900);
    // the thrifty order cannot pay the dear plant (2 min × 100 > 170) and is left 50 units short.
    // Placed the other way round, everything fits: the large order's last 50 units on the dear plant.
    for (const [workOrderId, quantity, maxUnitPrice] of [
      [large, 900, 400],
      [thrifty, 100, 170],
    ] as const)
      await mutate('customer-1', 'publishWorkOrder', {
        workOrderId,
        partNumber: 'FLANGE-2',
        quantity,
        routing: [{ seq: 1, process: 'CNC', standardMinutes: 2 }],
        dueBucket: bucketFromNow(5),
        priority: 'NORMAL',
        maxUnitPrice,
      });
  });

  afterAll(async () => {
    await api.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('publishes the quick plan at once, then the cheaper one it found in the background', async () => {
    const first = (await ok(`mutation { replan { ${RUN} } }`, {}, 'alliance-admin')).replan as Run;
    expect(first).toMatchObject({ error: null, solver: 'engine:dispatch', unplacedUnits: 50 });
    expect(await placedOf(thrifty)).toBe(50);

    await expect
      .poll(async () => (await runs()).find((r) => r.triggers.some((t) => t.kind === 'IMPROVEMENT')), {
        timeout: 60_000,
        interval: 250,
      })
      .toBeDefined();
    const improved = (await runs()).find((r) => r.triggers.some((t) => t.kind === 'IMPROVEMENT'));
    expect(improved?.triggers).toEqual([{ kind: 'IMPROVEMENT', detail: `run ${String(first.id)}` }]);
    expect(improved).toMatchObject({ error: null, unplacedUnits: 0 });
    expect(improved?.cost.total).toBeLessThan(first.cost.total);
    expect(improved?.lotsWithdrawn).toBeGreaterThan(0);
    expect(await placedOf(thrifty)).toBe(100);
    expect(await placedOf(large)).toBe(900);

    // Recorded as an improvement, so that an auditor's replay runs the same search and agrees.
    for (const runId of improved?.ledgerRunIds ?? []) {
      const replay = (
        await ok(
          'query($id: String!) { replayAssignmentRun(runId: $id) { inputHash differences identical } }',
          { id: runId },
          'auditor',
        )
      ).replayAssignmentRun as { inputHash: string; differences: string[]; identical: boolean };
      expect(replay.differences).toEqual([]);
      expect(replay.identical).toBe(true);
      const stored = runInputParser.fromJson(
        decodeUtf8(await api.ledger.evaluate('auditor', 'Assignment', 'GetRunInput', [replay.inputHash])),
      );
      expect(JSON.parse(inflateRunInput(stored.content).toString('utf8'))).toMatchObject({
        search: 'improve',
      });
    }
  });

  it('keeps the improvement on the next quick plan instead of dispatching it back', async () => {
    const height = await api.ledger.height();
    const next = (await ok(`mutation { replan { ${RUN} } }`, {}, 'alliance-admin')).replan as Run;
    expect(next).toMatchObject({ error: null, solver: 'engine:kept', lotsAdded: 0, lotsWithdrawn: 0 });
    // Its background search finds nothing cheaper than what is placed: a run that changes nothing.
    await api.matcher.idle();
    const [latest] = await runs();
    expect(latest?.triggers).toEqual([{ kind: 'IMPROVEMENT', detail: `run ${String(next.id)}` }]);
    expect(latest).toMatchObject({ lotsAdded: 0, lotsWithdrawn: 0, ledgerRunIds: [] });
    expect(await api.ledger.height()).toBe(height);
    expect(await placedOf(thrifty)).toBe(100);
  });
});
