import { Context, Contract, Info, Returns, Transaction } from 'fabric-contract-api';
import { getOrFail, poolTransaction, type PoolTx } from '../ledger/poolTransaction.js';
import { CAPACITY, FACTORY, INDEX, QUOTA, RecordStore } from '../ledger/records.js';
import { ErrorCode } from '../model/errors.js';
import { EventName } from '../model/events.js';
import type { CapacityQuota } from '../model/quota.js';
import { requestParsers } from '../model/requests.js';
import { buyQuota, expireQuota, listQuota, releaseQuota } from '../rules/quota.js';

/** Applies one rule to one existing quota and writes the result. */
function changeQuota(
  ctx: Context,
  requestJson: string,
  eventName: EventName,
  rule: (tx: PoolTx, quota: CapacityQuota) => CapacityQuota,
): Promise<string> {
  return poolTransaction(ctx, requestParsers.quota, requestJson, eventName, async (tx, request) => {
    const quota = rule(tx, await getOrFail(tx.store, QUOTA, [request.quotaId], ErrorCode.QUOTA_NOT_FOUND));
    await tx.write(QUOTA, quota);
    return quota;
  });
}

/** Capacity pre-sale: quotas listed by factories, bought by customers, consumed by assignments. */
@Info({ title: 'QuotaContract', description: 'capacity quotas (产能预售)' })
export class QuotaContract extends Contract {
  constructor() {
    super('Quota');
  }

  @Transaction()
  @Returns('string')
  async ListQuota(ctx: Context, requestJson: string): Promise<string> {
    return poolTransaction(
      ctx,
      requestParsers.listQuota,
      requestJson,
      EventName.QUOTA_LISTED,
      async (tx, request) => {
        const factory = await getOrFail(tx.store, FACTORY, [request.factoryId], ErrorCode.FACTORY_NOT_FOUND);
        const capacities = await tx.store.range(CAPACITY, [factory.factoryId, request.process]);
        const quotas = await tx.store.quotasOf(factory.factoryId, request.process);
        const quota = listQuota(
          tx.actor,
          factory,
          await tx.store.get(QUOTA, [request.quotaId]),
          request,
          capacities,
          quotas,
          tx.now,
        );
        await tx.write(QUOTA, quota);
        await tx.store.putIndex(INDEX.quotaByFactoryProcess, [quota.factoryId, quota.process, quota.quotaId]);
        return quota;
      },
    );
  }

  @Transaction()
  @Returns('string')
  async BuyQuota(ctx: Context, requestJson: string): Promise<string> {
    return changeQuota(ctx, requestJson, EventName.QUOTA_SOLD, (tx, quota) =>
      buyQuota(tx.actor, quota, tx.now),
    );
  }

  @Transaction()
  @Returns('string')
  async ReleaseQuota(ctx: Context, requestJson: string): Promise<string> {
    return changeQuota(ctx, requestJson, EventName.QUOTA_RELEASED, (tx, quota) =>
      releaseQuota(tx.actor, quota, tx.now),
    );
  }

  @Transaction()
  @Returns('string')
  async ExpireQuota(ctx: Context, requestJson: string): Promise<string> {
    return changeQuota(ctx, requestJson, EventName.QUOTA_EXPIRED, (tx, quota) => expireQuota(quota, tx.now));
  }

  /** Every quota a factory listed for one process, in quota id order. */
  @Transaction(false)
  @Returns('string')
  async GetQuotasOfFactory(ctx: Context, factoryId: string, process: string): Promise<string> {
    return JSON.stringify(await new RecordStore(ctx).quotasOf(factoryId, process));
  }

  @Transaction(false)
  @Returns('string')
  async GetQuota(ctx: Context, quotaId: string): Promise<string> {
    return JSON.stringify(await getOrFail(new RecordStore(ctx), QUOTA, [quotaId], ErrorCode.QUOTA_NOT_FOUND));
  }
}
