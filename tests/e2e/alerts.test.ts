import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createMemberAccounts, startApi, type RunningApi } from '@fabpool/api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LOGIN_MUTATION, loginVariables } from '../support/accounts.js';
import { graphqlClient, nodesOf } from '../support/graphqlClient.js';
import { bucketFromNow, request, sleep, unique } from '../support/poolClient.js';

const PASSWORD = 'alerts-e2e-2026';

interface AlertView {
  kind: string;
  lotId: string | null;
  workOrderId: string | null;
  message: string;
}

/**
 * Alerts through the api: a scan 15% over the standard time raises an overrun and a frozen next
 * operation to the factory and the customer concerned (live, over server-sent events, and in the
 * list), an exception nobody answers within 15 minutes escalates once, and nobody else hears of it.
 */
describe('alerts, through the api', () => {
  let api: RunningApi;
  let dir: string;
  let clock = Date.now();
  const tokens = new Map<string, string>();
  const { gql } = graphqlClient(() => api.url, tokens);
  const alertsOf = async (member: string): Promise<AlertView[]> => {
    const result = await gql(
      'query { alerts { edges { node { kind lotId workOrderId message } } } }',
      {},
      member,
    );
    if (result.errors !== undefined) throw new Error(JSON.stringify(result.errors));
    return nodesOf<AlertView>(result.data, 'alerts');
  };
  const submit = (member: string, contract: string, transaction: string, body: object) =>
    api.ledger.submit(member, contract, transaction, [request(body)]);

  const factoryId = `F-${unique()}`;
  const workOrderId = `WO-${unique()}`;
  const runId = `RUN-${unique()}`;
  const lotId = `${runId}.1`;
  const scan = { operatorId: 'OP-Wang', machineId: 'CNC-07' };

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'fabpool-alerts-'));
    api = await startApi({ dataDir: dir, alerts: { now: () => clock } });
    const accounts = await createMemberAccounts(api.database.pool, api.ledger, PASSWORD);
    for (const member of ['alliance-admin', 'customer-1', 'customer-2', 'factory-a-user', 'factory-b-user']) {
      const login = await gql(LOGIN_MUTATION, loginVariables(accounts, member, PASSWORD), member);
      tokens.set(member, (login.data?.login as { accessToken: string }).accessToken);
    }
    const bucket = bucketFromNow(1);
    await submit('factory-a-user', 'Factory', 'RegisterFactory', {
      factoryId,
      name: '苏州精工',
      location: 'Suzhou',
      processes: [{ process: 'CNC', pricePerMinute: 10_000 }],
    });
    await submit('factory-a-user', 'Factory', 'DeclareCapacity', {
      factoryId,
      entries: [{ process: 'CNC', bucket, minutes: 480 }],
    });
    // 10 units × 0.0001 min: 60 ms of standard time, which the time between two scans overruns.
    await submit('customer-1', 'WorkOrder', 'PublishWorkOrder', {
      workOrderId,
      partNumber: 'PIN-8',
      quantity: 10,
      routing: [{ seq: 1, process: 'CNC', standardMinutes: 0.0001 }],
      dueBucket: bucketFromNow(3),
      priority: 'NORMAL',
      maxUnitPrice: 100,
    });
    await submit('matcher', 'Assignment', 'RecordAssignment', {
      runId,
      inputHash: 'e'.repeat(64),
      objective: 10,
      acceptWithinHours: 4,
      lots: [{ workOrderId, factoryId, fromSeq: 1, toSeq: 1, bucket, quantity: 10, unitPrices: [1] }],
    });
    await submit('factory-a-user', 'Assignment', 'AcceptLot', { lotId });
    await submit('customer-1', 'Custody', 'OfferHandOver', { lotId, toMspId: 'FactoryAMSP', quantity: 10 });
    await submit('factory-a-user', 'Custody', 'ConfirmHandOver', { lotId, receivedQuantity: 10 });
    await submit('factory-a-user', 'Progress', 'StartOperation', { lotId, seq: 1, ...scan });
    await api.projector.caughtUp((await api.ledger.height()) - 1);
  });

  afterAll(async () => {
    await api.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('tells the factory and the customer at once when a scan overruns and freezes the next operation', async () => {
    // The factory's live stream, opened before the scan.
    const controller = new AbortController();
    const stream = await fetch(`${api.url}/graphql`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        accept: 'text/event-stream',
        authorization: `Bearer ${tokens.get('factory-a-user') ?? ''}`,
      },
      body: JSON.stringify({ query: 'subscription { alerts { kind lotId } }' }),
      signal: controller.signal,
    });
    const reader = stream.body?.getReader();
    const received: string[] = [];
    const reading = (async () => {
      let buffer = '';
      for (;;) {
        const chunk = await reader?.read();
        if (chunk === undefined || chunk.done) return;
        buffer += new TextDecoder().decode(chunk.value);
        for (const match of buffer.matchAll(/"kind":"([A-Z_]+)"/g))
          if (match[1] !== undefined) received.push(match[1]);
        buffer = buffer.slice(buffer.lastIndexOf('\n') + 1);
        if (received.length >= 2) return;
      }
    })();

    await sleep(150);
    const reported = await gql(
      'mutation($r: ReportOperationInput!) { reportOperation(request: $r) { receipt { result } userErrors { code } } }',
      { r: { lotId, seq: 1, goodQuantity: 10, scrapQuantity: 0, ...scan } },
      'factory-a-user',
    );
    expect(reported.errors).toBeUndefined();
    expect(
      (reported.data?.reportOperation as { receipt: { result: { overrun: boolean } } }).receipt.result
        .overrun,
    ).toBe(true);
    await Promise.race([reading, sleep(5_000)]);
    controller.abort();
    expect(received.sort()).toEqual(['FROZEN_OPERATION', 'OVERRUN']);

    for (const member of ['factory-a-user', 'customer-1', 'alliance-admin']) {
      const kinds = (await alertsOf(member)).filter((a) => a.lotId === lotId).map((a) => a.kind);
      expect(kinds.sort(), member).toEqual(['FROZEN_OPERATION', 'OVERRUN']);
    }
    expect((await alertsOf('factory-a-user')).find((a) => a.kind === 'OVERRUN')?.message).toMatch(
      /took [\d.]+ min, \d+% over the [\d.]+ allowed/,
    );
    // Not theirs: another factory, another customer.
    expect(await alertsOf('factory-b-user')).toEqual([]);
    expect(await alertsOf('customer-2')).toEqual([]);
  });

  it('escalates an exception nobody answered within 15 minutes, once', async () => {
    expect(await api.alerts.tick()).toEqual([]);
    clock += 16 * 60_000;
    const escalated = await api.alerts.tick();
    expect(escalated.map((a) => [a.kind, a.lotId])).toEqual([['ESCALATION', lotId]]);
    expect(await api.alerts.tick()).toEqual([]);
    expect((await alertsOf('customer-1')).map((a) => a.kind)).toContain('ESCALATION');
  });

  it('raises nothing once the exception is answered', async () => {
    await submit('factory-a-admin', 'Progress', 'CloseException', {
      lotId,
      seq: 1,
      cause: 'fixture re-clamped',
      firstAction: 'first piece re-inspected',
      confirmedBy: 'team-lead-Zhang',
    });
    await api.projector.caughtUp((await api.ledger.height()) - 1);
    clock += 60 * 60_000;
    await api.database.pool.query("DELETE FROM alert WHERE kind = 'ESCALATION'");
    expect(await api.alerts.tick()).toEqual([]);
  });

  it('counts the scan in the analytics: the Pareto of causes, the control chart, the health ranking', async () => {
    const result = await gql(
      `query { analytics(process: "CNC") {
        exceptionPareto { cause count cumulativeShare }
        controlChart { points { lotId } }
        factoryHealth { factoryId firstPassYield index }
        materialVariance { byProcess { process input scrap scrapRate } }
      } }`,
      {},
      'customer-1',
    );
    expect(result.errors).toBeUndefined();
    const analytics = result.data?.analytics as {
      exceptionPareto: { cause: string; count: number }[];
      controlChart: { points: { lotId: string }[] };
      factoryHealth: { factoryId: string; firstPassYield: number; index: number }[];
      materialVariance: { byProcess: { process: string; input: number; scrap: number }[] };
    };
    expect(analytics.exceptionPareto).toEqual([
      { cause: 'fixture re-clamped', count: 1, cumulativeShare: 1 },
    ]);
    expect(analytics.controlChart.points.map((p) => p.lotId)).toEqual([lotId]);
    expect(analytics.materialVariance.byProcess).toEqual([
      { process: 'CNC', input: 10, scrap: 0, scrapRate: 0 },
    ]);
    expect(analytics.factoryHealth.find((h) => h.factoryId === factoryId)?.firstPassYield).toBe(1);
    const supplier = await gql('query { analytics { factoryHealth { index } } }', {}, 'supplier-1');
    expect(supplier.errors?.[0]?.extensions?.code).toBe(
      tokens.has('supplier-1') ? 'ACCESS.WRONG_ROLE' : 'AUTH.REQUIRED',
    );
  });
});
