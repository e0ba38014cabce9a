import { findErrorCode, type ErrorCode } from '@fabpool/chaincode/model';

/**
 * One way to reach the ledger, whichever engine holds it: the native Fabric network or the
 * embedded in-process ledger. The api, the matcher and the tests talk only to this.
 */
export interface Ledger {
  readonly engine: LedgerEngine;
  /** The identities this ledger knows, by name (`factory-a-user`, `customer-1`, …). */
  members(): LedgerMember[];
  /** Endorses, orders and commits a transaction signed by the named member; resolves once committed. */
  submit(
    member: string,
    contract: string,
    transaction: string,
    args: string[],
    options?: SubmitOptions,
  ): Promise<Committed>;
  /** Runs a query on a peer of the member's own organisation; nothing is written. */
  evaluate(member: string, contract: string, transaction: string, args: string[]): Promise<Uint8Array>;
  /**
   * Chaincode events in commit order, starting after `after` (or from the first block): a
   * consumer that stores the checkpoint of the last event it handled resumes with nothing missed
   * and nothing repeated.
   */
  events(options?: { after?: Checkpoint }): EventStream;
  /**
   * Signs a channel configuration update (`common.ConfigUpdate` bytes) with the named member's
   * own key, as its organisation's admin does on its own node to approve a change of the channel:
   * a `common.ConfigSignature`.
   */
  signConfigUpdate(member: string, configUpdate: Uint8Array): Promise<Uint8Array>;
  /** Number of blocks. */
  height(): Promise<number>;
  /** Re-checks every block's contents and its link to the one before (what an auditor's "verify" runs). */
  verify(): Promise<VerifyReport>;
  close(): Promise<void>;
}

export type LedgerEngine = 'fabric' | 'embedded';

/** What re-checking every block found: whether all hold, and the first that does not, and why. */
export interface VerifyReport {
  ok: boolean;
  height: number;
  /** The first block whose contents or link do not match, and why. */
  firstBroken?: { blockNumber: number; reason: string };
  /** The first block this check read: 0, or where the last check that held stopped. */
  checkedFrom?: number;
  /** Signatures this check verified (orderers', creators', endorsers'). */
  signaturesChecked?: number;
}

export interface LedgerMember {
  name: string;
  mspId: string;
  role: 'operator' | 'factory' | 'customer' | 'auditor' | 'supplier';
  displayName: string;
  clientId: string;
}

export interface SubmitOptions {
  /** Private inputs: sent to endorsers only, never recorded on the ledger. */
  transient?: Record<string, Uint8Array>;
  /** Organisations whose peers endorse (for transactions that write an organisation's private data). */
  endorsingOrganizations?: string[];
}

export interface Committed {
  payload: Uint8Array;
  transactionId: string;
  blockNumber: number;
}

/** Where an event consumer is: the block and the last transaction of it already handled. */
export interface Checkpoint {
  blockNumber: number;
  transactionId: string;
}

export interface LedgerEvent {
  blockNumber: number;
  transactionId: string;
  name: string;
  payload: Uint8Array;
}

export interface EventStream extends AsyncIterable<LedgerEvent> {
  close(): void;
}

export type LedgerErrorKind = 'ENDORSEMENT' | 'CONFLICT' | 'COMMIT' | 'UNAVAILABLE';

/**
 * Every ledger failure is one of four kinds: the chaincode (or access control) refused at
 * endorsement, with our error code when it is one of ours; a read conflict at validation (safe to
 * retry); another validation failure, with Fabric's validation code; the ledger unreachable.
 */
export class LedgerError extends Error {
  readonly code: ErrorCode | undefined;
  constructor(
    readonly kind: LedgerErrorKind,
    message: string,
    readonly validationCode?: string,
  ) {
    super(message);
    this.name = 'LedgerError';
    this.code = findErrorCode(message);
  }
}

export const decodeUtf8 = (bytes: Uint8Array): string => new TextDecoder().decode(bytes);
export const encodeUtf8 = (text: string): Uint8Array => new TextEncoder().encode(text);
