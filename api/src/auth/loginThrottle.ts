import type pg from 'pg';
import { blockKey, countFailure, forgetKey, throttleStates } from '../repositories/loginAttempts.js';
import { AuthError } from './tokens.js';

/** Failed logins an account may have before each further failure blocks it for a while. */
export const FREE_FAILURES = 5;
/** The same for a client address, which a whole office may share behind one gateway. */
export const FREE_FAILURES_PER_ADDRESS = 20;
/** The longest a key is blocked for at a time. */
export const MAX_BLOCK_SECONDS = 15 * 60;
/** Consecutive failed logins after which an account stays locked until an operator unlocks it. */
export const LOCK_AFTER_FAILURES = 20;
/** A key whose last failure is older than this starts counting again. */
const FORGET_AFTER_MS = 60 * 60_000;

const accountKey = (username: string): string => `account:${username}`;
const addressKey = (address: string): string => `address:${address}`;

/** Seconds a key is blocked for after its `failures`-th consecutive failure (0 while free). */
export function blockSecondsAfter(failures: number, free = FREE_FAILURES): number {
  return failures <= free ? 0 : Math.min(MAX_BLOCK_SECONDS, 2 ** Math.min(30, failures - free));
}

/**
 * Guessing passwords, slowed down per account and per client address: every failure past
 * FREE_FAILURES blocks the key for twice as long as the one before (at most MAX_BLOCK_SECONDS), and
 * an account failing LOCK_AFTER_FAILURES times in a row is locked until an operator unlocks it.
 * Kept in the database, so a restart does not reset it and several api processes share it.
 */
export class LoginThrottle {
  constructor(
    private readonly pool: pg.Pool,
    private readonly now: () => number = Date.now,
  ) {}

  /** Refuses a login attempt while the account or the address is blocked or locked. */
  async check(username: string, address: string): Promise<void> {
    for (const row of await throttleStates(this.pool, [accountKey(username), addressKey(address)])) {
      if (row.lockedAt !== null)
        throw new AuthError(
          'AUTH.ACCOUNT_LOCKED',
          'this account is locked after too many failed logins: ask an operator to unlock it',
        );
      const wait =
        row.blockedUntil === null ? 0 : Math.ceil((row.blockedUntil.getTime() - this.now()) / 1000);
      if (wait > 0)
        throw new AuthError(
          'AUTH.TOO_MANY_ATTEMPTS',
          `too many failed logins ${row.key.startsWith('account:') ? 'for this account' : 'from this address'}: try again in ${wait} s`,
        );
    }
  }

  /** Counts a failed login against the account and the address. */
  async failed(username: string, address: string): Promise<void> {
    const now = new Date(this.now());
    for (const key of [accountKey(username), addressKey(address)]) {
      const failures = await countFailure(this.pool, key, now, FORGET_AFTER_MS / 1000);
      const account = key.startsWith('account:');
      const lock = account && failures >= LOCK_AFTER_FAILURES;
      const free = account ? FREE_FAILURES : FREE_FAILURES_PER_ADDRESS;
      await blockKey(
        this.pool,
        key,
        new Date(now.getTime() + blockSecondsAfter(failures, free) * 1000),
        lock,
        now,
      );
    }
  }

  /** A successful login clears the account's count (not the address's: one good account must not shield guesses at others). */
  async succeeded(username: string): Promise<void> {
    await forgetKey(this.pool, accountKey(username));
  }

  /** An operator lifts an account's lock and its back-off; false when it was neither. */
  async unlock(username: string): Promise<boolean> {
    return forgetKey(this.pool, accountKey(username));
  }
}
