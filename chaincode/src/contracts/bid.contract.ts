import { Context, Contract, Info, Returns, Transaction } from 'fabric-contract-api';
import { digestOf } from '../model/marshal.js';
import { activeCaller, getOrFail, poolTransaction, workOrderOf } from '../ledger/poolTransaction.js';
import { PRIVATE_KEY, PrivateStore, privateTransaction } from '../ledger/privateData.js';
import { BID, CAPACITY, FACTORY, INDEX, LOT, RecordStore, WORK_ORDER } from '../ledger/records.js';
import { sealedBidParser } from '../model/bid.js';
import type { Capacity } from '../model/capacity.js';
import type { CapacityQuota } from '../model/quota.js';
import { ChaincodeError, ErrorCode } from '../model/errors.js';
import { EventName } from '../model/events.js';
import { requestParsers } from '../model/requests.js';
import { requireOrg, visibleBidders } from '../rules/access.js';
import { awardBid, revealBid, sealBid } from '../rules/bid.js';

/**
 * Sealed bids on a work order: sealed into the bidder's own private collection during the window
 * (the channel sees only the hash), revealed in public after it and checked against that hash,
 * then awarded by the customer to the best revealed bid, whose units the award places at once.
 */
@Info({ title: 'BidContract', description: 'sealed bids, reveal and award' })
export class BidContract extends Contract {
  constructor() {
    super('Bid');
  }

  /** The bid itself travels as transient data `bid` (a SealedBid with its salt). */
  @Transaction()
  @Returns('string')
  async SealBid(ctx: Context, requestJson: string): Promise<string> {
    return privateTransaction(
      ctx,
      requestParsers.sealBid,
      requestJson,
      EventName.BID_SEALED,
      async (tx, request) => {
        const workOrder = await workOrderOf(tx.store, request.workOrderId);
        const factory = await getOrFail(tx.store, FACTORY, [request.factoryId], ErrorCode.FACTORY_NOT_FOUND);
        const bid = sealBid(tx.actor, workOrder, factory, tx.transient('bid', sealedBidParser), tx.now);
        const hash = await tx.putPrivate(
          factory.mspId,
          PRIVATE_KEY.sealedBid,
          [bid.workOrderId, bid.factoryId],
          bid,
        );
        return { workOrderId: bid.workOrderId, factoryId: bid.factoryId, sealHash: hash };
      },
    );
  }

  @Transaction()
  @Returns('string')
  async RevealBid(ctx: Context, requestJson: string): Promise<string> {
    return poolTransaction(
      ctx,
      requestParsers.revealBid,
      requestJson,
      EventName.BID_REVEALED,
      async (tx, request) => {
        const { bid } = request;
        const workOrder = await workOrderOf(tx.store, bid.workOrderId);
        const factory = await getOrFail(tx.store, FACTORY, [bid.factoryId], ErrorCode.FACTORY_NOT_FOUND);
        const sealHash = await new PrivateStore(ctx).hash(factory.mspId, PRIVATE_KEY.sealedBid, [
          bid.workOrderId,
          bid.factoryId,
        ]);
        const existing = await tx.store.get(BID, [bid.workOrderId, bid.factoryId]);
        const revealed = revealBid(
          tx.actor,
          workOrder,
          factory,
          bid,
          digestOf(bid),
          sealHash,
          existing,
          tx.now,
        );
        await tx.write(BID, revealed);
        return revealed;
      },
    );
  }

  @Transaction()
  @Returns('string')
  async AwardBid(ctx: Context, requestJson: string): Promise<string> {
    return poolTransaction(
      ctx,
      requestParsers.workOrder,
      requestJson,
      EventName.BID_AWARDED,
      async (tx, request) => {
        const workOrder = await workOrderOf(tx.store, request.workOrderId);
        const bids = await tx.store.range(BID, [workOrder.workOrderId]);
        // The room of every bidder's plant for the routing's processes: the award places the winner's units.
        const capacities: Capacity[] = [];
        const quotas: CapacityQuota[] = [];
        for (const factoryId of [...new Set(bids.map((b) => b.factoryId))].sort())
          for (const process of [...new Set(workOrder.routing.map((op) => op.process))].sort()) {
            capacities.push(...(await tx.store.range(CAPACITY, [factoryId, process])));
            quotas.push(...(await tx.store.quotasOf(factoryId, process)));
          }
        const outcome = awardBid(tx.actor, workOrder, bids, { capacities, quotas }, tx.now);
        await tx.write(WORK_ORDER, outcome.workOrder);
        for (const bid of outcome.bids) await tx.write(BID, bid);
        for (const capacity of outcome.capacities) await tx.write(CAPACITY, capacity);
        for (const lot of outcome.lots) {
          await tx.write(LOT, lot);
          await tx.store.putIndex(INDEX.lotByWorkOrder, [lot.workOrderId, lot.lotId]);
        }
        return outcome.workOrder;
      },
    );
  }

  /** Revealed bids only: a sealed bid is visible to nobody but its bidder until it is revealed. */
  @Transaction(false)
  @Returns('string')
  async GetBids(ctx: Context, workOrderId: string): Promise<string> {
    const store = new RecordStore(ctx);
    const bidders = visibleBidders(await activeCaller(ctx), await workOrderOf(store, workOrderId));
    const bids = await store.range(BID, [workOrderId]);
    return JSON.stringify(
      bidders.mspId === undefined ? bids : bids.filter((b) => b.factoryMspId === bidders.mspId),
    );
  }

  /**
   * The bidder's own sealed bid, salt included, read back from its organisation's collection so
   * it can be revealed after the window from any device (evaluated on a peer of that organisation).
   */
  @Transaction(false)
  @Returns('string')
  async GetOwnSealedBid(ctx: Context, workOrderId: string, factoryId: string): Promise<string> {
    const member = await activeCaller(ctx);
    const factory = await getOrFail(new RecordStore(ctx), FACTORY, [factoryId], ErrorCode.FACTORY_NOT_FOUND);
    requireOrg(member, factory.mspId, `factory ${factoryId}`);
    const bid = await new PrivateStore(ctx).get(
      factory.mspId,
      PRIVATE_KEY.sealedBid,
      [workOrderId, factoryId],
      sealedBidParser,
    );
    if (bid === undefined)
      throw new ChaincodeError(ErrorCode.BID_NOT_SEALED, `${factoryId} sealed no bid on ${workOrderId}`);
    return JSON.stringify(bid);
  }

  @Transaction(false)
  @Returns('string')
  async GetSealedBidHash(ctx: Context, workOrderId: string, factoryId: string): Promise<string> {
    const factory = await getOrFail(new RecordStore(ctx), FACTORY, [factoryId], ErrorCode.FACTORY_NOT_FOUND);
    const hash = await new PrivateStore(ctx).hash(factory.mspId, PRIVATE_KEY.sealedBid, [
      workOrderId,
      factoryId,
    ]);
    return JSON.stringify({ workOrderId, factoryId, sealHash: hash ?? null });
  }
}
