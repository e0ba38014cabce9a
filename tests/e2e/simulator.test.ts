import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  createMemberAccounts,
  seedDemoAlliance,
  ShopFloorSimulator,
  startApi,
  type RunningApi,
} from '@fabpool/api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sleep } from '../support/poolClient.js';

/**
 * The demo's shop-floor simulator on the demo alliance (what `npm start` runs): its steps carry
 * lots through acceptance, material hand-overs, scans, an overrunning trial and its answered
 * exception, on to the next plant (its own organisation's or another's) and back to the customer —
 * every step a ledger transaction.
 */
describe('the shop-floor simulator', () => {
  let api: RunningApi;
  let dir: string;
  let offset = 0;
  const count = async (sql: string): Promise<number> =>
    Number((await api.database.pool.query<{ n: string }>(sql)).rows[0]?.n ?? 0);

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'fabpool-simulator-'));
    api = await startApi({ dataDir: dir });
    await createMemberAccounts(api.database.pool, api.ledger, 'simulator-2026');
    await seedDemoAlliance(api.ledger, () => undefined);
    await api.projector.caughtUp((await api.ledger.height()) - 1);
    await api.matcher.request({ kind: 'STARTUP', detail: 'simulator test' });
  });

  afterAll(async () => {
    await api.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('keeps the floor moving: accepts, hands over, scans, overruns and answers, delivers', async () => {
    const simulator = new ShopFloorSimulator(api.ledger, api.database.pool, {
      budget: 400,
      reportAfterMs: 0,
      trialEvery: 1,
      now: () => Date.now() + offset,
    });
    const totals: Record<string, number> = {};
    let slept = false;
    for (let i = 0; i < 14; i++) {
      const done = await simulator.step();
      for (const [k, v] of Object.entries(done)) totals[k] = (totals[k] ?? 0) + v;
      await api.projector.caughtUp((await api.ledger.height()) - 1);
      await api.matcher.idle();
      // The trial's 5 pieces × 0.01 min is 3 s of standard time: once one is on a machine, let it overrun.
      if (
        !slept &&
        (await count(
          "SELECT count(*) AS n FROM record WHERE kind = 'OperationProgress' AND record->>'workOrderId' LIKE 'TRIAL-%' AND record->>'status' = 'STARTED'",
        )) > 0
      ) {
        await sleep(4_000);
        slept = true;
      }
      // Later, let answered exceptions be more than a minute old.
      if (i === 9) offset += 2 * 60_000;
    }
    process.stdout.write(`[simulator] 14 steps: ${JSON.stringify(totals)}\n`);
    expect(totals.accepted).toBeGreaterThan(10);
    expect(totals.counted).toBeGreaterThan(5);
    expect(totals.started).toBeGreaterThan(5);
    expect(totals.reported).toBeGreaterThan(5);
    // Multi-operation orders flow on: into the next plant of the same organisation in one step
    // (its demo factories run six plants each), and to another organisation's lot with a count.
    expect(totals.fed).toBeGreaterThan(0);
    expect(totals.handedOn).toBeGreaterThan(0);
    expect(await count('SELECT count(*) AS n FROM factory_report')).toBe(12);
    expect(await count("SELECT count(*) AS n FROM record WHERE kind = 'OperationException'")).toBeGreaterThan(
      0,
    );
    expect(
      await count(
        "SELECT count(*) AS n FROM record WHERE kind = 'OperationException' AND record->>'status' = 'CLOSED'",
      ),
    ).toBeGreaterThan(0);
    expect(
      await count(
        "SELECT count(*) AS n FROM record WHERE kind = 'Lot' AND record->>'status' IN ('DELIVERED', 'SETTLED')",
      ),
    ).toBeGreaterThan(0);
  });
});
