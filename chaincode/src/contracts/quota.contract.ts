import { Context, Contract, Info, Returns, Transaction } from 'fabric-contract-api';
import { getOrFail, poolTransaction, type PoolTx } from '../ledger/poolTransaction.js';
import { CAPACITY, FACTORY, INDEX, QUOTA, QUOTA_PAYMENT, RecordStore } from '../ledger/records.js';
import { ErrorCode } from '../model/errors.js';
import { EventName } from '../model/events.js';
import type { CapacityQuota, QuotaPayment } from '../model/quota.js';
import type { Parser } from '../model/validation.js';
import { requestParsers } from '../model/requests.js';
import {
  buyQuota,
  closeQuotaPayment,
  confirmQuotaPayment,
  declareQuotaPayment,
  expireQuota,
  listQuota,
  quotaPaymentOf,
  releaseQuota,
} from '../rules/quota.js';
import { overseesAll, requireOfferReader } from '../rules/access.js';
import { activeCaller } from '../ledger/poolTransaction.js';
import { ChaincodeError } from '../model/errors.js';

/** Releases or expires a quota; a sold one's prepayment is split for good by its terms. */
function closeQuota(
  ctx: Context,
  requestJson: string,
  eventName: EventName,
  by: 'RELEASED' | 'EXPIRED',
  rule: (tx: PoolTx, quota: CapacityQuota) => CapacityQuota,
): Promise<string> {
  return poolTransaction(ctx, requestParsers.quota, requestJson, eventName, async (tx, request) => {
    const quota = rule(tx, await getOrFail(tx.store, QUOTA, [request.quotaId], ErrorCode.QUOTA_NOT_FOUND));
    await tx.write(QUOTA, quota);
    const payment = await tx.store.get(QUOTA_PAYMENT, [quota.quotaId]);
    if (payment !== undefined) await tx.write(QUOTA_PAYMENT, closeQuotaPayment(quota, payment, by, tx.now));
    return quota;
  });
}

/** Applies one rule to a quota's prepayment and writes the result. */
function changePayment<R extends { requestId: string; quotaId: string }>(
  ctx: Context,
  parser: Parser<R>,
  requestJson: string,
  eventName: EventName,
  rule: (tx: PoolTx, payment: QuotaPayment, request: R) => QuotaPayment,
): Promise<string> {
  return poolTransaction(ctx, parser, requestJson, eventName, async (tx, request) => {
    const payment = rule(
      tx,
      await getOrFail(tx.store, QUOTA_PAYMENT, [request.quotaId], ErrorCode.QUOTA_NOT_FOUND),
      request,
    );
    await tx.write(QUOTA_PAYMENT, payment);
    return payment;
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

  /** Sold at its listed price, locked; the whole quota is due to the factory at once (a QuotaPayment). */
  @Transaction()
  @Returns('string')
  async BuyQuota(ctx: Context, requestJson: string): Promise<string> {
    return poolTransaction(
      ctx,
      requestParsers.quota,
      requestJson,
      EventName.QUOTA_SOLD,
      async (tx, request) => {
        const quota = buyQuota(
          tx.actor,
          await getOrFail(tx.store, QUOTA, [request.quotaId], ErrorCode.QUOTA_NOT_FOUND),
          tx.now,
        );
        const factory = await getOrFail(tx.store, FACTORY, [quota.factoryId], ErrorCode.FACTORY_NOT_FOUND);
        await tx.write(QUOTA, quota);
        const payment = quotaPaymentOf(quota, factory.mspId, tx.now);
        await tx.write(QUOTA_PAYMENT, payment);
        // Statements between the two organisations find it by the pair.
        await tx.store.putIndex(INDEX.quotaPaymentByPair, [
          ...[payment.payerMspId, payment.payeeMspId].sort(),
          payment.quotaId,
        ]);
        return quota;
      },
    );
  }

  @Transaction()
  @Returns('string')
  async ReleaseQuota(ctx: Context, requestJson: string): Promise<string> {
    return closeQuota(ctx, requestJson, EventName.QUOTA_RELEASED, 'RELEASED', (tx, quota) =>
      releaseQuota(tx.actor, quota, tx.now),
    );
  }

  @Transaction()
  @Returns('string')
  async ExpireQuota(ctx: Context, requestJson: string): Promise<string> {
    return closeQuota(ctx, requestJson, EventName.QUOTA_EXPIRED, 'EXPIRED', (tx, quota) =>
      expireQuota(quota, tx.now),
    );
  }

  /** The buyer declares the quota's prepayment paid, with its payment reference. */
  @Transaction()
  @Returns('string')
  async DeclareQuotaPayment(ctx: Context, requestJson: string): Promise<string> {
    return changePayment(
      ctx,
      requestParsers.declareQuotaPayment,
      requestJson,
      EventName.QUOTA_PAYMENT_DECLARED,
      (tx, payment, request) => declareQuotaPayment(tx.actor, payment, request.paymentReference, tx.now),
    );
  }

  /** The selling factory's organisation confirms it received the prepayment. */
  @Transaction()
  @Returns('string')
  async ConfirmQuotaPayment(ctx: Context, requestJson: string): Promise<string> {
    return changePayment(
      ctx,
      requestParsers.quota,
      requestJson,
      EventName.QUOTA_PAYMENT_CONFIRMED,
      (tx, payment) => confirmQuotaPayment(tx.actor, payment, tx.now),
    );
  }

  /** A quota's prepayment: for its buyer, the selling factory's organisation, and the overseers. */
  @Transaction(false)
  @Returns('string')
  async GetQuotaPayment(ctx: Context, quotaId: string): Promise<string> {
    const member = await activeCaller(ctx);
    const payment = await getOrFail(
      new RecordStore(ctx),
      QUOTA_PAYMENT,
      [quotaId],
      ErrorCode.QUOTA_NOT_FOUND,
    );
    const party =
      member.memberId === payment.payerMemberId ||
      (member.role === 'factory' && member.mspId === payment.payeeMspId);
    if (!party && !overseesAll(member))
      throw new ChaincodeError(
        ErrorCode.NOT_PARTY,
        `the payment of quota ${quotaId} is its buyer's and its factory's`,
      );
    return JSON.stringify(payment);
  }

  /** Every quota a factory listed for one process, in quota id order. */
  @Transaction(false)
  @Returns('string')
  async GetQuotasOfFactory(ctx: Context, factoryId: string, process: string): Promise<string> {
    const store = new RecordStore(ctx);
    const factory = await getOrFail(store, FACTORY, [factoryId], ErrorCode.FACTORY_NOT_FOUND);
    requireOfferReader(await activeCaller(ctx), factory.mspId);
    return JSON.stringify(await store.quotasOf(factoryId, process));
  }

  /** A quota: for customers (the market), the overseers and the listing factory's organisation. */
  @Transaction(false)
  @Returns('string')
  async GetQuota(ctx: Context, quotaId: string): Promise<string> {
    const store = new RecordStore(ctx);
    const quota = await getOrFail(store, QUOTA, [quotaId], ErrorCode.QUOTA_NOT_FOUND);
    const factory = await getOrFail(store, FACTORY, [quota.factoryId], ErrorCode.FACTORY_NOT_FOUND);
    requireOfferReader(await activeCaller(ctx), factory.mspId);
    return JSON.stringify(quota);
  }
}
