import { Context, Contract, Info, Returns, Transaction } from 'fabric-contract-api';
import { writeCustody } from '../ledger/custodyStore.js';
import { getOrFail, poolTransaction, lotOf, workOrderOf, type PoolTx } from '../ledger/poolTransaction.js';
import { lotForReader } from '../ledger/readAccess.js';
import { CUSTODY, EXCEPTION, HAND_OVER, LOT, RecordStore } from '../ledger/records.js';
import { ErrorCode } from '../model/errors.js';
import { EventName } from '../model/events.js';
import { requestParsers } from '../model/requests.js';
import { requireOwnWorkOrder } from '../rules/access.js';
import {
  confirmHandOver,
  handOverWithin,
  offerHandOver,
  type FedLot,
  type HandOverOutcome,
} from '../rules/custody.js';

/** The downstream lot a hand-over names, with its custody; undefined when it names none or none exists. */
async function fedLotOf(store: RecordStore, lotId: string | undefined): Promise<FedLot | undefined> {
  if (lotId === undefined) return undefined;
  const lot = await store.get(LOT, [lotId]);
  return lot === undefined ? undefined : { lot, custody: await store.get(CUSTODY, [lotId]) };
}

/** What sending a lot's goods is checked against: the lot, its custody, the lot it feeds, its exceptions. */
async function sendingLot(tx: PoolTx, request: { lotId: string; intoLotId?: string }) {
  const lot = await lotOf(tx.store, request.lotId);
  requireOwnWorkOrder(tx.actor, await workOrderOf(tx.store, lot.workOrderId));
  const custody = await getOrFail(tx.store, CUSTODY, [request.lotId], ErrorCode.LOT_WRONG_STATUS);
  const into = await fedLotOf(tx.store, request.intoLotId);
  const exceptions = await tx.store.range(EXCEPTION, [lot.lotId]);
  return { lot, custody, into, exceptions };
}

async function writeHandOver(ctx: Context, tx: PoolTx, outcome: HandOverOutcome): Promise<void> {
  await writeCustody(ctx, tx, outcome.custody);
  await tx.write(HAND_OVER, outcome.handOver);
  if (outcome.intoCustody !== undefined) await writeCustody(ctx, tx, outcome.intoCustody);
  if (outcome.lot !== undefined) await tx.write(LOT, outcome.lot);
}

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
        const { lot, custody, into, exceptions } = await sendingLot(tx, request);
        const offered = offerHandOver(tx.actor, lot, custody, into, exceptions, request, tx.now);
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
        const into = await fedLotOf(tx.store, custody.offer?.intoLotId);
        const outcome = confirmHandOver(tx.actor, lot, custody, into, request, tx.now);
        await writeHandOver(ctx, tx, outcome);
        return outcome.handOver;
      },
    );
  }

  /** A factory feeds its own organisation's next lot: one signature, since it is both sides. */
  @Transaction()
  @Returns('string')
  async HandOverWithin(ctx: Context, requestJson: string): Promise<string> {
    return poolTransaction(
      ctx,
      requestParsers.handOverWithin,
      requestJson,
      EventName.HAND_OVER_CONFIRMED,
      async (tx, request) => {
        const { lot, custody, into, exceptions } = await sendingLot(tx, request);
        const outcome = handOverWithin(tx.actor, lot, custody, into, exceptions, request, tx.now);
        await writeHandOver(ctx, tx, outcome);
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
