import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { RUNTIME_DIR } from '@fabpool/network';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LOGIN_MUTATION } from '../support/accounts.js';
import { graphqlClient, nodesOf } from '../support/graphqlClient.js';
import { openOrganisationNodes, type Members, type NodeProcess } from '../support/organisationNodes.js';
import { bucketFromNow, unique } from '../support/poolClient.js';

const PASSWORD = 'node-story-2026';
/**
 * Operation 1 is injection moulding, which only FactoryA's plants offer on the test network (no other
 * test declares it); operation 2 is assembly, which only FactoryB's plants offer (here and in the
 * lot life-cycle scenario). So the matcher must put them on the two factories.
 */
const PROCESS = 'INJECTION';
const SECOND_PROCESS = 'ASSEMBLY';

/** Which organisation's node each member of the story logs in to. */
const HOME: Record<string, string> = {
  'alliance-admin': 'Alliance',
  'customer-1': 'CustomerA',
  'factory-a-user': 'FactoryA',
  'factory-b-user': 'FactoryB',
  auditor: 'Audit',
};

interface StoryLot {
  id: string;
  factoryId: string;
  status: string;
  record: { factoryMspId: string; fromSeq: number };
}

/**
 * The whole story across organisations' nodes on the live network: each node an api with its own
 * read model that holds only its organisation's keys, each member logged in to its own
 * organisation's node. CustomerA buys a quota and publishes; the operator's node runs the matcher;
 * FactoryA's node sees its lot, accepts, scans and hands over to FactoryB's node; CustomerA's node
 * accepts the delivery and confirms payment; the Audit node traces and verifies.
 */
describe('the story across the organisations’ nodes', () => {
  let nodes = new Map<string, NodeProcess>();
  let members: Members;
  let closeNodes: () => Promise<void> = () => Promise.resolve();
  /** What the story opened, closed again afterwards so that a later run on a kept network starts alike. */
  const opened = {
    plants: [] as { member: string; factoryId: string; process: string; buckets: string[] }[],
    orders: [] as string[],
  };
  const mutate = (member: string, name: string, request: object) => members.mutate(member, name, request);
  const lotsOf = async (member: string, workOrderId: string): Promise<StoryLot[]> =>
    (
      (await members.ok(
        member,
        'query($id: String!) { workOrder(id: $id) { lots { id factoryId status record { factoryMspId fromSeq } } } }',
        {
          id: workOrderId,
        },
      )) as { workOrder: { lots: StoryLot[] } | null }
    ).workOrder?.lots ?? [];

  beforeAll(async () => {
    ({ nodes, members, close: closeNodes } = await openOrganisationNodes(HOME, PASSWORD));
  });

  afterAll(async () => {
    for (const workOrderId of opened.orders)
      await mutate('customer-1', 'cancelWorkOrder', { workOrderId }).catch(() => undefined);
    for (const { member, factoryId, process, buckets } of opened.plants)
      await mutate(member, 'declareCapacity', {
        factoryId,
        entries: buckets.map((bucket) => ({ process, bucket, minutes: 0 })),
      }).catch(() => undefined);
    await closeNodes();
  });

  it('lets each member log in only to its own organisation’s node, which can sign for nobody else', async () => {
    const factoryANode = nodes.get('FactoryA');
    const operatorNode = nodes.get('Alliance');
    // Each node a process of its own, on its organisation's address.
    expect(new Set([...nodes.values()].map((n) => n.url)).size).toBe(nodes.size);
    expect(operatorNode?.runsMatcher).toBe(true);
    expect(new Set(factoryANode?.accounts.map((a) => a.role))).toEqual(new Set(['factory']));
    // Its login page says whose node it is.
    const said = (await (await fetch(`${factoryANode?.url ?? ''}/node`)).json()) as {
      organisations: string[];
    };
    expect(said.organisations).toEqual(['FactoryAMSP']);
    expect(factoryANode?.runsMatcher).toBe(false);
    // customer-1 has no account on FactoryA's node, and FactoryA's node holds no key to act for it:
    // its connection description names FactoryA's members alone (people FactoryA enrolled included).
    const client = graphqlClient(() => factoryANode?.url ?? '', new Map());
    const login = await client.gql(LOGIN_MUTATION, { u: 'customer-1', p: PASSWORD, t: null }, 'customer-1');
    expect(login.errors?.[0]?.extensions?.code).toBe('AUTH.INVALID_CREDENTIALS');
    const connection = JSON.parse(
      await readFile(join(RUNTIME_DIR, 'nodes', 'FactoryA', 'connection.json'), 'utf8'),
    ) as { members: { name: string; mspId: string }[] };
    expect(new Set(connection.members.map((m) => m.mspId))).toEqual(new Set(['FactoryAMSP']));
    expect(connection.members.map((m) => m.name)).toContain('factory-a-user');
    expect(connection.members.map((m) => m.name)).not.toContain('customer-1');
  });

  it('carries a quota-backed order from CustomerA’s node through the operator’s matcher, FactoryA and FactoryB to delivery, payment and audit', async () => {
    const [early, late] = [bucketFromNow(2), bucketFromNow(3)];
    const [plantA, plantB] = [`F-NA-${unique()}`, `F-NB-${unique()}`];
    const quotaId = `Q-N-${unique()}`;
    const workOrderId = `WO-N-${unique()}`;
    for (const [member, factoryId, process, bucket] of [
      ['factory-a-user', plantA, PROCESS, early],
      ['factory-b-user', plantB, SECOND_PROCESS, late],
    ] as const) {
      await mutate(member, 'registerFactory', {
        factoryId,
        name: `${member} ${process.toLowerCase()}`,
        location: 'Ningbo',
        processes: [{ process, pricePerMinute: 100 }],
      });
      await mutate(member, 'declareCapacity', { factoryId, entries: [{ process, bucket, minutes: 480 }] });
      opened.plants.push({ member, factoryId, process, buckets: [bucket] });
    }
    await mutate('factory-a-user', 'listQuota', {
      quotaId,
      factoryId: plantA,
      process: PROCESS,
      windowStart: early,
      windowEnd: early,
      minutes: 100,
      pricePerMinute: 80,
    });
    // Each node learns of the others' writes from its own peer's events, into its own read model.
    await expect
      .poll(
        async () =>
          nodesOf<{ id: string }>(
            await members.ok('customer-1', '{ quotaMarket(status: "LISTED") { edges { node { id } } } }', {}),
            'quotaMarket',
          ).map((q) => q.id),
        { timeout: 30_000 },
      )
      .toContain(quotaId);
    expect(await mutate('customer-1', 'buyQuota', { quotaId })).toMatchObject({
      status: 'SOLD',
      buyerMspId: 'CustomerAMSP',
    });
    await mutate('customer-1', 'publishWorkOrder', {
      workOrderId,
      partNumber: 'HOUSING-N',
      quantity: 20,
      routing: [
        { seq: 1, process: PROCESS, standardMinutes: 2 },
        { seq: 2, process: SECOND_PROCESS, standardMinutes: 2 },
      ],
      dueBucket: bucketFromNow(6),
      priority: 'NORMAL',
      maxUnitPrice: 1_000,
    });
    // The operator's node runs the matcher (only it holds the matcher's identity), on its own read model.
    await expect
      .poll(
        async () =>
          (
            (await members.ok('alliance-admin', 'query($id: String!) { workOrder(id: $id) { id } }', {
              id: workOrderId,
            })) as {
              workOrder: { id: string } | null;
            }
          ).workOrder?.id,
        { timeout: 30_000 },
      )
      .toBe(workOrderId);
    const replan = await members.ok('alliance-admin', 'mutation { replan { id lotsAdded error } }', {});
    expect((replan.replan as { error: string | null }).error).toBeNull();
    let lots: StoryLot[] = [];
    await expect
      .poll(
        async () => {
          lots = await lotsOf('factory-a-user', workOrderId);
          return lots.map((l) => [l.record.fromSeq, l.record.factoryMspId]);
        },
        // FactoryA's node sees them once its own read model followed its peer to the run's block.
        { timeout: 60_000 },
      )
      .toEqual([
        [1, 'FactoryAMSP'],
        [2, 'FactoryBMSP'],
      ]);
    const [lotA, lotB] = lots.map((l) => l.id) as [string, string];

    await mutate('factory-a-user', 'acceptLot', { lotId: lotA });
    await mutate('factory-b-user', 'acceptLot', { lotId: lotB });
    await mutate('customer-1', 'offerHandOver', { lotId: lotA, toMspId: 'FactoryAMSP', quantity: 20 });
    await mutate('factory-a-user', 'confirmHandOver', { lotId: lotA, receivedQuantity: 20 });
    /** A shop-floor operator scans an operation's start, then reports all 20 pieces good. */
    const scanThrough = async (member: string, lotId: string, seq: number) => {
      const scan = { lotId, seq, operatorId: 'OP-N1', machineId: 'IM-3' };
      await mutate(member, 'startOperation', scan);
      await mutate(member, 'reportOperation', { ...scan, goodQuantity: 20, scrapQuantity: 0 });
    };
    await scanThrough('factory-a-user', lotA, 1);
    await mutate('factory-a-user', 'offerHandOver', {
      lotId: lotA,
      toMspId: 'FactoryBMSP',
      quantity: 20,
      intoLotId: lotB,
    });
    expect(
      await mutate('factory-b-user', 'confirmHandOver', { lotId: lotA, receivedQuantity: 20 }),
    ).toMatchObject({
      fromMspId: 'FactoryAMSP',
      toMspId: 'FactoryBMSP',
    });
    await scanThrough('factory-b-user', lotB, 2);
    await mutate('factory-b-user', 'offerHandOver', { lotId: lotB, toMspId: 'CustomerAMSP', quantity: 20 });
    await mutate('customer-1', 'confirmHandOver', { lotId: lotB, receivedQuantity: 20 });
    const settlement = await mutate('customer-1', 'acceptDelivery', { lotId: lotB, acceptedQuantity: 20 });
    expect(settlement).toMatchObject({ payeeMspId: 'FactoryBMSP', acceptedQuantity: 20 });
    // CustomerA's node says the money was sent; FactoryB's node, signing as FactoryB, that it arrived.
    expect(
      await mutate('customer-1', 'declarePayment', {
        settlementId: lotB,
        paymentReference: `BANK-${unique()}`,
      }),
    ).toMatchObject({ status: 'DECLARED' });
    expect(await mutate('factory-b-user', 'confirmPayment', { settlementId: lotB })).toMatchObject({
      status: 'PAID',
    });

    // The Audit node traces the order from its own read model and verifies the chain from its own peer.
    await expect
      .poll(
        async () => {
          const trace = await members.ok(
            'auditor',
            'query($id: String!) { trace(workOrderId: $id) { steps { kind } } }',
            {
              id: workOrderId,
            },
          );
          return new Set((trace.trace as { steps: { kind: string }[] }).steps.map((s) => s.kind)).has(
            'Settlement',
          );
        },
        { timeout: 30_000 },
      )
      .toBe(true);
    const verify = await members.ok('auditor', '{ verifyLedger { ok height } }', {});
    expect(verify.verifyLedger).toMatchObject({ ok: true });
    // The Audit node replays the operator's matcher run: the input fetched from its own peer by the
    // run's hash, the matcher re-run on the Audit node, the lots compared byte for byte.
    const replay = await members.ok(
      'auditor',
      'query($id: String!) { replayAssignmentRun(runId: $id) { hashMatches identical lotsRecorded differences } }',
      { id: lotA.slice(0, lotA.lastIndexOf('.')) },
    );
    expect(replay.replayAssignmentRun).toMatchObject({ hashMatches: true, identical: true, differences: [] });
  });
});
