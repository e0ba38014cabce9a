import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  createMemberAccounts,
  seedDemoAlliance,
  DemoClock,
  demoCast,
  playBack,
  ShopFloorSimulator,
  startApi,
  type RunningApi,
} from '@fabpool/api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/**
 * The demo's shop-floor simulator on the demo alliance, played back as `npm start` does on a fresh
 * data directory: twenty hours fast-forwarded at the floor's real pace. Its steps carry lots
 * through acceptance, material hand-overs, scans, an overrunning trial and its answered exception,
 * on to the next plant (its own organisation's or another's) and back to the customer — every step
 * a ledger transaction — and leave alone the factory a person has logged in as.
 */
describe('the shop-floor simulator', () => {
  let api: RunningApi;
  let dir: string;
  const clock = new DemoClock(Date.now() - 20 * 3_600_000);
  const count = async (sql: string): Promise<number> =>
    Number((await api.database.pool.query<{ n: string }>(sql)).rows[0]?.n ?? 0);

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'fabpool-simulator-'));
    api = await startApi({
      dataDir: dir,
      ledgerClock: clock.now,
      matcher: { now: clock.now },
      alerts: { now: clock.now },
    });
    await createMemberAccounts(api.database.pool, api.ledger, 'simulator-2026');
    await seedDemoAlliance(api.ledger, () => undefined, clock.now);
    await api.projector.caughtUp((await api.ledger.height()) - 1);
    await api.matcher.request({ kind: 'STARTUP', detail: 'simulator test' });
  });

  afterAll(async () => {
    await api.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('leaves the lots of a factory a person logged in as to them, and plays everyone else', async () => {
    const simulator = new ShopFloorSimulator(api.ledger, api.database.pool, {
      budget: 400,
      now: clock.now,
      people: () => Promise.resolve(new Set(['factory-b-user'])),
    });
    // Planners look at a new lot within two hours.
    clock.advance(130 * 60_000);
    const done = await simulator.step();
    await api.projector.caughtUp((await api.ledger.height()) - 1);
    const byOrganisation = async (mspId: string) =>
      (
        await api.database.pool.query<{ status: string }>(
          "SELECT record->>'status' AS status FROM record WHERE kind = 'Lot' AND record->>'factoryMspId' = $1",
          [mspId],
        )
      ).rows.map((r) => r.status);
    expect(done.leftToPeople).toBeGreaterThan(0);
    expect((await byOrganisation('FactoryAMSP')).filter((s) => s === 'ACCEPTED').length).toBeGreaterThan(0);
    const factoryB = await byOrganisation('FactoryBMSP');
    expect(factoryB.length).toBeGreaterThan(0);
    // Assigned still, or moved by the matcher; never accepted or turned down by the simulator.
    expect(factoryB.filter((s) => s !== 'ASSIGNED' && s !== 'REASSIGNED')).toEqual([]);
  });

  it('knows who is at work from their requests, and tells the login page which logins the simulator plays', async () => {
    const login = await fetch(`${api.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        query: 'mutation($u: String!, $p: String!) { login(username: $u, password: $p) { accessToken } }',
        variables: { u: 'factory-b-user', p: 'simulator-2026' },
      }),
    });
    const token = ((await login.json()) as { data: { login: { accessToken: string } } }).data.login
      .accessToken;
    // Logging in is not being at work: the first request with the token is.
    expect(api.presence.active(30).has('factory-b-user')).toBe(false);
    await fetch(`${api.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ query: '{ me { username } }' }),
    });
    expect([...api.presence.active(30)]).toEqual(['factory-b-user']);
    expect((await fetch(`${api.url}/demo`)).status).toBe(404);
    api.demo.cast = () => demoCast(api.database.pool, api.ledger.members(), api.presence.active(30));
    const { cast } = (await (await fetch(`${api.url}/demo`)).json()) as {
      cast: { username: string; playedBy: string; organisation: string; organisationName: string }[];
    };
    const playedBy = new Map(cast.map((c) => [c.username, c.playedBy]));
    // Companies by the names people know them by: a factory by its plants, never an MSP id.
    const factoryA = cast.find((c) => c.username === 'factory-a-user');
    expect(factoryA?.organisation).toBe('FactoryAMSP');
    expect(factoryA?.organisationName).toMatch(/^[\u4e00-\u9fff、]+$/);
    expect(cast.find((c) => c.username === 'customer-1')?.organisationName).toBe('CustomerA');
    const node = (await (await fetch(`${api.url}/node`)).json()) as {
      organisations: string[];
      names: string[];
    };
    expect(node.names).toHaveLength(node.organisations.length);
    expect(node.names.every((n) => !n.endsWith('MSP'))).toBe(true);
    expect(playedBy.get('factory-b-user')).toBe('PERSON');
    // A factory's lots are its organisation's: FactoryB's admin is taken along.
    expect(playedBy.get('factory-b-admin')).toBe('PERSON');
    expect(playedBy.get('factory-a-user')).toBe('SIMULATOR');
    expect(playedBy.get('customer-1')).toBe('SIMULATOR');
    expect(playedBy.get('supplier-1')).toBe('NOBODY');
    expect(playedBy.get('auditor')).toBe('NOBODY');
  });

  it('keeps the floor moving at its real pace: accepts, hands over, scans, overruns and answers, delivers', async () => {
    const lines: string[] = [];
    const simulator = new ShopFloorSimulator(api.ledger, api.database.pool, {
      budget: 400,
      now: clock.now,
      trialEveryMinutes: 180,
      log: (line) => lines.push(line),
    });
    const played = await playBack(api, clock, simulator, { stepMinutes: 10, log: () => undefined });
    const totals: Record<string, number> = {};
    for (const line of lines.filter((l) => !l.includes(' refused: ')))
      for (const [, kind, n] of line.matchAll(/(\w+) (\d+)(?:,|$)/g))
        if (kind !== undefined) totals[kind] = (totals[kind] ?? 0) + Number(n);
    process.stdout.write(
      `[simulator] 20 h played back in ${played.steps} steps, ${played.seconds.toFixed(1)} s: ${JSON.stringify(totals)}\n`,
    );
    expect(clock.live).toBe(true);
    expect(totals.accepted).toBeGreaterThan(10);
    expect(totals.counted).toBeGreaterThan(5);
    expect(totals.started).toBeGreaterThan(5);
    expect(totals.reported).toBeGreaterThan(5);
    expect(totals.ordered).toBeGreaterThan(5);
    // Multi-operation orders flow on: into the next plant of the same organisation in one step
    // (its demo factories run six plants each), and to another organisation's lot with a count.
    expect(totals.fed).toBeGreaterThan(0);
    expect(await count('SELECT count(*) AS n FROM factory_report')).toBe(12);
    // The trial overran (the watch put it on the ledger) and its team lead answered.
    expect(
      await count(
        "SELECT count(*) AS n FROM record WHERE kind = 'OperationException' AND record->>'workOrderId' LIKE 'TRIAL-%' AND record->>'status' = 'CLOSED'",
      ),
    ).toBeGreaterThan(0);
    expect(
      await count(
        "SELECT count(*) AS n FROM record WHERE kind = 'Lot' AND record->>'status' IN ('DELIVERED', 'SETTLED')",
      ),
    ).toBeGreaterThan(0);
    // Operations took the floor's time: minutes per piece near the standard, not seconds.
    const { rows } = await api.database.pool.query<{ actual: number; standard: number }>(
      `SELECT (record->>'actualMinutes')::float AS actual, (record->>'standardMinutes')::float AS standard
         FROM record WHERE kind = 'OperationProgress' AND record->>'status' = 'REPORTED'
          AND record->>'workOrderId' NOT LIKE 'TRIAL-%'`,
    );
    expect(rows.length).toBeGreaterThan(5);
    for (const { actual, standard } of rows) {
      expect(actual).toBeGreaterThan(standard * 0.85);
      expect(actual).toBeLessThan(standard * 1.15);
    }
    // Operations that consume the part's material reported what they used, near their standard.
    const material = await api.database.pool.query<{ used: number; standard: number }>(
      `SELECT (record->'material'->>'used')::float AS used, (record->'material'->>'standard')::float AS standard
         FROM record WHERE kind = 'OperationProgress' AND record->>'status' = 'REPORTED'
          AND record ? 'material' AND record->>'workOrderId' NOT LIKE 'TRIAL-%'`,
    );
    expect(material.rows.length).toBeGreaterThan(3);
    for (const { used, standard } of material.rows) {
      expect(used).toBeGreaterThanOrEqual(standard * 0.9);
      expect(used).toBeLessThanOrEqual(standard * 1.1);
    }
  });
});
