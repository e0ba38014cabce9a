import type { Amendment, AmendmentConsent, Change } from '../model/amendment.js';
import { ChaincodeError, ErrorCode } from '../model/errors.js';
import type { Lot, LotStatus } from '../model/lot.js';
import type { Member } from '../model/member.js';
import type { AmendWorkOrderRequest, AnswerAmendmentRequest } from '../model/requests.js';
import type { WorkOrder } from '../model/workOrder.js';
import { requireRole } from './access.js';

const fail = (code: ErrorCode, message: string): never => {
  throw new ChaincodeError(code, message);
};

/** Lots whose units are in work: an amendment cannot take them back. */
const STARTED: readonly LotStatus[] = ['IN_PROGRESS', 'DONE', 'DELIVERED', 'SETTLED'];

export interface AmendmentOutcome {
  amendment: Amendment;
  workOrder: WorkOrder;
  /** Lots released by it (no longer holding capacity): the matcher plans the order again. */
  releasedLots: Lot[];
}

/** Units of lots in the given statuses that go through operation `seq`. */
const unitsAt = (lots: readonly Lot[], seq: number, statuses: readonly LotStatus[]): number =>
  lots
    .filter((l) => statuses.includes(l.status) && l.fromSeq <= seq && seq <= l.toSeq)
    .reduce((sum, l) => sum + l.quantity, 0);

const released = (lots: readonly Lot[], now: string): Lot[] =>
  lots.map((l): Lot => ({ ...l, status: 'REASSIGNED', updatedAt: now }));

/** The order without its waiting amendment: free to be amended again. */
function unlocked(workOrder: WorkOrder): WorkOrder {
  const copy = { ...workOrder };
  delete copy.pendingAmendment;
  return copy;
}

/** The order as the amendment leaves it. */
function applied(workOrder: WorkOrder, amendment: Amendment, now: string): WorkOrder {
  return {
    ...unlocked(workOrder),
    ...(amendment.quantity === undefined ? {} : { quantity: amendment.quantity.to }),
    ...(amendment.dueBucket === undefined ? {} : { dueBucket: amendment.dueBucket.to }),
    ...(amendment.priority === undefined ? {} : { priority: amendment.priority.to }),
    updatedAt: now,
  };
}

/** No fewer units than are already in work, at any operation. */
function checkInWork(workOrder: WorkOrder, lots: readonly Lot[], quantity: number): void {
  for (const op of workOrder.routing) {
    const inWork = unitsAt(lots, op.seq, STARTED);
    if (quantity < inWork)
      fail(
        ErrorCode.AMENDMENT_INVALID,
        `/quantity ${quantity} is fewer than the ${inWork} units already in work at operation ${op.seq}`,
      );
  }
}

const changeOf = <T>(from: T, to: T | undefined): Change<T> | undefined =>
  to === undefined || to === from ? undefined : { from, to };

/**
 * The customer amends its open order: fewer units (a partial cancel), another due shift, another
 * priority. Lots not accepted yet are released at once. If fewer units than the accepted lots hold
 * at some operation, those accepted lots are touched; if the due shift comes earlier, every factory
 * with an accepted or started lot sees its lateness change: either way the amendment waits for each
 * such factory's consent, and applies when all have given it.
 */
export function amendWorkOrder(
  member: Member,
  workOrder: WorkOrder,
  lots: readonly Lot[],
  request: AmendWorkOrderRequest,
  now: string,
): AmendmentOutcome {
  if (workOrder.customerMemberId !== member.memberId)
    fail(ErrorCode.NOT_OWNER, `only the customer who published ${workOrder.workOrderId} may amend it`);
  if (workOrder.status !== 'OPEN')
    fail(ErrorCode.WORK_ORDER_CLOSED, `work order ${workOrder.workOrderId} is ${workOrder.status}`);
  if (workOrder.pendingAmendment !== undefined)
    fail(
      ErrorCode.AMENDMENT_PENDING,
      `amendment ${workOrder.pendingAmendment} of ${workOrder.workOrderId} still waits for factories' consent`,
    );
  const quantity = changeOf(workOrder.quantity, request.quantity);
  const dueBucket = changeOf(workOrder.dueBucket, request.dueBucket);
  const priority = changeOf(workOrder.priority, request.priority);
  if (quantity === undefined && dueBucket === undefined && priority === undefined)
    return fail(ErrorCode.AMENDMENT_INVALID, `the amendment changes nothing of ${workOrder.workOrderId}`);
  if (quantity !== undefined) {
    if (quantity.to > quantity.from)
      fail(
        ErrorCode.AMENDMENT_INVALID,
        `/quantity ${quantity.to} is more than the ${quantity.from} ordered: publish another order for more`,
      );
    checkInWork(workOrder, lots, quantity.to);
  }
  const touched =
    quantity === undefined
      ? []
      : workOrder.routing.flatMap((op) =>
          unitsAt(lots, op.seq, ['ACCEPTED', ...STARTED]) > quantity.to
            ? lots.filter((l) => l.status === 'ACCEPTED' && l.fromSeq <= op.seq && op.seq <= l.toSeq)
            : [],
        );
  const touchedLotIds = [...new Set(touched.map((l) => l.lotId))].sort();
  const lateness =
    dueBucket !== undefined && Date.parse(dueBucket.to) < Date.parse(dueBucket.from)
      ? lots.filter((l) => l.status === 'ACCEPTED' || STARTED.includes(l.status))
      : [];
  const consentOf = [...new Set([...touched, ...lateness].map((l) => l.factoryMspId))].sort();
  const seq = (workOrder.amendments ?? 0) + 1;
  const releasedLots = released(
    lots.filter((l) => l.status === 'ASSIGNED'),
    now,
  );
  const amendment: Amendment = {
    workOrderId: workOrder.workOrderId,
    seq,
    ...(quantity === undefined ? {} : { quantity }),
    ...(dueBucket === undefined ? {} : { dueBucket }),
    ...(priority === undefined ? {} : { priority }),
    ...(request.reason === undefined ? {} : { reason: request.reason }),
    status: consentOf.length === 0 ? 'APPLIED' : 'AWAITING_CONSENT',
    requestedAt: now,
    requestedByMemberId: member.memberId,
    consentOf,
    consents: [],
    touchedLotIds,
    releasedLotIds: releasedLots.map((l) => l.lotId),
    ...(consentOf.length === 0 ? { appliedAt: now } : {}),
  };
  const counted = { ...workOrder, amendments: seq, updatedAt: now };
  return {
    amendment,
    workOrder:
      consentOf.length === 0 ? applied(counted, amendment, now) : { ...counted, pendingAmendment: seq },
    releasedLots,
  };
}

/**
 * A factory whose accepted lots an amendment touches answers it. One refusal declines it (the order
 * stays as it was); the last consent applies it: the touched lots still accepted are released,
 * with any lot placed meanwhile and not yet accepted, and the matcher plans the order again.
 */
export function answerAmendment(
  member: Member,
  workOrder: WorkOrder,
  amendment: Amendment | undefined,
  lots: readonly Lot[],
  request: AnswerAmendmentRequest,
  now: string,
): AmendmentOutcome {
  requireRole(member, 'factory');
  if (amendment === undefined)
    return fail(ErrorCode.AMENDMENT_NOT_ASKED, `${workOrder.workOrderId} has no amendment ${request.seq}`);
  if (
    amendment.status !== 'AWAITING_CONSENT' ||
    !amendment.consentOf.includes(member.mspId) ||
    amendment.consents.some((c) => c.mspId === member.mspId)
  )
    fail(
      ErrorCode.AMENDMENT_NOT_ASKED,
      `amendment ${amendment.seq} of ${workOrder.workOrderId} does not wait for ${member.mspId}'s answer (${amendment.status})`,
    );
  const answer: AmendmentConsent = {
    mspId: member.mspId,
    consent: request.consent,
    ...(request.note === undefined ? {} : { note: request.note }),
    at: now,
    byMemberId: member.memberId,
  };
  const answered = { ...amendment, consents: [...amendment.consents, answer] };
  if (!request.consent)
    return {
      amendment: { ...answered, status: 'DECLINED' },
      workOrder: { ...unlocked(workOrder), updatedAt: now },
      releasedLots: [],
    };
  if (answered.consents.length < answered.consentOf.length)
    return { amendment: answered, workOrder, releasedLots: [] };
  if (answered.quantity !== undefined) checkInWork(workOrder, lots, answered.quantity.to);
  const releasedLots = released(
    lots.filter(
      (l) => l.status === 'ASSIGNED' || (l.status === 'ACCEPTED' && answered.touchedLotIds.includes(l.lotId)),
    ),
    now,
  );
  return {
    amendment: {
      ...answered,
      status: 'APPLIED',
      appliedAt: now,
      releasedLotIds: [...answered.releasedLotIds, ...releasedLots.map((l) => l.lotId)],
    },
    workOrder: applied(workOrder, answered, now),
    releasedLots,
  };
}
