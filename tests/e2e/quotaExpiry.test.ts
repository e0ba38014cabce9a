import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startApi, type RunningApi } from '@fabpool/api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bucketFromNow, decode, request, unique } from '../support/poolClient.js';

const HOUR = 3_600_000;

/**
 * Quotas lapse on time: the operator's node, at each look of its matcher service, expires every
 * quota whose window has ended, and the chaincode splits a sold one's prepayment by its terms.
 * The ledger's and the service's clocks are moved past the window, as days passing would.
 */
describe('quotas past their window', () => {
  let api: RunningApi;
  let dir: string;
  let clock = Date.now();
  const plant = `F-EXP-${unique()}`;
  const [sold, listed] = [`Q-EXP-${unique()}`, `Q-EXP-${unique()}`];
  const bucket = bucketFromNow(1);

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'fabpool-expiry-'));
    api = await startApi({ dataDir: dir, ledgerClock: () => clock, matcher: { now: () => clock } });
    const submit = (member: string, contract: string, tx: string, fields: object) =>
      api.ledger.submit(member, contract, tx, [request(fields)]);
    await submit('factory-a-user', 'Factory', 'RegisterFactory', {
      factoryId: plant,
      name: 'Expiry plant',
      location: 'Ningbo',
      processes: [{ process: 'CNC', pricePerMinute: 100 }],
    });
    await submit('factory-a-user', 'Factory', 'DeclareCapacity', {
      factoryId: plant,
      entries: [{ process: 'CNC', bucket, minutes: 480 }],
    });
    for (const quotaId of [sold, listed])
      await submit('factory-a-user', 'Quota', 'ListQuota', {
        quotaId,
        factoryId: plant,
        process: 'CNC',
        windowStart: bucket,
        windowEnd: bucket,
        minutes: 100,
        pricePerMinute: 90,
        terms: { releaseRefundPercent: 100, releaseNoticeHours: 24, expiryRefundPercent: 25 },
      });
    await submit('customer-1', 'Quota', 'BuyQuota', { quotaId: sold });
    await api.projector.caughtUp((await api.ledger.height()) - 1);
  });

  afterAll(async () => {
    await api.close();
    await rm(dir, { recursive: true, force: true });
  });

  const quota = async (quotaId: string) =>
    JSON.parse(decode(await api.ledger.evaluate('auditor', 'Quota', 'GetQuota', [quotaId]))) as {
      status: string;
    };

  it('are left alone while their window is open', async () => {
    await api.matcher.tick();
    expect((await quota(sold)).status).toBe('SOLD');
    expect((await quota(listed)).status).toBe('LISTED');
  });

  it('expire at the service’s next look once it has ended, the sold one’s prepayment split by its terms', async () => {
    clock += 2 * 24 * HOUR;
    await api.matcher.tick();
    expect((await quota(sold)).status).toBe('EXPIRED');
    expect((await quota(listed)).status).toBe('EXPIRED');
    const payment = JSON.parse(
      decode(await api.ledger.evaluate('customer-1', 'Quota', 'GetQuotaPayment', [sold])),
    ) as { amount: number; closed?: object };
    // 100 minutes × 90 fen, none used: a quarter back to the buyer, the rest the factory's.
    expect(payment).toMatchObject({
      amount: 9_000,
      closed: { by: 'EXPIRED', usedValue: 0, refunded: 2_250, forfeited: 6_750 },
    });
    // Another look changes nothing.
    const height = await api.ledger.height();
    await api.projector.caughtUp(height - 1);
    await api.matcher.tick();
    expect(await api.ledger.height()).toBe(height);
  });
});
