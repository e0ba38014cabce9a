import type { Page } from 'playwright-core';

/** The article's headline order: 500 pieces, rush, on CNC. */
export const HEADLINE_RUSH = {
  part: 'BRACKET-RUSH 插单支架',
  quantity: 500,
  minutesPerUnit: 2.5,
  dueHours: 24,
};

/** Logs a member without an authenticator (a customer, a factory) in through the login page. */
export async function logInAs(page: Page, url: string, username: string, password: string, path = '') {
  await page.goto(`${url}/${path}`);
  await page.getByLabel('用户名').fill(username);
  await page.getByLabel('密码').fill(password);
  await page.getByRole('button', { name: /登\s*录/ }).click();
}

/**
 * Publishes a rush order of a part family the customer made before (its routing comes from the
 * form's template) from the customer's publish form, as a person would, and waits until the plan
 * shows beside it. Returns the order's id and the milliseconds from the click to the plan.
 */
export async function publishRushInBrowser(
  page: Page,
  order: typeof HEADLINE_RUSH = HEADLINE_RUSH,
): Promise<{ workOrderId: string; millis: number }> {
  const form = page.getByTestId('publish-form');
  await form.getByLabel('零件').fill(order.part);
  await form.getByLabel('数量').fill(String(order.quantity));
  // Leaving the part field fills the part family's routing: wait for it before editing the routing.
  await form.getByTestId('template').waitFor();
  await form.getByLabel('交期（小时后）').fill(String(order.dueHours));
  await form.getByLabel('最高单价（元/件）').fill('10');
  await form.getByLabel('优先级').click();
  await page.locator('.ant-select-item-option').filter({ hasText: '插单' }).click();
  await form.getByLabel('标准工时（分/件） 1').fill(String(order.minutesPerUnit));
  // The plan of the order published before this one, if any, is still on the page.
  const shown = form.getByTestId('published-plan');
  const previous = (await shown.count()) > 0 ? await shown.getAttribute('data-plan') : null;
  const started = Date.now();
  await form.getByRole('button', { name: '发布工单' }).click();
  const plan = form.locator(
    `[data-testid="published-plan"]:not([data-lots="0"])${previous === null ? '' : `:not([data-plan="${previous}"])`}`,
  );
  await plan.waitFor({ timeout: 30_000 });
  const millis = Date.now() - started;
  const workOrderId = (await plan.getAttribute('data-plan')) ?? '';
  return { workOrderId, millis };
}
