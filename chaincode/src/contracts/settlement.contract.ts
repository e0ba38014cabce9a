import { Context, Contract, Info, Returns, Transaction } from 'fabric-contract-api';
import { activeCaller, getOrFail, poolTransaction, workOrderOf, lotOf } from '../ledger/poolTransaction.js';
import { lotForReader } from '../ledger/readAccess.js';
import { statementScope } from '../rules/access.js';
import { INDEX, LOT, QUOTA, QUOTA_PAYMENT, RecordStore, SETTLEMENT } from '../ledger/records.js';
import { ChaincodeError, ErrorCode } from '../model/errors.js';
import { EventName } from '../model/events.js';
import { requestParsers } from '../model/requests.js';
import { acceptDelivery, confirmPayment, periodStatement } from '../rules/settlement.js';

const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?Z$/;

/** Deliveries accepted, what they cost, payments confirmed, and statements between two members. */
@Info({ title: 'SettlementContract', description: 'delivery acceptance, settlement and period statements' })
export class SettlementContract extends Contract {
  constructor() {
    super('Settlement');
  }

  @Transaction()
  @Returns('string')
  async AcceptDelivery(ctx: Context, requestJson: string): Promise<string> {
    return poolTransaction(
      ctx,
      requestParsers.acceptDelivery,
      requestJson,
      EventName.DELIVERY_ACCEPTED,
      async (tx, request) => {
        const lot = await lotOf(tx.store, request.lotId);
        const workOrder = await workOrderOf(tx.store, lot.workOrderId);
        const quota = lot.quotaId === undefined ? undefined : await tx.store.get(QUOTA, [lot.quotaId]);
        const outcome = acceptDelivery(tx.actor, workOrder, lot, quota, request, tx.now);
        await tx.write(LOT, outcome.lot);
        await tx.write(SETTLEMENT, outcome.settlement);
        const pair = [outcome.settlement.payerMspId, outcome.settlement.payeeMspId].sort();
        await tx.store.putIndex(INDEX.settlementByPair, [
          ...pair,
          outcome.settlement.createdAt,
          outcome.settlement.settlementId,
        ]);
        return outcome.settlement;
      },
    );
  }

  @Transaction()
  @Returns('string')
  async ConfirmPayment(ctx: Context, requestJson: string): Promise<string> {
    return poolTransaction(
      ctx,
      requestParsers.confirmPayment,
      requestJson,
      EventName.PAYMENT_CONFIRMED,
      async (tx, request) => {
        const settlement = await getOrFail(
          tx.store,
          SETTLEMENT,
          [request.settlementId],
          ErrorCode.SETTLEMENT_NOT_FOUND,
        );
        const lot = await lotOf(tx.store, settlement.lotId);
        const outcome = confirmPayment(tx.actor, settlement, lot, request, tx.now);
        await tx.write(SETTLEMENT, outcome.settlement);
        await tx.write(LOT, outcome.lot);
        return outcome.settlement;
      },
    );
  }

  @Transaction(false)
  @Returns('string')
  async GetSettlement(ctx: Context, settlementId: string): Promise<string> {
    const store = new RecordStore(ctx);
    const settlement = await getOrFail(store, SETTLEMENT, [settlementId], ErrorCode.SETTLEMENT_NOT_FOUND);
    await lotForReader(ctx, store, settlement.lotId);
    return JSON.stringify(settlement);
  }

  /** Settlements between two organisations created in [from, to), netted. */
  @Transaction(false)
  @Returns('string')
  async GetPeriodStatement(
    ctx: Context,
    mspA: string,
    mspB: string,
    from: string,
    to: string,
  ): Promise<string> {
    if (!INSTANT.test(from) || !INSTANT.test(to) || from >= to)
      throw new ChaincodeError(
        ErrorCode.INVALID_ARGUMENT,
        `the period must be two UTC instants, from < to (${from}, ${to})`,
      );
    const scope = statementScope(await activeCaller(ctx), mspA, mspB);
    const store = new RecordStore(ctx);
    const pair = [mspA, mspB].sort();
    const ids = await store.indexed(INDEX.settlementByPair, pair);
    const settlements = (await store.getMany(SETTLEMENT, ids)).filter(
      (s) => scope.payerMemberId === undefined || s.payerMemberId === scope.payerMemberId,
    );
    const quotaPayments = (
      await store.getMany(QUOTA_PAYMENT, await store.indexed(INDEX.quotaPaymentByPair, pair))
    ).filter((q) => scope.payerMemberId === undefined || q.payerMemberId === scope.payerMemberId);
    return JSON.stringify(periodStatement(settlements, mspA, mspB, from, to, quotaPayments));
  }
}
