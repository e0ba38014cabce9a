import { Context, Contract, Info, Returns, Transaction } from 'fabric-contract-api';
import { releaseHeldLots } from '../ledger/lotRelease.js';
import { getOrFail, poolTransaction, workOrderOf } from '../ledger/poolTransaction.js';
import { RecordStore, WORK_ORDER } from '../ledger/records.js';
import { ErrorCode } from '../model/errors.js';
import { EventName } from '../model/events.js';
import { requestParsers } from '../model/requests.js';
import { cancelWorkOrder, publishWorkOrder } from '../rules/workOrder.js';

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

  @Transaction(false)
  @Returns('string')
  async GetWorkOrder(ctx: Context, workOrderId: string): Promise<string> {
    return JSON.stringify(
      await getOrFail(new RecordStore(ctx), WORK_ORDER, [workOrderId], ErrorCode.WORK_ORDER_NOT_FOUND),
    );
  }

  @Transaction(false)
  @Returns('string')
  async GetLotsOfWorkOrder(ctx: Context, workOrderId: string): Promise<string> {
    return JSON.stringify(await new RecordStore(ctx).lotsOf(workOrderId));
  }
}
