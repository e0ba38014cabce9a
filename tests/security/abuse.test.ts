import { request as httpRequest } from 'node:http';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import jwt from 'jsonwebtoken';
import { createMemberAccounts, startApi, type MemberAccount, type RunningApi } from '@fabpool/api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LOGIN_MUTATION, loginVariables } from '../support/accounts.js';
import { refusalOf } from '../support/graphqlClient.js';

const PASSWORD = 'abuse-password-2026';

interface Answer {
  status: number;
  body: { data?: Record<string, unknown>; errors?: { message: string; extensions?: { code?: string } }[] };
  text: string;
}

/**
 * The abuse suite: what a hostile or careless member, or a stranger on the same network, tries at
 * the api's edge. Each test asserts the refusal and that nothing changed where nothing may.
 */
describe('the api under abuse', () => {
  let api: RunningApi;
  let dir: string;
  let accounts: MemberAccount[];
  const tokens = new Map<string, string>();

  const post = async (path: string, body: string, headers: Record<string, string> = {}): Promise<Answer> => {
    const response = await fetch(`${api.url}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body,
    });
    const text = await response.text();
    return { status: response.status, text, body: JSON.parse(text) as Answer['body'] };
  };
  const gql = (query: string, variables: object = {}, member?: string) =>
    post('/graphql', JSON.stringify({ query, variables }), {
      ...(member === undefined ? {} : { authorization: `Bearer ${tokens.get(member) ?? ''}` }),
    });
  const codeOf = (answer: Answer) => refusalOf(answer.body);
  const login = async (member: string) => {
    const answer = await gql(LOGIN_MUTATION, loginVariables(accounts, member, PASSWORD));
    const token = (answer.body.data?.login as { accessToken?: string } | undefined)?.accessToken;
    if (token !== undefined) tokens.set(member, token);
    return answer;
  };

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'fabpool-abuse-'));
    api = await startApi({ dataDir: dir, forecast: { delayHours: 0 } });
    accounts = await createMemberAccounts(api.database.pool, api.ledger, PASSWORD);
    for (const member of ['customer-1', 'alliance-admin'])
      expect(codeOf(await login(member))).toBeUndefined();
  });
  afterAll(async () => {
    await api.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('refuses hostile bytes in free text before anything is signed', async () => {
    const height = await api.ledger.height();
    const hostile = ['\u0000', '\ud800', '\u001b[2J', '\u0085', 'ok\u0007'];
    for (const bytes of hostile) {
      const answer = await gql(
        'mutation($r: PublishWorkOrderInput!) { publishWorkOrder(request: $r) { receipt { transactionId } userErrors { code message field } } }',
        {
          r: {
            workOrderId: `WO-HOSTILE-${hostile.indexOf(bytes)}`,
            partNumber: `P${bytes}`,
            quantity: 1,
            routing: [{ seq: 1, process: 'CNC', standardMinutes: 1 }],
            dueBucket: '2031-01-01T00:00:00Z',
            priority: 'NORMAL',
            maxUnitPrice: 100,
          },
        },
        'customer-1',
      );
      expect(codeOf(answer), JSON.stringify(bytes)).toBe('REQUEST.INVALID_ARGUMENT');
    }
    expect(await api.ledger.height()).toBe(height);
    const health = await fetch(`${api.url}/health`);
    expect(health.status).toBe(200);
    expect(await health.json()).toMatchObject({
      ok: true,
      projector: { state: 'following' },
      quarantined: 0,
    });
  });

  it('answers a retried request id with its first result and no new block, and refuses it for another request', async () => {
    const order = (quantity: number) => ({
      requestId: 'abuse-retry-0001',
      workOrderId: 'WO-RETRY-1',
      partNumber: 'P-1',
      quantity,
      routing: [{ seq: 1, process: 'CNC', standardMinutes: 1 }],
      dueBucket: '2031-01-01T00:00:00Z',
      priority: 'NORMAL',
      maxUnitPrice: 100,
    });
    const publish = (quantity: number) =>
      gql(
        'mutation($r: PublishWorkOrderInput!) { publishWorkOrder(request: $r) { receipt { transactionId blockNumber } userErrors { code } } }',
        { r: order(quantity) },
        'customer-1',
      );
    const first = await publish(5);
    expect(codeOf(first)).toBeUndefined();
    const height = await api.ledger.height();
    const again = await publish(5);
    expect(again.body.data?.publishWorkOrder).toEqual(first.body.data?.publishWorkOrder);
    expect(await api.ledger.height()).toBe(height);
    const changed = await publish(6);
    expect(codeOf(changed)).toBe('REQUEST.ID_REUSED');
    expect(await api.ledger.height()).toBe(height);
  });

  it('answers JSON without internals on every error path of the HTTP edge', async () => {
    for (const header of [
      'Basic %%%',
      `Basic ${Buffer.from('client:%E0%A4%A').toString('base64')}`,
      'Basic Og==',
    ]) {
      const response = await fetch(`${api.url}/oauth/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: header },
        body: 'grant_type=client_credentials',
      });
      const text = await response.text();
      expect(response.status, header).toBeGreaterThanOrEqual(400);
      expect(response.status, header).toBeLessThan(500);
      expect(() => JSON.parse(text) as unknown).not.toThrow();
      expect(text).not.toMatch(/\n\s*at |node_modules|\/work\/|\.js:\d+/);
    }
    const unreadable = await fetch(`${api.url}/oauth/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'x'.repeat(20_000),
    });
    expect(unreadable.status).toBe(413);
    expect(await unreadable.text()).not.toMatch(/\n\s*at |node_modules/);
  });

  it('counts the bytes of a chunked body, with no length to trust, and refuses past the limit', async () => {
    const answer = await new Promise<{ status: number; text: string }>((resolve, reject) => {
      const url = new URL(`${api.url}/graphql`);
      const req = httpRequest(
        {
          host: url.hostname,
          port: url.port,
          path: url.pathname,
          method: 'POST',
          headers: { 'content-type': 'application/json', 'transfer-encoding': 'chunked' },
        },
        (res) => {
          let text = '';
          res.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
          res.on('end', () => {
            resolve({ status: res.statusCode ?? 0, text });
          });
        },
      );
      req.on('error', (error) => {
        // The server may close the connection once it has refused; the answer came first.
        if (
          (error as NodeJS.ErrnoException).code !== 'EPIPE' &&
          (error as NodeJS.ErrnoException).code !== 'ECONNRESET'
        )
          reject(error);
      });
      req.write('{"query":"{ me { username } }","variables":{"pad":"');
      const chunk = 'x'.repeat(64 * 1024);
      for (let i = 0; i < 128; i++) req.write(chunk);
      req.end('"}}');
    });
    expect(answer.status).toBe(413);
    expect(JSON.parse(answer.text)).toMatchObject({
      errors: [{ extensions: { code: 'REQUEST.TOO_LARGE' } }],
    });
  });

  it('refuses a well-signed token that never expires', async () => {
    const secret = (await readFile(join(dir, 'jwt-secret'), 'utf8')).trim();
    const forever = jwt.sign({ member: 'alliance-admin', role: 'operator' }, secret, {
      algorithm: 'HS256',
      subject: 'alliance-admin',
      issuer: 'fabpool',
      audience: 'fabpool-api',
    });
    tokens.set('forever', forever);
    expect(codeOf(await gql('{ me { username } }', {}, 'forever'))).toBe('AUTH.INVALID_TOKEN');
  });

  it('tells a client nothing of the schema it was not given: no introspection, no suggestions', async () => {
    for (const member of [undefined, 'customer-1']) {
      const introspection = await gql('{ __schema { types { name } } }', {}, member);
      expect(introspection.body.data).toBeUndefined();
      expect(introspection.body.errors?.[0]?.message).toContain('introspection');
      const typo = await gql('{ mee { username } }', {}, member);
      expect(typo.text).not.toContain('Did you mean');
    }
  });

  it('weighs heavy fields, so aliases of one cannot take the server', async () => {
    const aliases = Array.from({ length: 100 }, (_, i) => `a${i}: analytics { cycleTimes { hours } }`).join(
      ' ',
    );
    expect(codeOf(await gql(`{ ${aliases} }`, {}, 'alliance-admin'))).toBe('REQUEST.TOO_COSTLY');
  });

  it('slows password guessing down per account, and an operator can lift it', async () => {
    const guess = () => gql(LOGIN_MUTATION, { u: 'customer-2', p: 'not-the-password', t: null });
    const codes: (string | undefined)[] = [];
    for (let i = 0; i < 8; i++) codes.push(codeOf(await guess()));
    expect(codes.slice(0, 5)).toEqual(Array(5).fill('AUTH.INVALID_CREDENTIALS'));
    expect(codes.slice(6)).toEqual(['AUTH.TOO_MANY_ATTEMPTS', 'AUTH.TOO_MANY_ATTEMPTS']);
    // The right password is refused too while the account is blocked.
    expect(codeOf(await login('customer-2'))).toBe('AUTH.TOO_MANY_ATTEMPTS');
    expect(codeOf(await gql('mutation { unlockAccount(username: "customer-2") }', {}, 'customer-1'))).toBe(
      'ACCESS.WRONG_ROLE',
    );
    const unlocked = await gql('mutation { unlockAccount(username: "customer-2") }', {}, 'alliance-admin');
    expect(unlocked.body.data?.unlockAccount).toBe(true);
    expect(codeOf(await login('customer-2'))).toBeUndefined();
  });
});

describe('the rate limit', () => {
  let api: RunningApi;
  let dir: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'fabpool-rate-'));
    api = await startApi({ dataDir: dir, requestsPerMinute: 30 });
  });
  afterAll(async () => {
    await api.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('counts junk credentials against their address, not a new allowance each', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 40; i++) {
      const response = await fetch(`${api.url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer junk-${i}` },
        body: JSON.stringify({ query: '{ me { username } }' }),
      });
      statuses.push(response.status);
      await response.text();
    }
    expect(statuses.filter((s) => s === 429).length).toBeGreaterThanOrEqual(10);
  });

  it("does not count the web app's static files: a phone installing the app fetches them all", async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 40; i++) {
      const response = await fetch(`${api.url}/shop-floor`);
      statuses.push(response.status);
      await response.text();
    }
    expect(statuses.every((s) => s === 200)).toBe(true);
  });
});
