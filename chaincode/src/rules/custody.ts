import type { Custody, HandOver } from '../model/custody.js';
import { ChaincodeError, ErrorCode } from '../model/errors.js';
import type { Lot } from '../model/lot.js';
import type { Member } from '../model/member.js';
import type { OperationException } from '../model/progress.js';
import type {
  ConfirmHandOverRequest,
  HandOverWithinRequest,
  OfferHandOverRequest,
} from '../model/requests.js';
import type { WorkOrder } from '../model/workOrder.js';
import { requireRole } from './access.js';

const fail = (code: ErrorCode, message: string): never => {
  throw new ChaincodeError(code, message);
};

/**
 * A lot's custody when its factory accepts it: a lot that starts the routing starts with the
 * customer, who supplies the material; a later lot has no holder until an upstream lot's material
 * is handed into it.
 */
export function custodyAtAcceptance(workOrder: WorkOrder, lot: Lot, now: string): Custody {
  const base = { lotId: lot.lotId, workOrderId: lot.workOrderId, handOvers: 0, updatedAt: now };
  return lot.fromSeq === 1
    ? { ...base, holderMspId: workOrder.customerMspId, quantity: lot.quantity }
    : { ...base, quantity: 0 };
}

/** The downstream lot a hand-over feeds, with its custody (none before the lot was accepted). */
export interface FedLot {
  lot: Lot;
  custody: Custody | undefined;
}

/** Units a downstream lot still has room for: it takes no more than it was planned for. */
const roomIn = (fed: FedLot): number => fed.lot.quantity - (fed.custody?.quantity ?? 0);

/**
 * What every hand-over out of a lot must satisfy, whoever receives it: only the holder sends, one
 * offer at a time, never mid-operation nor more than is held. Material that feeds a lot of the next
 * operation (`intoLotId`) leaves a DONE lot with no open exception (the next operation is frozen
 * while one is open), for an accepted lot of that operation, not yet started, with room for it.
 */
function checkHandOver(
  member: Member,
  lot: Lot,
  custody: Custody,
  into: FedLot | undefined,
  exceptionsOfLot: readonly OperationException[],
  request: OfferHandOverRequest,
): void {
  if (custody.holderMspId !== member.mspId)
    fail(
      ErrorCode.CUSTODY_NOT_HOLDER,
      `lot ${lot.lotId} is held by ${custody.holderMspId ?? 'nobody yet'}, not by ${member.mspId}`,
    );
  if (custody.offer !== undefined)
    fail(
      ErrorCode.CUSTODY_OFFER_PENDING,
      `lot ${lot.lotId} already has an offer to ${custody.offer.toMspId} waiting for confirmation`,
    );
  if (lot.status === 'IN_PROGRESS')
    fail(
      ErrorCode.LOT_WRONG_STATUS,
      `lot ${lot.lotId} is IN_PROGRESS: its material cannot leave mid-operation`,
    );
  if (request.quantity > custody.quantity)
    fail(
      ErrorCode.CUSTODY_QUANTITY,
      `/quantity ${request.quantity} is more than the ${custody.quantity} units held for lot ${lot.lotId}`,
    );
  if (request.intoLotId === undefined) return;
  if (into === undefined) return void fail(ErrorCode.LOT_NOT_FOUND, `no lot ${request.intoLotId}`);
  if (lot.status !== 'DONE')
    fail(ErrorCode.LOT_WRONG_STATUS, `lot ${lot.lotId} is ${lot.status}: only a DONE lot feeds the next one`);
  // The next operation is frozen while an exception is open, also when another lot holds it.
  const open = exceptionsOfLot.find((e) => e.status === 'OPEN');
  if (open !== undefined)
    fail(
      ErrorCode.OPERATION_FROZEN,
      `lot ${lot.lotId} has an open exception on operation ${open.seq}: close it before its material feeds operation ${lot.toSeq + 1}`,
    );
  const target = into.lot;
  if (
    target.workOrderId !== lot.workOrderId ||
    target.fromSeq !== lot.toSeq + 1 ||
    target.factoryMspId !== request.toMspId ||
    target.status !== 'ACCEPTED'
  )
    fail(
      ErrorCode.CUSTODY_WRONG_TARGET,
      `lot ${target.lotId} is not an accepted, not yet started lot of ${request.toMspId} starting at operation ${lot.toSeq + 1} of ${lot.workOrderId}`,
    );
  if (request.quantity > roomIn(into))
    fail(
      ErrorCode.CUSTODY_QUANTITY,
      `/quantity ${request.quantity} is more than lot ${target.lotId} still takes (${roomIn(into)} of its ${target.quantity} units)`,
    );
}

/**
 * The holder offers some or all of the lot's material to another organisation. Custody does not
 * move yet. An organisation does not offer to itself: feeding its own next lot is `handOverWithin`.
 */
export function offerHandOver(
  member: Member,
  lot: Lot,
  custody: Custody,
  into: FedLot | undefined,
  exceptionsOfLot: readonly OperationException[],
  request: OfferHandOverRequest,
  now: string,
): Custody {
  requireRole(member, 'factory', 'customer');
  if (request.toMspId === custody.holderMspId)
    fail(
      ErrorCode.CUSTODY_WRONG_TARGET,
      `lot ${lot.lotId} is already held by ${request.toMspId}${request.intoLotId === undefined ? '' : ': feed your own next lot with HandOverWithin'}`,
    );
  checkHandOver(member, lot, custody, into, exceptionsOfLot, request);
  return {
    ...custody,
    offer: {
      toMspId: request.toMspId,
      quantity: request.quantity,
      ...(request.intoLotId === undefined ? {} : { intoLotId: request.intoLotId }),
      offeredAt: now,
      offeredByMemberId: member.memberId,
    },
    updatedAt: now,
  };
}

export interface HandOverOutcome {
  custody: Custody;
  handOver: HandOver;
  /**
   * The sending lot, when the hand-over changed it: a DONE lot leaving its factory counts the units
   * it delivered, and is DELIVERED once none is left with it.
   */
  lot?: Lot;
  /** The receiver's lot the material went into, with its custody. */
  intoCustody?: Custody;
}

/**
 * The receiver confirms the count it received; custody moves only now. Material for the receiver
 * itself moves the whole custody; material that feeds a downstream lot moves by quantity, the rest
 * staying with the sender for other downstream lots. Units are conserved: what was held is what
 * stays, what was received, and the difference recorded, which must be explained.
 */
export function confirmHandOver(
  member: Member,
  lot: Lot,
  custody: Custody,
  into: FedLot | undefined,
  request: ConfirmHandOverRequest,
  now: string,
): HandOverOutcome {
  requireRole(member, 'factory', 'customer');
  const offer = custody.offer;
  if (offer === undefined)
    return fail(ErrorCode.CUSTODY_NO_OFFER, `lot ${lot.lotId} has no hand-over waiting`);
  if (member.mspId !== offer.toMspId)
    fail(
      ErrorCode.CUSTODY_NOT_RECEIVER,
      `the hand-over of lot ${lot.lotId} is offered to ${offer.toMspId}, not ${member.mspId}`,
    );
  return completeHandOver(member, lot, custody, into, request, now);
}

/**
 * An organisation feeds its own next lot, from one of its plants to another or within one: the same
 * checks as an offer, and no second party to confirm, since sender and receiver are the same
 * organisation, signing once. Recorded as a hand-over like any other, so custody is traced on
 * every path and conserved the same way.
 */
export function handOverWithin(
  member: Member,
  lot: Lot,
  custody: Custody,
  into: FedLot | undefined,
  exceptionsOfLot: readonly OperationException[],
  request: HandOverWithinRequest,
  now: string,
): HandOverOutcome {
  requireRole(member, 'factory');
  const asOffer = { ...request, toMspId: member.mspId };
  checkHandOver(member, lot, custody, into, exceptionsOfLot, asOffer);
  const offered: Custody = {
    ...custody,
    offer: {
      toMspId: member.mspId,
      quantity: request.quantity,
      intoLotId: request.intoLotId,
      offeredAt: now,
      offeredByMemberId: member.memberId,
    },
  };
  return completeHandOver(
    member,
    lot,
    offered,
    into,
    { requestId: request.requestId, lotId: lot.lotId, receivedQuantity: request.quantity },
    now,
  );
}

function completeHandOver(
  member: Member,
  lot: Lot,
  custody: Custody,
  into: FedLot | undefined,
  request: ConfirmHandOverRequest,
  now: string,
): HandOverOutcome {
  const offer = custody.offer;
  const from = custody.holderMspId;
  if (offer === undefined || from === undefined)
    return fail(ErrorCode.CORRUPT_RECORD, `lot ${lot.lotId} has an offer but no holder`);
  if (request.receivedQuantity > lot.quantity)
    fail(
      ErrorCode.CUSTODY_QUANTITY,
      `/receivedQuantity ${request.receivedQuantity} is more than lot ${lot.lotId}'s ${lot.quantity} units`,
    );
  const remaining = offer.intoLotId === undefined ? 0 : custody.quantity - offer.quantity;
  const difference = custody.quantity - remaining - request.receivedQuantity;
  if ((difference !== 0 || offer.quantity !== request.receivedQuantity) && request.note === undefined)
    fail(
      ErrorCode.CUSTODY_QUANTITY,
      `/note is required: held ${custody.quantity}, offered ${offer.quantity}, received ${request.receivedQuantity}`,
    );
  const handOver: HandOver = {
    lotId: lot.lotId,
    workOrderId: lot.workOrderId,
    seq: custody.handOvers + 1,
    fromMspId: from,
    toMspId: offer.toMspId,
    ...(offer.intoLotId === undefined ? {} : { intoLotId: offer.intoLotId }),
    heldQuantity: custody.quantity,
    offeredQuantity: offer.quantity,
    receivedQuantity: request.receivedQuantity,
    difference,
    ...(request.note === undefined ? {} : { note: request.note }),
    offeredAt: offer.offeredAt,
    offeredByMemberId: offer.offeredByMemberId,
    confirmedAt: now,
    confirmedByMemberId: member.memberId,
  };
  const base = {
    lotId: custody.lotId,
    workOrderId: custody.workOrderId,
    handOvers: handOver.seq,
    updatedAt: now,
  };
  const outcome: HandOverOutcome =
    offer.intoLotId === undefined
      ? { custody: { ...base, holderMspId: offer.toMspId, quantity: request.receivedQuantity }, handOver }
      : {
          custody:
            remaining > 0 ? { ...base, holderMspId: from, quantity: remaining } : { ...base, quantity: 0 },
          handOver,
          intoCustody: feed(into, offer.intoLotId, offer.toMspId, request.receivedQuantity, now),
        };
  if (lot.status === 'DONE' && from === lot.factoryMspId) {
    const deliveredQuantity = (lot.deliveredQuantity ?? 0) + request.receivedQuantity;
    outcome.lot =
      outcome.custody.quantity > 0 && outcome.custody.holderMspId === from
        ? { ...lot, deliveredQuantity, updatedAt: now }
        : { ...lot, status: 'DELIVERED', deliveredQuantity, deliveredAt: now, updatedAt: now };
  }
  return outcome;
}

function feed(
  into: FedLot | undefined,
  lotId: string,
  receiver: string,
  quantity: number,
  now: string,
): Custody {
  const target = into?.custody;
  if (into === undefined || target === undefined)
    return fail(ErrorCode.CORRUPT_RECORD, `lot ${lotId} has no custody record`);
  if (target.holderMspId !== undefined && target.holderMspId !== receiver)
    fail(
      ErrorCode.CUSTODY_WRONG_TARGET,
      `lot ${lotId}'s material is held by ${target.holderMspId}, not ${receiver}`,
    );
  if (target.offer !== undefined)
    fail(ErrorCode.CUSTODY_OFFER_PENDING, `lot ${lotId} has its own hand-over waiting`);
  if (into.lot.status !== 'ACCEPTED')
    fail(
      ErrorCode.CUSTODY_WRONG_TARGET,
      `lot ${lotId} is ${into.lot.status}: material joins a lot before its first operation starts`,
    );
  if (quantity > roomIn(into))
    fail(
      ErrorCode.CUSTODY_QUANTITY,
      `/receivedQuantity ${quantity} is more than lot ${lotId} still takes (${roomIn(into)} of its ${into.lot.quantity} units)`,
    );
  return { ...target, holderMspId: receiver, quantity: target.quantity + quantity, updatedAt: now };
}

/**
 * Organisations whose peers must endorse any change of a custody record: the holder, and the
 * receiver while an offer waits. This is what makes a hand-over a two-party act on the ledger
 * itself, not only in this code: the record carries it as a key-level endorsement policy, so a
 * confirmation that the holder's and the receiver's peers did not both endorse fails validation.
 */
export function custodyEndorsers(custody: Custody): string[] {
  const orgs = [custody.holderMspId, custody.offer?.toMspId].filter((o): o is string => o !== undefined);
  return [...new Set(orgs)].sort();
}
