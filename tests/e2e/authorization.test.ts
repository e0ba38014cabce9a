import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createMemberAccounts, startApi, type RunningApi } from '@fabpool/api';
import { LEDGER_MUTATIONS } from '@fabpool/api/operations';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bucketFromNow } from '../support/poolClient.js';
import { accessTokens } from '../support/accounts.js';
import { refusalOf, requestInputOf, type GqlResult } from '../support/graphqlClient.js';

const PASSWORD = 'matrix-password-2026';
const ROLES: Record<string, string> = {
  operator: 'alliance-admin',
  factory: 'factory-a-user',
  customer: 'customer-1',
  auditor: 'auditor',
  supplier: 'supplier-1',
};

/**
 * Every role against every mutation: the api refuses a role the operation is not for
 * (ACCESS.WRONG_ROLE, before anything is signed) and lets a role it is for reach the request's
 * schema check; the chaincode, reached directly, refuses wrong roles on its own.
 */
interface EmptyableSchema {
  type?: string;
  properties?: Record<string, EmptyableSchema>;
  required?: readonly string[];
  enum?: readonly unknown[];
}

/** A value of a request schema's shape, every required field present and empty (its request id left out). */
function emptyRequest(schema: EmptyableSchema): unknown {
  switch (schema.type) {
    case 'object':
      return Object.fromEntries(
        (schema.required ?? [])
          .filter((field) => field !== 'requestId')
          .map((field) => [field, emptyRequest(schema.properties?.[field] ?? {})]),
      );
    case 'array':
      return [];
    case 'integer':
    case 'number':
      return -1;
    case 'boolean':
      return false;
    default:
      return schema.enum?.[0] ?? '';
  }
}

describe('the authorisation matrix: every role × every mutation', () => {
  let api: RunningApi;
  let dir: string;
  const tokens = new Map<string, string>();

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'fabpool-matrix-'));
    // A negative delay takes the demand forecast's snapshot after now: it counts this test's orders.
    api = await startApi({ dataDir: dir, forecast: { delayHours: -48 } });
    const accounts = await createMemberAccounts(api.database.pool, api.ledger, PASSWORD);
    for (const [member, token] of await accessTokens(api.url, accounts, Object.values(ROLES), PASSWORD))
      tokens.set(member, token);
  });

  afterAll(async () => {
    await api.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('refuses each role the api does not allow before anything is signed, and lets the others through', async () => {
    const height = await api.ledger.height();
    const outcomes: string[] = [];
    for (const [name, operation] of Object.entries(LEDGER_MUTATIONS)) {
      for (const [role, member] of Object.entries(ROLES)) {
        const response = await fetch(`${api.url}/graphql`, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            authorization: `Bearer ${tokens.get(member) ?? ''}`,
          },
          // A request of the right shape with empty values: the schema check refuses it if the role gets that far.
          body: JSON.stringify({
            query: `mutation($r: ${requestInputOf(name)}!) { ${name}(request: $r) { receipt { transactionId } userErrors { code } } }`,
            variables: { r: emptyRequest(operation.parser.schema as EmptyableSchema) },
          }),
        });
        const code = refusalOf((await response.json()) as GqlResult);
        const allowed = (operation.roles as readonly string[]).includes(role);
        outcomes.push(`${name}/${role}: ${code ?? 'ok'}`);
        if (allowed) expect(code, `${name} as ${role}`).toBe('REQUEST.INVALID_ARGUMENT');
        else expect(code, `${name} as ${role}`).toBe('ACCESS.WRONG_ROLE');
      }
    }
    expect(outcomes).toHaveLength(Object.keys(LEDGER_MUTATIONS).length * 5);
    // Nothing was signed: every refusal came before the ledger.
    expect(await api.ledger.height()).toBe(height);
  });

  it('lets only the named roles report to the matcher service, ask it what-if, or read its runs', async () => {
    const SERVICE_OPERATIONS: [string, readonly string[], string][] = [
      // Reports of the right shape with empty values: the schema check refuses them if the role gets that far.
      [
        'mutation { reportLoad(report: { factoryId: "", loads: [] }) { factoryId } }',
        ['factory', 'operator'],
        'REQUEST.INVALID_ARGUMENT',
      ],
      [
        'mutation { declareOutage(report: { factoryId: "", from: "", until: "", reason: "" }) { id } }',
        ['factory', 'operator'],
        'REQUEST.INVALID_ARGUMENT',
      ],
      [
        'mutation { reportSupplyDelay(report: { workOrderId: "", materialCode: "", delayHours: -1, reason: "" }) { workOrderId } }',
        // The supplier signs its own delay on the ledger: the operator cannot sign it for it.
        ['supplier'],
        'REQUEST.INVALID_ARGUMENT',
      ],
      [
        'query { whatIf(kind: "NONE") { millis } }',
        ['operator', 'customer', 'factory'],
        'REQUEST.INVALID_ARGUMENT',
      ],
      [
        'query { matcherRuns { edges { node { id } } } }',
        ['operator', 'auditor', 'factory', 'customer'],
        'ok',
      ],
    ];
    for (const [query, roles, allowedCode] of SERVICE_OPERATIONS) {
      for (const [role, member] of Object.entries(ROLES)) {
        const response = await fetch(`${api.url}/graphql`, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            authorization: `Bearer ${tokens.get(member) ?? ''}`,
          },
          body: JSON.stringify({ query }),
        });
        const body = (await response.json()) as { errors?: { extensions?: { code?: string } }[] };
        const code = body.errors?.[0]?.extensions?.code ?? 'ok';
        expect(code, `${query} as ${role}`).toBe(roles.includes(role) ? allowedCode : 'ACCESS.WRONG_ROLE');
      }
    }
  });

  it('shows a supplier only its slice: material, quantity and due date of the orders using its material', async () => {
    const ask = async (member: string, query: string) => {
      const response = await fetch(`${api.url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${tokens.get(member) ?? ''}` },
        body: JSON.stringify({ query }),
      });
      return (await response.json()) as {
        data?: Record<string, unknown>;
        errors?: { extensions?: { code?: string } }[];
      };
    };
    const supplierMsp = api.ledger.members().find((m) => m.name === 'supplier-1')?.mspId ?? '?';
    const order = (id: string, materials: object[]) => ({
      workOrderId: id,
      partNumber: 'SECRET-PART',
      quantity: 10,
      routing: [{ seq: 1, process: 'CNC', standardMinutes: 1 }],
      dueBucket: '2099-01-01T08:00:00Z',
      priority: 'NORMAL',
      maxUnitPrice: 777,
      materials,
    });
    await api.ledger.submit('customer-1', 'WorkOrder', 'PublishWorkOrders', [
      JSON.stringify({
        requestId: `req-slice-${Date.now()}`,
        workOrders: [
          order('WO-SLICE-1', [
            {
              materialCode: 'RESIN-7',
              supplierMspId: supplierMsp,
              quantity: 40,
              dueBucket: '2098-12-31T16:00:00Z',
            },
            {
              materialCode: 'INK-2',
              supplierMspId: 'SomeoneElseMSP',
              quantity: 1,
              dueBucket: '2098-12-31T16:00:00Z',
            },
          ]),
          order('WO-SLICE-2', [
            {
              materialCode: 'INK-2',
              supplierMspId: 'SomeoneElseMSP',
              quantity: 5,
              dueBucket: '2098-12-31T16:00:00Z',
            },
          ]),
        ],
      }),
    ]);
    await api.projector.caughtUp((await api.ledger.height()) - 1);
    const slice = await ask(
      'supplier-1',
      'query { myMaterialNeeds { workOrderId materialCode quantity dueBucket } }',
    );
    expect(slice.data?.myMaterialNeeds).toEqual([
      { workOrderId: 'WO-SLICE-1', materialCode: 'RESIN-7', quantity: 40, dueBucket: '2098-12-31T16:00:00Z' },
    ]);
    // Who supplies what is for the order's customer, and the factories holding a lot of it.
    const materialsAs = async (member: string) =>
      (
        (await ask(member, 'query { workOrder(id: "WO-SLICE-1") { materials { materialCode } } }')).data
          ?.workOrder as { materials: { materialCode: string }[] | null } | null
      )?.materials;
    expect(await materialsAs('customer-1')).toEqual([{ materialCode: 'RESIN-7' }, { materialCode: 'INK-2' }]);
    expect(await materialsAs('auditor')).toHaveLength(2);
    // No lot of it is at factory A's plants (nothing placed it): A sees the order, not its suppliers.
    expect(await materialsAs('factory-a-user')).toBeNull();
    // Nothing else of the order: not the pool, the order, its trace or its bids.
    for (const query of [
      'query { pool(first: 5) { edges { node { id } } } }',
      'query { workOrder(id: "WO-SLICE-1") { partNumber maxUnitPrice } }',
      'query { trace(workOrderId: "WO-SLICE-1") { steps { kind } } }',
      'query { factories { id } }',
    ])
      expect((await ask('supplier-1', query)).errors?.[0]?.extensions?.code, query).toBe('ACCESS.WRONG_ROLE');
    // The pool's demand by process and day: the two orders due that day make too small a cell.
    const forecastOf = async () =>
      (
        (await ask('supplier-1', 'query { demandForecast { process day hours } }')).data?.demandForecast as {
          process: string;
          day: string;
          hours: number;
        }[]
      ).filter((f) => f.day === '2099-01-01');
    expect(await forecastOf()).toEqual([]);
    await api.ledger.submit('customer-2', 'WorkOrder', 'PublishWorkOrder', [
      JSON.stringify({ requestId: `req-slice3-${Date.now()}`, ...order('WO-SLICE-3', []), quantity: 1000 }),
    ]);
    await api.projector.caughtUp((await api.ledger.height()) - 1);
    // With a third, the cell shows: 1,020 pieces × 1 min = 17 h, rounded to 20.
    expect(await forecastOf()).toEqual([{ process: 'CNC', day: '2099-01-01', hours: 20 }]);
    expect((await ask('customer-1', 'query { demandForecast { day } }')).errors?.[0]?.extensions?.code).toBe(
      'ACCESS.WRONG_ROLE',
    );
  });

  it('shows a factory its own quota offers in the market, not its rivals’; customers see them all', async () => {
    const request = (fields: object) => JSON.stringify({ requestId: `req-rival-${Date.now()}`, ...fields });
    const bucket = bucketFromNow(2);
    for (const [member, plant] of [
      ['factory-a-user', 'F-OWN-1'],
      ['factory-b-user', 'F-RIVAL-1'],
    ] as const) {
      await api.ledger.submit(member, 'Factory', 'RegisterFactory', [
        request({
          factoryId: plant,
          name: plant,
          location: 'Suzhou',
          processes: [{ process: 'CNC', pricePerMinute: 90 }],
        }),
      ]);
      await api.ledger.submit(member, 'Factory', 'DeclareCapacity', [
        request({ factoryId: plant, entries: [{ process: 'CNC', bucket, minutes: 480 }] }),
      ]);
      await api.ledger.submit(member, 'Quota', 'ListQuota', [
        request({
          quotaId: `Q-${plant}`,
          factoryId: plant,
          process: 'CNC',
          windowStart: bucket,
          windowEnd: bucket,
          minutes: 60,
          pricePerMinute: 80,
        }),
      ]);
    }
    await api.projector.caughtUp((await api.ledger.height()) - 1);
    const marketOf = async (member: string) => {
      const response = await fetch(`${api.url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${tokens.get(member) ?? ''}` },
        body: JSON.stringify({
          query: '{ quotaMarket(first: 100) { edges { node { id pricePerMinute } } } }',
        }),
      });
      const body = (await response.json()) as {
        data: { quotaMarket: { edges: { node: { id: string } }[] } };
      };
      return body.data.quotaMarket.edges.map((e) => e.node.id).filter((id) => id.startsWith('Q-F-'));
    };
    expect(await marketOf('factory-a-user')).toEqual(['Q-F-OWN-1']);
    expect(await marketOf('customer-1')).toEqual(['Q-F-OWN-1', 'Q-F-RIVAL-1']);

    // The analytics are each member's own: a factory's plants, a customer's orders; a company's
    // figures for the overseers only.
    const analyticsOf = async (member: string, args = '') => {
      const response = await fetch(`${api.url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${tokens.get(member) ?? ''}` },
        body: JSON.stringify({
          query: `{ analytics${args} { factoryHealth { factoryId } workOrderHealth { workOrderId } } }`,
        }),
      });
      return (await response.json()) as {
        data?: {
          analytics: { factoryHealth: { factoryId: string }[]; workOrderHealth: { workOrderId: string }[] };
        };
        errors?: { extensions?: { code?: string } }[];
      };
    };
    const plants = async (member: string) =>
      (await analyticsOf(member)).data?.analytics.factoryHealth.map((f) => f.factoryId);
    expect(await plants('factory-a-user')).toContain('F-OWN-1');
    expect(await plants('factory-a-user')).not.toContain('F-RIVAL-1');
    expect(await plants('alliance-admin')).toEqual(expect.arrayContaining(['F-OWN-1', 'F-RIVAL-1']));
    const orders = async (member: string, args = '') =>
      (await analyticsOf(member, args)).data?.analytics.workOrderHealth.map((w) => w.workOrderId);
    expect(await orders('customer-1')).toEqual(expect.arrayContaining(['WO-SLICE-1', 'WO-SLICE-2']));
    expect(await orders('customer-1')).not.toContain('WO-SLICE-3');
    expect(await orders('alliance-admin', '(customerMspId: "CustomerAMSP")')).toEqual(
      expect.arrayContaining(['WO-SLICE-1', 'WO-SLICE-3']),
    );
    expect(await orders('alliance-admin', '(customerMspId: "NobodyMSP")')).toEqual([]);
    expect(
      (await analyticsOf('customer-1', '(customerMspId: "CustomerAMSP")')).errors?.[0]?.extensions?.code,
    ).toBe('ACCESS.NOT_PARTY');
  });

  it('the chaincode refuses the same roles on its own, whoever reaches it', async () => {
    // Straight to the ledger, past the api: a supplier publishing, an auditor registering a factory.
    const request = (fields: object) => JSON.stringify({ requestId: `req-matrix-${Date.now()}`, ...fields });
    await expect(
      api.ledger.submit('supplier-1', 'WorkOrder', 'PublishWorkOrder', [
        request({
          workOrderId: 'WO-M-1',
          partNumber: 'P',
          quantity: 1,
          routing: [{ seq: 1, process: 'CNC', standardMinutes: 1 }],
          dueBucket: '2099-01-01T00:00:00Z',
          priority: 'NORMAL',
          maxUnitPrice: 1,
        }),
      ]),
    ).rejects.toMatchObject({ code: 'ACCESS.WRONG_ROLE' });
    await expect(
      api.ledger.submit('auditor', 'Factory', 'RegisterFactory', [
        request({
          factoryId: 'F-M-1',
          name: 'x',
          location: 'y',
          processes: [{ process: 'CNC', pricePerMinute: 1 }],
        }),
      ]),
    ).rejects.toMatchObject({ code: 'ACCESS.WRONG_ROLE' });
  });
});
