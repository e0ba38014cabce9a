import { Context, Contract, Info, Returns, Transaction } from 'fabric-contract-api';
import { activeCaller, getOrFail, workOrderOf } from '../ledger/poolTransaction.js';
import { digestOf } from '../model/marshal.js';
import { PRIVATE_KEY, PrivateStore, privateTransaction } from '../ledger/privateData.js';
import { LOT, RecordStore, WORK_ORDER } from '../ledger/records.js';
import { processParametersParser } from '../model/bid.js';
import { ChaincodeError, ErrorCode } from '../model/errors.js';
import { EventName } from '../model/events.js';
import { requestParsers } from '../model/requests.js';
import {
  requireParametersReader,
  setProcessParameters,
  shareProcessParameters,
} from '../rules/processParameters.js';

/**
 * How to make a work order (工艺参数): private to its customer and the factories assigned to it.
 * The parameters travel as transient data `parameters` (with a salt) and sit in the customer's and
 * then each assigned factory's private collection; the channel sees their hash only.
 */
@Info({ title: 'ProcessParametersContract', description: 'private process parameters of work orders' })
export class ProcessParametersContract extends Contract {
  constructor() {
    super('ProcessParameters');
  }

  @Transaction()
  @Returns('string')
  async SetProcessParameters(ctx: Context, requestJson: string): Promise<string> {
    return privateTransaction(
      ctx,
      requestParsers.workOrder,
      requestJson,
      EventName.PROCESS_PARAMETERS_SET,
      async (tx, request) => {
        const workOrder = await workOrderOf(tx.store, request.workOrderId);
        const parameters = setProcessParameters(
          tx.actor,
          workOrder,
          tx.transient('parameters', processParametersParser),
        );
        const hash = await tx.putPrivate(
          workOrder.customerMspId,
          PRIVATE_KEY.processParameters,
          [workOrder.workOrderId],
          parameters,
        );
        return { workOrderId: workOrder.workOrderId, hash };
      },
    );
  }

  /** Endorsed by the assigned factory's organisation, whose collection receives the parameters. */
  @Transaction()
  @Returns('string')
  async ShareProcessParameters(ctx: Context, requestJson: string): Promise<string> {
    return privateTransaction(
      ctx,
      requestParsers.shareProcessParameters,
      requestJson,
      EventName.PROCESS_PARAMETERS_SHARED,
      async (tx, request) => {
        const workOrder = await workOrderOf(tx.store, request.workOrderId);
        const parameters = tx.transient('parameters', processParametersParser);
        const customerHash = await tx.privateStore.hash(
          workOrder.customerMspId,
          PRIVATE_KEY.processParameters,
          [workOrder.workOrderId],
        );
        const lot = shareProcessParameters(
          tx.actor,
          workOrder,
          await tx.store.get(LOT, [request.lotId]),
          digestOf(parameters),
          customerHash,
        );
        const hash = await tx.putPrivate(
          lot.factoryMspId,
          PRIVATE_KEY.processParameters,
          [workOrder.workOrderId],
          parameters,
        );
        return { workOrderId: workOrder.workOrderId, sharedWith: lot.factoryMspId, hash };
      },
    );
  }

  /**
   * Read on a peer of the caller's own organisation, from that organisation's collection, by the
   * customer or a factory holding a lot of the order.
   */
  @Transaction(false)
  @Returns('string')
  async GetProcessParameters(ctx: Context, workOrderId: string): Promise<string> {
    const member = await activeCaller(ctx);
    const store = new RecordStore(ctx);
    const workOrder = await workOrderOf(store, workOrderId);
    requireParametersReader(member, workOrder, await store.lotsOf(workOrderId));
    const parameters = await new PrivateStore(ctx).get(
      member.mspId,
      PRIVATE_KEY.processParameters,
      [workOrderId],
      processParametersParser,
    );
    if (parameters === undefined)
      throw new ChaincodeError(
        ErrorCode.PARAMETERS_NOT_SET,
        `no process parameters of ${workOrderId} have reached ${member.mspId}`,
      );
    return JSON.stringify(parameters);
  }

  /** The public trace anyone may check a shared copy against. */
  @Transaction(false)
  @Returns('string')
  async GetProcessParametersHash(ctx: Context, workOrderId: string): Promise<string> {
    const workOrder = await getOrFail(
      new RecordStore(ctx),
      WORK_ORDER,
      [workOrderId],
      ErrorCode.WORK_ORDER_NOT_FOUND,
    );
    const hash = await new PrivateStore(ctx).hash(workOrder.customerMspId, PRIVATE_KEY.processParameters, [
      workOrderId,
    ]);
    return JSON.stringify({ workOrderId, hash: hash ?? null });
  }
}
