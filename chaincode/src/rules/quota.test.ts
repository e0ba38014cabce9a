import { describe, expect, it } from 'vitest';
import { ErrorCode } from '../model/errors.js';
import { aCapacity, aFactory, aMember, aQuota, BUCKET, NEXT_BUCKET, NOW } from '../testing/builders.js';
import { buyQuota, expireQuota, firstUnhonouredQuota, listQuota, releaseQuota } from './quota.js';

const factoryMember = aMember('factory');
const customer = aMember('customer', 'AllianceMSP', 'customer-1');
const listing = {
  requestId: 'req-list-0001',
  quotaId: 'Q-1',
  factoryId: 'F-A1',
  process: 'CNC' as const,
  windowStart: BUCKET,
  windowEnd: NEXT_BUCKET,
  minutes: 600,
  pricePerMinute: 80,
};
const capacities = [aCapacity(), aCapacity({ bucket: NEXT_BUCKET })];

describe('capacity quotas', () => {
  it('lists capacity a factory has declared, and refuses more than it has', () => {
    expect(listQuota(factoryMember, aFactory(), undefined, listing, capacities, [], NOW).status).toBe(
      'LISTED',
    );
    expect(() =>
      listQuota(factoryMember, aFactory(), undefined, { ...listing, minutes: 961 }, capacities, [], NOW),
    ).toThrow(ErrorCode.CAPACITY_EXCEEDED);
    expect(() =>
      listQuota(
        factoryMember,
        aFactory(),
        undefined,
        listing,
        capacities,
        [aQuota(undefined, { quotaId: 'Q-0', minutes: 400 })],
        NOW,
      ),
    ).toThrow(ErrorCode.CAPACITY_EXCEEDED);
  });

  it('lets only the owning factory list, and only processes it runs', () => {
    expect(() =>
      listQuota(aMember('factory', 'FactoryBMSP'), aFactory(), undefined, listing, capacities, [], NOW),
    ).toThrow(ErrorCode.NOT_OWNER);
    expect(() => listQuota(customer, aFactory(), undefined, listing, capacities, [], NOW)).toThrow(
      ErrorCode.WRONG_ROLE,
    );
    expect(() =>
      listQuota(factoryMember, aFactory(), undefined, { ...listing, process: 'SMT' }, capacities, [], NOW),
    ).toThrow(ErrorCode.PROCESS_NOT_OFFERED);
  });

  it('sells a listed quota once, to a customer, at the listed price', () => {
    const sold = buyQuota(customer, aQuota(undefined), NOW);
    expect(sold).toMatchObject({ status: 'SOLD', buyerMemberId: customer.memberId, pricePerMinute: 80 });
    expect(() => buyQuota(aMember('customer', 'AllianceMSP', 'customer-2'), sold, NOW)).toThrow(
      ErrorCode.QUOTA_NOT_AVAILABLE,
    );
    expect(() => buyQuota(factoryMember, aQuota(undefined), NOW)).toThrow(ErrorCode.WRONG_ROLE);
  });

  it('lets only the buyer release, returning the unused minutes', () => {
    const quota = aQuota(customer, { consumedMinutes: 50 });
    expect(releaseQuota(customer, quota, NOW)).toMatchObject({ status: 'RELEASED', returnedMinutes: 150 });
    expect(() => releaseQuota(aMember('customer', 'AllianceMSP', 'customer-2'), quota, NOW)).toThrow(
      ErrorCode.QUOTA_NOT_BUYER,
    );
  });

  it('expires a quota only after its window has ended', () => {
    const quota = aQuota(customer, { consumedMinutes: 20 });
    expect(() => expireQuota(quota, NOW)).toThrow(ErrorCode.QUOTA_WINDOW_OPEN);
    expect(expireQuota(quota, '2026-11-25T16:00:00.000Z')).toMatchObject({
      status: 'EXPIRED',
      returnedMinutes: 180,
    });
  });

  it('counts nested quota windows together when checking reservations', () => {
    const outer = aQuota(undefined, { quotaId: 'Q-outer', minutes: 500 });
    const inner = aQuota(undefined, { quotaId: 'Q-inner', windowEnd: BUCKET, minutes: 480 });
    expect(firstUnhonouredQuota(capacities, [outer])).toBeUndefined();
    expect(firstUnhonouredQuota(capacities, [outer, inner])?.quotaId).toBe('Q-outer');
  });
});
