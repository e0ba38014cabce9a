import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createMemberAccounts, startApi, type MatcherRun, type RunningApi } from '@fabpool/api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LOGIN_MUTATION, loginVariables } from '../support/accounts.js';
import { graphqlClient, nodesOf } from '../support/graphqlClient.js';
import { bucketFromNow, unique } from '../support/poolClient.js';

const PASSWORD = 'matcher-e2e-2026';

interface LotView {
  id: string;
  factoryId: string;
  status: string;
  bucket: string;
  quantity: number;
}

/**
 * The matcher service through the api, on the embedded ledger and PGlite: it publishes only what
 * changed, re-plans at once on a rejection, an outage, a long supplier delay and a cancellation,
 * treats a silent factory as unavailable, and answers what-if questions without publishing.
 */
describe('the matcher service, through the api', () => {
  let api: RunningApi;
  let dir: string;
  let clock = Date.now();
  const tokens = new Map<string, string>();
  const { gql, ok, mutate } = graphqlClient(() => api.url, tokens);
  const RUN =
    'id triggers { kind detail } ledgerRunIds lotsAdded lotsWithdrawn lotsKept unplacedUnits moved { lotId workOrderId seq factoryId bucket quantity change why { costPerUnit nextBest { factoryId bucket costPerUnit } } } error';
  const RUN_IDS = 'query { matcherRuns(first: 200) { edges { node { id } } } }';
  const replan = async (): Promise<MatcherRun> =>
    (await ok(`mutation { replan { ${RUN} } }`, {}, 'alliance-admin')).replan as MatcherRun;
  const lotsOf = async (workOrderId: string): Promise<LotView[]> =>
    (
      (
        await ok(
          'query($id: String!) { workOrder(id: $id) { lots { id factoryId status bucket quantity } } }',
          { id: workOrderId },
          'customer-1',
        )
      ).workOrder as { lots: LotView[] }
    ).lots;
  const latestRun = async (): Promise<MatcherRun | undefined> =>
    nodesOf<MatcherRun>(
      await ok(`query { matcherRuns(first: 1) { edges { node { ${RUN} } } } }`, {}, 'auditor'),
      'matcherRuns',
    )[0];

  const factoryA = `F-A-${unique()}`;
  const factoryB = `F-B-${unique()}`;
  const shaft = `WO-${unique()}`;
  const buckets = [2, 3, 4, 5].map(bucketFromNow);

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'fabpool-matcher-'));
    api = await startApi({ dataDir: dir, matcher: { now: () => clock, silenceMinutes: 30 } });
    const accounts = await createMemberAccounts(api.database.pool, api.ledger, PASSWORD);
    for (const member of [
      'alliance-admin',
      'customer-1',
      'factory-a-user',
      'factory-b-user',
      'auditor',
      'supplier-1',
    ]) {
      const login = await ok(LOGIN_MUTATION, loginVariables(accounts, member, PASSWORD), member);
      tokens.set(member, (login.login as { accessToken: string }).accessToken);
    }
    for (const [member, factoryId, price] of [
      ['factory-a-user', factoryA, 80],
      ['factory-b-user', factoryB, 100],
    ] as const) {
      await mutate(member, 'registerFactory', {
        factoryId,
        name: factoryId,
        location: 'Suzhou',
        processes: [{ process: 'CNC', pricePerMinute: price }],
      });
      await mutate(member, 'declareCapacity', {
        factoryId,
        entries: buckets.map((bucket) => ({ process: 'CNC', bucket, minutes: 480 })),
      });
    }
    await mutate('customer-1', 'publishWorkOrder', {
      workOrderId: shaft,
      partNumber: 'SHAFT-9',
      quantity: 50,
      routing: [{ seq: 1, process: 'CNC', standardMinutes: 2 }],
      dueBucket: bucketFromNow(5),
      priority: 'NORMAL',
      maxUnitPrice: 400,
    });
  });

  afterAll(async () => {
    await api.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('places work on the cheapest factory, then publishes nothing when nothing changed', async () => {
    const first = await replan();
    expect(first.error).toBeNull();
    expect(first.lotsAdded).toBeGreaterThanOrEqual(1);
    const lots = await lotsOf(shaft);
    expect(lots.map((l) => [l.factoryId, l.status, l.quantity])).toEqual([[factoryA, 'ASSIGNED', 50]]);
    // The factory sees why: the lot's cost per unit (and, from the dispatcher, the next-best slot).
    const explained = (
      (
        await ok(
          'query($id: String!) { workOrder(id: $id) { lots { explanation { why { costPerUnit nextBest { factoryId bucket costPerUnit } } } } } }',
          { id: shaft },
          'factory-a-user',
        )
      ).workOrder as {
        lots: {
          explanation: {
            why: { costPerUnit: number; nextBest: { factoryId: string; costPerUnit: number } | null };
          };
        }[];
      }
    ).lots[0]?.explanation.why;
    expect(explained?.costPerUnit).toBeGreaterThan(0);
    if (explained?.nextBest != null)
      expect(explained.nextBest.costPerUnit).toBeGreaterThanOrEqual(explained.costPerUnit);
    expect(buckets).toContain(lots[0]?.bucket);
    const height = await api.ledger.height();
    const again = await replan();
    expect(again).toMatchObject({ lotsAdded: 0, lotsWithdrawn: 0, ledgerRunIds: [] });
    expect(again.lotsKept).toBeGreaterThanOrEqual(1);
    expect(await api.ledger.height()).toBe(height);
  });

  it('shows what a rush order or an outage would do, before anything is published', async () => {
    const height = await api.ledger.height();
    const rush = (
      await ok(
        `query($routing: [OperationInput!]!, $due: String!) {
          whatIf(kind: "RUSH_ORDER", quantity: 30, routing: $routing, dueBucket: $due, maxUnitPrice: 500) {
            impact { rushLots { factoryId bucket quantity } costDelta } millis
          }
        }`,
        { routing: [{ seq: 1, process: 'CNC', standardMinutes: 2 }], due: bucketFromNow(3) },
        'customer-1',
      )
    ).whatIf as { impact: { rushLots: { factoryId: string; bucket: string; quantity: number }[] } };
    expect(rush.impact.rushLots.reduce((s, l) => s + l.quantity, 0)).toBe(30);
    expect(rush.impact.rushLots.every((l) => Date.parse(l.bucket) <= Date.parse(bucketFromNow(3)))).toBe(
      true,
    );
    const outage = (
      await ok(
        'query($f: String!, $from: String!) { whatIf(kind: "FACTORY_OUTAGE", factoryId: $f, from: $from) { impact { moved { before { factoryId } after { factoryId } } } } }',
        { f: factoryA, from: new Date(clock).toISOString() },
        'alliance-admin',
      )
    ).whatIf as { impact: { moved: { before: { factoryId: string }; after: { factoryId: string }[] }[] } };
    expect(outage.impact.moved.map((m) => [m.before.factoryId, m.after.map((a) => a.factoryId)])).toEqual([
      [factoryA, [factoryB]],
    ]);
    // A rival factory asking the same learns only how many of others' lots would move.
    const rival = (
      await ok(
        'query($f: String!, $from: String!) { whatIf(kind: "FACTORY_OUTAGE", factoryId: $f, from: $from) { impact { moved { before { factoryId workOrderId } } movedOthers affectedLots { workOrderId } } } }',
        { f: factoryA, from: new Date(clock).toISOString() },
        'factory-b-user',
      )
    ).whatIf as { impact: { moved: unknown[]; movedOthers: number; affectedLots: unknown[] } };
    expect(rival.impact).toMatchObject({ moved: [], movedOthers: 1 });
    expect(await api.ledger.height()).toBe(height);
  });

  it('moves a waiting lot when its factory reports the shift full, withdrawing it in the same run', async () => {
    const [before] = await lotsOf(shaft);
    await ok(
      'mutation($r: ReportLoadInput!) { reportLoad(report: $r) { factoryId entries reportedAt } }',
      { r: { factoryId: factoryA, loads: [{ process: 'CNC', bucket: before?.bucket, loadMinutes: 480 }] } },
      'factory-a-user',
    );
    const run = await replan();
    expect(run).toMatchObject({ lotsAdded: 1, lotsWithdrawn: 1 });
    expect(run.ledgerRunIds).toHaveLength(1);
    const lots = await lotsOf(shaft);
    expect(lots.find((l) => l.id === before?.id)?.status).toBe('REASSIGNED');
    const moved = lots.filter((l) => l.id !== before?.id);
    expect(moved.map((l) => [l.factoryId, l.status])).toEqual([[factoryA, 'ASSIGNED']]);
    expect(moved[0]?.bucket).not.toBe(before?.bucket);
    expect((run.moved ?? []).map((m) => m.change).sort()).toEqual(['ADDED', 'WITHDRAWN']);
  });

  it('re-plans at once when a factory rejects, and does not offer it the work again', async () => {
    const waiting = (await lotsOf(shaft)).find((l) => l.status === 'ASSIGNED');
    await mutate('factory-a-user', 'rejectLot', { lotId: waiting?.id, reason: 'tooling broke' });
    expect((await latestRun())?.triggers).toEqual([{ kind: 'REJECTION', detail: waiting?.id }]);
    const lots = (await lotsOf(shaft)).filter((l) => l.status === 'ASSIGNED');
    expect(lots.map((l) => [l.factoryId, l.quantity])).toEqual([[factoryB, 50]]);
  });

  it('re-plans at once on an outage, moving the lots its factory had not accepted', async () => {
    const refused = await gql(
      'mutation($r: DeclareOutageInput!) { declareOutage(report: $r) { id } }',
      {
        r: {
          factoryId: factoryB,
          from: new Date(clock).toISOString(),
          until: new Date(clock + 86_400_000 * 7).toISOString(),
          reason: 'x',
        },
      },
      'factory-a-user',
    );
    expect(refused.errors?.[0]?.extensions?.code).toBe('ACCESS.NOT_OWNER');
    const run = (
      await ok(
        `mutation($r: DeclareOutageInput!) { declareOutage(report: $r) { ${RUN} } }`,
        {
          r: {
            factoryId: factoryB,
            from: new Date(clock).toISOString(),
            until: new Date(clock + 86_400_000 * 7).toISOString(),
            reason: '停电 power cut',
          },
        },
        'factory-b-user',
      )
    ).declareOutage as MatcherRun;
    expect(run.triggers[0]?.kind).toBe('FACTORY_OUTAGE');
    expect(run.lotsWithdrawn).toBe(1);
    // A turned it down, B is down: the units wait, explained.
    expect((await lotsOf(shaft)).filter((l) => l.status === 'ASSIGNED')).toEqual([]);
    expect(run.unplacedUnits).toBeGreaterThanOrEqual(50);
  });

  it('keeps a work order off the shifts before its late material arrives, at once over 8 hours', async () => {
    const gear = `WO-${unique()}`;
    await mutate('customer-1', 'publishWorkOrder', {
      workOrderId: gear,
      partNumber: 'GEAR-2',
      quantity: 20,
      routing: [{ seq: 1, process: 'CNC', standardMinutes: 1 }],
      dueBucket: bucketFromNow(5),
      priority: 'NORMAL',
      maxUnitPrice: 400,
      materials: [
        {
          materialCode: 'STEEL-45',
          supplierMspId: api.ledger.members().find((m) => m.name === 'supplier-1')?.mspId ?? '?',
          quantity: 12,
          dueBucket: bucketFromNow(2),
        },
      ],
    });
    const notTheirs = await gql(
      `mutation($r: ReportSupplyDelayInput!) { reportSupplyDelay(report: $r) { workOrderId expectedAt matcherRun { ${RUN} } } }`,
      { r: { workOrderId: gear, materialCode: 'COPPER-1', delayHours: 30, reason: 'x' } },
      'supplier-1',
    );
    expect(notTheirs.errors?.[0]?.extensions?.code).toBe('ACCESS.NOT_OWNER');
    const short = (
      await ok(
        `mutation($r: ReportSupplyDelayInput!) { reportSupplyDelay(report: $r) { workOrderId expectedAt matcherRun { ${RUN} } } }`,
        { r: { workOrderId: gear, materialCode: 'STEEL-45', delayHours: 2, reason: 'truck late' } },
        'supplier-1',
      )
    ).reportSupplyDelay as { matcherRun: MatcherRun | null };
    expect(short.matcherRun).toBeNull();
    const long = (
      await ok(
        `mutation($r: ReportSupplyDelayInput!) { reportSupplyDelay(report: $r) { workOrderId expectedAt matcherRun { ${RUN} } } }`,
        { r: { workOrderId: gear, materialCode: 'STEEL-45', delayHours: 30, reason: 'mill backlog' } },
        'supplier-1',
      )
    ).reportSupplyDelay as { expectedAt: string; matcherRun: MatcherRun };
    expect(long.matcherRun.triggers[0]?.kind).toBe('SUPPLIER_DELAY');
    const lots = (await lotsOf(gear)).filter((l) => l.status === 'ASSIGNED');
    expect(lots.length).toBeGreaterThan(0);
    for (const l of lots) expect(Date.parse(l.bucket)).toBeGreaterThanOrEqual(Date.parse(long.expectedAt));
    const wrongRole = await gql(
      `mutation($r: ReportSupplyDelayInput!) { reportSupplyDelay(report: $r) { workOrderId expectedAt matcherRun { ${RUN} } } }`,
      { r: { workOrderId: gear, materialCode: 'STEEL-45', delayHours: 30, reason: 'x' } },
      'customer-1',
    );
    expect(wrongRole.errors?.[0]?.extensions?.code).toBe('ACCESS.WRONG_ROLE');
    const badReport = await gql(
      `mutation($r: ReportSupplyDelayInput!) { reportSupplyDelay(report: $r) { workOrderId expectedAt matcherRun { ${RUN} } } }`,
      { r: { workOrderId: gear, materialCode: 'STEEL-45', delayHours: -1, reason: 'x' } },
      'supplier-1',
    );
    expect(badReport.errors?.[0]?.extensions?.code).toBe('REQUEST.INVALID_ARGUMENT');

    await mutate('customer-1', 'cancelWorkOrder', { workOrderId: gear });
    expect((await latestRun())?.triggers[0]?.kind).toBe('CANCELLATION');
  });

  it('treats a factory that stopped reporting as unavailable, and re-plans when it falls silent', async () => {
    clock += 31 * 60_000;
    const run = await api.matcher.tick();
    expect(run?.triggers).toEqual([{ kind: 'FACTORY_SILENT', detail: `silent: ${factoryA}` }]);
    // Nothing new: the next look re-plans only when the schedule is due.
    expect(await api.matcher.tick()).toBeUndefined();
  });

  it('answers what-if questions without publishing anything', async () => {
    const height = await api.ledger.height();
    const runs = nodesOf(await ok(RUN_IDS, {}, 'auditor'), 'matcherRuns');
    const rush = (
      await ok(
        `query($routing: [OperationInput!]!, $due: String!) {
          whatIf(kind: "RUSH_ORDER", quantity: 30, routing: $routing, dueBucket: $due, maxUnitPrice: 500) {
            impact { rushLots { factoryId bucket quantity } costDelta } millis
          }
        }`,
        { routing: [{ seq: 1, process: 'CNC', standardMinutes: 1 }], due: bucketFromNow(4) },
        'customer-1',
      )
    ).whatIf as {
      impact: { rushLots: { factoryId: string; bucket: string; quantity: number }[]; costDelta: number };
      millis: number;
    };
    // A is silent and B is down: the rush order has nowhere to go, and the answer says so.
    expect(rush.impact.rushLots).toEqual([]);
    expect(rush.impact.costDelta).toBeGreaterThan(0);
    const bad = await gql('query { whatIf(kind: "METEOR") { millis } }', {}, 'alliance-admin');
    expect(bad.errors?.[0]?.extensions?.code).toBe('REQUEST.INVALID_ARGUMENT');
    const missing = await gql('query { whatIf(kind: "MATERIAL_DELAY") { millis } }', {}, 'alliance-admin');
    expect(missing.errors?.[0]?.message).toContain('delayHours');
    expect(await api.ledger.height()).toBe(height);
    expect(nodesOf(await ok(RUN_IDS, {}, 'auditor'), 'matcherRuns')).toHaveLength(runs.length);
  });
});
