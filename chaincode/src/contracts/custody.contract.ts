import { Context, Contract, Info, Returns, Transaction } from 'fabric-contract-api';
import { writeCustody } from '../ledger/custodyStore.js';
import { getOrFail, poolTransaction, lotOf, workOrderOf } from '../ledger/poolTransaction.js';
import { lotForReader } from '../ledger/readAccess.js';
import { CUSTODY, EXCEPTION, HAND_OVER, LOT, RecordStore } from '../ledger/records.js';
import { ErrorCode } from '../model/errors.js';
import { EventName } from '../model/events.js';
import { requestParsers } from '../model/requests.js';
import { requireOwnWorkOrder } from '../rules/access.js';
import { confirmHandOver, offerHandOver } from '../rules/custody.js';

/** Who holds a lot's material, and its two-step hand-overs. */
@Info({ title: 'CustodyContract', description: 'custody of lots and their hand-overs' })
export class CustodyContract extends Contract {
  constructor() {
    super('Custody');
  }

  @Transaction()
  @Returns('string')
  async OfferHandOver(ctx: Context, requestJson: string): Promise<string> {
    return poolTransaction(
      ctx,
      requestParsers.offerHandOver,
      requestJson,
      EventName.HAND_OVER_OFFERED,
      async (tx, request) => {
        const lot = await lotOf(tx.store, request.lotId);
        requireOwnWorkOrder(tx.actor, await workOrderOf(tx.store, lot.workOrderId));
        const custody = await getOrFail(tx.store, CUSTODY, [request.lotId], ErrorCode.LOT_WRONG_STATUS);
        const intoLot =
          request.intoLotId === undefined ? undefined : await tx.store.get(LOT, [request.intoLotId]);
        const exceptions = await tx.store.range(EXCEPTION, [lot.lotId]);
        const offered = offerHandOver(tx.actor, lot, custody, intoLot, exceptions, request, tx.now);
        await writeCustody(ctx, tx, offered);
        return offered;
      },
    );
  }

  @Transaction()
  @Returns('string')
  async ConfirmHandOver(ctx: Context, requestJson: string): Promise<string> {
    return poolTransaction(
      ctx,
      requestParsers.confirmHandOver,
      requestJson,
      EventName.HAND_OVER_CONFIRMED,
      async (tx, request) => {
        const lot = await lotOf(tx.store, request.lotId);
        requireOwnWorkOrder(tx.actor, await workOrderOf(tx.store, lot.workOrderId));
        const custody = await getOrFail(tx.store, CUSTODY, [request.lotId], ErrorCode.CUSTODY_NO_OFFER);
        const intoLotId = custody.offer?.intoLotId;
        const intoCustody = intoLotId === undefined ? undefined : await tx.store.get(CUSTODY, [intoLotId]);
        const outcome = confirmHandOver(tx.actor, lot, custody, intoCustody, request, tx.now);
        await writeCustody(ctx, tx, outcome.custody);
        await tx.write(HAND_OVER, outcome.handOver);
        if (outcome.intoCustody !== undefined) await writeCustody(ctx, tx, outcome.intoCustody);
        if (outcome.deliveredLot !== undefined) await tx.write(LOT, outcome.deliveredLot);
        return outcome.handOver;
      },
    );
  }

  @Transaction(false)
  @Returns('string')
  async GetCustody(ctx: Context, lotId: string): Promise<string> {
    const store = new RecordStore(ctx);
    await lotForReader(ctx, store, lotId);
    return JSON.stringify(await getOrFail(store, CUSTODY, [lotId], ErrorCode.LOT_NOT_FOUND));
  }
}
