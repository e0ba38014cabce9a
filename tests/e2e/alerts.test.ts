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
  // One clock for the ledger's transactions and the watch: the tests move it on.
  let offset = 0;
  const clock = () => Date.now() + offset;
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
  const progressOf = async (id: string) =>
    JSON.parse(
      Buffer.from(await api.ledger.evaluate('auditor', 'Progress', 'GetLotProgress', [id])).toString('utf8'),
    ) as {
      exceptions: {
        whileRunning?: boolean;
        escalations?: { level: number; notified: { party: string }[] }[];
      }[];
    };
  /** The watch's transactions are read into the read model, and their alerts raised. */
  const settle = async () => {
    await api.projector.caughtUp((await api.ledger.height()) - 1);
    await api.alerts.idle();
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
    api = await startApi({ dataDir: dir, ledgerClock: clock, alerts: { now: clock } });
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

  it('escalates an unanswered exception on the ledger: the manager after 15 minutes, the customer and operator after 30', async () => {
    const levels = async () => (await progressOf(lotId)).exceptions[0]?.escalations ?? [];
    expect((await api.alerts.tick()).escalated).toEqual([]);
    expect((await levels()).map((e) => e.level)).toEqual([1]);
    offset += 16 * 60_000;
    expect((await api.alerts.tick()).escalated).toEqual([`${lotId}/001`]);
    await settle();
    expect((await api.alerts.tick()).escalated).toEqual([]);
    expect((await levels()).at(-1)).toMatchObject({ level: 2, notified: [{ party: 'FACTORY_MANAGER' }] });
    // The manager's level tells the factory, not yet the customer.
    expect((await alertsOf('factory-a-user')).filter((a) => a.kind === 'ESCALATION')).toHaveLength(1);
    expect((await alertsOf('customer-1')).map((a) => a.kind)).not.toContain('ESCALATION');
    offset += 15 * 60_000;
    expect((await api.alerts.tick()).escalated).toEqual([`${lotId}/001`]);
    await settle();
    expect((await levels()).at(-1)?.notified.map((n) => n.party)).toEqual(['CUSTOMER', 'OPERATOR']);
    const told = (await alertsOf('customer-1')).filter((a) => a.kind === 'ESCALATION');
    expect(told.map((a) => a.message)).toEqual([
      expect.stringMatching(/^level 3: .* customer and alliance operator told$/),
    ]);
    // Every level is reached: nothing more to climb.
    offset += 60 * 60_000;
    expect((await api.alerts.tick()).escalated).toEqual([]);
    expect(await alertsOf('factory-b-user')).toEqual([]);
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
    offset += 60 * 60_000;
    expect(await api.alerts.tick()).toEqual({ alerts: [], flagged: [], escalated: [] });
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
    // Over a period: the scan's day has it; the week before has nothing of it; a half period is refused.
    const over = async (from: string, to: string) =>
      gql(
        'query($f: String, $t: String) { analytics(process: "CNC", from: $f, to: $t) { exceptionPareto { cause } controlChart { points { lotId } } } }',
        { f: from, t: to },
        'customer-1',
      );
    const now = Date.now() + offset;
    const today = await over(
      new Date(now - 86_400_000).toISOString(),
      new Date(now + 86_400_000).toISOString(),
    );
    expect(today.data?.analytics).toMatchObject({ controlChart: { points: [{ lotId }] } });
    const weekBefore = await over(
      new Date(now - 8 * 86_400_000).toISOString(),
      new Date(now - 7 * 86_400_000).toISOString(),
    );
    expect(weekBefore.data?.analytics).toMatchObject({ exceptionPareto: [], controlChart: { points: [] } });
    const half = await gql(
      'query { analytics(from: "2026-12-01T00:00:00Z") { exceptionPareto { cause } } }',
      {},
      'customer-1',
    );
    expect(half.errors?.[0]?.extensions?.code).toBe('REQUEST.INVALID_ARGUMENT');
    const supplier = await gql('query { analytics { factoryHealth { index } } }', {}, 'supplier-1');
    expect(supplier.errors?.[0]?.extensions?.code).toBe(
      tokens.has('supplier-1') ? 'ACCESS.WRONG_ROLE' : 'AUTH.REQUIRED',
    );
  });

  it('warns at the standard time and, at 115%, freezes the next operation while the first still runs', async () => {
    const runningOrder = `WO-${unique()}`;
    const runningLot = `${runId}-R.1`;
    const bucket = bucketFromNow(2);
    await submit('factory-a-user', 'Factory', 'DeclareCapacity', {
      factoryId,
      entries: [{ process: 'CNC', bucket, minutes: 480 }],
    });
    await submit('customer-1', 'WorkOrder', 'PublishWorkOrder', {
      workOrderId: runningOrder,
      partNumber: 'PIN-9',
      quantity: 10,
      routing: [
        { seq: 1, process: 'CNC', standardMinutes: 1 },
        { seq: 2, process: 'CNC', standardMinutes: 1 },
      ],
      dueBucket: bucketFromNow(4),
      priority: 'NORMAL',
      maxUnitPrice: 100_000,
    });
    await submit('matcher', 'Assignment', 'RecordAssignment', {
      runId: `${runId}-R`,
      inputHash: 'f'.repeat(64),
      objective: 10,
      acceptWithinHours: 4,
      lots: [
        {
          workOrderId: runningOrder,
          factoryId,
          fromSeq: 1,
          toSeq: 2,
          bucket,
          quantity: 10,
          unitPrices: [10_000, 10_000],
        },
      ],
    });
    await submit('factory-a-user', 'Assignment', 'AcceptLot', { lotId: runningLot });
    await submit('customer-1', 'Custody', 'OfferHandOver', {
      lotId: runningLot,
      toMspId: 'FactoryAMSP',
      quantity: 10,
    });
    await submit('factory-a-user', 'Custody', 'ConfirmHandOver', { lotId: runningLot, receivedQuantity: 10 });
    await submit('factory-a-user', 'Progress', 'StartOperation', { lotId: runningLot, seq: 1, ...scan });
    await api.projector.caughtUp((await api.ledger.height()) - 1);
    // 10 units × 1 min: nothing at 9 minutes, a warning at 10, the overrun on the ledger past 11.5.
    offset += 9 * 60_000;
    expect((await api.alerts.tick()).alerts).toEqual([]);
    offset += 60_000;
    const warned = await api.alerts.tick();
    expect(warned.alerts.map((a) => [a.kind, a.lotId])).toEqual([['STANDARD_TIME_REACHED', runningLot]]);
    expect(warned.flagged).toEqual([]);
    offset += 2 * 60_000;
    expect((await api.alerts.tick()).flagged).toEqual([`${runningLot}/001`]);
    await settle();
    const kinds = (await alertsOf('customer-1')).filter((a) => a.lotId === runningLot);
    expect(kinds.map((a) => a.kind).sort()).toEqual(['FROZEN_OPERATION', 'OVERRUN', 'STANDARD_TIME_REACHED']);
    expect(kinds.find((a) => a.kind === 'OVERRUN')?.message).toMatch(/still running after 12(\.\d+)? min/);
    // The report does not open a second exception; the next operation waits for the answer.
    await submit('factory-a-user', 'Progress', 'ReportOperation', {
      lotId: runningLot,
      seq: 1,
      goodQuantity: 10,
      scrapQuantity: 0,
      ...scan,
    });
    const refused = await submit('factory-a-user', 'Progress', 'StartOperation', {
      lotId: runningLot,
      seq: 2,
      ...scan,
    }).then(
      () => 'started',
      (error: unknown) => String(error),
    );
    expect(refused).toContain('OPERATION.FROZEN');
    const { exceptions } = await progressOf(runningLot);
    expect(exceptions).toHaveLength(1);
    expect(exceptions[0]?.whileRunning).toBe(true);
  });

  it('surfaces problems nobody reports: units left unplaced past 15 minutes to their customer, a plant over its capacity to its factory', async () => {
    const orphan = `WO-ORPHAN-${unique()}`;
    // No plant offers wire harnesses here: the matcher cannot place it.
    await submit('customer-2', 'WorkOrder', 'PublishWorkOrder', {
      workOrderId: orphan,
      partNumber: 'HARNESS-3',
      quantity: 40,
      routing: [{ seq: 1, process: 'WIRE_HARNESS', standardMinutes: 2 }],
      dueBucket: bucketFromNow(6),
      priority: 'NORMAL',
      maxUnitPrice: 500,
    });
    // The lot's shift: its lot's minute or so and 485 of live load on 480 declared.
    const bucket = bucketFromNow(1);
    const report = await gql(
      'mutation($r: ReportLoadInput!) { reportLoad(report: $r) { entries } }',
      { r: { factoryId, loads: [{ process: 'CNC', bucket, loadMinutes: 485 }] } },
      'factory-a-user',
    );
    expect(report.errors).toBeUndefined();
    await settle();
    await api.alerts.tick();
    const kinds = async (member: string) =>
      (await alertsOf(member))
        .filter((a) => a.kind === 'UNITS_UNPLACED' || a.kind === 'PLANT_OVERLOADED')
        .filter((a) => a.workOrderId === orphan || a.message.startsWith(factoryId))
        .map((a) => a.kind)
        .sort();
    // Published just now: the matcher still has its chance.
    expect(await kinds('customer-2')).toEqual([]);
    expect(await kinds('factory-a-user')).toEqual(['PLANT_OVERLOADED']);
    const overload = (await alertsOf('factory-a-user')).find((a) => a.kind === 'PLANT_OVERLOADED');
    expect(overload?.message).toContain('101%');
    expect(await kinds('factory-b-user')).toEqual([]);
    offset += 16 * 60_000;
    await api.alerts.tick();
    expect(await kinds('customer-2')).toEqual(['UNITS_UNPLACED']);
    const unplaced = (await alertsOf('customer-2')).find((a) => a.kind === 'UNITS_UNPLACED');
    expect(unplaced?.message).toMatch(
      /^40 units of WO-ORPHAN-.* \(operation 1\) are still unplaced 1[67] min after publishing: no plant offers its process$/,
    );
    expect(await kinds('customer-1')).toEqual([]);
    expect(await kinds('alliance-admin')).toEqual(['PLANT_OVERLOADED', 'UNITS_UNPLACED']);
    // Raised once: another look adds nothing.
    expect((await api.alerts.tick()).alerts.filter((a) => a.workOrderId === orphan)).toEqual([]);
  });

  it('tells a factory of a lot whose decision is due within the hour, and nobody else but the overseers', async () => {
    const waitingOrder = `WO-${unique()}`;
    const waitingRun = `${runId}-D`;
    await submit('customer-1', 'WorkOrder', 'PublishWorkOrder', {
      workOrderId: waitingOrder,
      partNumber: 'PIN-10',
      quantity: 5,
      routing: [{ seq: 1, process: 'CNC', standardMinutes: 0.0001 }],
      dueBucket: bucketFromNow(5),
      priority: 'NORMAL',
      maxUnitPrice: 100_000,
    });
    await submit('matcher', 'Assignment', 'RecordAssignment', {
      runId: waitingRun,
      inputHash: 'd'.repeat(64),
      objective: 10,
      acceptWithinHours: 2,
      lots: [
        {
          workOrderId: waitingOrder,
          factoryId,
          fromSeq: 1,
          toSeq: 1,
          bucket: bucketFromNow(1),
          quantity: 5,
          unitPrices: [1],
        },
      ],
    });
    await settle();
    const due = async (member: string) =>
      (await alertsOf(member)).filter((a) => a.kind === 'DECISION_DUE' && a.lotId === `${waitingRun}.1`);
    await api.alerts.tick();
    // Two hours to decide: not yet.
    expect(await due('factory-a-user')).toEqual([]);
    offset += 70 * 60_000;
    await api.alerts.tick();
    expect((await due('factory-a-user')).map((a) => a.message)).toEqual([
      expect.stringMatching(
        /^lot .*-D\.1 at F-.* waits for your decision: accept or turn it down within (4[89]|50) min/,
      ),
    ]);
    expect(await due('factory-b-user')).toEqual([]);
    expect(await due('customer-1')).toEqual([]);
    expect(await due('alliance-admin')).toHaveLength(1);
  });
});
