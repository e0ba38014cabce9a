import { Context, Contract, Info, Returns, Transaction } from 'fabric-contract-api';
import { poolTransaction, workOrderOf } from '../ledger/poolTransaction.js';
import { SUPPLY_DELAY } from '../ledger/records.js';
import { EventName } from '../model/events.js';
import { requestParsers } from '../model/requests.js';
import { reportSupplyDelay } from '../rules/supply.js';

/** Suppliers' word on the material they supply: delays, as ledger facts. */
@Info({ title: 'SupplyContract', description: 'supply delays reported by suppliers' })
export class SupplyContract extends Contract {
  constructor() {
    super('Supply');
  }

  @Transaction()
  @Returns('string')
  async ReportDelay(ctx: Context, requestJson: string): Promise<string> {
    return poolTransaction(
      ctx,
      requestParsers.reportSupplyDelay,
      requestJson,
      EventName.SUPPLY_DELAY_REPORTED,
      async (tx, request) => {
        const workOrder = await workOrderOf(tx.store, request.workOrderId);
        const earlier = await tx.store.range(SUPPLY_DELAY, [request.workOrderId, request.materialCode]);
        const delay = reportSupplyDelay(tx.actor, workOrder, earlier, request, tx.now);
        await tx.write(SUPPLY_DELAY, delay);
        return delay;
      },
    );
  }
}
