import { readFile } from 'node:fs/promises';
import * as grpc from '@grpc/grpc-js';
import { GatewayError, StatusCode } from '@hyperledger/fabric-gateway';
import { StatusNames } from '@hyperledger/fabric-gateway/dist/status.js';
import {
  readConnectionDescription,
  type ConnectionDescription,
  type MemberCredentials,
} from '../connection.js';
import { whileDiscoveryPending } from './discoveryWait.js';
import { verifyFabricBlocks, type ChainCheckpoint } from './fabricSignatures.js';
import { connectAs, gatewayErrorText, type MemberSession } from '../gateway.js';
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
} from './ledger.js';
import { signConfigUpdate } from '../identity/configSignature.js';

const RETRIES_ON_CONFLICT = 5;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** gRPC codes under which the peer could not be reached, as opposed to refusing. */
const UNREACHABLE = new Set<number>([
  grpc.status.UNAVAILABLE,
  grpc.status.DEADLINE_EXCEEDED,
  grpc.status.CANCELLED,
]);

function failureOf(error: unknown): LedgerError {
  if (error instanceof LedgerError) return error;
  const text = gatewayErrorText(error);
  if (error instanceof GatewayError && UNREACHABLE.has(error.code))
    return new LedgerError('UNAVAILABLE', text);
  return new LedgerError('ENDORSEMENT', text);
}

/**
 * The Fabric engine: `@hyperledger/fabric-gateway` sessions, one per member, each signing with
 * that member's own identity through its own organisation's peer. Deadlines on every call (see
 * gateway.ts); read conflicts are retried with backoff and the same arguments (so the same
 * requestId: the chaincode answers a repeat with the first answer); a session whose peer became
 * unreachable is dropped and reopened on the next call.
 */
export class FabricLedger implements Ledger {
  readonly engine = 'fabric' as const;
  private readonly sessions = new Map<string, Promise<MemberSession>>();
  /** Height after this client's last commit, and how far each organisation's peer is known to be. */
  private committedHeight = 0;
  private readonly peerHeights = new Map<string, number>();

  /**
   * Whose session reads events, heights and blocks: an auditor where this description has one, else
   * its first member, so a node holding only its own organisation's keys reads through its own peer.
   */
  private readonly reader: string;
  /** How far this client has verified the chain: where the next verify goes on from. */
  private verified: ChainCheckpoint | undefined;

  private constructor(readonly description: ConnectionDescription) {
    this.reader =
      description.members.find((m) => m.role === 'auditor')?.name ?? description.members[0]?.name ?? '';
  }

  static async open(description?: ConnectionDescription): Promise<FabricLedger> {
    return new FabricLedger(description ?? (await readConnectionDescription()));
  }

  async signConfigUpdate(member: string, configUpdate: Uint8Array): Promise<Uint8Array> {
    const identity = this.description.members.find((m) => m.name === member);
    if (identity === undefined) throw new LedgerError('UNAVAILABLE', `no identity named ${member} here`);
    const [certificatePem, privateKeyPem] = await Promise.all([
      readFile(identity.certPath, 'utf8'),
      readFile(identity.keyPath, 'utf8'),
    ]);
    return signConfigUpdate({ mspId: identity.mspId, certificatePem, privateKeyPem }, configUpdate);
  }

  /**
   * A person its organisation's node has just enrolled (see `enrolOrganisationMember`): from now on
   * this ledger signs as them. Only a member of an organisation this description already holds.
   */
  admit(member: MemberCredentials): void {
    if (!this.description.members.some((m) => m.mspId === member.mspId))
      throw new LedgerError('UNAVAILABLE', `this node holds no identity of ${member.mspId}`);
    if (this.description.members.some((m) => m.name === member.name)) return;
    this.description.members.push(member);
  }

  members(): LedgerMember[] {
    return this.description.members.map(({ name, mspId, role, displayName, clientId }) => ({
      name,
      mspId,
      role,
      displayName,
      clientId,
    }));
  }

  async submit(
    member: string,
    contract: string,
    transaction: string,
    args: string[],
    options: SubmitOptions = {},
  ): Promise<Committed> {
    // The first endorser (the member's own organisation's peer) must have seen what this client
    // already committed, or it would refuse on stale state (an offer not there yet) rather than
    // conflict. Another organisation's lagging peer is one of several the gateway can ask.
    await this.catchUp(member);
    for (let attempt = 0; ; attempt++) {
      const handle = await this.contract(member, contract);
      let submitted;
      try {
        submitted = await whileDiscoveryPending(() =>
          handle.submitAsync(transaction, {
            arguments: args,
            ...(options.transient === undefined ? {} : { transientData: options.transient }),
            ...(options.endorsingOrganizations === undefined
              ? {}
              : { endorsingOrganizations: options.endorsingOrganizations }),
          }),
        );
      } catch (error) {
        throw this.forget(member, failureOf(error));
      }
      let status;
      try {
        status = await submitted.getStatus();
      } catch (error) {
        throw this.forget(member, failureOf(error));
      }
      if (status.successful) {
        const blockNumber = Number(status.blockNumber);
        this.committedHeight = Math.max(this.committedHeight, blockNumber + 1);
        return { payload: submitted.getResult(), transactionId: status.transactionId, blockNumber };
      }
      const name = (StatusNames as Record<number, string>)[status.code] ?? String(status.code);
      const conflict =
        status.code === StatusCode.MVCC_READ_CONFLICT || status.code === StatusCode.PHANTOM_READ_CONFLICT;
      if (!conflict || attempt >= RETRIES_ON_CONFLICT)
        throw new LedgerError(
          conflict ? 'CONFLICT' : 'COMMIT',
          `transaction ${status.transactionId} failed to commit with status code ${name}`,
          name,
        );
      await sleep(50 * 2 ** attempt + Math.random() * 50);
    }
  }

  async evaluate(member: string, contract: string, transaction: string, args: string[]): Promise<Uint8Array> {
    await this.catchUp(member);
    const handle = await this.contract(member, contract);
    try {
      return await handle.evaluateTransaction(transaction, ...args);
    } catch (error) {
      throw this.forget(member, failureOf(error));
    }
  }

  events(options: { after?: Checkpoint; member?: string } = {}): EventStream {
    const control = { closed: false, close: (): void => undefined };
    const iterator = this.eventsFrom(options.member ?? this.reader, options.after, control);
    return {
      [Symbol.asyncIterator]: () => iterator,
      close: () => {
        control.closed = true;
        control.close();
      },
    };
  }

  private async *eventsFrom(
    member: string,
    after: Checkpoint | undefined,
    control: { closed: boolean; close: () => void },
  ): AsyncGenerator<LedgerEvent> {
    const { gateway } = await this.session(member);
    const stream = await gateway
      .getNetwork(this.description.channel)
      .getChaincodeEvents(this.description.chaincode, {
        ...(after === undefined
          ? { startBlock: 0n }
          : {
              checkpoint: {
                getBlockNumber: () => BigInt(after.blockNumber),
                getTransactionId: () => after.transactionId,
              },
            }),
      });
    control.close = () => {
      stream.close();
    };
    if (control.closed) stream.close();
    try {
      for await (const event of stream) {
        yield {
          blockNumber: Number(event.blockNumber),
          transactionId: event.transactionId,
          name: event.eventName,
          payload: event.payload,
        };
      }
    } catch (error) {
      if (!control.closed) throw this.forget(member, failureOf(error));
    }
  }

  async height(): Promise<number> {
    return this.heightSeenBy(this.reader);
  }

  /**
   * The blocks a peer serves (qscc, as an auditor reads them), raw, from `from` to the height it
   * has now: what verify checks, and what a test copies to tamper with.
   */
  async rawBlocks(from = 0): Promise<Uint8Array[]> {
    const member = this.reader;
    // Every block this client saw committed is on the reader's peer before it is read (a verify
    // right after a write checks that write; the reader's peer may deliver it a moment later).
    await this.catchUp(member);
    const height = await this.heightSeenBy(member);
    const blocks: Uint8Array[] = [];
    for (let n = from; n < height; n++)
      blocks.push(
        await this.evaluateSystem(member, 'qscc', 'GetBlockByNumber', [this.description.channel, String(n)]),
      );
    return blocks;
  }

  /**
   * Re-checks the chain from where the last check of this client stopped (from the genesis block
   * the first time): the hash chain, the orderers' block signatures, each transaction's creator
   * and endorsement signatures against the organisations' roots and the endorsement policy. Only
   * a chain that held moves the checkpoint on.
   */
  async verify(): Promise<VerifyReport> {
    const from = this.verified;
    const report = verifyFabricBlocks(await this.rawBlocks(from?.height ?? 0), from);
    if (report.ok && report.checkpoint !== undefined) this.verified = report.checkpoint;
    return {
      ok: report.ok,
      height: report.height,
      checkedFrom: report.checkedFrom,
      signaturesChecked: report.signaturesChecked,
      ...(report.firstBroken === undefined ? {} : { firstBroken: report.firstBroken }),
    };
  }

  private async heightSeenBy(member: string): Promise<number> {
    const info = await this.evaluateSystem(member, 'qscc', 'GetChainInfo', [this.description.channel]);
    // BlockchainInfo protobuf: field 1 (varint) is the height.
    return readVarintField(info, 1);
  }

  /**
   * Read-your-writes across organisations: a commit is reported by the submitting member's peer,
   * and another organisation's peer may apply that block a moment later. Before a query, wait
   * (briefly) until the querying member's peer holds every block this client saw committed.
   */
  private async catchUp(member: string): Promise<void> {
    const mspId = this.description.members.find((m) => m.name === member)?.mspId;
    if (mspId === undefined || (this.peerHeights.get(mspId) ?? 0) >= this.committedHeight) return;
    const target = this.committedHeight;
    const deadline = Date.now() + 10_000;
    for (;;) {
      const height = await this.heightSeenBy(member).catch(() => 0);
      this.peerHeights.set(mspId, Math.max(this.peerHeights.get(mspId) ?? 0, height));
      if (height >= target || Date.now() > deadline) return;
      await sleep(25);
    }
  }

  async close(): Promise<void> {
    for (const session of this.sessions.values()) (await session).close();
    this.sessions.clear();
  }

  private session(member: string): Promise<MemberSession> {
    let session = this.sessions.get(member);
    if (session === undefined) {
      session = connectAs(this.description, member);
      this.sessions.set(member, session);
      session.catch(() => this.sessions.delete(member));
    }
    return session;
  }

  private async contract(member: string, name: string) {
    const { gateway } = await this.session(member);
    return gateway.getNetwork(this.description.channel).getContract(this.description.chaincode, name);
  }

  private async evaluateSystem(
    member: string,
    chaincode: string,
    transaction: string,
    args: string[],
  ): Promise<Uint8Array> {
    const { gateway } = await this.session(member);
    return gateway
      .getNetwork(this.description.channel)
      .getContract(chaincode)
      .evaluateTransaction(transaction, ...args);
  }

  /** Drops a member's session after the peer was unreachable, so the next call reconnects. */
  private forget(member: string, error: LedgerError): LedgerError {
    if (error.kind === 'UNAVAILABLE') {
      const session = this.sessions.get(member);
      this.sessions.delete(member);
      void session
        ?.then((s) => {
          s.close();
        })
        .catch(() => undefined);
    }
    return error;
  }
}

/** Reads one varint field of a protobuf message (enough for BlockchainInfo's height). */
function readVarintField(bytes: Uint8Array, field: number): number {
  let i = 0;
  const varint = (): number => {
    let result = 0;
    let shift = 0;
    for (;;) {
      const byte = bytes[i++] ?? 0;
      result += (byte & 0x7f) * 2 ** shift;
      if ((byte & 0x80) === 0) return result;
      shift += 7;
    }
  };
  while (i < bytes.length) {
    const tag = varint();
    const wire = tag & 7;
    if (tag >>> 3 === field && wire === 0) return varint();
    if (wire === 0) varint();
    else if (wire === 2) i += varint();
    else throw new Error(`unexpected protobuf wire type ${wire}`);
  }
  return 0;
}
