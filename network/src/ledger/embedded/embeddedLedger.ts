import { EventEmitter } from 'node:events';
import { randomBytes, X509Certificate } from 'node:crypto';
import { mkdir } from 'node:fs/promises';
import { exists } from '../../files.js';
import { dirname, join } from 'node:path';
import { ErrorCode, findErrorCode, memberIdOf } from '@fabpool/chaincode/model';
import { buildTopology, CHANNEL_ID, defaultTopologyOptions, type Topology } from '../../topology.js';
import {
  LedgerError,
  type Checkpoint,
  type Committed,
  type EventStream,
  type Ledger,
  type LedgerEvent,
  type LedgerMember,
  type SubmitOptions,
  type VerifyReport,
} from '../ledger.js';
import {
  BlockFile,
  GENESIS_PREVIOUS_HASH,
  newBlock,
  verifyChain,
  type StoredBlock,
  type StoredPrivateValue,
  type StoredTransaction,
} from './blockStore.js';
import {
  ensureNodeIdentities,
  identitiesMismatch,
  loadOrCreateIdentities,
  type EmbeddedIdentity,
  type IdentityFile,
} from './identities.js';
import { KeySpace } from './keySpace.js';
import { loadChaincode, type Chaincode, type KeyEndorsementPolicyClass } from './shimAdapter.js';
import { endorsementFailure, implicitCollectionOrg } from './policy.js';
import { signBlock, signTransaction, verifySignatures, type NodeIdentities } from './signatures.js';
import { EmbeddedStub, sha256Hex, type CommittedView, type StateEntry } from './stub.js';
import { signConfigUpdate } from '../../identity/configSignature.js';
import { proposerOf } from '../../memberRegistration.js';

export interface EmbeddedLedgerOptions {
  /** Where the ledger file and the identities live; created on first use. */
  dir: string;
  topology?: Topology;
  log?: (line: string) => void;
  /**
   * The submitting clients' clock, which stamps each transaction's time (on Fabric a transaction's
   * time is its client's proposal's too). The system clock unless a simulation or a test moves it.
   */
  clock?: () => number;
  /**
   * Reads an existing ledger without ever writing to it, beside the process that runs it (an
   * auditor's replay): nothing is created or repaired, and every submit is refused.
   */
  readOnly?: boolean;
}

interface Executed {
  block: StoredBlock;
  privateValues: StoredPrivateValue[];
  payload: Uint8Array;
}

/** How often a ledger whose disk refused a write tries to read its file back and go on. */
const RELOAD_EVERY_MS = 2_000;

/**
 * The embedded, in-process ledger: the real contracts of `chaincode/` run through
 * fabric-contract-api's dispatch against a stub of Fabric's chaincode API; transactions run one
 * at a time, each committed in its own block, hash-linked and appended to one file before it is
 * acknowledged. Endorsement policies (the chaincode's majority, key-level policies, implicit
 * collections) are checked at validation the way a Fabric peer checks them.
 */
export class EmbeddedLedger implements Ledger {
  readonly engine = 'embedded' as const;
  private readonly emitter = new EventEmitter();
  private readonly state = new KeySpace<StateEntry>();
  private readonly view: CommittedView;
  private readonly blocks: StoredBlock[] = [];
  private durableHeight = 0;
  /** The channel's peers and orderer, which sign every transaction and block from `signedFrom`. */
  private nodes!: NodeIdentities;
  /** Where the last verify that held stopped: the next one reads the file from there. */
  private verified:
    { height: number; previousHash: string; offset: number; keyPolicies: Map<string, string[]> } | undefined;
  private queue: Promise<unknown> = Promise.resolve();
  private closed = false;
  private readonly checkedCreators = new Set<string>();
  private lastReload = 0;

  private constructor(
    private file: BlockFile,
    private readonly identities: IdentityFile,
    private readonly channelOrgs: string[],
    private readonly loaded: { chaincode: Chaincode; KeyEndorsementPolicy: KeyEndorsementPolicyClass },
    private readonly clock: () => number,
  ) {
    this.view = {
      state: this.state,
      privateValues: new Map(),
      privateHashes: new Map(),
      keyPolicies: new Map(),
      history: new Map(),
    };
    this.emitter.setMaxListeners(0);
  }

  /** Opens the ledger in `dir`, replaying its blocks; a new ledger gets a genesis block and the member registry. */
  static async open(options: EmbeddedLedgerOptions): Promise<EmbeddedLedger> {
    const topology = options.topology ?? buildTopology(defaultTopologyOptions());
    const path = join(options.dir, 'ledger.jsonl');
    if (options.readOnly === true && !(await exists(path)))
      throw new Error(`no embedded ledger in ${options.dir} (start fabpool first: npm start)`);
    await mkdir(options.dir, { recursive: true });
    const identities = await loadOrCreateIdentities(join(options.dir, 'identities.json'), topology);
    const mismatch = identitiesMismatch(identities, topology);
    if (mismatch !== undefined)
      throw new Error(
        `the embedded ledger in ${options.dir} was made by an earlier fabpool whose organisations differ: ${mismatch}. ` +
          `Its history is signed by those organisations and cannot be moved; to start a new demo ledger, move away the directory that holds it (mv ${dirname(options.dir)} ${dirname(options.dir)}.old: the read model projected from it goes with it) and start again`,
      );
    const { file, blocks, privateValues } = await BlockFile.open(path, {
      readOnly: options.readOnly === true,
    });
    const channelOrgs = blocks[0]?.channelOrgs ?? topology.peerOrgs.map((o) => o.mspId);
    const ledger = new EmbeddedLedger(
      file,
      identities,
      channelOrgs,
      loadChaincode(),
      options.clock ?? (() => Date.now()),
    );
    ledger.replay(blocks, privateValues);
    ledger.nodes = await ensureNodeIdentities(
      join(options.dir, 'identities.json'),
      identities,
      channelOrgs,
      blocks.length,
      options.readOnly !== true,
    );
    if (blocks.length === 0) {
      const genesis = newBlock(0, GENESIS_PREVIOUS_HASH, [], channelOrgs);
      await ledger.file.append(genesis, []);
      ledger.blocks.push(genesis);
      ledger.durableHeight = 1;
      await ledger.registerMembers(options.log ?? (() => undefined));
    }
    return ledger;
  }

  members(): LedgerMember[] {
    return this.identities.members.map(({ name, mspId, role, displayName, clientId }) => ({
      name,
      mspId,
      role,
      displayName,
      clientId,
    }));
  }

  signConfigUpdate(member: string, configUpdate: Uint8Array): Promise<Uint8Array> {
    const { mspId, certPem, keyPem } = this.identity(member);
    return Promise.resolve(
      signConfigUpdate({ mspId, certificatePem: certPem, privateKeyPem: keyPem }, configUpdate),
    );
  }

  /** The identity (certificate and key) of a member, for signing outside the ledger (tests, tools). */
  identity(name: string): EmbeddedIdentity {
    const identity = [...this.identities.members, ...this.identities.outsiders].find((m) => m.name === name);
    if (identity === undefined)
      throw new LedgerError('UNAVAILABLE', `no identity named ${name} on the embedded ledger`);
    return identity;
  }

  /**
   * After its file refused a write (a full disk), the state in memory may be ahead of what is on
   * disk: read the file again — exactly what was acknowledged — and take writes again, so a disk
   * that has space again needs no restart. At most once every 2 s while the disk stays full; the
   * calls in between are refused.
   */
  private async reloadAfterFailedWrite(): Promise<void> {
    if (this.file.broken === undefined || Date.now() - this.lastReload < RELOAD_EVERY_MS) return;
    this.lastReload = Date.now();
    await this.file.close().catch(() => undefined);
    const { file, blocks, privateValues } = await BlockFile.open(this.file.path);
    this.file = file;
    this.state.clear();
    this.view.privateValues.clear();
    this.view.privateHashes.clear();
    this.view.keyPolicies.clear();
    this.view.history.clear();
    this.blocks.length = 0;
    this.replay(blocks, privateValues);
  }

  /** Refuses a call while the ledger's file refuses writes and its state has not been read back. */
  private requireWritable(): void {
    const broken = this.file.broken;
    if (broken !== undefined)
      throw new LedgerError(
        'UNAVAILABLE',
        `the embedded ledger could not write to ${this.file.path} (${(broken as NodeJS.ErrnoException).code ?? broken.message}): nothing after its last acknowledged transaction was kept; it takes writes again once there is space (it tries every ${String(RELOAD_EVERY_MS / 1000)} s)`,
      );
  }

  async submit(
    member: string,
    contract: string,
    transaction: string,
    args: string[],
    options: SubmitOptions = {},
  ): Promise<Committed> {
    // Blocks are queued for the file inside the serial section, so they reach it in order; the
    // wait for the disk happens outside it, so the next transaction runs meanwhile.
    if (this.file.readOnly)
      throw new LedgerError('UNAVAILABLE', `the embedded ledger in ${this.file.path} is open read-only here`);
    const { executed, durable } = await this.serial(async () => {
      await this.reloadAfterFailedWrite();
      this.requireWritable();
      const result = await this.execute(member, `${contract}:${transaction}`, args, options);
      return { executed: result, durable: this.file.append(result.block, result.privateValues) };
    });
    try {
      await durable;
    } catch {
      this.requireWritable();
    }
    this.markDurable(executed.block.number);
    const tx = executed.block.transactions[0];
    if (tx === undefined) throw new LedgerError('COMMIT', 'empty block');
    if (tx.validationCode !== 'VALID')
      throw new LedgerError(
        'COMMIT',
        `transaction ${tx.txId} failed to commit with status code ${tx.validationCode}`,
        tx.validationCode,
      );
    return { payload: executed.payload, transactionId: tx.txId, blockNumber: executed.block.number };
  }

  async evaluate(member: string, contract: string, transaction: string, args: string[]): Promise<Uint8Array> {
    return this.serial(async () => {
      // Its state in memory may hold blocks the disk refused: read back what the disk holds first.
      await this.reloadAfterFailedWrite();
      this.requireWritable();
      const identity = this.creator(member);
      const stub = this.stub(identity, `${contract}:${transaction}`, args, new Map(), [identity.mspId]);
      return this.invoke(stub);
    });
  }

  events(options: { after?: Checkpoint } = {}): EventStream {
    // An object, not a let: the generator reads what close() sets from outside it.
    const stream = { closed: false };
    let wake: (() => void) | undefined;
    const onDurable = (): void => wake?.();
    this.emitter.on('durable', onDurable);
    const close = (): void => {
      stream.closed = true;
      this.emitter.off('durable', onDurable);
      wake?.();
    };
    const blocks = this.blocks;
    const height = (): number => this.durableHeight;
    const isClosed = (): boolean => stream.closed;
    async function* generate(): AsyncGenerator<LedgerEvent> {
      let next = options.after?.blockNumber ?? 0;
      let skipThrough = options.after?.transactionId;
      try {
        while (!isClosed()) {
          while (next < height() && !isClosed()) {
            const block = blocks[next];
            if (block === undefined) break;
            const passed =
              skipThrough === undefined || !block.transactions.some((t) => t.txId === skipThrough);
            let skipping = !passed;
            for (const tx of block.transactions) {
              if (skipping) {
                if (tx.txId === skipThrough) skipping = false;
                continue;
              }
              if (tx.validationCode !== 'VALID' || tx.event === undefined) continue;
              yield {
                blockNumber: block.number,
                transactionId: tx.txId,
                name: tx.event.name,
                payload: Buffer.from(tx.event.payload, 'base64'),
              };
            }
            skipThrough = undefined;
            next += 1;
          }
          if (isClosed()) return;
          await new Promise<void>((resolve) => {
            wake = resolve;
            if (next < height() || isClosed()) resolve();
          });
        }
      } finally {
        close();
      }
    }
    const iterator = generate();
    return { [Symbol.asyncIterator]: () => iterator, close };
  }

  height(): Promise<number> {
    return Promise.resolve(this.durableHeight);
  }

  block(number: number): StoredBlock | undefined {
    return number < this.durableHeight ? this.blocks[number] : undefined;
  }

  /** Reads the ledger file again and recomputes every hash and link; reports the first broken one. */
  /**
   * Reads the ledger file again from where the last check that held stopped (the whole file the
   * first time) and re-checks it: every hash and link, every private value against its block, and
   * every signature (orderer, creator, endorsers) with the endorsement policy (signatures.ts).
   */
  async verify(): Promise<VerifyReport> {
    await this.serial(() => Promise.resolve());
    await this.file.drain();
    const from = this.verified ?? {
      height: 0,
      previousHash: GENESIS_PREVIOUS_HASH,
      offset: 0,
      keyPolicies: new Map<string, string[]>(),
    };
    const { blocks, privateValues, end } = await BlockFile.readFrom(this.file.path, from.offset);
    const chain = verifyChain(blocks, privateValues, from);
    const scope = { checkedFrom: from.height };
    if (!chain.ok) return { ...chain, ...scope, signaturesChecked: 0 };
    const keyPolicies = new Map(from.keyPolicies);
    const members = new Map(this.identities.members.map((m) => [`${m.mspId}\u0000${m.clientId}`, m.certPem]));
    const checked = verifySignatures(
      blocks,
      {
        cas: this.identities.cas,
        certificateOf: (mspId, clientId) => members.get(`${mspId}\u0000${clientId}`),
        nodes: this.nodes,
        channelOrgs: this.channelOrgs,
      },
      keyPolicies,
    );
    const height = from.height + blocks.length;
    if (checked.failure !== undefined)
      return {
        ok: false,
        height,
        firstBroken: checked.failure,
        ...scope,
        signaturesChecked: checked.signaturesChecked,
      };
    const last = blocks.at(-1);
    if (last !== undefined)
      this.verified = { height, previousHash: last.hash, offset: end, keyPolicies: checked.keyPolicies };
    return { ok: true, height, ...scope, signaturesChecked: checked.signaturesChecked };
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.serial(() => Promise.resolve());
    await this.file.close();
    this.emitter.emit('durable');
  }

  private serial<T>(work: () => Promise<T>): Promise<T> {
    const run = this.queue.then(work);
    this.queue = run.catch(() => undefined);
    return run;
  }

  private markDurable(blockNumber: number): void {
    // Appends finish in order (one writer), so everything up to this block is on disk.
    if (blockNumber + 1 > this.durableHeight) this.durableHeight = blockNumber + 1;
    this.emitter.emit('durable');
  }

  /** The member, checked the way a peer checks a creator: an organisation of the channel, a certificate its CA issued. */
  private creator(name: string): EmbeddedIdentity {
    if (this.closed) throw new LedgerError('UNAVAILABLE', 'the embedded ledger is closed');
    const identity = this.identity(name);
    // Certificates never change while the ledger is open: check each one once.
    if (this.checkedCreators.has(name)) return identity;
    const caPem = this.identities.cas[identity.mspId];
    // The channel's member organisations are those whose CA it trusts; `channelOrgs` are only the
    // ones that run a peer (they endorse), so a company without a peer is a member all the same.
    if (caPem === undefined)
      throw new LedgerError(
        'ENDORSEMENT',
        `access denied: channel [${CHANNEL_ID}] creator org unknown, creator is malformed`,
      );
    if (!new X509Certificate(identity.certPem).verify(new X509Certificate(caPem).publicKey))
      throw new LedgerError(
        'ENDORSEMENT',
        `access denied: the certificate of ${name} was not issued by ${identity.mspId}`,
      );
    this.checkedCreators.add(name);
    return identity;
  }

  private stub(
    identity: EmbeddedIdentity,
    fn: string,
    args: string[],
    transient: Map<string, Uint8Array>,
    executingOrgs: string[],
  ) {
    return new EmbeddedStub(this.view, {
      channel: CHANNEL_ID,
      txId: randomBytes(32).toString('hex'),
      timestampMs: this.clock(),
      creator: { mspId: identity.mspId, certPem: identity.certPem },
      args: [fn, ...args],
      transient,
      executingOrgs,
    });
  }

  private async invoke(stub: EmbeddedStub): Promise<Uint8Array> {
    const response = await this.loaded.chaincode.Invoke(stub);
    if (response.status !== 200) {
      const message = response.message ?? 'chaincode error';
      throw new LedgerError('ENDORSEMENT', `endorsement failed: chaincode response 500, ${message}`);
    }
    return response.payload ?? new Uint8Array(0);
  }

  private async execute(
    member: string,
    fn: string,
    args: string[],
    options: SubmitOptions,
  ): Promise<Executed> {
    const identity = this.creator(member);
    const transient = new Map(Object.entries(options.transient ?? {}));
    // A company without a peer submits through the first organisation's peer, as the gateway
    // client does on Fabric: that peer runs the proposal.
    const gatewayOrg = this.channelOrgs.includes(identity.mspId) ? identity.mspId : this.channelOrgs[0];
    const executingOrgs = options.endorsingOrganizations ?? (gatewayOrg === undefined ? [] : [gatewayOrg]);
    const stub = this.stub(identity, fn, args, transient, executingOrgs);
    const payload = await this.invoke(stub);
    const endorsers = options.endorsingOrganizations ?? this.defaultEndorsers(stub, transient.size > 0);
    const { effects } = stub;
    const failure = endorsementFailure(
      {
        keys: [...effects.writes.keys(), ...effects.keyPolicies.keys()],
        collections: [...effects.privateWrites.keys()],
      },
      endorsers,
      this.channelOrgs,
      (key) => {
        const policy = this.view.keyPolicies.get(key);
        return policy === undefined ? undefined : new this.loaded.KeyEndorsementPolicy(policy).listOrgs();
      },
    );
    const number = this.blocks.length;
    const privateValues: StoredPrivateValue[] = [];
    const privateHashes: StoredTransaction['privateHashes'] = [];
    for (const [collection, writes] of [...effects.privateWrites].sort(([a], [b]) => (a < b ? -1 : 1))) {
      for (const [key, value] of [...writes].sort(([a], [b]) => (a < b ? -1 : 1))) {
        privateHashes.push({ collection, key, hash: value === null ? null : sha256Hex(value) });
        if (failure === undefined)
          privateValues.push({
            blockNumber: number,
            collection,
            key,
            value: value === null ? null : value.toString('base64'),
          });
      }
    }
    const tx: StoredTransaction = {
      txId: stub.getTxID(),
      timestamp: new Date(stub.getDateTimestamp()).toISOString(),
      creatorMspId: identity.mspId,
      creatorClientId: identity.clientId,
      args: stub.getArgs(),
      endorsers: [...endorsers].sort(),
      validationCode: failure === undefined ? 'VALID' : 'ENDORSEMENT_POLICY_FAILURE',
      writes: [...effects.writes]
        .sort(([a], [b]) => (a < b ? -1 : 1))
        .map(([key, value]) => ({ key, value: value === null ? null : value.toString('base64') })),
      keyPolicies: [...effects.keyPolicies]
        .sort(([a], [b]) => (a < b ? -1 : 1))
        .map(([key, policy]) => ({
          key,
          orgs: new this.loaded.KeyEndorsementPolicy(policy).listOrgs().sort(),
          policy: policy.toString('base64'),
        })),
      privateHashes,
      ...(effects.event === undefined
        ? {}
        : { event: { name: effects.event.name, payload: effects.event.payload.toString('base64') } }),
    };
    const previous = this.blocks[number - 1];
    // Endorsed by each endorsing organisation's peer, signed by its creator, the block by the orderer.
    const signed = signTransaction(tx, identity.keyPem, this.nodes);
    const block = signBlock(newBlock(number, previous?.hash ?? GENESIS_PREVIOUS_HASH, [signed]), this.nodes);
    this.apply(block, privateValues);
    return { block, privateValues, payload };
  }

  /**
   * Whom the gateway would ask to endorse: with transient data, only the organisations of the
   * private collections the transaction touched (it never sends private inputs further); without,
   * a set that satisfies every policy, which on one process is every organisation.
   */
  private defaultEndorsers(stub: EmbeddedStub, hasTransient: boolean): string[] {
    if (!hasTransient) return [...this.channelOrgs];
    const orgs = [...stub.collectionsTouched]
      .map(implicitCollectionOrg)
      .filter((o): o is string => o !== undefined);
    if (orgs.length === 0)
      throw new LedgerError(
        'ENDORSEMENT',
        'no combination of peers can be derived which satisfy the endorsement policy: transient data goes to collection members only',
      );
    return [...new Set(orgs)];
  }

  private apply(block: StoredBlock, privateValues: readonly StoredPrivateValue[]): void {
    this.blocks.push(block);
    for (const tx of block.transactions) {
      if (tx.validationCode !== 'VALID') continue;
      for (const { key, value } of tx.writes) {
        const bytes = value === null ? Buffer.alloc(0) : Buffer.from(value, 'base64');
        if (value === null) this.state.delete(key);
        else this.state.set(key, { value: bytes, blockNumber: block.number });
        const history = this.view.history.get(key) ?? [];
        history.push({ txId: tx.txId, timestamp: tx.timestamp, isDelete: value === null, value: bytes });
        this.view.history.set(key, history);
      }
      for (const { key, policy } of tx.keyPolicies)
        this.view.keyPolicies.set(key, Buffer.from(policy, 'base64'));
      for (const { collection, key, hash } of tx.privateHashes) {
        const hashes = this.view.privateHashes.get(collection) ?? new Map<string, string>();
        if (hash === null) hashes.delete(key);
        else hashes.set(key, hash);
        this.view.privateHashes.set(collection, hashes);
      }
    }
    for (const { collection, key, value } of privateValues) {
      const values = this.view.privateValues.get(collection) ?? new Map<string, Buffer>();
      if (value === null) values.delete(key);
      else values.set(key, Buffer.from(value, 'base64'));
      this.view.privateValues.set(collection, values);
    }
  }

  private replay(blocks: StoredBlock[], privateValues: StoredPrivateValue[]): void {
    const byBlock = new Map<number, StoredPrivateValue[]>();
    for (const entry of privateValues)
      byBlock.set(entry.blockNumber, [...(byBlock.get(entry.blockNumber) ?? []), entry]);
    for (const block of blocks) this.apply(block, byBlock.get(block.number) ?? []);
    this.durableHeight = blocks.length;
  }

  /** Registers the topology's identities in the member registry, the operator first (as on Fabric). */
  private async registerMembers(log: (line: string) => void): Promise<void> {
    log('Registering the embedded ledger identities in the member registry');
    const members = this.identities.members;
    for (const m of members) {
      try {
        await this.evaluate('alliance-admin', 'Member', 'GetMember', [memberIdOf(m.mspId, m.clientId)]);
        continue;
      } catch (error) {
        if (findErrorCode((error as Error).message) !== ErrorCode.MEMBER_NOT_FOUND) throw error;
      }
      const proposer = proposerOf(members, m);
      if (proposer === undefined) {
        await this.submit('alliance-admin', 'Member', 'RegisterMember', [
          m.mspId,
          m.clientId,
          m.displayName,
          m.role,
        ]);
        continue;
      }
      await this.submit(proposer, 'Member', 'ProposeMember', [m.clientId, m.displayName, m.role]);
      await this.submit('alliance-admin', 'Member', 'ApproveMember', [memberIdOf(m.mspId, m.clientId)]);
    }
  }
}
