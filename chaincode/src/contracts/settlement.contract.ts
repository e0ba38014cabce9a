import { Context, Contract, Info, Returns, Transaction } from 'fabric-contract-api';
import {
  activeCaller,
  getOrFail,
  poolTransaction,
  workOrderOf,
  lotOf,
  type PoolTx,
} from '../ledger/poolTransaction.js';
import { MemberStore } from '../ledger/memberStore.js';
import { lotForReader } from '../ledger/readAccess.js';
import { statementScope } from '../rules/access.js';
import { INDEX, LOT, QUOTA, QUOTA_PAYMENT, RecordStore, SETTLEMENT, STATEMENT } from '../ledger/records.js';
import { ChaincodeError, ErrorCode } from '../model/errors.js';
import { EventName } from '../model/events.js';
import { requestParsers, type StatementRequest } from '../model/requests.js';
import type { Settlement } from '../model/settlement.js';
import type { Statement } from '../model/statement.js';
import type { Parser } from '../model/validation.js';
import { acceptDelivery, confirmPayment, declarePayment, periodStatement } from '../rules/settlement.js';
import {
  acknowledgeStatement,
  closeStatement,
  disputeStatement,
  requireStatementReader,
} from '../rules/statement.js';

const settlementOf = (store: RecordStore, settlementId: string): Promise<Settlement> =>
  getOrFail(store, SETTLEMENT, [settlementId], ErrorCode.SETTLEMENT_NOT_FOUND);

/** Applies one rule to a statement and writes the result. */
function changeStatement<R extends StatementRequest>(
  ctx: Context,
  parser: Parser<R>,
  requestJson: string,
  eventName: EventName,
  rule: (tx: PoolTx, statement: Statement, request: R) => Statement,
): Promise<string> {
  return poolTransaction(ctx, parser, requestJson, eventName, async (tx, request) => {
    const statement = rule(
      tx,
      await getOrFail(tx.store, STATEMENT, [request.statementId], ErrorCode.STATEMENT_NOT_FOUND),
      request,
    );
    await tx.write(STATEMENT, statement);
    return statement;
  });
}

const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?Z$/;

/** Deliveries accepted, what they cost, payments confirmed, and statements between two members. */
@Info({
  title: 'SettlementContract',
  description:
    'delivery acceptance, settlement, payments both sides confirm, and period statements both sides sign',
})
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

  /** The side that sends the money says it sent it (with its bank reference). */
  @Transaction()
  @Returns('string')
  async DeclarePayment(ctx: Context, requestJson: string): Promise<string> {
    return poolTransaction(
      ctx,
      requestParsers.declarePayment,
      requestJson,
      EventName.PAYMENT_DECLARED,
      async (tx, request) => {
        const settlement = declarePayment(
          tx.actor,
          await settlementOf(tx.store, request.settlementId),
          request,
          tx.now,
        );
        await tx.write(SETTLEMENT, settlement);
        return settlement;
      },
    );
  }

  /** The side that receives the money says it arrived: the settlement is paid and its lot settled. */
  @Transaction()
  @Returns('string')
  async ConfirmPayment(ctx: Context, requestJson: string): Promise<string> {
    return poolTransaction(
      ctx,
      requestParsers.confirmPayment,
      requestJson,
      EventName.PAYMENT_CONFIRMED,
      async (tx, request) => {
        const settlement = await settlementOf(tx.store, request.settlementId);
        const lot = await lotOf(tx.store, settlement.lotId);
        const outcome = confirmPayment(tx.actor, settlement, lot, tx.now);
        await tx.write(SETTLEMENT, outcome.settlement);
        await tx.write(LOT, outcome.lot);
        return outcome.settlement;
      },
    );
  }

  /**
   * Either side closes a period between a customer and a factory organisation: the chaincode nets
   * it from the ledger's settlements and quota payments, and the closer's word is on it.
   */
  @Transaction()
  @Returns('string')
  async CloseStatement(ctx: Context, requestJson: string): Promise<string> {
    return poolTransaction(
      ctx,
      requestParsers.closeStatement,
      requestJson,
      EventName.STATEMENT_CLOSED,
      async (tx, request) => {
        if ((await tx.store.get(STATEMENT, [request.statementId])) !== undefined)
          throw new ChaincodeError(
            ErrorCode.STATEMENT_ALREADY_EXISTS,
            `statement ${request.statementId} exists already`,
          );
        const customer = await new MemberStore(ctx).get(request.customerMemberId);
        const pair = [customer?.mspId ?? '', request.factoryMspId].sort();
        const parties = [request.factoryMspId, request.customerMemberId];
        const statement = closeStatement(
          tx.actor,
          customer,
          request,
          await tx.store.getMany(SETTLEMENT, await tx.store.indexed(INDEX.settlementByPair, pair)),
          await tx.store.getMany(QUOTA_PAYMENT, await tx.store.indexed(INDEX.quotaPaymentByPair, pair)),
          await tx.store.getMany(STATEMENT, await tx.store.indexed(INDEX.statementByParties, parties)),
          tx.now,
        );
        await tx.write(STATEMENT, statement);
        await tx.store.putIndex(INDEX.statementByParties, [...parties, statement.statementId]);
        return statement;
      },
    );
  }

  /** The other side acknowledges the statement's figures: with both sides' word it is agreed. */
  @Transaction()
  @Returns('string')
  async AcknowledgeStatement(ctx: Context, requestJson: string): Promise<string> {
    return changeStatement(
      ctx,
      requestParsers.statement,
      requestJson,
      EventName.STATEMENT_ACKNOWLEDGED,
      (tx, statement) => acknowledgeStatement(tx.actor, statement, tx.now),
    );
  }

  /** Either side disputes an open statement, with its reason and the lines it disputes. */
  @Transaction()
  @Returns('string')
  async DisputeStatement(ctx: Context, requestJson: string): Promise<string> {
    return changeStatement(
      ctx,
      requestParsers.disputeStatement,
      requestJson,
      EventName.STATEMENT_DISPUTED,
      (tx, statement, request) => disputeStatement(tx.actor, statement, request, tx.now),
    );
  }

  @Transaction(false)
  @Returns('string')
  async GetStatement(ctx: Context, statementId: string): Promise<string> {
    const store = new RecordStore(ctx);
    const statement = await getOrFail(store, STATEMENT, [statementId], ErrorCode.STATEMENT_NOT_FOUND);
    requireStatementReader(await activeCaller(ctx), statement);
    return JSON.stringify(statement);
  }

  @Transaction(false)
  @Returns('string')
  async GetSettlement(ctx: Context, settlementId: string): Promise<string> {
    const store = new RecordStore(ctx);
    const settlement = await settlementOf(store, settlementId);
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
