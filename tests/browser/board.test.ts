import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createMemberAccounts, startApi, type RunningApi } from '@fabpool/api';
import ExcelJS from 'exceljs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, SCREENSHOTS } from '../support/browser.js';
import { bucketFromNow, unique } from '../support/poolClient.js';

const PASSWORD = 'browser-password-2026';

/** The board in Debian's chromium, against a real api serving the built web app. */
describe('the web board in a browser', () => {
  let api: RunningApi;
  let dir: string;
  let browser: Browser;
  const rushId = `WO-B-${unique()}`;
  /** The alert watch's clock: moved on to let an order's units stay unplaced past the threshold. */
  let alertClockOffset = 0;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'fabpool-browser-'));
    api = await startApi({ dataDir: dir, alerts: { now: () => Date.now() + alertClockOffset } });
    await createMemberAccounts(api.database.pool, api.ledger, PASSWORD);
    const committed = await api.ledger.submit('customer-1', 'WorkOrder', 'PublishWorkOrder', [
      JSON.stringify({
        requestId: `req-${unique()}`,
        workOrderId: rushId,
        partNumber: 'HOUSING-A7 外壳',
        quantity: 120,
        routing: [{ seq: 1, process: 'INJECTION', standardMinutes: 2 }],
        dueBucket: bucketFromNow(3),
        priority: 'RUSH',
        maxUnitPrice: 500,
      }),
    ]);
    await api.projector.caughtUp(committed.blockNumber);
    browser = await launchBrowser();
  });

  /** customer-1 logs in and its board shows the rush order. */
  const logInAsCustomer = async (page: Page): Promise<void> => {
    await page.goto(api.url);
    await page.getByLabel('用户名').fill('customer-1');
    await page.getByLabel('密码').fill(PASSWORD);
    await page.getByRole('button', { name: /登\s*录/ }).click();
    await page.getByText(rushId).waitFor();
  };

  afterAll(async () => {
    await browser.close();
    await api.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('logs a customer in, in Chinese first, and shows the pool; then speaks English', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    await page.goto(api.url);
    await page.getByLabel('用户名').fill('customer-1');
    await page.getByLabel('密码').fill('not-the-password');
    await page.getByRole('button', { name: /登\s*录/ }).click();
    await expect.poll(() => page.getByText('用户名或密码错误，请重试').count()).toBe(1);
    await page.getByLabel('密码').fill(PASSWORD);
    await page.getByRole('button', { name: /登\s*录/ }).click();
    await page.getByText(rushId).waitFor();
    expect(await page.getByText('工单看板').count()).toBe(1);
    expect(await page.getByText('插单').count()).toBeGreaterThan(0);
    await page.screenshot({ path: join(SCREENSHOTS, 'board-zh.png'), fullPage: true });

    // Time to first render of the board, for a logged-in user opening the page.
    const started = Date.now();
    await page.reload();
    await page.getByText(rushId).waitFor();
    const firstRenderMs = Date.now() - started;
    console.log(`[figure] board first render after reload: ${firstRenderMs} ms`);
    expect(firstRenderMs).toBeGreaterThan(0);

    await page.getByText('English').click();
    await page.getByText('Work-order board').waitFor();
    expect(await page.getByText('Rush').count()).toBeGreaterThan(0);
    await page.screenshot({ path: join(SCREENSHOTS, 'board-en.png'), fullPage: true });
    await page.close();
  });

  it('follows the pool live, and filters it by text and priority', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    await logInAsCustomer(page);
    // Published while the board is open: it appears without a reload (the pool's subscription).
    const liveId = `WO-L-${unique()}`;
    await api.ledger.submit('customer-1', 'WorkOrder', 'PublishWorkOrder', [
      JSON.stringify({
        requestId: `req-${unique()}`,
        workOrderId: liveId,
        partNumber: 'BRACKET-3 支架',
        quantity: 40,
        routing: [{ seq: 1, process: 'CNC', standardMinutes: 1 }],
        dueBucket: bucketFromNow(4),
        priority: 'NORMAL',
        maxUnitPrice: 500,
      }),
    ]);
    await page.getByText(liveId).waitFor({ timeout: 10_000 });
    const cards = page.getByTestId('work-order-card');
    await page.getByTestId('board-filters').getByText('插单').click();
    await page.getByText(liveId).waitFor({ state: 'detached' });
    expect(await cards.filter({ hasText: rushId }).count()).toBe(1);
    await page.getByTestId('board-filters').getByText('全部').click();
    await page.getByLabel('搜索').fill('支架');
    await page.getByText(rushId).waitFor({ state: 'detached' });
    expect(await cards.count()).toBe(1);
    // The filter is in the address: shared or reloaded, the view stays.
    expect(new URL(page.url()).searchParams.get('q')).toBe('支架');
    await page.reload();
    await page.getByText(liveId).waitFor();
    expect(await cards.count()).toBe(1);
    await page.screenshot({ path: join(SCREENSHOTS, 'board-live-filtered.png'), fullPage: true });
    // Nothing placed it yet (no plant offers its process here): it waits to be placed; opened, it
    // shows its lots — none.
    await page.getByTestId('column-TO_PLACE').getByText(liveId).click();
    await page.getByTestId('order-drawer').getByText('还没有批次').waitFor();
    // Its customer reads its history on the ledger: the order published.
    await page.getByTestId('order-history').getByText(`工单 · ${liveId}`).waitFor();
    await page.screenshot({ path: join(SCREENSHOTS, 'board-card-drawer.png'), fullPage: true });
    await page.close();
  });

  it('exports the orders shown as an Excel workbook that a spreadsheet reads back', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 }, acceptDownloads: true });
    await logInAsCustomer(page);
    await page.getByText(rushId).waitFor();
    await page.getByTestId('board-filters').getByText('插单').click();
    // Counted only once the filter holds: a count taken before React re-renders includes the
    // normal orders the export then leaves out.
    const cards = page.getByTestId('work-order-card');
    await page.waitForURL(/priority=RUSH/);
    await cards.filter({ hasNotText: '插单' }).first().waitFor({ state: 'detached' });
    const shown = await cards.count();
    const [file] = await Promise.all([
      page.waitForEvent('download'),
      page.getByTestId('export-xlsx').click(),
    ]);
    expect(file.suggestedFilename()).toMatch(/^work-orders-\d{4}-\d{2}-\d{2}\.xlsx$/);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.readFile(await file.path());
    const sheet = workbook.worksheets[0];
    expect(sheet?.name).toMatch(/^工单看板 /);
    expect((sheet?.getRow(1).values as unknown[]).slice(1, 4)).toEqual(['工单', '零件', '数量']);
    expect(sheet?.rowCount).toBe(shown + 1);
    const rush = sheet?.getColumn(1).values.indexOf(rushId) ?? -1;
    expect(rush).toBeGreaterThan(1);
    expect(sheet?.getRow(rush).getCell(5).value).toBe('插单');
    expect(typeof sheet?.getRow(rush).getCell(3).value).toBe('number');
    await page.close();
  });

  it('keeps a long column inside the screen: its cards scroll on their own, every column head stays in view', async () => {
    for (let i = 0; i < 14; i++)
      await api.ledger.submit('customer-1', 'WorkOrder', 'PublishWorkOrder', [
        JSON.stringify({
          requestId: `req-${unique()}`,
          workOrderId: `WO-LONG-${unique()}`,
          partNumber: 'LONG-1 长列',
          quantity: 10,
          routing: [{ seq: 1, process: 'CNC', standardMinutes: 1 }],
          dueBucket: bucketFromNow(6),
          priority: 'NORMAL',
          maxUnitPrice: 500,
        }),
      ]);
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    await logInAsCustomer(page);
    await page.getByLabel('搜索').fill('长列');
    const toPlace = page.getByTestId('column-TO_PLACE');
    await toPlace.getByText('LONG-1 长列').first().waitFor();
    // The search applies as typed: the column holds the fourteen once it has.
    await expect.poll(() => toPlace.getByTestId('work-order-card').count()).toBe(14);
    const cards = toPlace.getByTestId('column-cards');
    expect(await cards.evaluate((e) => e.scrollHeight > e.clientHeight)).toBe(true);
    expect(
      Number(await page.evaluate('document.documentElement.scrollHeight - window.innerHeight')),
    ).toBeLessThanOrEqual(0);
    await page.screenshot({ path: join(SCREENSHOTS, 'board-long-column.png') });
    await page.close();
  });

  it('shows new alerts as a badge on the menu and on the order’s card, and clears the menu’s once read', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    await logInAsCustomer(page);
    expect(await page.getByTestId('card-alerts').count()).toBe(0);
    // The rush order's units found no plant (none offers its process): past the threshold, the
    // watch raises an alert to its customer.
    alertClockOffset = 20 * 60_000;
    // (So are the other order's, published in the test before: both reach customer-1.)
    const raised = (await api.alerts.tick()).alerts.filter((a) => a.kind === 'UNITS_UNPLACED');
    expect(raised.map((a) => a.workOrderId)).toContain(rushId);
    const badge = page.getByTestId('alerts-badge');
    await expect
      .poll(() => badge.locator('.ant-badge-count').textContent(), { timeout: 10_000 })
      .toBe(String(raised.length));
    await page
      .getByTestId('work-order-card')
      .filter({ hasText: rushId })
      .getByTestId('card-alerts')
      .waitFor({ timeout: 10_000 });
    await page.screenshot({ path: join(SCREENSHOTS, 'board-alert-badges.png'), fullPage: true });
    await page.getByRole('link', { name: /告警/ }).click();
    await page.getByText(rushId).first().waitFor();
    await expect.poll(() => badge.locator('.ant-badge-count').count()).toBe(0);
    await page.close();
  });

  it('fits a phone-sized screen', async () => {
    const page = await browser.newPage({ viewport: { width: 375, height: 812 }, isMobile: true });
    await page.goto(`${api.url}/board`);
    await page.getByLabel('用户名').fill('factory-a-user');
    await page.getByLabel('密码').fill(PASSWORD);
    await page.getByRole('button', { name: /登\s*录/ }).click();
    await page.getByText(rushId).waitFor();
    const overflow = Number(await page.evaluate('document.documentElement.scrollWidth - window.innerWidth'));
    expect(overflow).toBeLessThanOrEqual(0);
    // Every control of the header, and the order's card, inside the 375-pixel screen.
    for (const locator of [
      page.getByRole('button', { name: /退\s*出/ }),
      page.getByText('English'),
      page.getByText(rushId),
    ]) {
      const box = await locator.boundingBox();
      expect(box).not.toBeNull();
      expect((box?.x ?? 0) + (box?.width ?? 0)).toBeLessThanOrEqual(375);
    }
    await page.screenshot({ path: join(SCREENSHOTS, 'board-phone.png'), fullPage: true });
    await page.close();
  });

  it('says why a chart is empty instead of drawing an empty frame', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    await page.goto(`${api.url}/analytics`);
    await page.getByLabel('用户名').fill('customer-1');
    await page.getByLabel('密码').fill(PASSWORD);
    await page.getByRole('button', { name: /登\s*录/ }).click();
    // Nothing of customer-1's was made yet: every chart says what it waits for.
    await page
      .getByTestId('pareto-chart-empty')
      .getByText(/还没有异常/)
      .waitFor();
    await page
      .getByTestId('spc-chart-empty')
      .getByText(/还没有数据/)
      .waitFor();
    expect(await page.getByTestId('pareto-chart').count()).toBe(0);
    await page.screenshot({ path: join(SCREENSHOTS, 'analytics-empty.png'), fullPage: true });
    await page.close();
  });
});
