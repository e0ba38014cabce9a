import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Database } from '../db/database.js';
import { migrate } from '../db/migrate.js';
import {
  blockSecondsAfter,
  FREE_FAILURES,
  FREE_FAILURES_PER_ADDRESS,
  LOCK_AFTER_FAILURES,
  LoginThrottle,
  MAX_BLOCK_SECONDS,
} from './loginThrottle.js';

const codeOf = async (attempt: Promise<unknown>): Promise<string | undefined> =>
  attempt.then(
    () => undefined,
    (error: unknown) => (error as { code?: string }).code,
  );

describe(LoginThrottle.name, () => {
  let dir: string;
  let database: Database;
  let now = Date.parse('2026-12-03T08:00:00Z');
  let throttle: LoginThrottle;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'fabpool-throttle-'));
    database = await openDatabase({ dir });
    await migrate(database.pool);
    throttle = new LoginThrottle(database.pool, () => now);
  });
  afterAll(async () => {
    await database.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('doubles the wait after each failure past the free ones, up to a ceiling', () => {
    expect(blockSecondsAfter(FREE_FAILURES)).toBe(0);
    expect([1, 2, 3].map((k) => blockSecondsAfter(FREE_FAILURES + k))).toEqual([2, 4, 8]);
    expect(blockSecondsAfter(1_000)).toBe(MAX_BLOCK_SECONDS);
  });

  it('blocks an account after its free failures, whatever address the guesses come from', async () => {
    for (let i = 0; i < FREE_FAILURES; i++) {
      await throttle.check('alice', `10.0.0.${i}`);
      await throttle.failed('alice', `10.0.0.${i}`);
    }
    await throttle.check('alice', '10.0.0.99');
    await throttle.failed('alice', '10.0.0.99');
    expect(await codeOf(throttle.check('alice', '10.0.0.100'))).toBe('AUTH.TOO_MANY_ATTEMPTS');
    // Another account is not blocked by it, and the wait passes.
    await throttle.check('bob', '10.0.0.100');
    now += 3_000;
    await throttle.check('alice', '10.0.0.100');
    await throttle.succeeded('alice');
    await throttle.failed('alice', '10.0.0.100');
    await throttle.check('alice', '10.0.0.100');
  });

  it('blocks an address spraying guesses over many accounts', async () => {
    for (let i = 0; i <= FREE_FAILURES_PER_ADDRESS; i++) await throttle.failed(`user-${i}`, '10.9.9.9');
    expect(await codeOf(throttle.check('someone-else', '10.9.9.9'))).toBe('AUTH.TOO_MANY_ATTEMPTS');
    await throttle.check('someone-else', '10.9.9.10');
  });

  it('locks an account after many failures in a row until an operator unlocks it', async () => {
    for (let i = 0; i < LOCK_AFTER_FAILURES; i++) {
      await throttle.failed('carol', `10.1.${i}.1`);
      now += MAX_BLOCK_SECONDS * 1000;
    }
    expect(await codeOf(throttle.check('carol', '10.2.0.1'))).toBe('AUTH.ACCOUNT_LOCKED');
    now += 24 * 3_600_000;
    expect(await codeOf(throttle.check('carol', '10.2.0.1'))).toBe('AUTH.ACCOUNT_LOCKED');
    expect(await throttle.unlock('carol')).toBe(true);
    await throttle.check('carol', '10.2.0.1');
    expect(await throttle.unlock('carol')).toBe(false);
  });
});
