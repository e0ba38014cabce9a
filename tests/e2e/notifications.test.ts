import { createHmac } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createMemberAccounts, startApi, type RunningApi } from '@fabpool/api';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LOGIN_MUTATION, loginVariables } from '../support/accounts.js';
import { graphqlClient, nodesOf } from '../support/graphqlClient.js';
import { bucketFromNow, openPlant, request, sleep, unique } from '../support/poolClient.js';

const PASSWORD = 'notify-e2e-2026';

interface Received {
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** A partner system's webhook endpoint: refuses the first `failFirst` calls (503), then takes them. */
async function webhookReceiver(
  failFirst: number,
): Promise<{ server: Server; url: string; received: Received[]; calls: () => number }> {
  const received: Received[] = [];
  let calls = 0;
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
    req.on('end', () => {
      calls++;
      if (calls <= failFirst) {
        res.writeHead(503).end();
        return;
      }
      received.push({ headers: req.headers, body });
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    server,
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/fabpool`,
    received,
    calls: () => calls,
  };
}

/**
 * Notifications outside the app, with a real SMTP server and real HTTP receivers started by the
 * test: a factory's partner system gets its new lot and its alerts by webhook, signed, retried
 * with back-off until it answers; the customer gets its alert by e-mail; another factory gets
 * nothing of it; the delivery log shows every attempt.
 */
describe('webhooks and e-mail, through the api', () => {
  let api: RunningApi;
  let dir: string;
  let smtp: SMTPServer;
  const mails: { to: string; raw: string }[] = [];
  let factoryHook: Awaited<ReturnType<typeof webhookReceiver>>;
  let otherHook: Awaited<ReturnType<typeof webhookReceiver>>;
  const tokens = new Map<string, string>();
  const { ok, gql } = graphqlClient(() => api.url, tokens);
  const submit = (member: string, contract: string, transaction: string, body: object) =>
    api.ledger.submit(member, contract, transaction, [request(body)]);
  const factoryId = `F-N-${unique()}`;
  const workOrderId = `WO-N-${unique()}`;
  const runId = `RUN-N-${unique()}`;
  const lotId = `${runId}.1`;
  let secret = '';

  /** Lets the notification service deliver what is due until `done` holds (or 10 s pass). */
  async function deliverUntil(done: () => boolean): Promise<void> {
    await api.projector.caughtUp((await api.ledger.height()) - 1);
    await api.alerts.idle();
    for (let i = 0; i < 200 && !done(); i++) {
      await api.notifications.deliverDue();
      await sleep(50);
    }
  }

  beforeAll(async () => {
    smtp = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS', 'AUTH'],
      onData(stream, session, callback) {
        let raw = '';
        stream.on('data', (chunk: Buffer) => (raw += chunk.toString('utf8')));
        stream.on('end', () => {
          mails.push({ to: session.envelope.rcptTo.map((r) => r.address).join(','), raw });
          callback();
        });
      },
    });
    await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', resolve));
    const smtpPort = (smtp.server.address() as AddressInfo).port;
    factoryHook = await webhookReceiver(2);
    otherHook = await webhookReceiver(0);
    dir = await mkdtemp(join(tmpdir(), 'fabpool-notify-'));
    api = await startApi({
      dataDir: dir,
      notifications: { smtpUrl: `smtp://127.0.0.1:${smtpPort}`, backoffBaseMs: 100 },
    });
    const accounts = await createMemberAccounts(api.database.pool, api.ledger, PASSWORD);
    for (const member of ['customer-1', 'factory-a-user', 'factory-b-user']) {
      const login = await ok(LOGIN_MUTATION, loginVariables(accounts, member, PASSWORD), member);
      tokens.set(member, (login.login as { accessToken: string }).accessToken);
    }
  });

  afterAll(async () => {
    await api.close();
    await rm(dir, { recursive: true, force: true });
    factoryHook.server.close();
    otherHook.server.close();
    await new Promise<void>((resolve) => {
      smtp.close(resolve);
    });
  });

  it('takes subscriptions, refusing an address that is not one', async () => {
    const subscribed = await ok(
      'mutation($u: String!) { subscribeWebhook(url: $u, eventKinds: [ASSIGNMENT, ALERT]) { subscription { id channel eventKinds } secret } }',
      { u: factoryHook.url },
      'factory-a-user',
    );
    const answer = subscribed.subscribeWebhook as { subscription: { channel: string }; secret: string };
    expect(answer.subscription).toMatchObject({ channel: 'WEBHOOK', eventKinds: ['ASSIGNMENT', 'ALERT'] });
    secret = answer.secret;
    expect(secret.length).toBeGreaterThan(30);
    await ok(
      'mutation($u: String!) { subscribeWebhook(url: $u, eventKinds: [ASSIGNMENT, ALERT]) { secret } }',
      { u: otherHook.url },
      'factory-b-user',
    );
    await ok(
      'mutation { subscribeEmail(address: "buyer@customer-a.cn", eventKinds: [ALERT, SETTLEMENT]) { subscription { id } } }',
      {},
      'customer-1',
    );
    const refused = await gql(
      'mutation { subscribeWebhook(url: "file:///etc/passwd", eventKinds: [ALERT]) { secret } }',
      {},
      'factory-a-user',
    );
    expect(refused.errors?.[0]?.extensions?.code).toBe('REQUEST.INVALID_ARGUMENT');
  });

  it('delivers a new lot to its factory’s webhook, signed, retried with back-off until it answers', async () => {
    const bucket = bucketFromNow(2);
    await openPlant(submit, 'factory-a-user', {
      factoryId,
      process: 'CNC',
      pricePerMinute: 10_000,
      buckets: [bucket],
    });
    // 10 units × 0.0001 min: the time between two scans overruns it.
    await submit('customer-1', 'WorkOrder', 'PublishWorkOrder', {
      workOrderId,
      partNumber: 'PIN-N',
      quantity: 10,
      routing: [{ seq: 1, process: 'CNC', standardMinutes: 0.0001 }],
      dueBucket: bucketFromNow(4),
      priority: 'NORMAL',
      maxUnitPrice: 100,
    });
    await submit('matcher', 'Assignment', 'RecordAssignment', {
      runId,
      inputHash: 'a'.repeat(64),
      objective: 10,
      acceptWithinHours: 4,
      lots: [{ workOrderId, factoryId, fromSeq: 1, toSeq: 1, bucket, quantity: 10, unitPrices: [1] }],
    });
    await deliverUntil(() => factoryHook.received.length > 0);
    expect(factoryHook.calls()).toBe(3);
    const [delivery] = factoryHook.received;
    const signature = `sha256=${createHmac('sha256', secret)
      .update(delivery?.body ?? '')
      .digest('hex')}`;
    expect(delivery?.headers['x-fabpool-signature']).toBe(signature);
    expect(delivery?.headers['x-fabpool-event']).toBe('ASSIGNMENT');
    expect(JSON.parse(delivery?.body ?? '{}')).toMatchObject({
      kind: 'ASSIGNMENT',
      data: { lotId, factoryId },
    });
    const log = nodesOf<{ eventKind: string; status: string; attempts: number; lastError: string | null }>(
      await ok(
        'query { notificationDeliveries { edges { node { eventKind status attempts lastError } } } }',
        {},
        'factory-a-user',
      ),
      'notificationDeliveries',
    );
    expect(log).toEqual([{ eventKind: 'ASSIGNMENT', status: 'DELIVERED', attempts: 3, lastError: null }]);
  });

  it('sends an overrun alert to the factory’s webhook and the customer’s e-mail, and nothing to another factory', async () => {
    const scan = { operatorId: 'OP-Ma', machineId: 'CNC-1' };
    await submit('factory-a-user', 'Assignment', 'AcceptLot', { lotId });
    await submit('customer-1', 'Custody', 'OfferHandOver', { lotId, toMspId: 'FactoryAMSP', quantity: 10 });
    await submit('factory-a-user', 'Custody', 'ConfirmHandOver', { lotId, receivedQuantity: 10 });
    await submit('factory-a-user', 'Progress', 'StartOperation', { lotId, seq: 1, ...scan });
    await sleep(150);
    await submit('factory-a-user', 'Progress', 'ReportOperation', {
      lotId,
      seq: 1,
      goodQuantity: 10,
      scrapQuantity: 0,
      ...scan,
    });
    await deliverUntil(() => mails.length >= 2 && factoryHook.received.length >= 3);
    const alerts = factoryHook.received.slice(1).map((r) => JSON.parse(r.body) as { data: { kind: string } });
    expect(alerts.map((a) => a.data.kind).sort()).toEqual(['FROZEN_OPERATION', 'OVERRUN']);
    expect(mails.map((m) => m.to)).toEqual(['buyer@customer-a.cn', 'buyer@customer-a.cn']);
    expect(mails.some((m) => m.raw.includes('Subject: [fabpool] OVERRUN'))).toBe(true);
    expect(otherHook.calls()).toBe(0);
  });
});
