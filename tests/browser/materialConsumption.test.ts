import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createMemberAccounts, startApi, type RunningApi } from '@fabpool/api';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, SCREENSHOTS } from '../support/browser.js';
import { bucketFromNow, request, unique } from '../support/poolClient.js';
import { logInAs } from '../support/rushOrder.js';

const PASSWORD = 'material-password-2026';

/**
 * Material against each operation's standard consumption, as its people meet it: the customer
 * gives an operation a standard consumption on the publish form; the operator's phone asks for the
 * material used when that operation is reported, with the standard beside the field; the factory's
 * analytics then show the plant's use against the standard.
 */
describe('material used against the standard consumption, in the browser', () => {
  let api: RunningApi;
  let dir: string;
  let browser: Browser;
  const factoryId = `F-${unique()}`;
  const part = `SHAFT-${unique()} 传动轴`;
  const submit = (member: string, contract: string, tx: string, body: object) =>
    api.ledger.submit(member, contract, tx, [request(body)]);
  const settle = async () => api.projector.caughtUp((await api.ledger.height()) - 1);

  const logIn = (page: Page, username: string, path: string) =>
    logInAs(page, api.url, username, PASSWORD, path);

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'fabpool-material-'));
    api = await startApi({ dataDir: dir });
    await createMemberAccounts(api.database.pool, api.ledger, PASSWORD);
    await submit('factory-a-user', 'Factory', 'RegisterFactory', {
      factoryId,
      name: '昆山精密机加',
      location: 'Kunshan',
      processes: [{ process: 'CNC', pricePerMinute: 100 }],
    });
    await submit('factory-a-user', 'Factory', 'DeclareCapacity', {
      factoryId,
      entries: [1, 2, 3, 4].map((n) => ({ process: 'CNC', bucket: bucketFromNow(n), minutes: 480 })),
    });
    await settle();
    browser = await launchBrowser();
  });

  afterAll(async () => {
    await browser.close();
    await api.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('is set on the publish form, asked for on the phone at the report, and compared on the analytics page', async () => {
    // The customer publishes: cutting takes 0.6 kg of bar stock per shaft.
    const desk = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    await logIn(desk, 'customer-1', 'quotas');
    const form = desk.getByTestId('publish-form');
    await form.getByLabel('零件').fill(part);
    await form.getByLabel('数量').fill('20');
    await form.getByLabel('标准工时（分/件） 1').fill('2');
    // One of the three alone is refused, saying what is missing.
    await form.getByLabel('标准用料（选填） 1').fill('STEEL-45-BAR');
    await form.getByRole('button', { name: '发布工单' }).click();
    await form.getByText('标准单耗需填齐用料、单耗和单位').first().waitFor();
    await form.getByLabel('单耗 / 件 1').fill('0.6');
    await form.getByLabel('单位 1').fill('kg');
    // Filled in, nothing is said to be missing any more.
    await desk.keyboard.press('Escape');
    await form.getByText('标准单耗需填齐用料、单耗和单位').first().waitFor({ state: 'detached' });
    await desk.screenshot({ path: join(SCREENSHOTS, 'publish-standard-consumption.png'), fullPage: true });
    await form.getByRole('button', { name: '发布工单' }).click();
    await desk.getByText(/已发布: WO-/).waitFor();
    await desk.close();
    await settle();
    const published = await api.database.pool.query<{ id: string; routing: unknown }>(
      "SELECT id, record->'routing' AS routing FROM record WHERE kind = 'WorkOrder' AND record->>'partNumber' = $1",
      [part],
    );
    expect(published.rows.map((r) => r.routing)).toEqual([
      [
        {
          seq: 1,
          process: 'CNC',
          standardMinutes: 2,
          material: { materialCode: 'STEEL-45-BAR', unit: 'kg', perUnit: 0.6 },
        },
      ],
    ]);

    // Placed, accepted, the material handed over and the operation started.
    await api.matcher.request({ kind: 'STARTUP', detail: 'material test' });
    await settle();
    const lots = await api.database.pool.query<{ id: string; quantity: number }>(
      "SELECT id, (record->>'quantity')::int AS quantity FROM record WHERE kind = 'Lot' AND record->>'workOrderId' = $1 AND record->>'status' = 'ASSIGNED'",
      [published.rows[0]?.id],
    );
    const [lot] = lots.rows;
    if (lot === undefined) throw new Error('the matcher placed no lot');
    await submit('factory-a-user', 'Assignment', 'AcceptLot', { lotId: lot.id });
    await submit('customer-1', 'Custody', 'OfferHandOver', {
      lotId: lot.id,
      toMspId: 'FactoryAMSP',
      quantity: lot.quantity,
    });
    await submit('factory-a-user', 'Custody', 'ConfirmHandOver', {
      lotId: lot.id,
      receivedQuantity: lot.quantity,
    });
    await submit('factory-a-user', 'Progress', 'StartOperation', {
      lotId: lot.id,
      seq: 1,
      operatorId: 'OP-1',
      machineId: 'CNC-1',
    });
    await settle();

    // The phone: the report asks for the material used, the standard beside it.
    const context = await browser.newContext({ viewport: { width: 375, height: 812 }, isMobile: true });
    const phone = await context.newPage();
    await logIn(phone, 'factory-a-user', 'shop-floor');
    await phone.getByLabel('批次码（扫码或输入）').fill(lot.id);
    await phone.getByLabel('批次码（扫码或输入）').blur();
    const standard = Math.round(0.6 * lot.quantity * 1000) / 1000;
    await phone.getByText(`标准用料 ${standard} kg（STEEL-45-BAR）`).waitFor();
    expect(await phone.getByLabel('合格数').inputValue()).toBe(String(lot.quantity));
    expect(await phone.getByLabel('实际用料').inputValue()).toBe('');
    // Left empty, the report is not queued: the field says what it needs.
    const before = await api.ledger.height();
    await phone.getByRole('button', { name: '完工报工' }).click();
    await phone.getByText('本工序须按工艺路线的标准单耗填报实际用料').first().waitFor();
    expect(await phone.getByTestId('queue-state').getByText('已全部上传').count()).toBe(1);
    const used = Math.round(standard * 1.08 * 100) / 100;
    await phone.getByLabel('实际用料').fill(String(used));
    await phone.getByText('本工序须按工艺路线的标准单耗填报实际用料').first().waitFor({ state: 'detached' });
    await phone.screenshot({ path: join(SCREENSHOTS, 'shop-floor-material-used.png'), fullPage: true });
    await phone.getByRole('button', { name: '完工报工' }).click();
    await phone.getByText(new RegExp(`已记录: .*实际用料 ${used}`)).waitFor();
    await context.close();
    await settle();
    expect(await api.ledger.height()).toBe(before + 1);
    const progress = await api.database.pool.query<{ material: unknown }>(
      "SELECT record->'material' AS material FROM record WHERE kind = 'OperationProgress' AND record->>'lotId' = $1",
      [lot.id],
    );
    expect(progress.rows).toEqual([
      { material: { materialCode: 'STEEL-45-BAR', unit: 'kg', standard, used } },
    ]);

    // The customer, whose material it is, sees it on the order's card: used against standard.
    const board = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    await logIn(board, 'customer-1', 'board');
    await board
      .getByTestId('work-order-card')
      .filter({ hasText: published.rows[0]?.id ?? '?' })
      .click();
    await board
      .getByTestId('order-drawer')
      .getByText(`1✓${lot.quantity}（用料 ${used}/${standard} kg）`)
      .waitFor();
    await board.close();

    // The factory's analytics: its plant's use against the standard, in kg and in %.
    const analytics = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
    await logIn(analytics, 'factory-a-user', 'analytics');
    const table = analytics.getByTestId('consumption-table');
    const row = table.getByRole('row').filter({ hasText: 'STEEL-45-BAR' });
    await row.waitFor();
    await row.getByText(factoryId).waitFor();
    await row.getByText(`${standard} kg`, { exact: true }).waitFor();
    await row.getByText(`${used} kg`, { exact: true }).waitFor();
    await row.getByText(`(+${(((used - standard) / standard) * 100).toFixed(1)}%)`).waitFor();
    expect(await analytics.getByTestId('consumption-chart').locator('svg path').count()).toBeGreaterThan(0);
    await analytics.getByTestId('consumption-chart').scrollIntoViewIfNeeded();
    await analytics.screenshot({
      path: join(SCREENSHOTS, 'analytics-material-consumption.png'),
      fullPage: true,
    });
    // Its figures download with the amounts, not only the chart's percentages.
    const [csv] = await Promise.all([
      analytics.waitForEvent('download'),
      analytics.getByTestId('consumption-export').click(),
    ]);
    expect(csv.suggestedFilename()).toBe('consumption-all.csv');
    const lines = (await readFile(await csv.path(), 'utf8')).replace('\ufeff', '').trim().split('\r\n');
    expect(lines[0]).toBe('物料编码,单位,工序,工厂,报工次数,件数,标准用量,实际用量,差异,差异率');
    expect(lines[1]).toBe(
      `STEEL-45-BAR,kg,数控加工,${factoryId},1,${lot.quantity},${standard},${used},${Math.round((used - standard) * 1000) / 1000},${Math.round(((used - standard) / standard) * 10_000) / 10_000}`,
    );
    // Over days the manager picks: the last day before the first is refused, saying so; a range
    // with today in it has the report, one that ended yesterday has none.
    await analytics.getByTestId('analytics-period').getByText('自选日期').click();
    const today = new Date();
    const day = (offset: number) => {
      const d = new Date(today.getFullYear(), today.getMonth(), today.getDate() + offset);
      return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
    };
    expect(await analytics.getByLabel('起始日').inputValue()).toBe(day(-29));
    expect(await analytics.getByLabel('截止日').inputValue()).toBe(day(0));
    await table.getByRole('row').filter({ hasText: 'STEEL-45-BAR' }).waitFor();
    await analytics.getByLabel('起始日').fill(day(1));
    await analytics.getByTestId('range-invalid').getByText('截止日早于起始日').waitFor();
    await analytics.getByLabel('起始日').fill(day(-7));
    await analytics.getByLabel('截止日').fill(day(-1));
    await analytics.getByTestId('consumption-chart-empty').waitFor();
    await analytics.getByLabel('截止日').fill(day(0));
    await table.getByRole('row').filter({ hasText: 'STEEL-45-BAR' }).waitFor();
    await analytics.screenshot({ path: join(SCREENSHOTS, 'analytics-date-range.png') });
    await analytics.close();
  });
});
