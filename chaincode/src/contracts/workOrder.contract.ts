import { Context, Contract, Info, Returns, Transaction } from 'fabric-contract-api';
import { releaseHeldLots } from '../ledger/lotRelease.js';
import { activeCaller, poolTransaction, workOrderOf, type PoolTx } from '../ledger/poolTransaction.js';
import { workOrderForReader } from '../ledger/readAccess.js';
import { requirePoolReader } from '../rules/access.js';
import { AMENDMENT, RecordStore, seqKey, WORK_ORDER } from '../ledger/records.js';
import type { WorkOrder } from '../model/workOrder.js';
import { amendWorkOrder, answerAmendment, type AmendmentOutcome } from '../rules/amendment.js';
import { EventName } from '../model/events.js';
import { requestParsers } from '../model/requests.js';
import { cancelWorkOrder, publishWorkOrder, publishWorkOrders } from '../rules/workOrder.js';

async function writeAmendment(tx: PoolTx, before: WorkOrder, outcome: AmendmentOutcome): Promise<void> {
  // The released lots hold minutes of the routing as it was; a routing is never amended.
  await releaseHeldLots(tx, before, outcome.releasedLots);
  await tx.write(WORK_ORDER, outcome.workOrder);
  await tx.write(AMENDMENT, outcome.amendment);
}

/** The shared pool's work orders (小工单). */
@Info({ title: 'WorkOrderContract', description: 'work orders in the shared pool' })
export class WorkOrderContract extends Contract {
  constructor() {
    super('WorkOrder');
  }

  @Transaction()
  @Returns('string')
  async PublishWorkOrder(ctx: Context, requestJson: string): Promise<string> {
    return poolTransaction(
      ctx,
      requestParsers.publishWorkOrder,
      requestJson,
      EventName.WORK_ORDER_PUBLISHED,
      async (tx, request) => {
        const workOrder = publishWorkOrder(
          tx.actor,
          await tx.store.get(WORK_ORDER, [request.workOrderId]),
          request,
          tx.now,
        );
        await tx.write(WORK_ORDER, workOrder);
        return workOrder;
      },
    );
  }

  /** A batch from a customer's ERP, in one transaction: all of it is published, or none. */
  @Transaction()
  @Returns('string')
  async PublishWorkOrders(ctx: Context, requestJson: string): Promise<string> {
    return poolTransaction(
      ctx,
      requestParsers.publishWorkOrders,
      requestJson,
      EventName.WORK_ORDER_PUBLISHED,
      async (tx, request) => {
        const ids = [...new Set(request.workOrders.map((w) => w.workOrderId))].sort();
        const existing = new Map((await tx.store.getMany(WORK_ORDER, ids)).map((w) => [w.workOrderId, w]));
        const workOrders = publishWorkOrders(tx.actor, existing, request, tx.now);
        for (const workOrder of workOrders) await tx.write(WORK_ORDER, workOrder);
        return { published: workOrders.map((w) => w.workOrderId) };
      },
    );
  }

  @Transaction()
  @Returns('string')
  async CancelWorkOrder(ctx: Context, requestJson: string): Promise<string> {
    return poolTransaction(
      ctx,
      requestParsers.workOrder,
      requestJson,
      EventName.WORK_ORDER_CANCELLED,
      async (tx, request) => {
        const current = await workOrderOf(tx.store, request.workOrderId);
        const { workOrder, cancelledLots } = cancelWorkOrder(
          tx.actor,
          current,
          await tx.store.lotsOf(current.workOrderId),
          tx.now,
        );
        await releaseHeldLots(tx, workOrder, cancelledLots);
        await tx.write(WORK_ORDER, workOrder);
        return workOrder;
      },
    );
  }

  /** The customer changes its open order: fewer units, another due shift, another priority. */
  @Transaction()
  @Returns('string')
  async AmendWorkOrder(ctx: Context, requestJson: string): Promise<string> {
    return poolTransaction(
      ctx,
      requestParsers.amendWorkOrder,
      requestJson,
      EventName.WORK_ORDER_AMENDED,
      async (tx, request) => {
        const current = await workOrderOf(tx.store, request.workOrderId);
        const outcome = amendWorkOrder(
          tx.actor,
          current,
          await tx.store.lotsOf(current.workOrderId),
          request,
          tx.now,
        );
        await writeAmendment(tx, current, outcome);
        return outcome.amendment;
      },
    );
  }

  /** A factory whose accepted lots an amendment touches consents to it or declines it. */
  @Transaction()
  @Returns('string')
  async AnswerAmendment(ctx: Context, requestJson: string): Promise<string> {
    return poolTransaction(
      ctx,
      requestParsers.answerAmendment,
      requestJson,
      EventName.AMENDMENT_ANSWERED,
      async (tx, request) => {
        const current = await workOrderOf(tx.store, request.workOrderId);
        const outcome = answerAmendment(
          tx.actor,
          current,
          await tx.store.get(AMENDMENT, [request.workOrderId, seqKey(request.seq)]),
          await tx.store.lotsOf(current.workOrderId),
          request,
          tx.now,
        );
        await writeAmendment(tx, current, outcome);
        return outcome.amendment;
      },
    );
  }

  /** A work order's amendments, oldest first: for those who read its lots. */
  @Transaction(false)
  @Returns('string')
  async GetAmendments(ctx: Context, workOrderId: string): Promise<string> {
    const store = new RecordStore(ctx);
    await workOrderForReader(ctx, store, workOrderId);
    return JSON.stringify(await store.range(AMENDMENT, [workOrderId]));
  }

  @Transaction(false)
  @Returns('string')
  async GetWorkOrder(ctx: Context, workOrderId: string): Promise<string> {
    const workOrder = await workOrderOf(new RecordStore(ctx), workOrderId);
    requirePoolReader(await activeCaller(ctx), workOrder);
    return JSON.stringify(workOrder);
  }

  @Transaction(false)
  @Returns('string')
  async GetLotsOfWorkOrder(ctx: Context, workOrderId: string): Promise<string> {
    return JSON.stringify((await workOrderForReader(ctx, new RecordStore(ctx), workOrderId)).lots);
  }
}
