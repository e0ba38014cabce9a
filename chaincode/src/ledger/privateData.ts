import type { Context } from 'fabric-contract-api';
import { ChaincodeError, ErrorCode } from '../model/errors.js';
import type { EventName, PoolEvent, RecordChange } from '../model/events.js';
import type { Member } from '../model/member.js';
import type { RequestBase } from '../model/requests.js';
import type { Parser } from '../model/validation.js';
import { digestOf, marshal } from '../model/marshal.js';
import { activeCaller } from './poolTransaction.js';
import { RecordStore } from './records.js';
import { txInstant } from './time.js';

/**
 * Private records live in each organisation's implicit collection (`_implicit_org_<MSP>`): Fabric
 * keeps one per organisation without any collection configuration, stores its values only on that
 * organisation's peers, puts only their SHA-256 on the ledger, and requires that organisation's
 * peers to endorse writes to it.
 */
export const collectionOf = (mspId: string): string => `_implicit_org_${mspId}`;

export const PRIVATE_KEY = { processParameters: 'params', sealedBid: 'sealedbid' } as const;

const hex = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex');

export class PrivateStore {
  constructor(private readonly ctx: Context) {}

  key(objectType: string, parts: string[]): string {
    return this.ctx.stub.createCompositeKey(objectType, parts);
  }

  /** The value, on a peer of the collection's organisation; undefined elsewhere or when absent. */
  async get<T>(
    mspId: string,
    objectType: string,
    parts: string[],
    parser: Parser<T>,
  ): Promise<T | undefined> {
    const bytes = await this.ctx.stub.getPrivateData(collectionOf(mspId), this.key(objectType, parts));
    if (bytes.length === 0) return undefined;
    return parser.fromJson(Buffer.from(bytes).toString('utf8'));
  }

  /** The public SHA-256 of a private value, readable on every peer of the channel. */
  async hash(mspId: string, objectType: string, parts: string[]): Promise<string | undefined> {
    const bytes = await this.ctx.stub.getPrivateDataHash(collectionOf(mspId), this.key(objectType, parts));
    return bytes.length === 0 ? undefined : hex(bytes);
  }
}

/** What a private transaction body works with. */
export interface PrivateTx {
  actor: Member;
  now: string;
  store: RecordStore;
  privateStore: PrivateStore;
  /** A value sent as transient data (never in the request, which the ledger keeps in the clear). */
  transient<T>(name: string, parser: Parser<T>): T;
  /** Writes a private value; the event carries only its collection and hash. */
  putPrivate(mspId: string, objectType: string, parts: string[], value: unknown): Promise<string>;
}

/**
 * The one path of transactions that write private data only. They write no public state, so the
 * only endorsement they need is the collection's organisation's (Fabric checks the collection's
 * policy for private writes and the chaincode's for public ones), and the gateway sends the
 * transient data to that organisation's peers alone. Without a public write there is no request
 * receipt: a retry rewrites the same value, which changes nothing.
 */
export async function privateTransaction<R extends RequestBase>(
  ctx: Context,
  parser: Parser<R>,
  requestJson: string,
  eventName: EventName,
  body: (tx: PrivateTx, request: R) => Promise<unknown>,
): Promise<string> {
  const request = parser.fromJson(requestJson);
  const actor = await activeCaller(ctx);
  const privateStore = new PrivateStore(ctx);
  const changes: RecordChange[] = [];
  const tx: PrivateTx = {
    actor,
    now: txInstant(ctx),
    store: new RecordStore(ctx),
    privateStore,
    transient: (name, transientParser) => {
      const bytes = ctx.stub.getTransient().get(name);
      if (bytes === undefined || bytes.length === 0)
        throw new ChaincodeError(ErrorCode.TRANSIENT_MISSING, `send ${name} as transient data`);
      return transientParser.fromJson(Buffer.from(bytes).toString('utf8'));
    },
    putPrivate: async (mspId, objectType, parts, value) => {
      const collection = collectionOf(mspId);
      await ctx.stub.putPrivateData(collection, privateStore.key(objectType, parts), marshal(value));
      const hash = digestOf(value);
      changes.push({
        kind: 'PrivateDataHash',
        id: [collection, objectType, ...parts].join('/'),
        record: { collection, hash },
      });
      return hash;
    },
  };
  const response = JSON.stringify(await body(tx, request));
  const event: PoolEvent = {
    type: eventName,
    requestId: request.requestId,
    actorMemberId: actor.memberId,
    at: tx.now,
    changes,
  };
  ctx.stub.setEvent(eventName, marshal(event));
  return response;
}
