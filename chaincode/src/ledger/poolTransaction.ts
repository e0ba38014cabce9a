import type { Context } from 'fabric-contract-api';
import { callerOf } from '../auth/caller.js';
import { ChaincodeError, ErrorCode } from '../model/errors.js';
import type { EventName, PoolEvent, RecordChange } from '../model/events.js';
import { memberIdOf, type Member } from '../model/member.js';
import { requestBaseParser, type RequestBase } from '../model/requests.js';
import type { Parser } from '../model/validation.js';
import { requireActiveMember } from '../rules/access.js';
import { digestOf, marshal } from '../model/marshal.js';
import { MemberStore } from './memberStore.js';
import type { Lot } from '../model/lot.js';
import type { WorkOrder } from '../model/workOrder.js';
import { LOT, RecordStore, WORK_ORDER, type RecordSpec } from './records.js';
import { txInstant } from './time.js';

/** What a pool transaction body works with: who acts, when, and a store that records every write for the event. */
export interface PoolTx {
  actor: Member;
  now: string;
  store: RecordStore;
  /**
   * Writes a record and announces it in the transaction's event. `announced` replaces what the
   * event carries, for a record too large to send to every read model (a run's input: its hash
   * and size, the content stays on the ledger).
   */
  write<T>(spec: RecordSpec<T>, record: T, announced?: unknown): Promise<void>;
}

const REQUEST_KEY = 'request';

interface RequestReceipt {
  txId: string;
  response: string;
  /** SHA-256 of the request as committed (absent on receipts written before it was kept). */
  requestDigest?: string;
}

/** What a caller's request id has done so far: nothing yet, or committed with its first answer. */
export type RequestStatus =
  { status: 'NEW' } | { status: 'COMMITTED'; transactionId: string; response: string };

/**
 * The receipt of the caller's request id, checked against the request now sent: a request id
 * names one request, and the same id with another body is refused (REQUEST.ID_REUSED) rather
 * than answered with the first request's result.
 */
async function receiptOf(ctx: Context, store: RecordStore, actor: Member, request: RequestBase) {
  const key = store.key(REQUEST_KEY, [actor.memberId, request.requestId]);
  const bytes = await ctx.stub.getState(key);
  const digest = digestOf(request);
  if (bytes.length === 0) return { key, digest, receipt: undefined };
  const receipt = JSON.parse(Buffer.from(bytes).toString('utf8')) as RequestReceipt;
  if (receipt.requestDigest !== undefined && receipt.requestDigest !== digest)
    throw new ChaincodeError(
      ErrorCode.REQUEST_ID_REUSED,
      `requestId ${request.requestId} was already used for another request (transaction ${receipt.txId}); use a new requestId for a new request`,
    );
  return { key, digest, receipt };
}

/**
 * Read-only: whether the caller's request was committed already, and its first answer. A client
 * asks before it submits a retry, so a retry adds no block to the ledger.
 */
export async function requestStatus(ctx: Context, requestJson: string): Promise<RequestStatus> {
  const request = requestBaseParser.fromJson(requestJson);
  const actor = await activeCaller(ctx);
  const { receipt } = await receiptOf(ctx, new RecordStore(ctx), actor, request);
  return receipt === undefined
    ? { status: 'NEW' }
    : { status: 'COMMITTED', transactionId: receipt.txId, response: receipt.response };
}

/** The caller's own record in the member registry, which must be active. */
export async function activeCaller(ctx: Context): Promise<Member> {
  const caller = callerOf(ctx);
  return requireActiveMember(
    caller,
    await new MemberStore(ctx).get(memberIdOf(caller.mspId, caller.clientId)),
  );
}

/**
 * The one path of every state-changing pool transaction: validate the request against its schema,
 * identify the caller as an active member, answer a repeated requestId with the first answer and
 * no change, run the body, and emit one event listing every record written.
 */
export async function poolTransaction<R extends RequestBase>(
  ctx: Context,
  parser: Parser<R>,
  requestJson: string,
  eventName: EventName,
  body: (tx: PoolTx, request: R) => Promise<unknown>,
): Promise<string> {
  const request = parser.fromJson(requestJson);
  const actor = await activeCaller(ctx);
  const store = new RecordStore(ctx);
  const { key: receiptKey, digest, receipt } = await receiptOf(ctx, store, actor, request);
  // A retry of a request that already committed: same answer, nothing written, no event.
  if (receipt !== undefined) return receipt.response;
  const now = txInstant(ctx);
  const changes: RecordChange[] = [];
  const tx: PoolTx = {
    actor,
    now,
    store,
    write: async (spec, record, announced) => {
      await store.put(spec, record);
      changes.push({ kind: spec.kind, id: spec.keyParts(record).join('/'), record: announced ?? record });
    },
  };
  const response = JSON.stringify(await body(tx, request));
  if (changes.length === 0)
    throw new ChaincodeError(ErrorCode.INVALID_ARGUMENT, 'the request changes nothing');
  const receiptValue: RequestReceipt = { txId: ctx.stub.getTxID(), response, requestDigest: digest };
  await ctx.stub.putState(receiptKey, marshal(receiptValue));
  const event: PoolEvent = {
    type: eventName,
    requestId: request.requestId,
    actorMemberId: actor.memberId,
    at: now,
    changes,
  };
  ctx.stub.setEvent(eventName, marshal(event));
  return response;
}

export async function getOrFail<T>(
  store: RecordStore,
  spec: RecordSpec<T>,
  parts: string[],
  code: ErrorCode,
): Promise<T> {
  const record = await store.get(spec, parts);
  if (record === undefined) throw new ChaincodeError(code, `no ${spec.kind} ${parts.join('/')}`);
  return record;
}

/** The work order a request names; WORK_ORDER.NOT_FOUND when there is none. */
export function workOrderOf(store: RecordStore, workOrderId: string): Promise<WorkOrder> {
  return getOrFail(store, WORK_ORDER, [workOrderId], ErrorCode.WORK_ORDER_NOT_FOUND);
}

/** The lot a request names; LOT.NOT_FOUND when there is none. */
export function lotOf(store: RecordStore, lotId: string): Promise<Lot> {
  return getOrFail(store, LOT, [lotId], ErrorCode.LOT_NOT_FOUND);
}
