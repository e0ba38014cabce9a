import type { Custody, HandOver } from '../model/custody.js';
import { ChaincodeError, ErrorCode } from '../model/errors.js';
import type { Lot } from '../model/lot.js';
import type { Member } from '../model/member.js';
import type { OperationException } from '../model/progress.js';
import type { ConfirmHandOverRequest, OfferHandOverRequest } from '../model/requests.js';
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

/**
 * The holder offers the lot's material to another organisation. Custody does not move yet. When the
 * material feeds the receiver's own lot of the next operations (`intoLotId`), that lot is checked
 * to be the one the receiver will work on, and an open exception on this lot freezes it.
 */
export function offerHandOver(
  member: Member,
  lot: Lot,
  custody: Custody,
  intoLot: Lot | undefined,
  exceptionsOfLot: readonly OperationException[],
  request: OfferHandOverRequest,
  now: string,
): Custody {
  requireRole(member, 'factory', 'customer');
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
  if (request.toMspId === custody.holderMspId)
    fail(ErrorCode.CUSTODY_WRONG_TARGET, `lot ${lot.lotId} is already held by ${request.toMspId}`);
  if (request.quantity > custody.quantity)
    fail(
      ErrorCode.CUSTODY_QUANTITY,
      `/quantity ${request.quantity} is more than the ${custody.quantity} units held for lot ${lot.lotId}`,
    );
  if (request.intoLotId !== undefined) {
    const target = intoLot;
    if (target === undefined) return fail(ErrorCode.LOT_NOT_FOUND, `no lot ${request.intoLotId}`);
    if (lot.status !== 'DONE')
      fail(
        ErrorCode.LOT_WRONG_STATUS,
        `lot ${lot.lotId} is ${lot.status}: only a DONE lot feeds the next one`,
      );
    // The next operation is frozen while an exception is open, also when another lot holds it.
    const open = exceptionsOfLot.find((e) => e.status === 'OPEN');
    if (open !== undefined)
      fail(
        ErrorCode.OPERATION_FROZEN,
        `lot ${lot.lotId} has an open exception on operation ${open.seq}: close it before its material feeds operation ${lot.toSeq + 1}`,
      );
    if (
      target.workOrderId !== lot.workOrderId ||
      target.fromSeq !== lot.toSeq + 1 ||
      target.factoryMspId !== request.toMspId ||
      !['ACCEPTED', 'IN_PROGRESS'].includes(target.status)
    )
      fail(
        ErrorCode.CUSTODY_WRONG_TARGET,
        `lot ${target.lotId} is not an accepted lot of ${request.toMspId} starting at operation ${lot.toSeq + 1} of ${lot.workOrderId}`,
      );
  }
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
  /** The lot, when the confirmation is its delivery (a DONE lot leaving its factory). */
  deliveredLot?: Lot;
  /** The receiver's lot the material went into, with its custody. */
  intoCustody?: Custody;
}

/**
 * The receiver confirms the count it received; custody moves only now. Every difference between
 * what was held, offered and received stays in the hand-over record, and a difference must be
 * explained. Material handed into the next lot leaves this lot's custody empty.
 */
export function confirmHandOver(
  member: Member,
  lot: Lot,
  custody: Custody,
  intoCustody: Custody | undefined,
  request: ConfirmHandOverRequest,
  now: string,
): HandOverOutcome {
  requireRole(member, 'factory', 'customer');
  const offer = custody.offer;
  if (offer === undefined)
    return fail(ErrorCode.CUSTODY_NO_OFFER, `lot ${lot.lotId} has no hand-over waiting`);
  const from = custody.holderMspId;
  if (from === undefined)
    return fail(ErrorCode.CORRUPT_RECORD, `lot ${lot.lotId} has an offer but no holder`);
  if (member.mspId !== offer.toMspId)
    fail(
      ErrorCode.CUSTODY_NOT_RECEIVER,
      `the hand-over of lot ${lot.lotId} is offered to ${offer.toMspId}, not ${member.mspId}`,
    );
  if (request.receivedQuantity > lot.quantity)
    fail(
      ErrorCode.CUSTODY_QUANTITY,
      `/receivedQuantity ${request.receivedQuantity} is more than lot ${lot.lotId}'s ${lot.quantity} units`,
    );
  const difference = custody.quantity - request.receivedQuantity;
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
          custody: { ...base, quantity: 0 },
          handOver,
          intoCustody: feed(intoCustody, offer.intoLotId, offer.toMspId, request.receivedQuantity, now),
        };
  if (lot.status === 'DONE' && from === lot.factoryMspId) {
    outcome.deliveredLot = {
      ...lot,
      status: 'DELIVERED',
      deliveredQuantity: request.receivedQuantity,
      deliveredAt: now,
      updatedAt: now,
    };
  }
  return outcome;
}

function feed(
  target: Custody | undefined,
  lotId: string,
  receiver: string,
  quantity: number,
  now: string,
): Custody {
  if (target === undefined) return fail(ErrorCode.CORRUPT_RECORD, `lot ${lotId} has no custody record`);
  if (target.holderMspId !== undefined && target.holderMspId !== receiver)
    fail(
      ErrorCode.CUSTODY_WRONG_TARGET,
      `lot ${lotId}'s material is held by ${target.holderMspId}, not ${receiver}`,
    );
  if (target.offer !== undefined)
    fail(ErrorCode.CUSTODY_OFFER_PENDING, `lot ${lotId} has its own hand-over waiting`);
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
