import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createMemberAccounts, seedDemoAlliance, startApi, type RunningApi } from '@fabpool/api';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, SCREENSHOTS } from '../support/browser.js';
import { HEADLINE_RUSH, logInAs, publishRushInBrowser } from '../support/rushOrder.js';

const PASSWORD = 'rush-password-2026';

interface PlacedLot {
  id: string;
  fromSeq: number;
  factoryId: string;
  factoryMspId: string;
  bucket: string;
  quantity: number;
  minutes: number;
  status: string;
}

/**
 * The article's headline, on the demo alliance: a customer publishes a 500-piece rush order from
 * the web (the form fills its part family's routing); the one matcher run it sets off splits each
 * operation across shifts and factories, no lot more than
 * its shift can carry; the customer sees the lots, the finish and what moved for it beside the
 * form, and each factory concerned finds its new lot on its desk.
 */
describe('the 500-piece rush order, from the customer’s click to every factory’s desk', () => {
  let api: RunningApi;
  let dir: string;
  let browser: Browser;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'fabpool-rush-'));
    api = await startApi({ dataDir: dir });
    await createMemberAccounts(api.database.pool, api.ledger, PASSWORD);
    await seedDemoAlliance(api.ledger, () => undefined);
    await api.projector.caughtUp((await api.ledger.height()) - 1);
    await api.matcher.request({ kind: 'STARTUP', detail: 'rush order test' });
    browser = await launchBrowser();
  });

  afterAll(async () => {
    await browser.close();
    await api.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('is split across shifts and factories in one run, shown to the customer and to each factory', async () => {
    const runsBefore = (await api.database.pool.query('SELECT 1 FROM matcher_run')).rowCount ?? 0;
    const page = await browser.newPage({ viewport: { width: 1366, height: 900 } });
    await logInAs(page, api.url, 'customer-1', PASSWORD, 'quotas');
    const { workOrderId, millis } = await publishRushInBrowser(page);
    process.stdout.write(`[rush] 500 pieces: click to plan in ${millis} ms\n`);
    await page.screenshot({ path: join(SCREENSHOTS, 'customer-rush-plan.png'), fullPage: true });

    const { rows } = await api.database.pool.query<{ record: PlacedLot & { lotId: string } }>(
      "SELECT record FROM record WHERE kind = 'Lot' AND record->>'workOrderId' = $1 ORDER BY id",
      [workOrderId],
    );
    const lots = rows.map((r) => ({ ...r.record, id: r.record.lotId }));
    // The form took the part family's routing (cutting, then painting) from the customer's history.
    const order = await api.database.pool.query<{ routing: { seq: number; process: string }[] }>(
      "SELECT record->'routing' AS routing FROM record WHERE kind = 'WorkOrder' AND id = $1",
      [workOrderId],
    );
    const routing = order.rows[0]?.routing ?? [];
    expect(routing.map((op) => op.process)).toEqual(['CNC', 'PAINTING']);
    // One matcher run placed all 500 pieces through every operation, over more than one shift and plant.
    expect((await api.database.pool.query('SELECT 1 FROM matcher_run')).rowCount).toBe(runsBefore + 1);
    for (const op of routing)
      expect(lots.filter((l) => l.fromSeq === op.seq).reduce((sum, l) => sum + l.quantity, 0)).toBe(
        HEADLINE_RUSH.quantity,
      );
    expect(new Set(lots.map((l) => l.bucket)).size).toBeGreaterThan(1);
    expect(new Set(lots.map((l) => l.factoryId)).size).toBeGreaterThan(1);
    // No lot larger than what its plant declared for its shift.
    for (const lot of lots) {
      const declared = await api.database.pool.query<{ minutes: string }>(
        "SELECT record->>'declaredMinutes' AS minutes FROM record WHERE kind = 'Capacity' AND id = $1",
        [`${lot.factoryId}/${routing.find((op) => op.seq === lot.fromSeq)?.process ?? '?'}/${lot.bucket}`],
      );
      expect(lot.minutes, lot.id).toBeLessThanOrEqual(Number(declared.rows[0]?.minutes ?? 0));
    }
    // The customer's page lists every lot, and says when the order finishes.
    const plan = page.getByTestId('published-plan');
    for (const lot of lots) await plan.getByText(lot.id, { exact: true }).waitFor();
    await plan
      .getByText(new RegExp(`拆分为 ${lots.length} 个批次 · 预计完工 \\d\\d-\\d\\d \\d\\d:00`))
      .waitFor();
    await plan.getByText(/为此单调整了其他订单的批次数 \d+/).waitFor();
    await page.close();

    // Every factory organisation concerned sees its own new lots on its desk.
    for (const [member, mspId] of [
      ['factory-a-user', 'FactoryAMSP'],
      ['factory-b-user', 'FactoryBMSP'],
    ] as const) {
      const own = lots.filter((l) => l.factoryMspId === mspId);
      if (own.length === 0) continue;
      const desk = await browser.newPage({ viewport: { width: 1366, height: 900 } });
      await logInAs(desk, api.url, member, PASSWORD, 'factory');
      for (const lot of own)
        await desk.getByTestId('incoming-lots').getByText(lot.id, { exact: true }).waitFor();
      await desk.screenshot({ path: join(SCREENSHOTS, `rush-lots-${member}.png`), fullPage: true });
      await desk.close();
    }
  });
});
