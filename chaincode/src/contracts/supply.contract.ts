import { Context, Contract, Info, Returns, Transaction } from 'fabric-contract-api';
import { poolTransaction, workOrderOf } from '../ledger/poolTransaction.js';
import { SUPPLY_CHOICE, SUPPLY_DELAY, WORK_ORDER } from '../ledger/records.js';
import { EventName } from '../model/events.js';
import { requestParsers } from '../model/requests.js';
import { chooseSupplyAlternative, reportSupplyDelay } from '../rules/supply.js';

/** Suppliers' word on the material they supply (delays), and the customers' answers, as ledger facts. */
@Info({
  title: 'SupplyContract',
  description: 'supply delays reported by suppliers, and what customers choose about them',
})
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

  /** The customer answers a material's latest delay: keep the plants, move, or a backup supplier. */
  @Transaction()
  @Returns('string')
  async ChooseAlternative(ctx: Context, requestJson: string): Promise<string> {
    return poolTransaction(
      ctx,
      requestParsers.chooseSupplyAlternative,
      requestJson,
      EventName.SUPPLY_ALTERNATIVE_CHOSEN,
      async (tx, request) => {
        const current = await workOrderOf(tx.store, request.workOrderId);
        const key = [request.workOrderId, request.materialCode];
        const { choice, workOrder } = chooseSupplyAlternative(
          tx.actor,
          current,
          await tx.store.lotsOf(current.workOrderId),
          await tx.store.range(SUPPLY_DELAY, key),
          await tx.store.range(SUPPLY_CHOICE, key),
          request,
          tx.now,
        );
        if (workOrder !== current) await tx.write(WORK_ORDER, workOrder);
        await tx.write(SUPPLY_CHOICE, choice);
        return choice;
      },
    );
  }
}
