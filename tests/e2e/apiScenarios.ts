import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  createMemberAccounts,
  createUser,
  totpNow,
  type MemberAccount,
  openDatabase,
  rebuildReadModel,
  startApi,
  type RunningApi,
} from '@fabpool/api';
import type { LedgerEngine } from '@fabpool/network';
import { buildSchema } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LOGIN_MUTATION, loginVariables } from '../support/accounts.js';
import { secretsIn, sweptQueries, type Secret } from '../support/fieldSweep.js';
import { LEDGER_PAYLOAD, nodesOf, refusalOf, requestInputOf } from '../support/graphqlClient.js';
import { bucketFromNow, sleep, unique } from '../support/poolClient.js';

const PASSWORD = 'e2e-password-2026';
/**
 * The story's one process: one the conformance suite does not use, so that on a Fabric ledger
 * shared with other tests the matcher has no one else's open work to put on this story's factory.
 */
const PROCESS = 'WIRE_HARNESS';
/** The field-level matrix's own process, so that none of the story's quotas takes its order. */
const SWEPT_PROCESS = 'SMT';

interface GqlResult {
  data?: Record<string, unknown> | null;
  errors?: { message: string; extensions?: { code?: string } }[];
}

/**
 * The story through GraphQL on the embedded ledger and embedded PostgreSQL: a factory lists a
 * quota, a customer buys it and publishes a work order, the matcher places it (quota first), the
 * factory accepts, material is handed over, the operation is scanned, the lot is delivered,
 * accepted, settled and paid; an auditor traces and verifies it. And what must be refused is.
 */
/** `databaseUrl` gives a fresh, empty database for each api it is asked for (undefined: embedded PGlite). */
export function apiScenarios(
  database: 'embedded' | 'postgres',
  databaseUrl: () => Promise<string | undefined>,
  engine: LedgerEngine = 'embedded',
): void {
  describe(`the api, end to end on the ${engine === 'fabric' ? 'Fabric network' : 'embedded ledger'} and ${database === 'embedded' ? 'embedded PostgreSQL (PGlite)' : 'a PostgreSQL server'}`, () => {
    let api: RunningApi;
    let dir: string;
    const tokens = new Map<string, string>();
    const lastCodes = new Map<string, string | null>();
    let accounts: MemberAccount[] = [];
    /** The lot the custody story settles and pays, and when its settlement was made. */
    let settled = { lotId: '', at: '' };
    const gql = async (query: string, variables: object = {}, member?: string): Promise<GqlResult> => {
      const token = member === undefined ? undefined : tokens.get(member);
      const response = await fetch(`${api.url}/graphql`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          ...(token === undefined ? {} : { authorization: `Bearer ${token}` }),
        },
        body: JSON.stringify({ query, variables }),
      });
      return (await response.json()) as GqlResult;
    };
    const mutate = async (
      member: string,
      name: string,
      request: object,
    ): Promise<Record<string, unknown>> => {
      const result = await gql(
        `mutation($r: ${requestInputOf(name)}!) { ${name}(request: $r) { ${LEDGER_PAYLOAD} } }`,
        { r: request },
        member,
      );
      if (refusalOf(result) !== undefined)
        throw new Error(`${name}: ${JSON.stringify(result.errors ?? result.data)}`);
      return (result.data?.[name] as { receipt: { result: Record<string, unknown> } }).receipt.result;
    };
    const codeOf = refusalOf;
    /** A factory registered by `member`, offering 480 minutes of PROCESS in each bucket. */
    const openPlant = async (
      member: string,
      plant: { factoryId: string; name: string; location: string; pricePerMinute: number },
      buckets: string[],
    ): Promise<void> => {
      await mutate(member, 'registerFactory', {
        factoryId: plant.factoryId,
        name: plant.name,
        location: plant.location,
        processes: [{ process: PROCESS, pricePerMinute: plant.pricePerMinute }],
      });
      await mutate(member, 'declareCapacity', {
        factoryId: plant.factoryId,
        entries: buckets.map((bucket) => ({ process: PROCESS, bucket, minutes: 480 })),
      });
    };
    const factoryId = `F-${unique()}`;
    const quotaId = `Q-${unique()}`;
    const workOrderId = `WO-${unique()}`;
    const [first, second] = [bucketFromNow(2), bucketFromNow(3)];
    /** A small work order of the right shape, published as `member`, with `changes` applied. */
    const publishAs = (member: string, changes: object) =>
      gql(
        'mutation($r: PublishWorkOrderInput!) { publishWorkOrder(request: $r) { ' + LEDGER_PAYLOAD + ' } }',
        {
          r: {
            workOrderId: `WO-${unique()}`,
            partNumber: 'P-1',
            quantity: 1,
            routing: [{ seq: 1, process: 'CNC', standardMinutes: 1 }],
            dueBucket: first,
            priority: 'NORMAL',
            maxUnitPrice: 100,
            ...changes,
          },
        },
        member,
      );

    beforeAll(async () => {
      dir = await mkdtemp(join(tmpdir(), 'fabpool-e2e-'));
      const url = await databaseUrl();
      api = await startApi({ dataDir: dir, engine, ...(url === undefined ? {} : { databaseUrl: url }) });
      accounts = await createMemberAccounts(api.database.pool, api.ledger, PASSWORD);
      for (const member of [
        'alliance-admin',
        'customer-a-admin',
        'customer-1',
        'customer-2',
        'factory-a-user',
        'factory-b-user',
        'supplier-1',
        'auditor',
      ]) {
        const variables = loginVariables(accounts, member, PASSWORD);
        const login = await gql(LOGIN_MUTATION, variables);
        tokens.set(member, (login.data?.login as { accessToken: string }).accessToken);
        lastCodes.set(member, variables.t);
      }
    });

    afterAll(async () => {
      // Leave no open work of this story behind on a shared ledger: cancel what can be cancelled.
      const { rows } = await api.database.pool.query<{ id: string; customer: string }>(
        `SELECT id, record->>'customerMemberId' AS customer FROM record
          WHERE kind = 'WorkOrder' AND record->>'status' = 'OPEN' AND record->'routing'->0->>'process' = ANY($1)`,
        [[PROCESS, SWEPT_PROCESS]],
      );
      for (const { id } of rows)
        for (const customer of ['customer-1', 'customer-2'])
          await api.ledger
            .submit(customer, 'WorkOrder', 'CancelWorkOrder', [
              JSON.stringify({ requestId: `cleanup-${unique()}`, workOrderId: id }),
            ])
            .catch(() => undefined);
      // ...and give back the quotas it bought, so that no later run's work is placed on them.
      const quotas = await api.database.pool.query<{ id: string }>(
        "SELECT id FROM record WHERE kind = 'CapacityQuota' AND record->>'status' = 'SOLD' AND record->>'process' = ANY($1)",
        [[PROCESS, SWEPT_PROCESS]],
      );
      for (const { id } of quotas.rows)
        for (const customer of ['customer-1', 'customer-2'])
          await api.ledger
            .submit(customer, 'Quota', 'ReleaseQuota', [
              JSON.stringify({ requestId: `cleanup-${unique()}`, quotaId: id }),
            ])
            .catch(() => undefined);
      await api.close();
      await rm(dir, { recursive: true, force: true });
    });

    it('places a customer’s work order on the quota it bought, through the matcher', async () => {
      await openPlant(
        'factory-a-user',
        { factoryId, name: '昆山精密', location: 'Kunshan', pricePerMinute: 100 },
        [first, second],
      );
      await mutate('factory-a-user', 'listQuota', {
        quotaId,
        factoryId,
        process: PROCESS,
        windowStart: first,
        windowEnd: second,
        minutes: 200,
        pricePerMinute: 80,
      });
      expect(await mutate('customer-1', 'buyQuota', { quotaId })).toMatchObject({ status: 'SOLD' });
      await mutate('customer-1', 'publishWorkOrder', {
        workOrderId,
        partNumber: 'SHAFT-5',
        quantity: 50,
        routing: [{ seq: 1, process: PROCESS, standardMinutes: 2 }],
        dueBucket: bucketFromNow(5),
        priority: 'NORMAL',
        maxUnitPrice: 400,
      });
      const replan = await gql('mutation { replan { id lotsAdded error } }', {}, 'alliance-admin');
      expect(replan.errors).toBeUndefined();
      const order = await gql(
        'query($id: String!) { workOrder(id: $id) { status lots { id factoryId quantity unitPrice record { quotaId } } } }',
        { id: workOrderId },
        'customer-1',
      );
      const lots = (
        order.data?.workOrder as {
          lots: {
            id: string;
            factoryId: string;
            quantity: number;
            unitPrice: number;
            record: { quotaId: string | null };
          }[];
        }
      ).lots;
      expect(lots.map((l) => [l.factoryId, l.quantity, l.record.quotaId])).toEqual([
        [factoryId, 50, quotaId],
      ]);
      // The quota's locked price, not the list price: 80 fen × 2 minutes.
      expect(lots[0]?.unitPrice).toBe(160);
      // A customer's own orders, and only those, with `mine` (read from just before this order's
      // id: a long-lived ledger holds more than one page of them).
      const mine = async (member: string) =>
        (
          (
            await gql(
              'query($after: String!) { pool(first: 1, mine: true, after: $after) { edges { node { id } } } }',
              { after: workOrderId.slice(0, -1) },
              member,
            )
          ).data?.pool as { edges: { node: { id: string } }[] }
        ).edges.map((e) => e.node.id);
      expect(await mine('customer-1')).toContain(workOrderId);
      expect(await mine('customer-2')).not.toContain(workOrderId);
      // Commercial data stays with its owners: another factory sees the lot (the order is open
      // demand) but not its price nor the matcher's reasoning; another customer not even the order
      // (as not found); neither sees the plant's capacity, load, list prices or trace; its own
      // factory and its own customer do.
      const orderAs = async (member: string) =>
        (
          await gql(
            'query($id: String!) { workOrder(id: $id) { lots { unitPrice explanation { why { costPerUnit } } record { unitPrice unitPrices } } } }',
            { id: workOrderId },
            member,
          )
        ).data?.workOrder as {
          lots: { unitPrice: number | null; explanation: unknown; record: { unitPrice: number | null } }[];
        } | null;
      const lotAs = async (member: string) => (await orderAs(member))?.lots[0];
      expect(await orderAs('customer-2')).toBeNull();
      const seen = await lotAs('factory-b-user');
      expect(seen).toBeDefined();
      expect(seen?.unitPrice).toBeNull();
      expect(seen?.record.unitPrice).toBeNull();
      expect(seen?.explanation).toBeNull();
      for (const outsider of ['factory-b-user', 'customer-2']) {
        expect(
          codeOf(
            await gql(
              'query($id: String!) { trace(workOrderId: $id) { steps { kind id txId } lots { lot { lotId } settlement { status } } } }',
              { id: workOrderId },
              outsider,
            ),
          ),
        ).toBe('ACCESS.NOT_PARTY');
      }
      expect((await lotAs('factory-a-user'))?.unitPrice).toBe(160);
      expect((await lotAs('factory-a-user'))?.explanation).not.toBeNull();
      expect((await lotAs('customer-1'))?.record.unitPrice).toBe(160);
      const gridOf = async (member: string) =>
        (
          (await gql('{ capacityGrid { factoryId } }', {}, member)).data?.capacityGrid as {
            factoryId: string;
          }[]
        ).filter((c) => c.factoryId === factoryId);
      expect((await gridOf('factory-a-user')).length).toBeGreaterThan(0);
      expect((await gridOf('alliance-admin')).length).toBeGreaterThan(0);
      expect(await gridOf('factory-b-user')).toEqual([]);
      expect(await gridOf('customer-2')).toEqual([]);
      const listOf = async (member: string) =>
        (
          (await gql('{ factories { id processes { process pricePerMinute } } }', {}, member)).data
            ?.factories as {
            id: string;
            processes: { pricePerMinute: number | null }[];
          }[]
        ).find((f) => f.id === factoryId)?.processes[0]?.pricePerMinute;
      expect(await listOf('factory-a-user')).toBe(100);
      expect(await listOf('customer-2')).toBe(100);
      expect(await listOf('factory-b-user')).toBeNull();
      const movedOf = async (member: string) =>
        nodesOf<{ moved: { factoryId: string; workOrderId: string; why?: unknown }[] }>(
          (
            await gql(
              '{ matcherRuns(first: 5) { edges { node { moved { factoryId workOrderId why { costPerUnit } } } } } }',
              {},
              member,
            )
          ).data,
          'matcherRuns',
        )
          .flatMap((r) => r.moved)
          .filter((m) => m.workOrderId === workOrderId);
      expect((await movedOf('factory-a-user')).length).toBeGreaterThan(0);
      expect(await movedOf('factory-b-user')).toEqual([]);
      expect(await movedOf('customer-2')).toEqual([]);
      expect((await movedOf('customer-1')).every((m) => m.why === null)).toBe(true);
      // The runs themselves are the pool's: a rival or another customer learns why the matcher ran,
      // not whose order or plant it was, nor the pool's cost and totals.
      interface RunSeen {
        triggers: { kind: string; detail: string }[];
        cost: { total: number } | null;
        unplacedUnits: number | null;
        lotsKept: number | null;
        inputHash: string | null;
      }
      const runsOf = async (member: string) =>
        nodesOf<RunSeen>(
          (
            await gql(
              '{ matcherRuns(first: 5) { edges { node { triggers { kind detail } cost { total } unplacedUnits lotsKept inputHash } } } }',
              {},
              member,
            )
          ).data,
          'matcherRuns',
        );
      const overseen = await runsOf('alliance-admin');
      expect(overseen.some((r) => r.cost !== null && r.unplacedUnits !== null)).toBe(true);
      expect(overseen.some((r) => r.triggers.some((t) => t.kind === 'MANUAL' && t.detail !== ''))).toBe(true);
      for (const member of ['customer-2', 'factory-b-user']) {
        const runs = await runsOf(member);
        expect(runs.length).toBeGreaterThan(0);
        for (const run of runs) {
          expect(run).toMatchObject({ cost: null, unplacedUnits: null, lotsKept: null, inputHash: null });
          for (const trigger of run.triggers)
            if (trigger.kind !== 'SCHEDULE' && trigger.kind !== 'STARTUP')
              expect(trigger.detail, `${member} ${trigger.kind}`).toBe('');
        }
      }
    });

    it('carries the lot through custody, the shop floor, delivery, settlement and payment', async () => {
      const order = await gql(
        'query($id: String!) { workOrder(id: $id) { lots { id } } }',
        { id: workOrderId },
        'factory-a-user',
      );
      const lotId = (order.data?.workOrder as { lots: { id: string }[] }).lots[0]?.id ?? '';
      const other = await gql(
        'mutation($r: AcceptLotInput!) { acceptLot(request: $r) { ' + LEDGER_PAYLOAD + ' } }',
        { r: { lotId } },
        'factory-b-user',
      );
      expect(codeOf(other)).toBe('ACCESS.NOT_OWNER');
      // The lot waits on its factory's desk with the matcher's reason, and on no other factory's.
      // Of this work order: a long-lived ledger holds more waiting lots than one answer gives.
      const incomingOf = async (user: string) =>
        nodesOf<{ id: string; explanation: { why?: { costPerUnit?: number } } | null }>(
          (
            await gql(
              'query($wo: String) { incomingLots(workOrderId: $wo) { edges { node { id explanation { why { costPerUnit } } } } } }',
              { wo: workOrderId },
              user,
            )
          ).data,
          'incomingLots',
        );
      const waiting = (await incomingOf('factory-a-user')).find((l) => l.id === lotId);
      expect(waiting?.explanation?.why?.costPerUnit).toEqual(expect.any(Number));
      expect((await incomingOf('factory-b-user')).map((l) => l.id)).not.toContain(lotId);
      // A lot past its deadline is left out: the ledger would refuse a decision on it. (Put in the
      // read model for a moment only: the rebuilt one is compared with it later.)
      const expiredId = `${lotId}-expired`;
      await api.database.pool.query(
        `INSERT INTO record (kind, id, record, block_number, transaction_id, updated_at)
         SELECT kind, $2, record || jsonb_build_object('lotId', $2::text, 'acceptBy', '2020-01-01T00:00:00.000Z'),
                block_number, transaction_id, updated_at
           FROM record WHERE kind = 'Lot' AND id = $1`,
        [lotId, expiredId],
      );
      try {
        const ids = (await incomingOf('factory-a-user')).map((l) => l.id);
        expect(ids).toContain(lotId);
        expect(ids).not.toContain(expiredId);
      } finally {
        await api.database.pool.query("DELETE FROM record WHERE kind = 'Lot' AND id = $1", [expiredId]);
      }
      expect(codeOf(await gql('{ incomingLots { edges { node { id } } } }', {}, 'customer-1'))).toBe(
        'ACCESS.WRONG_ROLE',
      );
      // The Gantt chart reads the lots of the shifts it shows, whatever the pool's size.
      const placed = (
        await gql(
          'query($id: String!) { workOrder(id: $id) { lots { bucket } } }',
          { id: workOrderId },
          'customer-1',
        )
      ).data?.workOrder as { lots: { bucket: string }[] };
      const shift = placed.lots[0]?.bucket ?? '';
      const inShift = await gql(
        'query($b: [String!]!) { lotsInShifts(buckets: $b) { id bucket } }',
        { b: [shift] },
        'alliance-admin',
      );
      expect(inShift.data?.lotsInShifts as { id: string; bucket: string }[]).toContainEqual({
        id: lotId,
        bucket: shift,
      });
      // Another plant's schedule is its load: its factory and its customer see the lot, others do not.
      const shiftOf = async (member: string) =>
        (
          (await gql('query($b: [String!]!) { lotsInShifts(buckets: $b) { id } }', { b: [shift] }, member))
            .data?.lotsInShifts as { id: string }[]
        ).map((l) => l.id);
      expect(await shiftOf('factory-a-user')).toContain(lotId);
      expect(await shiftOf('customer-1')).toContain(lotId);
      expect(await shiftOf('factory-b-user')).not.toContain(lotId);
      expect(await shiftOf('customer-2')).not.toContain(lotId);
      const week = Array.from({ length: 22 }, (_x, i) => `${shift}-${i}`);
      expect(
        codeOf(
          await gql(
            'query($b: [String!]!) { lotsInShifts(buckets: $b) { id } }',
            { b: week },
            'alliance-admin',
          ),
        ),
      ).toBe('REQUEST.TOO_MANY_SHIFTS');
      await mutate('factory-a-user', 'acceptLot', { lotId });
      expect((await incomingOf('factory-a-user')).map((l) => l.id)).not.toContain(lotId);
      await mutate('customer-1', 'offerHandOver', { lotId, toMspId: 'FactoryAMSP', quantity: 50 });
      // The offer waits on the receiving factory's desk, and on no other factory's.
      const custodyOf = async (user: string) =>
        nodesOf<{ lotId: string; offer?: { quantity: number } }>(
          (await gql('{ custody { edges { node { lotId offer { toMspId quantity } } } } }', {}, user)).data,
          'custody',
        ).filter((c) => c.lotId === lotId);
      expect((await custodyOf('factory-a-user'))[0]?.offer).toMatchObject({
        toMspId: 'FactoryAMSP',
        quantity: 50,
      });
      expect(await custodyOf('factory-b-user')).toEqual([]);
      await mutate('factory-a-user', 'confirmHandOver', { lotId, receivedQuantity: 50 });
      await mutate('factory-a-user', 'startOperation', {
        lotId,
        seq: 1,
        operatorId: 'OP-7',
        machineId: 'CNC-2',
      });
      expect(
        await mutate('factory-a-user', 'reportOperation', {
          lotId,
          seq: 1,
          goodQuantity: 49,
          scrapQuantity: 1,
          operatorId: 'OP-7',
          machineId: 'CNC-2',
        }),
      ).toMatchObject({
        overrun: false,
      });
      await mutate('factory-a-user', 'offerHandOver', { lotId, toMspId: 'CustomerAMSP', quantity: 49 });
      await mutate('customer-1', 'confirmHandOver', { lotId, receivedQuantity: 49 });
      const settlement = await mutate('customer-1', 'acceptDelivery', { lotId, acceptedQuantity: 49 });
      // All of it was bought with the quota: prepaid, nothing more to pay.
      expect(settlement).toMatchObject({ gross: 49 * 160, prepaidCredit: 49 * 160, amountDue: 0 });
      // The customer declares the payment, the factory confirms it arrived.
      expect(
        await mutate('customer-1', 'declarePayment', {
          settlementId: lotId,
          paymentReference: 'QUOTA-PREPAID',
        }),
      ).toMatchObject({ status: 'DECLARED' });
      expect(
        codeOf(
          await gql(
            `mutation($r: ${requestInputOf('confirmPayment')}!) { confirmPayment(request: $r) { ${LEDGER_PAYLOAD} } }`,
            { r: { settlementId: lotId } },
            'customer-1',
          ),
        ),
      ).toBe('ACCESS.NOT_OWNER');
      expect(await mutate('factory-a-user', 'confirmPayment', { settlementId: lotId })).toMatchObject({
        status: 'PAID',
      });
      settled = { lotId, at: (settlement as { createdAt: string }).createdAt };
      const lot = await gql(
        'query($id: String!) { workOrder(id: $id) { lots { status } } }',
        { id: workOrderId },
        'customer-1',
      );
      expect((lot.data?.workOrder as { lots: { status: string }[] }).lots[0]?.status).toBe('SETTLED');
      // Both parties see the settlement on their desks; a third factory does not.
      const settlementsOf = async (user: string) =>
        nodesOf<{ lotId: string; status: string }>(
          (await gql('{ settlements { edges { node { lotId status } } } }', {}, user)).data,
          'settlements',
        ).filter((x) => x.lotId === lotId);
      expect(await settlementsOf('customer-1')).toMatchObject([{ status: 'PAID' }]);
      expect(await settlementsOf('factory-a-user')).toMatchObject([{ status: 'PAID' }]);
      expect(await settlementsOf('factory-b-user')).toEqual([]);
      // Per customer company, for the overseers.
      const ofCompany = async (company: string, user = 'auditor') =>
        await gql(
          'query($c: String!) { settlements(customerMspId: $c) { edges { node { lotId } } } }',
          { c: company },
          user,
        );
      expect(
        nodesOf<{ lotId: string }>((await ofCompany('CustomerAMSP')).data, 'settlements'),
      ).toContainEqual({
        lotId,
      });
      expect(nodesOf((await ofCompany('NobodyMSP')).data, 'settlements')).toEqual([]);
      expect(codeOf(await ofCompany('CustomerAMSP', 'customer-1'))).toBe('ACCESS.NOT_PARTY');
      // Another customer of the same organisation sees none of it: custody, hand-overs,
      // settlements and statements are each customer's own.
      expect(await settlementsOf('customer-2')).toEqual([]);
      expect(await custodyOf('customer-1')).toHaveLength(1);
      expect(await custodyOf('customer-2')).toEqual([]);
      const handOversOf = async (user: string) =>
        nodesOf<{ lotId: string }>(
          (await gql('{ handOvers { edges { node { lotId } } } }', {}, user)).data,
          'handOvers',
        ).filter((h) => h.lotId === lotId);
      expect(await handOversOf('customer-1')).toHaveLength(2);
      expect(await handOversOf('customer-2')).toEqual([]);
      const statementOf = async (user: string) =>
        (
          await gql(
            'query($a: String!, $b: String!, $f: String!, $t: String!) { settlementStatement(mspA: $a, mspB: $b, from: $f, to: $t) { settlementIds } }',
            { a: 'CustomerAMSP', b: 'FactoryAMSP', f: '2000-01-01T00:00:00Z', t: '2999-01-01T00:00:00Z' },
            user,
          )
        ).data?.settlementStatement as { settlementIds: string[] };
      expect((await statementOf('customer-1')).settlementIds).toContain(lotId);
      expect((await statementOf('customer-2')).settlementIds).not.toContain(lotId);
      expect((await statementOf('auditor')).settlementIds).toContain(lotId);
      const inProgress = await gql(
        '{ myLots(statuses: ["SETTLED"]) { edges { node { lotId partNumber } } } }',
        {},
        'factory-a-user',
      );
      expect(nodesOf(inProgress.data, 'myLots')).toContainEqual(
        expect.objectContaining({ lotId, partNumber: 'SHAFT-5' }),
      );
    });

    it('closes the period into a statement both sides sign, and hands it out as CSV, Excel and PDF', async () => {
      const customer = await gql('{ me { memberId } }', {}, 'customer-1');
      const period = {
        factoryMspId: 'FactoryAMSP',
        customerMemberId: (customer.data?.me as { memberId: string }).memberId,
        from: new Date(Date.parse(settled.at) - 1000).toISOString(),
        to: new Date().toISOString(),
      };
      const statementId = `ST-${unique()}`;
      const closed = await mutate('factory-a-user', 'closeStatement', { statementId, ...period });
      expect(closed).toMatchObject({ status: 'OPEN', figures: { settlementIds: [settled.lotId] } });
      const listed = async (user: string) =>
        nodesOf<{ statementId: string; status: string }>(
          (await gql('{ statements { edges { node { statementId status } } } }', {}, user)).data,
          'statements',
        ).filter((x) => x.statementId === statementId);
      expect(await listed('customer-1')).toEqual([{ statementId, status: 'OPEN' }]);
      expect(await listed('customer-2')).toEqual([]);
      expect(await listed('factory-b-user')).toEqual([]);
      expect(await mutate('customer-1', 'acknowledgeStatement', { statementId })).toMatchObject({
        status: 'AGREED',
      });
      expect(await listed('auditor')).toEqual([{ statementId, status: 'AGREED' }]);
      const document = async (user: string, format: string) =>
        gql(
          'query($id: String!, $f: DocumentFormat!) { statementDocument(statementId: $id, format: $f) { fileName mediaType base64 } }',
          { id: statementId, f: format },
          user,
        );
      const bytesOf = (result: GqlResult) =>
        Buffer.from((result.data?.statementDocument as { base64: string }).base64, 'base64');
      const csv = bytesOf(await document('customer-1', 'CSV')).toString('utf8');
      expect(csv).toContain('对账单 Statement');
      expect(csv).toContain(settled.lotId);
      expect(csv).toContain('双方已确认 Agreed');
      expect(
        bytesOf(await document('factory-a-user', 'XLSX'))
          .subarray(0, 2)
          .toString(),
      ).toBe('PK');
      expect(
        bytesOf(await document('auditor', 'PDF'))
          .subarray(0, 5)
          .toString(),
      ).toBe('%PDF-');
      // Someone else's statement is not found, not refused: its id tells nothing.
      expect(codeOf(await document('factory-b-user', 'CSV'))).toBe('STATEMENT.NOT_FOUND');
      expect(codeOf(await document('customer-2', 'CSV'))).toBe('STATEMENT.NOT_FOUND');
      const report = await gql('{ auditReport(format: CSV) { fileName base64 } }', {}, 'auditor');
      const reportText = Buffer.from(
        (report.data?.auditReport as { base64: string }).base64,
        'base64',
      ).toString();
      expect(reportText).toContain('审计报告 Audit report');
      expect(reportText).toContain(statementId);
      expect(codeOf(await gql('{ auditReport(format: CSV) { fileName } }', {}, 'customer-1'))).toBeDefined();
    });

    it('freezes the next operation after an overrun until the exception is closed, and hands the lot on to a second factory', async () => {
      const plantB = `F-B-${unique()}`;
      const orderId = `WO-2F-${unique()}`;
      const runId = `RUN-2F-${unique()}`;
      await openPlant(
        'factory-b-user',
        { factoryId: plantB, name: '嘉兴总装', location: 'Jiaxing', pricePerMinute: 100 },
        [second],
      );
      // The first operation is so short that any real scan overruns it.
      await mutate('customer-1', 'publishWorkOrder', {
        workOrderId: orderId,
        partNumber: 'BRACKET-2F',
        quantity: 10,
        routing: [
          { seq: 1, process: PROCESS, standardMinutes: 0.0001 },
          { seq: 2, process: PROCESS, standardMinutes: 1 },
          { seq: 3, process: PROCESS, standardMinutes: 1 },
        ],
        dueBucket: bucketFromNow(5),
        priority: 'NORMAL',
        maxUnitPrice: 400,
      });
      // Placed as the operator's planning would: operations 1-2 at the first factory, 3 at the second.
      await mutate('alliance-admin', 'recordAssignment', {
        runId,
        inputHash: 'e'.repeat(64),
        objective: 2_000,
        acceptWithinHours: 4,
        lots: [
          {
            workOrderId: orderId,
            factoryId,
            fromSeq: 1,
            toSeq: 2,
            bucket: first,
            quantity: 10,
            unitPrices: [0, 100],
          },
          {
            workOrderId: orderId,
            factoryId: plantB,
            fromSeq: 3,
            toSeq: 3,
            bucket: second,
            quantity: 10,
            unitPrices: [100],
          },
        ],
      });
      const [lotA, lotB] = [`${runId}.1`, `${runId}.2`];
      await mutate('factory-a-user', 'acceptLot', { lotId: lotA });
      await mutate('factory-b-user', 'acceptLot', { lotId: lotB });
      await mutate('customer-1', 'offerHandOver', { lotId: lotA, toMspId: 'FactoryAMSP', quantity: 10 });
      await mutate('factory-a-user', 'confirmHandOver', { lotId: lotA, receivedQuantity: 10 });
      const scan = { operatorId: 'OP-9', machineId: 'WH-1' };
      await mutate('factory-a-user', 'startOperation', { lotId: lotA, seq: 1, ...scan });
      await sleep(200);
      expect(
        await mutate('factory-a-user', 'reportOperation', {
          lotId: lotA,
          seq: 1,
          goodQuantity: 10,
          scrapQuantity: 0,
          ...scan,
        }),
      ).toMatchObject({ overrun: true });
      const frozen = await gql(
        'mutation($r: StartOperationInput!) { startOperation(request: $r) { ' + LEDGER_PAYLOAD + ' } }',
        { r: { lotId: lotA, seq: 2, ...scan } },
        'factory-a-user',
      );
      expect(codeOf(frozen)).toBe('OPERATION.FROZEN');
      await mutate('factory-a-user', 'closeException', {
        lotId: lotA,
        seq: 1,
        cause: 'fixture loose',
        firstAction: 're-clamped, first piece re-inspected',
        confirmedBy: 'team lead Zhang',
      });
      await mutate('factory-a-user', 'startOperation', { lotId: lotA, seq: 2, ...scan });
      await mutate('factory-a-user', 'reportOperation', {
        lotId: lotA,
        seq: 2,
        goodQuantity: 10,
        scrapQuantity: 0,
        ...scan,
      });

      // Custody passes from the first factory into the second factory's lot, counted on arrival.
      await mutate('factory-a-user', 'offerHandOver', {
        lotId: lotA,
        toMspId: 'FactoryBMSP',
        quantity: 10,
        intoLotId: lotB,
      });
      expect(
        await mutate('factory-b-user', 'confirmHandOver', {
          lotId: lotA,
          receivedQuantity: 9,
          note: 'one bent in the crate',
        }),
      ).toMatchObject({
        fromMspId: 'FactoryAMSP',
        toMspId: 'FactoryBMSP',
        receivedQuantity: 9,
        difference: 1,
      });
      const handOvers = nodesOf<{ lotId: string }>(
        (await gql('{ handOvers { edges { node { lotId } } } }', {}, 'factory-b-user')).data,
        'handOvers',
      );
      expect(handOvers.some((h) => h.lotId === lotA)).toBe(true);
      await mutate('factory-b-user', 'startOperation', { lotId: lotB, seq: 3, ...scan });
      await mutate('factory-b-user', 'reportOperation', {
        lotId: lotB,
        seq: 3,
        goodQuantity: 9,
        scrapQuantity: 0,
        ...scan,
      });
      await mutate('factory-b-user', 'offerHandOver', { lotId: lotB, toMspId: 'CustomerAMSP', quantity: 9 });
      await mutate('customer-1', 'confirmHandOver', { lotId: lotB, receivedQuantity: 9 });
      expect(
        await mutate('customer-1', 'acceptDelivery', { lotId: lotB, acceptedQuantity: 9 }),
      ).toMatchObject({
        payeeMspId: 'FactoryBMSP',
        acceptedQuantity: 9,
      });
      const order = await gql(
        'query($id: String!) { workOrder(id: $id) { lots { id status } } }',
        { id: orderId },
        'customer-1',
      );
      expect((order.data?.workOrder as { lots: { id: string; status: string }[] }).lots).toEqual([
        { id: lotA, status: 'DELIVERED' },
        { id: lotB, status: 'DELIVERED' },
      ]);
    });

    it('lets an auditor trace the work order and verify the ledger, and nothing more', async () => {
      const trace = await gql(
        'query($id: String!) { trace(workOrderId: $id) { steps { kind id txId } lots { lot { lotId } settlement { status } } } }',
        { id: workOrderId },
        'auditor',
      );
      const steps = (trace.data?.trace as { steps: { kind: string }[] }).steps;
      // The lots as they stand, typed: the delivered lot's settlement is paid.
      const tracedLots = (trace.data?.trace as { lots: { settlement: { status: string } | null }[] }).lots;
      expect(tracedLots.map((l) => l.settlement?.status)).toContain('PAID');
      expect(new Set(steps.map((s) => s.kind))).toEqual(
        new Set([
          'WorkOrder',
          'AssignmentRun',
          'Lot',
          'Custody',
          'HandOver',
          'OperationProgress',
          'Settlement',
        ]),
      );
      const verify = await gql('{ verifyLedger { ok height } }', {}, 'auditor');
      expect(verify.data?.verifyLedger).toMatchObject({ ok: true });

      // The explorer: the settlement's key history from the ledger (due, then paid), the block that
      // accepted the delivery, and the netted statement between the two organisations.
      const settlementId = steps.find((s) => s.kind === 'Settlement') as { id: string } | undefined;
      const history = await gql(
        'query($id: String!) { keyHistory(kind: "Settlement", id: $id) { txId at record } }',
        { id: settlementId?.id ?? '' },
        'auditor',
      );
      const versions = history.data?.keyHistory as { txId: string; record: { status: string } }[];
      expect(versions.map((v) => v.record.status)).toEqual(['DUE', 'DECLARED', 'PAID']);
      const blocks = await gql(
        '{ ledgerBlocks(first: 100) { edges { node { transactions { transactionId eventName } } } } }',
        {},
        'auditor',
      );
      const transactions = nodesOf<{ transactions: { transactionId: string; eventName: string }[] }>(
        blocks.data,
        'ledgerBlocks',
      ).flatMap((b) => b.transactions);
      expect(transactions.find((x) => x.transactionId === versions[0]?.txId)?.eventName).toBe(
        'DeliveryAccepted',
      );
      const statement = await gql(
        'query($a: String!, $b: String!, $from: String!, $to: String!) { settlementStatement(mspA: $a, mspB: $b, from: $from, to: $to) { settlementIds netAPaysB outstandingByA } }',
        { a: 'CustomerAMSP', b: 'FactoryAMSP', from: '2020-01-01T00:00:00Z', to: '2100-01-01T00:00:00Z' },
        'auditor',
      );
      expect(JSON.stringify(statement.data?.settlementStatement)).toContain(settlementId?.id ?? '?');
      expect(codeOf(await gql('{ ledgerBlocks { edges { node { blockNumber } } } }', {}, 'customer-1'))).toBe(
        'ACCESS.WRONG_ROLE',
      );
      const write = await publishAs('auditor', { quantity: 1 });
      expect(codeOf(write)).toBe('ACCESS.WRONG_ROLE');
      expect(codeOf(await gql('{ verifyLedger { ok } }', {}, 'customer-1'))).toBe('ACCESS.WRONG_ROLE');
    });

    it('refuses bad input and bad tokens with stable codes, and changes nothing', async () => {
      const bad = await gql(
        'mutation($r: PublishWorkOrderInput!) { publishWorkOrder(request: $r) { ' + LEDGER_PAYLOAD + ' } }',
        { r: { workOrderId: `WO-${unique()}`, quantity: 'many' } },
        'customer-1',
      );
      // The typed input refuses a word where a number goes before anything runs...
      expect(codeOf(bad)).toBe('REQUEST.INVALID_ARGUMENT');
      expect(bad.errors?.some((e) => /quantity.*Int cannot represent/s.test(e.message))).toBe(true);
      expect(bad.errors?.some((e) => e.message.includes('"partNumber" of required type'))).toBe(true);
      // ...and the chaincode's JSON Schema what the type cannot say (a count of at least one).
      const outOfRange = await publishAs('customer-1', { quantity: -5 });
      // A refusal the customer can fix comes beside the payload, naming the field.
      expect(outOfRange.errors).toBeUndefined();
      const refused = outOfRange.data?.publishWorkOrder as {
        receipt: null;
        userErrors: { code: string; message: string; field: string[] }[];
      };
      expect(refused.receipt).toBeNull();
      expect(refused.userErrors).toEqual([
        {
          code: 'REQUEST.INVALID_ARGUMENT',
          message: expect.stringContaining('/quantity must be >= 1') as string,
          field: ['request', 'quantity'],
        },
      ]);
      expect(codeOf(await gql('{ me { username } }'))).toBe('AUTH.REQUIRED');
      const none = `${Buffer.from('{"alg":"none"}').toString('base64url')}.${Buffer.from('{"sub":"alliance-admin","member":"alliance-admin","role":"operator"}').toString('base64url')}.`;
      tokens.set('forger', none);
      expect(codeOf(await gql('{ me { username } }', {}, 'forger'))).toBe('AUTH.INVALID_TOKEN');
      const wrongPassword = await gql(
        'mutation { login(username: "customer-1", password: "not-the-password") { accessToken } }',
      );
      expect(codeOf(wrongPassword)).toBe('AUTH.INVALID_CREDENTIALS');
      const aliases = Array.from({ length: 450 }, (_, i) => `a${i}: me { username }`).join(' ');
      expect(codeOf(await gql(`{ ${aliases} }`, {}, 'customer-1'))).toBe('REQUEST.TOO_COSTLY');
      const huge = await fetch(`${api.url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query: `{ me { username } }`, variables: { padding: 'x'.repeat(300_000) } }),
      });
      expect(huge.status).toBe(413);
    });

    it('rotates refresh tokens, and a reused one ends the whole session family', async () => {
      const login = await gql(
        'mutation { login(username: "customer-2", password: "e2e-password-2026") { refreshToken } }',
      );
      const firstToken = (login.data?.login as { refreshToken: string }).refreshToken;
      const refreshed = await gql(
        'mutation($t: String!) { refresh(refreshToken: $t) { accessToken refreshToken } }',
        { t: firstToken },
      );
      const secondToken = (refreshed.data?.refresh as { refreshToken: string }).refreshToken;
      expect(secondToken).not.toBe(firstToken);
      const replayed = await gql('mutation($t: String!) { refresh(refreshToken: $t) { accessToken } }', {
        t: firstToken,
      });
      expect(codeOf(replayed)).toBe('AUTH.TOKEN_REUSED');
      expect(
        codeOf(
          await gql('mutation($t: String!) { refresh(refreshToken: $t) { accessToken } }', {
            t: secondToken,
          }),
        ),
      ).toBe('AUTH.INVALID_TOKEN');
    });

    it('asks operators and auditors for a one-time code, once per code, and enrols a new one first', async () => {
      const noCode = await gql(
        'mutation { login(username: "alliance-admin", password: "e2e-password-2026") { accessToken } }',
      );
      expect(codeOf(noCode)).toBe('AUTH.TOTP_REQUIRED');
      const replayed = await gql(LOGIN_MUTATION, {
        ...loginVariables(accounts, 'alliance-admin', PASSWORD),
        t: lastCodes.get('alliance-admin'),
      });
      expect(codeOf(replayed)).toBe('AUTH.INVALID_TOTP');
      const wrong = await gql(LOGIN_MUTATION, { u: 'alliance-admin', p: PASSWORD, t: '000000' });
      expect(codeOf(wrong)).toBe('AUTH.INVALID_TOTP');

      // A new auditor: the password alone opens only the enrolment.
      const username = `auditor-${unique()}`;
      await createUser(api.database.pool, {
        username,
        password: PASSWORD,
        memberName: 'auditor',
        role: 'auditor',
        displayName: 'New auditor',
      });
      const first = await gql(
        'mutation($u: String!, $p: String!) { login(username: $u, password: $p) { accessToken viewer { mustEnrolTotp } } }',
        { u: username, p: PASSWORD },
      );
      const partial = first.data?.login as { accessToken: string; viewer: { mustEnrolTotp: boolean } };
      expect(partial.viewer.mustEnrolTotp).toBe(true);
      const asPartial = (query: string, variables: object = {}) =>
        fetch(`${api.url}/graphql`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${partial.accessToken}` },
          body: JSON.stringify({ query, variables }),
        }).then((r) => r.json() as Promise<GqlResult>);
      expect(codeOf(await asPartial('query { verifyLedger { ok } }'))).toBe('AUTH.TOTP_ENROLMENT_REQUIRED');
      const enrolment = (await asPartial('mutation { startTotpEnrolment { secret uri } }')).data
        ?.startTotpEnrolment as { secret: string; uri: string };
      expect(enrolment.uri).toContain(`secret=${enrolment.secret}`);
      const confirmed = await asPartial(
        'mutation($c: String!) { confirmTotpEnrolment(code: $c) { accessToken viewer { mustEnrolTotp } } }',
        { c: totpNow(enrolment.secret) },
      );
      const full = confirmed.data?.confirmTotpEnrolment as {
        accessToken: string;
        viewer: { mustEnrolTotp: boolean };
      };
      expect(full.viewer.mustEnrolTotp).toBe(false);
      const verified = await fetch(`${api.url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${full.accessToken}` },
        body: JSON.stringify({ query: 'query { verifyLedger { ok } }' }),
      }).then((r) => r.json() as Promise<GqlResult>);
      expect(verified.data?.verifyLedger).toEqual({ ok: true });
      expect(
        codeOf(
          await gql(
            'mutation($u: String!, $p: String!) { login(username: $u, password: $p) { accessToken } }',
            { u: username, p: PASSWORD },
          ),
        ),
      ).toBe('AUTH.TOTP_REQUIRED');
    });

    it('adds people only on an organisation’s own Fabric node, by its admin; operators see the roles proposed', async () => {
      const enrol =
        'mutation($i: EnrolMemberInput!) { enrolMember(input: $i) { member { memberId } userErrors { code } } }';
      const input = { name: 'customer-a-buyer-3', displayName: '采购三', password: 'long-enough-password' };
      expect(codeOf(await gql(enrol, { i: input }, 'customer-1'))).toBe('ACCESS.NOT_ORG_ADMIN');
      // This api holds no organisation's CA (the embedded demo, or a merged connection): it says where.
      const unavailable = await gql(enrol, { i: input }, 'customer-a-admin');
      expect(codeOf(unavailable)).toBe('ENROLMENT.UNAVAILABLE');
      expect(unavailable.errors?.[0]?.message).toContain('npm start -- --fabric');
      expect((await gql('query { canEnrolMembers }', {}, 'customer-a-admin')).data?.canEnrolMembers).toBe(
        false,
      );
      const own = nodesOf<{ mspId: string; status: string }>(
        (await gql('query { organisationMembers { edges { node { mspId status } } } }', {}, 'customer-1'))
          .data,
        'organisationMembers',
      );
      expect(own.length).toBeGreaterThanOrEqual(3);
      expect(new Set(own.map((m) => m.mspId))).toEqual(new Set(['CustomerAMSP']));
      expect(
        codeOf(await gql('query { pendingMembers { edges { node { memberId } } } }', {}, 'customer-1')),
      ).toBe('ACCESS.WRONG_ROLE');
      expect(
        (await gql('query { pendingMembers { edges { node { memberId } } } }', {}, 'alliance-admin')).errors,
      ).toBeUndefined();
    });

    it('lets a partner system log in with OAuth 2.0 client credentials, as its member, until revoked', async () => {
      const registered = await gql(
        'mutation { registerClient(displayName: "ERP 用友") { clientId clientSecret } }',
        {},
        'customer-1',
      );
      const { clientId, clientSecret } = registered.data?.registerClient as {
        clientId: string;
        clientSecret: string;
      };
      const tokenFor = (body: Record<string, string>, basic?: string) =>
        fetch(`${api.url}/oauth/token`, {
          method: 'POST',
          headers: {
            'content-type': 'application/x-www-form-urlencoded',
            ...(basic === undefined
              ? {}
              : { authorization: `Basic ${Buffer.from(basic).toString('base64')}` }),
          },
          body: new URLSearchParams(body).toString(),
        });
      const granted = await tokenFor({ grant_type: 'client_credentials' }, `${clientId}:${clientSecret}`);
      expect(granted.status).toBe(200);
      expect(granted.headers.get('cache-control')).toBe('no-store');
      const { access_token: token, token_type: type } = (await granted.json()) as {
        access_token: string;
        token_type: string;
      };
      expect(type).toBe('Bearer');
      const asClient = (query: string) =>
        fetch(`${api.url}/graphql`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
          body: JSON.stringify({ query }),
        }).then((r) => r.json() as Promise<GqlResult>);
      expect((await asClient('query { me { username memberName role } }')).data?.me).toEqual({
        username: `client:${clientId}`,
        memberName: 'customer-1',
        role: 'customer',
      });
      expect(codeOf(await asClient('mutation { registerClient(displayName: "x") { clientId } }'))).toBe(
        'ACCESS.WRONG_ROLE',
      );
      const inForm = await tokenFor({
        grant_type: 'client_credentials',
        client_id: clientId,
        client_secret: 'wrong',
      });
      expect(inForm.status).toBe(401);
      expect(await inForm.json()).toMatchObject({ error: 'invalid_client' });
      const password = await tokenFor({ grant_type: 'password', username: 'customer-1', password: PASSWORD });
      expect(password.status).toBe(400);
      expect(await password.json()).toMatchObject({ error: 'unsupported_grant_type' });
      expect(codeOf(await gql(`mutation { revokeClient(clientId: "${clientId}") }`, {}, 'customer-2'))).toBe(
        'AUTH.INVALID_CLIENT',
      );
      expect(
        (await gql(`mutation { revokeClient(clientId: "${clientId}") }`, {}, 'customer-1')).data
          ?.revokeClient,
      ).toBe(true);
      expect(
        (await tokenFor({ grant_type: 'client_credentials' }, `${clientId}:${clientSecret}`)).status,
      ).toBe(401);
      // A token granted before the revocation stops working at once, not when it expires.
      expect(codeOf(await asClient('query { me { username } }'))).toBe('AUTH.CLIENT_REVOKED');
    });

    it('keeps process parameters to the customer and the factory holding a lot', async () => {
      const PARAMETERS = [
        { name: 'spindleRpm', number: 9000 },
        { name: 'coolant', text: 'emulsion' },
      ];
      const set = await gql(
        'mutation($w: String!, $p: [ProcessParameterInput!]!) { setProcessParameters(workOrderId: $w, parameters: $p) { receipt { result } userErrors { code } } }',
        { w: workOrderId, p: PARAMETERS },
        'customer-1',
      );
      const salt = (set.data?.setProcessParameters as { receipt: { result: { salt: string } } }).receipt
        .result.salt;
      expect(salt.length).toBeGreaterThanOrEqual(16);
      const read = (member: string) =>
        gql(
          'query($w: String!) { processParameters(workOrderId: $w) { workOrderId parameters { name text number flag } } }',
          { w: workOrderId },
          member,
        );
      expect(codeOf(await read('factory-a-user'))).toBe('PRIVATE.PARAMETERS_NOT_SET');
      const order = await gql(
        'query($id: String!) { workOrder(id: $id) { lots { id } } }',
        { id: workOrderId },
        'customer-1',
      );
      const lotId = (order.data?.workOrder as { lots: { id: string }[] }).lots[0]?.id ?? '';
      const shared = await gql(
        'mutation($w: String!, $l: String!, $p: [ProcessParameterInput!]!, $s: String!) { shareProcessParameters(workOrderId: $w, lotId: $l, parameters: $p, salt: $s) { receipt { transactionId } userErrors { code } } }',
        { w: workOrderId, l: lotId, p: PARAMETERS, s: salt },
        'customer-1',
      );
      expect(codeOf(shared)).toBeUndefined();
      const asRead = [
        { name: 'coolant', text: 'emulsion', number: null, flag: null },
        { name: 'spindleRpm', text: null, number: 9000, flag: null },
      ];
      expect((await read('factory-a-user')).data?.processParameters).toMatchObject({ parameters: asRead });
      expect((await read('customer-1')).data?.processParameters).toMatchObject({ parameters: asRead });
      // A parameter with two values, or none, is refused before anything is signed.
      const twoValues = await gql(
        'mutation($w: String!, $p: [ProcessParameterInput!]!) { setProcessParameters(workOrderId: $w, parameters: $p) { userErrors { code message } } }',
        { w: workOrderId, p: [{ name: 'feed', text: 'fast', number: 3 }] },
        'customer-1',
      );
      expect(refusalOf(twoValues)).toBe('REQUEST.INVALID_ARGUMENT');
      for (const outsider of ['factory-b-user', 'customer-2'])
        expect(codeOf(await read(outsider)), outsider).toBe('PRIVATE.PARAMETERS_NOT_VISIBLE');
      // An auditor has no need of a customer's process know-how: the api does not ask the ledger.
      expect(codeOf(await read('auditor'))).toBe('ACCESS.WRONG_ROLE');
    });

    it('places a rush order at once, without waiting for the next re-plan', async () => {
      const rushId = `WO-RUSH-${unique()}`;
      await mutate('customer-2', 'publishWorkOrder', {
        workOrderId: rushId,
        partNumber: 'SHAFT-5',
        quantity: 20,
        routing: [{ seq: 1, process: PROCESS, standardMinutes: 2 }],
        dueBucket: bucketFromNow(4),
        priority: 'RUSH',
        maxUnitPrice: 400,
      });
      const order = await gql(
        'query($id: String!) { workOrder(id: $id) { lots { factoryId quantity status } } }',
        { id: rushId },
        'customer-2',
      );
      const lots = (
        order.data?.workOrder as { lots: { factoryId: string; quantity: number; status: string }[] }
      ).lots;
      expect(lots.reduce((s, l) => s + l.quantity, 0)).toBe(20);
      expect(lots.every((l) => l.status === 'ASSIGNED')).toBe(true);
    });

    it('sends its JSON answers compressed to a client that takes brotli or gzip, as they are to one that does not', async () => {
      // An answer above the 1 KB below which compressing is not worth it.
      const query = `{ ${Array.from({ length: 200 }, (_, i) => `t${String(i)}: __typename`).join(' ')} }`;
      const ask = (encoding: string) =>
        fetch(`${api.url}/graphql`, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            'accept-encoding': encoding,
            authorization: `Bearer ${tokens.get('customer-1') ?? ''}`,
          },
          body: JSON.stringify({ query }),
        });
      const plain = await ask('identity');
      expect(plain.headers.get('content-encoding')).toBeNull();
      const answer = (await plain.json()) as GqlResult;
      expect(answer.data?.t199).toBe('Query');
      for (const [encoding, sent] of [
        ['br', 'br'],
        ['gzip', 'gzip'],
      ]) {
        const compressed = await ask(encoding ?? '');
        expect(compressed.headers.get('content-encoding')).toBe(sent);
        expect(compressed.headers.get('vary')).toMatch(/Accept-Encoding/i);
        // fetch decodes it: the same answer.
        expect(await compressed.json()).toEqual(answer);
      }
    });

    it('streams pool changes and a factory’s own assignments as server-sent events', async () => {
      const subscribe = async (member: string, query: string) => {
        const controller = new AbortController();
        const response = await fetch(`${api.url}/graphql`, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            accept: 'text/event-stream',
            // Offered, and declined: a compressed stream would hold events back (see below).
            'accept-encoding': 'br, gzip',
            authorization: `Bearer ${tokens.get(member) ?? ''}`,
          },
          body: JSON.stringify({ query }),
          signal: controller.signal,
        });
        // yoga marks its streams `none` so that no proxy compresses them either.
        expect(response.headers.get('content-encoding') ?? 'none').toBe('none');
        const reader = (response.body as ReadableStream<Uint8Array>).getReader();
        let buffer = '';
        /** The next `data:` message whose text contains `needle`. */
        const next = async (needle: string): Promise<Record<string, unknown>> => {
          for (;;) {
            const lines = buffer.split('\n');
            buffer = lines.pop() ?? '';
            for (const line of lines)
              if (line.startsWith('data:') && line.includes(needle))
                return JSON.parse(line.slice(5)) as Record<string, unknown>;
            const { value, done } = await reader.read();
            if (done) throw new Error('stream ended');
            buffer += new TextDecoder().decode(value);
          }
        };
        return {
          next,
          close: () => {
            controller.abort();
          },
        };
      };
      const pool = await subscribe(
        'customer-2',
        'subscription { poolChanges { type transactionId changes { kind id } } }',
      );
      const factory = await subscribe(
        'factory-a-user',
        'subscription { myAssignments { type changes { kind id factoryMspId } } }',
      );
      // A customer-2 rush order: published (everyone hears it), then placed by the matcher at once.
      // Capacity of its own, so that this test does not depend on what earlier ones left.
      const plant = `F-SSE-${unique()}`;
      await openPlant(
        'factory-a-user',
        { factoryId: plant, name: '嘉兴机加', location: 'Jiaxing', pricePerMinute: 90 },
        [first],
      );
      const rushId = `WO-SSE-${unique()}`;
      await mutate('customer-2', 'publishWorkOrder', {
        workOrderId: rushId,
        partNumber: 'SHAFT-5',
        quantity: 10,
        routing: [{ seq: 1, process: PROCESS, standardMinutes: 2 }],
        dueBucket: bucketFromNow(4),
        priority: 'RUSH',
        maxUnitPrice: 400,
      });
      const published = await pool.next(rushId);
      expect(published).toMatchObject({ data: { poolChanges: { type: 'WorkOrderPublished' } } });
      const assigned = await factory.next('AssignmentRecorded');
      const lots = (assigned.data as { myAssignments: { changes: { kind: string; factoryMspId: string }[] } })
        .myAssignments.changes;
      expect(lots.length).toBeGreaterThan(0);
      expect(lots.every((c) => c.kind === 'Lot' && c.factoryMspId === 'FactoryAMSP')).toBe(true);
      pool.close();
      factory.close();
      const customer = await subscribe('customer-1', 'subscription { myAssignments { type } }');
      expect(await customer.next('ACCESS.WRONG_ROLE')).toMatchObject({
        errors: [{ extensions: { code: 'ACCESS.WRONG_ROLE' } }],
      });
      customer.close();
    });

    it('imports work orders from an ERP file all or nothing, with a report for every row', async () => {
      const due = bucketFromNow(6);
      const [a, b] = [`WO-ERP-${unique()}`, `WO-ERP-${unique()}`];
      const header = 'workOrderId,partNumber,quantity,routing,dueBucket,priority,maxUnitPrice,materials';
      const importCsv = (content: string) =>
        gql(
          'mutation($c: String!) { importWorkOrders(format: "CSV", content: $c) { imported transactionId rows { row workOrderId errors } } }',
          { c: content },
          'customer-1',
        );
      const height = await api.ledger.height();
      const bad = await importCsv(
        [
          header,
          `${a},PIN-1,40,WIRE_HARNESS:1,${due},NORMAL,300,`,
          `${b},PIN-2,-3,WIRE_HARNESS:1,${due},NORMAL,300,`,
        ].join('\n'),
      );
      const badResult = bad.data?.importWorkOrders as {
        imported: boolean;
        rows: { row: number; errors: string[] }[];
      };
      expect(badResult.imported).toBe(false);
      expect(badResult.rows.map((r) => [r.row, r.errors])).toEqual([
        [2, []],
        [3, ['/quantity must be >= 1']],
      ]);
      expect(await api.ledger.height()).toBe(height);
      const good = await importCsv(
        [
          header,
          `${a},PIN-1,40,WIRE_HARNESS:1,${due},NORMAL,300,`,
          `${b},PIN-2,30,WIRE_HARNESS:1,${due},NORMAL,300,STEEL-45:12:SupplierMSP:${due}`,
        ].join('\n'),
      );
      expect(good.errors).toBeUndefined();
      expect((good.data?.importWorkOrders as { imported: boolean }).imported).toBe(true);
      expect(await api.ledger.height()).toBe(height + 1);
      const second = await gql(
        'query($id: String!) { workOrder(id: $id) { id status } }',
        { id: b },
        'customer-1',
      );
      expect(second.data?.workOrder).toEqual({ id: b, status: 'OPEN' });
      const again = await importCsv([header, `${a},PIN-1,40,WIRE_HARNESS:1,${due},NORMAL,300,`].join('\n'));
      expect((again.data?.importWorkOrders as { rows: { errors: string[] }[] }).rows[0]?.errors).toEqual([
        `work order ${a} is already in the pool`,
      ]);
      const unreadable = await gql(
        'mutation { importWorkOrders(format: "CSV", content: "colour\\nred") { imported } }',
        {},
        'customer-1',
      );
      expect(codeOf(unreadable)).toBe('IMPORT.UNREADABLE_FILE');
      const factory = await gql(
        'mutation { importWorkOrders(format: "JSON", content: "[]") { imported } }',
        {},
        'factory-a-user',
      );
      expect(codeOf(factory)).toBe('ACCESS.WRONG_ROLE');
    });

    it('shows nobody, in any field of any query, what is another member’s (the field-level matrix)', async () => {
      // Records of FactoryA and its customer-1, and one of customer-2, each carrying values found
      // nowhere else: then every query the schema has, with every field of its answer, is asked by
      // each member, and each answer is searched for what is not that member's.
      const plant = `F-${unique()}`;
      const quota = `Q-${unique()}`;
      const [mine, theirs] = [`WO-${unique()}`, `WO-${unique()}`];
      const [partOfMine, partOfTheirs] = [`CANARY1-${unique()}`, `CANARY2-${unique()}`];
      const [b1, b2] = [bucketFromNow(6), bucketFromNow(7)];
      await mutate('factory-a-user', 'registerFactory', {
        factoryId: plant,
        name: '金丝雀精工',
        location: 'Suzhou',
        processes: [{ process: SWEPT_PROCESS, pricePerMinute: 7919 }],
      });
      await mutate('factory-a-user', 'declareCapacity', {
        factoryId: plant,
        entries: [b1, b2].map((bucket) => ({ process: SWEPT_PROCESS, bucket, minutes: 461 })),
      });
      const load = await gql(
        'mutation($r: ReportLoadInput!) { reportLoad(report: $r) { entries } }',
        { r: { factoryId: plant, loads: [{ bucket: b2, process: SWEPT_PROCESS, loadMinutes: 433 }] } },
        'factory-a-user',
      );
      expect(load.errors).toBeUndefined();
      await mutate('factory-a-user', 'listQuota', {
        quotaId: quota,
        factoryId: plant,
        process: SWEPT_PROCESS,
        windowStart: b1,
        windowEnd: b2,
        minutes: 12,
        pricePerMinute: 7907,
      });
      await mutate('customer-1', 'buyQuota', { quotaId: quota });
      await mutate('customer-1', 'publishWorkOrder', {
        workOrderId: mine,
        partNumber: partOfMine,
        quantity: 3,
        routing: [{ seq: 1, process: SWEPT_PROCESS, standardMinutes: 2 }],
        dueBucket: bucketFromNow(8),
        priority: 'NORMAL',
        maxUnitPrice: 20_000,
      });
      await mutate('customer-2', 'publishWorkOrder', {
        workOrderId: theirs,
        partNumber: partOfTheirs,
        quantity: 1,
        routing: [{ seq: 1, process: SWEPT_PROCESS, standardMinutes: 1 }],
        dueBucket: bucketFromNow(8),
        priority: 'NORMAL',
        maxUnitPrice: 1,
        // Money up to the schemas' bound (10^12 fen): every field that serves it must carry it.
        latePenaltyPerUnitPerBucket: 1_000_000_000_000,
      });
      expect((await gql('mutation { replan { id error } }', {}, 'alliance-admin')).errors).toBeUndefined();
      const placed = (
        await gql(
          'query($id: String!) { workOrder(id: $id) { lots { id factoryId unitPrice } } }',
          { id: mine },
          'customer-1',
        )
      ).data?.workOrder as { lots: { id: string; factoryId: string; unitPrice: number }[] };
      // On the quota: its locked price, 7,907 fen × 2 minutes.
      expect(placed.lots.map((l) => [l.factoryId, l.unitPrice])).toEqual([[plant, 15_814]]);

      const secret = {
        listPrice: { what: 'FactoryA’s list price', number: 7919, inField: /price/i },
        quotaPrice: { what: 'FactoryA’s quota price', number: 7907, inField: /price/i },
        lotPrice: { what: 'the lot’s price', number: 15_814, inField: /price|amount/i },
        prepayment: { what: 'the quota’s prepayment', number: 94_884, inField: /amount|price|total/i },
        capacity: { what: 'FactoryA’s declared minutes', number: 461, inField: /minutes/i },
        load: { what: 'FactoryA’s live load', number: 433, inField: /load|minutes/i },
        partOfMine: { what: 'customer-1’s part', text: partOfMine },
        mine: { what: 'customer-1’s order id', text: mine },
        partOfTheirs: { what: 'customer-2’s part', text: partOfTheirs },
      } satisfies Record<string, Secret>;
      // What each reader must not see; open demand (an order's part and id) is every factory's to bid on.
      const forbidden: Record<string, Secret[]> = {
        'customer-1': [secret.capacity, secret.load, secret.partOfTheirs],
        'customer-2': [
          secret.lotPrice,
          secret.prepayment,
          secret.capacity,
          secret.load,
          secret.partOfMine,
          secret.mine,
        ],
        'factory-b-user': [
          secret.listPrice,
          secret.quotaPrice,
          secret.lotPrice,
          secret.prepayment,
          secret.capacity,
          secret.load,
        ],
        'supplier-1': Object.values(secret),
      };
      // What each owner must find, so that the sweep is shown to reach the fields it searches.
      const owned: Record<string, Secret[]> = {
        'factory-a-user': [
          secret.listPrice,
          secret.quotaPrice,
          secret.lotPrice,
          secret.capacity,
          secret.load,
          secret.partOfMine,
        ],
        'customer-1': [secret.lotPrice, secret.partOfMine, secret.mine],
        'customer-2': [secret.partOfTheirs],
      };
      const queries = sweptQueries(
        buildSchema(readFileSync(join(import.meta.dirname, '..', '..', 'api', 'schema.graphql'), 'utf8')),
        { id: mine, workOrderId: mine, lotId: placed.lots[0]?.id, factoryId: plant, quotaId: quota },
      );
      const leaks: string[] = [];
      const unseen: string[] = [];
      for (const member of new Set([...Object.keys(forbidden), ...Object.keys(owned)])) {
        const answers: unknown[] = [];
        for (const q of queries) {
          const answer = await gql(q.query, q.variables, member);
          // A refusal is an answer; a query the schema rejects would sweep nothing, and a field
          // that fails inside the api (masked as "Unexpected error.") is a defect of its own.
          for (const error of answer.errors ?? [])
            expect(error.message, `${q.name} as ${member}`).not.toMatch(
              /Cannot query|Unknown argument|Variable|Unexpected error/,
            );
          leaks.push(...secretsIn(answer.data, forbidden[member] ?? [], `${member}: ${q.name}`));
          answers.push(answer.data);
        }
        for (const own of owned[member] ?? [])
          if (secretsIn(answers, [own]).length === 0) unseen.push(`${member} never sees ${own.what}`);
      }
      expect(leaks).toEqual([]);
      expect(unseen).toEqual([]);
      // Companies are shown by name: a factory organisation by its plants.
      const organisations = (await gql('{ organisations { mspId name } }', {}, 'supplier-1')).data
        ?.organisations as { mspId: string; name: string }[];
      expect(organisations.find((o) => o.mspId === 'FactoryAMSP')?.name).toContain('金丝雀精工');
    });

    it('serves the JSON Schemas of the records members exchange', async () => {
      const names = (await (await fetch(`${api.url}/schemas`)).json()) as string[];
      expect(names).toEqual(
        expect.arrayContaining([
          'workOrder',
          'lot',
          'capacityQuota'.replace('capacityQuota', 'quota'),
          'settlement',
          'custody',
        ]),
      );
      const workOrder = (await (await fetch(`${api.url}/schemas/workOrder`)).json()) as { $id: string };
      expect(workOrder.$id).toBe('https://fabpool.dev/schemas/work-order.json');
    });
  });

  describe(`the read model, rebuilt from the ledger (${database})`, () => {
    it('equals the live one, record for record', async () => {
      const dir = await mkdtemp(join(tmpdir(), 'fabpool-rebuild-'));
      const url = await databaseUrl();
      const api = await startApi({
        dataDir: dir,
        engine,
        ...(url === undefined ? {} : { databaseUrl: url }),
      });
      const published = [0, 1, 2, 3, 4].map((i) => `WO-R-${i}-${unique()}`);
      try {
        await createMemberAccounts(api.database.pool, api.ledger, PASSWORD);
        for (const workOrderId of published)
          await api.ledger.submit('customer-1', 'WorkOrder', 'PublishWorkOrder', [
            JSON.stringify({
              requestId: `req-rebuild-${unique()}`,
              workOrderId,
              partNumber: 'R',
              quantity: 5,
              routing: [{ seq: 1, process: PROCESS, standardMinutes: 1 }],
              dueBucket: bucketFromNow(4),
              priority: 'NORMAL',
              maxUnitPrice: 500,
            }),
          ]);
        const height = await api.ledger.height();
        await api.projector.caughtUp(height - 1);
        const live = await api.database.pool.query(
          'SELECT kind, id, record, block_number, transaction_id FROM record ORDER BY kind, id',
        );
        const checkpoint = await api.projector.checkpoint();
        const fresh = await openDatabase({ dir: join(dir, 'rebuilt') });
        try {
          await rebuildReadModel(api.ledger, fresh.pool, checkpoint ?? 0);
          const rebuilt = await fresh.pool.query(
            'SELECT kind, id, record, block_number, transaction_id FROM record ORDER BY kind, id',
          );
          expect(rebuilt.rows).toEqual(live.rows);
          // Every work order this test published is there (a shared Fabric ledger holds others too).
          const ids = new Set(live.rows.map((r: { kind: string; id: string }) => `${r.kind}/${r.id}`));
          for (const id of published) expect(ids.has(`WorkOrder/${id}`), id).toBe(true);
        } finally {
          await fresh.close();
        }
      } finally {
        // Nothing of this test left open on a shared ledger.
        for (const workOrderId of published)
          await api.ledger
            .submit('customer-1', 'WorkOrder', 'CancelWorkOrder', [
              JSON.stringify({ requestId: `cleanup-${unique()}`, workOrderId }),
            ])
            .catch(() => undefined);
        await api.close();
        await rm(dir, { recursive: true, force: true });
      }
    });
  });
}
