import type { CapacityQuota } from '@fabpool/chaincode/model';
import { windowEndMs } from '@fabpool/chaincode/rules/quota';
import type { Ledger } from '@fabpool/network';
import type pg from 'pg';
import { LedgerCommands } from '../ledger/commands.js';
import { quotas } from '../repositories/quotas.js';

/** Quotas whose window has ended and that are still listed or sold: their unused minutes lapse now. */
export function quotasToExpire(all: readonly CapacityQuota[], nowMs: number): string[] {
  return all
    .filter((q) => (q.status === 'LISTED' || q.status === 'SOLD') && windowEndMs(q) <= nowMs)
    .map((q) => q.quotaId)
    .sort();
}

/**
 * Expires every quota whose window has ended, as the matcher's identity on the operator's node:
 * the chaincode then splits each sold one's prepayment by its terms (refund, forfeit) and frees
 * the minutes it reserved. One request id per quota, so a retry or another node's attempt is the
 * same transaction. Answers the quotas expired.
 */
export async function expireDueQuotas(ledger: Ledger, pool: pg.Pool, nowMs: number): Promise<string[]> {
  const due = [
    ...quotasToExpire(
      (await quotas(pool, 'SOLD')).map((q) => q.record),
      nowMs,
    ),
    ...quotasToExpire(
      (await quotas(pool, 'LISTED')).map((q) => q.record),
      nowMs,
    ),
  ];
  const commands = new LedgerCommands(ledger);
  const expired: string[] = [];
  for (const quotaId of due) {
    // One the read model has not yet seen closed is refused (QUOTA.NOT_AVAILABLE): the next look skips it.
    const done = await commands
      .send('matcher', 'expireQuota', { requestId: `expire-${quotaId}`, quotaId })
      .then(
        () => true,
        () => false,
      );
    if (done) expired.push(quotaId);
  }
  return expired;
}
