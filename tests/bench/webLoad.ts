/**
 * The board's first load as a planner's browser makes it, cold (no cache, no service worker):
 * bytes transferred (as sent, compressed) and the time until the board shows, beside a bare
 * static file of the same server in the same run. The issue's goal: ≤ 300 KB and ≤ 0.5 s.
 * Usage: npm run bench:web
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createMemberAccounts, seedDemoAlliance, startApi } from '@fabpool/api';
import type { Page } from 'playwright-core';
import { launchBrowser } from '../support/browser.js';
import { logInAs } from '../support/rushOrder.js';

const PASSWORD = 'bench-password-2026';
const GOAL_KB = 300;
const GOAL_SECONDS = 0.5;

/** Bytes the page received over the wire (encoded), counted by Chromium's network domain. */
async function countBytes(page: Page): Promise<() => { total: number; largest: [string, number][] }> {
  const session = await page.context().newCDPSession(page);
  await session.send('Network.enable');
  const urls = new Map<string, string>();
  const sizes = new Map<string, number>();
  session.on('Network.requestWillBeSent', (event: { requestId: string; request: { url: string } }) => {
    urls.set(event.requestId, new URL(event.request.url).pathname);
  });
  session.on('Network.loadingFinished', (event: { requestId: string; encodedDataLength: number }) => {
    sizes.set(urls.get(event.requestId) ?? event.requestId, event.encodedDataLength);
  });
  return () => ({
    total: [...sizes.values()].reduce((a, b) => a + b, 0),
    largest: [...sizes].sort((a, b) => b[1] - a[1]).slice(0, 5),
  });
}

async function main(): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'fabpool-bench-web-'));
  const api = await startApi({ dataDir: dir });
  const browser = await launchBrowser();
  try {
    await createMemberAccounts(api.database.pool, api.ledger, PASSWORD);
    await seedDemoAlliance(api.ledger, () => undefined);
    await api.projector.caughtUp((await api.ledger.height()) - 1);
    // Logged in once, so that the measured load is the board's, not the login form's.
    const login = await browser.newContext({ serviceWorkers: 'block' });
    const first = await login.newPage();
    await logInAs(first, api.url, 'customer-1', PASSWORD);
    await first.getByText('工单看板').first().waitFor();
    const storage = await login.storageState();
    await login.close();

    /** Loads `path` cold; the seconds until each milestone, in order, and the bytes by then. */
    const measure = async (path: string, milestones: ((page: Page) => Promise<unknown>)[]) => {
      const context = await browser.newContext({ serviceWorkers: 'block', storageState: storage });
      const page = await context.newPage();
      const bytes = await countBytes(page);
      const started = performance.now();
      await page.goto(`${api.url}${path}`);
      const seconds: number[] = [];
      for (const reached of milestones) {
        await reached(page);
        seconds.push((performance.now() - started) / 1000);
      }
      // The board keeps a live connection open: what it loaded by a second after it showed.
      await page.waitForTimeout(1_000);
      const { total, largest } = bytes();
      await context.close();
      return { kb: total / 1024, seconds, largest };
    };
    const bare = await measure('/icon.svg', [(page) => page.waitForLoadState('load')]);
    // The shell (its menu) first, then the board itself: its columns with the orders' cards.
    const board = await measure('/board', [
      (page) => page.getByRole('menuitem', { name: '工单看板' }).waitFor(),
      (page) => page.getByTestId('work-order-card').first().waitFor(),
    ]);
    const [shell = NaN, cards = NaN] = board.seconds;
    console.log(`Web first load, cold cache, Chromium (${new Date().toISOString()}):`);
    console.log(
      `  bare static file (/icon.svg): ${bare.kb.toFixed(1)} KB in ${(bare.seconds[0] ?? NaN).toFixed(3)} s`,
    );
    console.log(
      `  board (/board, customer-1):   ${board.kb.toFixed(1)} KB; menu shown in ${shell.toFixed(3)} s, orders' cards in ${cards.toFixed(3)} s   (goal ≤ ${String(GOAL_KB)} KB, ≤ ${String(GOAL_SECONDS)} s)`,
    );
    console.log(
      `  largest: ${board.largest.map(([path, size]) => `${path} ${(size / 1024).toFixed(1)} KB`).join(', ')}`,
    );
  } finally {
    await browser.close();
    await api.close();
    await rm(dir, { recursive: true, force: true });
  }
}

void main();
