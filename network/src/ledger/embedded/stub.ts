import { createHash } from 'node:crypto';
import type { KeySpace } from './keySpace.js';

/** A committed value and the transaction that wrote it. */
export interface StateEntry {
  value: Buffer;
  blockNumber: number;
}

export interface HistoryEntry {
  txId: string;
  timestamp: string;
  isDelete: boolean;
  value: Buffer;
}

/** What a transaction sees: committed state only (Fabric never shows a transaction its own writes). */
export interface CommittedView {
  state: KeySpace<StateEntry>;
  /** Private values by collection, on this process; who may read them is decided by the stub. */
  privateValues: Map<string, Map<string, Buffer>>;
  privateHashes: Map<string, Map<string, string>>;
  keyPolicies: Map<string, Buffer>;
  history: Map<string, HistoryEntry[]>;
}

/** Everything a transaction asked to change: the read-write set and its event. */
export interface TransactionEffects {
  writes: Map<string, Buffer | null>;
  keyPolicies: Map<string, Buffer>;
  privateWrites: Map<string, Map<string, Buffer | null>>;
  event?: { name: string; payload: Buffer };
}

export interface StubInput {
  channel: string;
  txId: string;
  timestampMs: number;
  creator: { mspId: string; certPem: string };
  /** `Contract:Transaction` then the arguments. */
  args: string[];
  transient: Map<string, Uint8Array>;
  /** Organisations on whose peers the transaction runs: private values are readable only if all are members. */
  executingOrgs: readonly string[];
}

const NS = '\u0000';
const empty = (): Uint8Array => new Uint8Array(0);
const asBuffer = (bytes: Uint8Array | string): Buffer =>
  typeof bytes === 'string' ? Buffer.from(bytes, 'utf8') : Buffer.from(bytes);

export function createCompositeKey(objectType: string, attributes: string[]): string {
  for (const part of [objectType, ...attributes]) {
    if (part.includes(NS)) throw new Error(`composite key part ${JSON.stringify(part)} contains U+0000`);
  }
  return `${NS}${objectType}${NS}${attributes.map((a) => `${a}${NS}`).join('')}`;
}

export function splitCompositeKey(key: string): { objectType: string | null; attributes: string[] } {
  if (!key.startsWith(NS) || key.length < 2) return { objectType: null, attributes: [] };
  const parts = key.slice(1).split(NS);
  parts.pop();
  const [objectType, ...attributes] = parts;
  return { objectType: objectType === undefined || objectType === '' ? null : objectType, attributes };
}

/** An iterator in fabric-shim's shape: `next()` resolves `{ value, done }`; `close()`. */
function iteratorOf<T>(items: T[]) {
  let index = 0;
  const iterator = {
    next: () => {
      const value = items[index++];
      return Promise.resolve(value === undefined ? { value: undefined, done: true } : { value, done: false });
    },
    close: () => Promise.resolve(),
  };
  return iterator;
}

/**
 * The parts of fabric-shim's ChaincodeStub that fabpool's contracts (and fabric-contract-api's
 * dispatch) use, answered from the embedded ledger's committed state. Writes are collected, not
 * applied: the ledger validates and commits them.
 */
export class EmbeddedStub {
  readonly effects: TransactionEffects = {
    writes: new Map(),
    keyPolicies: new Map(),
    privateWrites: new Map(),
  };
  /** Collections the transaction read or wrote (the gateway restricts transient data to their members). */
  readonly collectionsTouched = new Set<string>();

  constructor(
    private readonly view: CommittedView,
    private readonly input: StubInput,
  ) {}

  getChannelID(): string {
    return this.input.channel;
  }
  getTxID(): string {
    return this.input.txId;
  }
  getTxTimestamp(): { seconds: number; nanos: number } {
    return {
      seconds: Math.floor(this.input.timestampMs / 1000),
      nanos: (this.input.timestampMs % 1000) * 1_000_000,
    };
  }
  getDateTimestamp(): Date {
    return new Date(this.input.timestampMs);
  }
  getCreator(): { mspid: string; idBytes: Uint8Array } {
    return { mspid: this.input.creator.mspId, idBytes: asBuffer(this.input.creator.certPem) };
  }
  getBufferArgs(): Buffer[] {
    return this.input.args.map((a) => Buffer.from(a, 'utf8'));
  }
  getArgs(): string[] {
    return [...this.input.args];
  }
  getStringArgs(): string[] {
    return this.getArgs();
  }
  getFunctionAndParameters(): { fcn: string; params: string[] } {
    const [fcn = '', ...params] = this.input.args;
    return { fcn, params };
  }
  getTransient(): Map<string, Uint8Array> {
    return this.input.transient;
  }

  getState(key: string): Promise<Uint8Array> {
    return Promise.resolve(this.view.state.get(key)?.value ?? empty());
  }
  putState(key: string, value: Uint8Array | string): Promise<void> {
    if (key === '') return Promise.reject(new Error('key must not be empty'));
    this.effects.writes.set(key, asBuffer(value));
    return Promise.resolve();
  }
  deleteState(key: string): Promise<void> {
    this.effects.writes.set(key, null);
    return Promise.resolve();
  }
  setStateValidationParameter(key: string, policy: Uint8Array): Promise<void> {
    this.effects.keyPolicies.set(key, asBuffer(policy));
    return Promise.resolve();
  }
  getStateValidationParameter(key: string): Promise<Uint8Array> {
    return Promise.resolve(this.view.keyPolicies.get(key) ?? empty());
  }
  createCompositeKey(objectType: string, attributes: string[]): string {
    return createCompositeKey(objectType, attributes);
  }
  splitCompositeKey(key: string): { objectType: string | null; attributes: string[] } {
    return splitCompositeKey(key);
  }
  getStateByPartialCompositeKey(objectType: string, attributes: string[]) {
    const prefix = createCompositeKey(objectType, attributes);
    const items = [...this.view.state.withPrefix(prefix)].map(([key, entry]) => ({
      key,
      value: entry.value,
    }));
    return Promise.resolve(iteratorOf(items));
  }
  getStateByRange(startKey: string, endKey: string) {
    // Fabric keeps composite keys out of simple range queries.
    const items = [...this.view.state.range(startKey === '' ? '\u0001' : startKey, endKey)]
      .filter(([key]) => !key.startsWith(NS))
      .map(([key, entry]) => ({ key, value: entry.value }));
    return Promise.resolve(iteratorOf(items));
  }
  getHistoryForKey(key: string) {
    // Newest first, as Fabric's history database answers.
    const items = [...(this.view.history.get(key) ?? [])].reverse().map((h) => {
      const ms = Date.parse(h.timestamp);
      return {
        txId: h.txId,
        isDelete: h.isDelete,
        value: h.value,
        timestamp: { seconds: Math.floor(ms / 1000), nanos: (ms % 1000) * 1_000_000 },
      };
    });
    return Promise.resolve(iteratorOf(items));
  }

  getPrivateData(collection: string, key: string): Promise<Uint8Array> {
    this.collectionsTouched.add(collection);
    const org = collection.startsWith('_implicit_org_')
      ? collection.slice('_implicit_org_'.length)
      : undefined;
    // Only a member organisation's peer holds the value; elsewhere there is nothing to read.
    if (org === undefined || !this.input.executingOrgs.every((o) => o === org))
      return Promise.resolve(empty());
    return Promise.resolve(this.view.privateValues.get(collection)?.get(key) ?? empty());
  }
  getPrivateDataHash(collection: string, key: string): Promise<Uint8Array> {
    const hash = this.view.privateHashes.get(collection)?.get(key);
    return Promise.resolve(hash === undefined ? empty() : Buffer.from(hash, 'hex'));
  }
  putPrivateData(collection: string, key: string, value: Uint8Array): Promise<void> {
    this.collectionsTouched.add(collection);
    let writes = this.effects.privateWrites.get(collection);
    if (writes === undefined) {
      writes = new Map();
      this.effects.privateWrites.set(collection, writes);
    }
    writes.set(key, asBuffer(value));
    return Promise.resolve();
  }
  deletePrivateData(collection: string, key: string): Promise<void> {
    this.collectionsTouched.add(collection);
    const writes = this.effects.privateWrites.get(collection) ?? new Map<string, Buffer | null>();
    writes.set(key, null);
    this.effects.privateWrites.set(collection, writes);
    return Promise.resolve();
  }

  setEvent(name: string, payload: Uint8Array): void {
    // Fabric keeps only the last event a transaction sets.
    this.effects.event = { name, payload: asBuffer(payload) };
  }
}

export const sha256Hex = (bytes: Uint8Array | string): string =>
  createHash('sha256').update(bytes).digest('hex');
