import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { chromium, type Browser } from 'playwright-core';

/** Where browser tests keep their screenshots (a test artifact). */
export const SCREENSHOTS = join(process.cwd(), 'test-artifacts', 'screenshots');

/**
 * Debian's chromium (installed by .ci/run), headless, with the screenshot folder made; `extraArgs`
 * for a test that needs more (a fake camera).
 */
export async function launchBrowser(extraArgs: string[] = []): Promise<Browser> {
  await mkdir(SCREENSHOTS, { recursive: true });
  return chromium.launch({
    executablePath: process.env.FABPOOL_CHROMIUM ?? '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', ...extraArgs],
  });
}
