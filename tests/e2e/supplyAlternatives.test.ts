import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createMemberAccounts, startApi, type RunningApi } from '@fabpool/api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LOGIN_MUTATION, loginVariables } from '../support/accounts.js';
import { graphqlClient, nodesOf } from '../support/graphqlClient.js';
import { bucketFromNow, unique } from '../support/poolClient.js';

const PASSWORD = 'supply-e2e-2026';
const SHIFT_MS = 8 * 3_600_000;

interface Alternative {
  choice: string;
  supplierMspId: string;
  expectedAt: string;
  finishBucket: string | null;
  lateShifts: number | null;
  unplacedUnits: number;
  processingCost: number;
  extraCost: number;
  totalCost: number;
  factoryIds: string[];
}
interface DelayedMaterial {
  materialCode: string;
  delay: { seq: number; supplierMspId: string; expectedAt: string };
  choice: {
    choice: string;
    supplierMspId: string;
    expectedAt: string;
    keepFactoryIds: string[] | null;
  } | null;
  alternatives: Alternative[];
}
interface LotView {
  id: string;
  factoryId: string;
  status: string;
  bucket: string;
}

/**
 * A supplier's long delay through the api, as the people concerned live it: the matcher re-plans
 * at once, the customer is told and finds its alternatives weighed (keep the plants, move, the
 * backup supplier) with their finish and cost, chooses on the ledger, and the matcher follows the
 * choice; the backup supplier then sees the material as its own.
 */
describe('supply alternatives after a supplier’s delay', () => {
  let api: RunningApi;
  let dir: string;
  const tokens = new Map<string, string>();
  const { gql, ok, mutate } = graphqlClient(() => api.url, tokens);
  const mspOf = (name: string): string => api.ledger.members().find((m) => m.name === name)?.mspId ?? '?';
  const plantA = `F-CNC-A-${unique()}`;
  const plantB = `F-CNC-B-${unique()}`;
  const ALTERNATIVES = `query($id: String!) { supplyAlternatives(workOrderId: $id) {
      materialCode delay { seq supplierMspId expectedAt } choice { choice supplierMspId expectedAt keepFactoryIds }
      alternatives { choice supplierMspId expectedAt finishBucket lateShifts unplacedUnits processingCost extraCost totalCost factoryIds } } }`;
  const alternativesOf = async (workOrderId: string, member = 'customer-1'): Promise<DelayedMaterial[]> =>
    (await ok(ALTERNATIVES, { id: workOrderId }, member)).supplyAlternatives as DelayedMaterial[];
  const liveLotsOf = async (workOrderId: string): Promise<LotView[]> =>
    (
      (
        await ok(
          'query($id: String!) { workOrder(id: $id) { lots { id factoryId status bucket } } }',
          { id: workOrderId },
          'customer-1',
        )
      ).workOrder as { lots: LotView[] }
    ).lots.filter((l) => l.status === 'ASSIGNED');
  const reportDelay = (workOrderId: string, delayHours: number, member = 'supplier-1') =>
    ok(
      'mutation($r: ReportSupplyDelayInput!) { reportSupplyDelay(report: $r) { expectedAt matcherRun { id error } } }',
      { r: { workOrderId, materialCode: 'STEEL-45', delayHours, reason: '轧钢厂排产延误 mill backlog' } },
      member,
    );
  const choose = (workOrderId: string, choice: object, member = 'customer-1') =>
    gql(
      'mutation($c: ChooseSupplyAlternativeInput!) { chooseSupplyAlternative(choice: $c) { choice supplierMspId expectedAt extraCost keepFactoryIds } }',
      { c: { workOrderId, materialCode: 'STEEL-45', ...choice } },
      member,
    );
  const publish = async (): Promise<string> => {
    const workOrderId = `WO-SUP-${unique()}`;
    await mutate('customer-1', 'publishWorkOrder', {
      workOrderId,
      partNumber: 'GEAR-SUP',
      quantity: 40,
      routing: [{ seq: 1, process: 'CNC', standardMinutes: 4 }],
      dueBucket: bucketFromNow(5),
      priority: 'NORMAL',
      maxUnitPrice: 1_000,
      materials: [
        {
          materialCode: 'STEEL-45',
          supplierMspId: mspOf('supplier-1'),
          quantity: 42,
          dueBucket: bucketFromNow(2),
          backups: [{ supplierMspId: mspOf('supplier-2'), leadTimeHours: 6, extraCostPerUnit: 100 }],
        },
      ],
    });
    expect((await ok('mutation { replan { id error } }', {}, 'alliance-admin')).replan).toMatchObject({
      error: null,
    });
    return workOrderId;
  };

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'fabpool-supply-'));
    api = await startApi({ dataDir: dir });
    const accounts = await createMemberAccounts(api.database.pool, api.ledger, PASSWORD);
    for (const member of [
      'customer-1',
      'customer-2',
      'supplier-1',
      'supplier-2',
      'factory-a-user',
      'factory-b-user',
      'alliance-admin',
    ]) {
      const login = await ok(LOGIN_MUTATION, loginVariables(accounts, member, PASSWORD), member);
      tokens.set(member, (login.login as { accessToken: string }).accessToken);
    }
    // Plant A is the cheaper: the matcher puts the work there first.
    for (const [member, factoryId, price] of [
      ['factory-a-user', plantA, 40],
      ['factory-b-user', plantB, 60],
    ] as const) {
      await mutate(member, 'registerFactory', {
        factoryId,
        name: factoryId,
        location: 'Suzhou',
        processes: [{ process: 'CNC', pricePerMinute: price }],
      });
      await mutate(member, 'declareCapacity', {
        factoryId,
        entries: [2, 3, 4, 5, 6, 7, 8].map((n) => ({
          process: 'CNC',
          bucket: bucketFromNow(n),
          minutes: 480,
        })),
      });
    }
  }, 120_000);

  afterAll(async () => {
    await api.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('weighs the alternatives at once, tells the customer, and follows the backup supplier it chooses', async () => {
    const workOrderId = await publish();
    expect((await liveLotsOf(workOrderId)).map((l) => l.factoryId)).toEqual([plantA]);

    // 50 h late: the material comes in the seventh shift from now, two after the order is due.
    const reported = (await reportDelay(workOrderId, 50)).reportSupplyDelay as { expectedAt: string };
    const waitFrom = Math.ceil(Date.parse(reported.expectedAt) / SHIFT_MS) * SHIFT_MS;
    for (const l of await liveLotsOf(workOrderId))
      expect(Date.parse(l.bucket)).toBeGreaterThanOrEqual(waitFrom);

    const alerts = nodesOf<{ kind: string; workOrderId: string; message: string }>(
      await ok('query { alerts { edges { node { kind workOrderId message } } } }', {}, 'customer-1'),
      'alerts',
    ).filter((a) => a.kind === 'SUPPLIER_DELAY' && a.workOrderId === workOrderId);
    expect(alerts).toHaveLength(1);
    expect(alerts[0]?.message).toContain('3 alternatives');

    const order = (
      await ok(
        'query($id: String!) { workOrder(id: $id) { materialsAwaitingChoice } }',
        { id: workOrderId },
        'customer-1',
      )
    ).workOrder as { materialsAwaitingChoice: string[] };
    expect(order.materialsAwaitingChoice).toEqual(['STEEL-45']);

    const [material] = await alternativesOf(workOrderId);
    expect(material?.choice).toBeNull();
    const byChoice = new Map(material?.alternatives.map((a) => [a.choice, a]));
    expect([...byChoice.keys()]).toEqual(['KEEP_PLANTS', 'MOVE_PLANTS', 'BACKUP_SUPPLIER']);
    const keep = byChoice.get('KEEP_PLANTS');
    const backup = byChoice.get('BACKUP_SUPPLIER');
    const move = byChoice.get('MOVE_PLANTS');
    // Waiting finishes late; the backup supplier brings it on time, at its extra cost.
    expect(keep?.factoryIds.every((id) => id === plantA)).toBe(true);
    expect(move?.lateShifts).toBeGreaterThan(0);
    expect(backup).toMatchObject({ supplierMspId: mspOf('supplier-2'), lateShifts: 0, extraCost: 100 * 42 });
    expect(Date.parse(backup?.finishBucket ?? '')).toBeLessThan(Date.parse(move?.finishBucket ?? ''));
    expect(backup?.totalCost).toBe((backup?.processingCost ?? 0) + 100 * 42);
    expect(Date.parse(backup?.expectedAt ?? '') - Date.now()).toBeLessThanOrEqual(6 * 3_600_000);

    // Only its customer sees and answers them.
    expect((await gql(ALTERNATIVES, { id: workOrderId }, 'customer-2')).errors?.[0]?.extensions?.code).toBe(
      'ACCESS.NOT_OWNER',
    );
    expect((await gql(ALTERNATIVES, { id: workOrderId }, 'supplier-1')).errors?.[0]?.extensions?.code).toBe(
      'ACCESS.WRONG_ROLE',
    );
    expect(
      (await choose(workOrderId, { delaySeq: 1, choice: 'MOVE_PLANTS' }, 'customer-2')).errors?.[0]
        ?.extensions?.code,
    ).toBe('ACCESS.NOT_OWNER');

    const chosen = await choose(workOrderId, {
      delaySeq: 1,
      choice: 'BACKUP_SUPPLIER',
      backupSupplierMspId: mspOf('supplier-2'),
    });
    expect(chosen.errors).toBeUndefined();
    expect(chosen.data?.chooseSupplyAlternative).toMatchObject({
      supplierMspId: mspOf('supplier-2'),
      extraCost: 4200,
    });
    // The matcher follows it: the work comes back before the first supplier's date, on time.
    const lots = await liveLotsOf(workOrderId);
    expect(lots.length).toBeGreaterThan(0);
    for (const l of lots) {
      expect(Date.parse(l.bucket)).toBeLessThan(waitFrom);
      expect(Date.parse(l.bucket)).toBeLessThanOrEqual(Date.parse(bucketFromNow(5)));
    }
    const again = await choose(workOrderId, { delaySeq: 1, choice: 'MOVE_PLANTS' });
    expect(again.errors?.[0]?.extensions?.code).toBe('SUPPLY.ALREADY_CHOSEN');
    const [answered] = await alternativesOf(workOrderId);
    expect(answered?.choice).toMatchObject({ choice: 'BACKUP_SUPPLIER', supplierMspId: mspOf('supplier-2') });
    expect(answered?.alternatives).toEqual([]);

    // The backup supplier now sees the material as its own; the first no longer does.
    const needsOf = async (member: string) =>
      (
        (await ok('query { myMaterialNeeds { workOrderId materialCode } }', {}, member)).myMaterialNeeds as {
          workOrderId: string;
        }[]
      ).filter((n) => n.workOrderId === workOrderId);
    expect(await needsOf('supplier-2')).toHaveLength(1);
    expect(await needsOf('supplier-1')).toHaveLength(0);
  });

  it('keeps the work at its plants when the customer chooses so, even when another plant could take it', async () => {
    const workOrderId = await publish();
    expect((await liveLotsOf(workOrderId)).map((l) => l.factoryId)).toEqual([plantA]);
    await reportDelay(workOrderId, 20);
    const chosen = await choose(workOrderId, { delaySeq: 1, choice: 'KEEP_PLANTS' });
    expect(chosen.data?.chooseSupplyAlternative).toMatchObject({ keepFactoryIds: [plantA] });
    // Plant A goes down: a kept order waits for it rather than move to plant B.
    await ok(
      'mutation($r: DeclareOutageInput!) { declareOutage(report: $r) { id error } }',
      {
        r: {
          factoryId: plantA,
          from: new Date().toISOString(),
          until: new Date(Date.now() + 86_400_000 * 7).toISOString(),
          reason: '停电 power cut',
        },
      },
      'factory-a-user',
    );
    expect((await liveLotsOf(workOrderId)).filter((l) => l.factoryId === plantB)).toEqual([]);
  });
});
