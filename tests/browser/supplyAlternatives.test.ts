import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createMemberAccounts, seedDemoAlliance, startApi, type RunningApi } from '@fabpool/api';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, SCREENSHOTS } from '../support/browser.js';
import { logInAs } from '../support/rushOrder.js';

const PASSWORD = 'supply-password-2026';
// The demo's late material: SupplierA's aluminium plate for WO-DEMO-002, 20 h late, SupplierB its backup.
const ORDER = 'WO-DEMO-002';

/**
 * The customer of an order whose material is late, in the browser: the order is flagged in its
 * list; opened, it shows the supplier's report and the alternatives with their finish and cost;
 * the customer picks the backup supplier, confirms, and the choice is on the ledger.
 */
describe('a late material’s alternatives, in the customer’s browser', () => {
  let api: RunningApi;
  let dir: string;
  let browser: Browser;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'fabpool-supply-web-'));
    api = await startApi({ dataDir: dir });
    await createMemberAccounts(api.database.pool, api.ledger, PASSWORD);
    await seedDemoAlliance(api.ledger, () => undefined);
    await api.projector.caughtUp((await api.ledger.height()) - 1);
    await api.matcher.request({ kind: 'STARTUP', detail: 'supply alternatives test' });
    browser = await launchBrowser();
  });

  afterAll(async () => {
    await browser.close();
    await api.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('flags the order, shows each alternative’s finish and cost, and records the one chosen', async () => {
    const page = await browser.newPage({ viewport: { width: 1366, height: 900 } });
    await logInAs(page, api.url, 'customer-1', PASSWORD, 'orders');
    const orders = page.getByTestId('my-orders');
    await orders.getByTestId(`late-material-${ORDER}`).waitFor();
    await orders
      .getByRole('row')
      .filter({ hasText: ORDER })
      .getByRole('button', { name: /展开|Expand/ })
      .click();

    const panel = page.getByTestId(`supply-${ORDER}`);
    await panel.getByText(/来料延误：AL-6061-PLATE · SupplierA · 晚 20 h/).waitFor();
    const table = panel.getByTestId(`alternatives-${ORDER}-AL-6061-PLATE`);
    for (const label of ['原工厂等料重排', '等料并允许转厂', '改用备选供应商'])
      await table.getByText(label).waitFor();
    // Every alternative says when the order would be done and what it would cost.
    const rows = table.locator('tbody tr');
    expect(await rows.count()).toBe(3);
    for (const text of await rows.allInnerTexts()) expect(text).toMatch(/\d\d-\d\d \d\d:00[\s\S]*¥/);
    await page.screenshot({ path: join(SCREENSHOTS, 'customer-supply-alternatives.png'), fullPage: true });

    await rows
      .filter({ hasText: '改用备选供应商' })
      .getByRole('button', { name: /选\s*择/ })
      .click();
    await page
      .getByRole('button', { name: /选\s*择/ })
      .last()
      .click();
    await panel.getByText(/已选择：改用备选供应商 SupplierB/).waitFor();
    await orders.getByTestId(`late-material-${ORDER}`).waitFor({ state: 'detached' });

    const { rows: choices } = await api.database.pool.query<{
      record: { choice: string; supplierMspId: string };
    }>("SELECT record FROM record WHERE kind = 'SupplyChoice' AND record->>'workOrderId' = $1", [ORDER]);
    expect(choices.map((c) => [c.record.choice, c.record.supplierMspId])).toEqual([
      ['BACKUP_SUPPLIER', 'SupplierBMSP'],
    ]);
    await page.screenshot({ path: join(SCREENSHOTS, 'customer-supply-chosen.png'), fullPage: true });
    await page.close();
  });
});
