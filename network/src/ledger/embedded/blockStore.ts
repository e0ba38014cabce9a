import type { VerifyReport } from '../ledger.js';
import { open, readFile, type FileHandle } from 'node:fs/promises';
import { sha256Hex } from './stub.js';

export type ValidationCode = 'VALID' | 'ENDORSEMENT_POLICY_FAILURE';

/** A transaction as the embedded ledger keeps it: who, what, the read-write set's writes, the event. */
export interface StoredTransaction {
  txId: string;
  timestamp: string;
  creatorMspId: string;
  creatorClientId: string;
  /** `Contract:Transaction`, then the public arguments (transient data is never kept). */
  args: string[];
  endorsers: string[];
  validationCode: ValidationCode;
  /** Public writes; `value` base64, null for a deletion. */
  writes: { key: string; value: string | null }[];
  /** Key-level endorsement policies set: the organisations each names, and the policy bytes (base64). */
  keyPolicies: { key: string; orgs: string[]; policy: string }[];
  /** Private writes as the channel sees them: only the hash of each value (null for a deletion). */
  privateHashes: { collection: string; key: string; hash: string | null }[];
  event?: { name: string; payload: string };
  /** Each endorsing organisation's peer's signature over the transaction's effects (see signatures.ts). */
  endorsements?: { mspId: string; signature: string }[];
  /** Its creator's signature over the effects and the endorsements. */
  creatorSignature?: string;
}

export interface StoredBlock {
  number: number;
  previousHash: string;
  /** SHA-256 of the block's transactions as serialised in the file. */
  dataHash: string;
  /** SHA-256 of number, previous hash and data hash: the link the next block points to. */
  hash: string;
  /** Channel organisations, in the genesis block only. */
  channelOrgs?: string[];
  transactions: StoredTransaction[];
  /** The ordering service's signature over `hash` (absent on blocks made before signatures). */
  ordererSignature?: string;
}

/** A private value, kept beside the blocks (never inside them); the blocks hold its hash. */
export interface StoredPrivateValue {
  blockNumber: number;
  collection: string;
  key: string;
  value: string | null;
}

type Line = { type: 'block'; block: StoredBlock } | { type: 'private'; entry: StoredPrivateValue };

export const GENESIS_PREVIOUS_HASH = '0'.repeat(64);

/** The records are built with a fixed key order and read back with it, so plain JSON is canonical here. */
export function dataHashOf(transactions: StoredTransaction[]): string {
  return sha256Hex(JSON.stringify(transactions));
}

export function blockHashOf(number: number, previousHash: string, dataHash: string): string {
  return sha256Hex(`${number}\n${previousHash}\n${dataHash}`);
}

export function newBlock(
  number: number,
  previousHash: string,
  transactions: StoredTransaction[],
  channelOrgs?: string[],
): StoredBlock {
  const dataHash = dataHashOf(transactions);
  return {
    number,
    previousHash,
    dataHash,
    hash: blockHashOf(number, previousHash, dataHash),
    ...(channelOrgs === undefined ? {} : { channelOrgs }),
    transactions,
  };
}

/**
 * Recomputes every block's data hash and link, and every private value's hash against its block.
 * From a checkpoint (the height and hash of the last block checked before), `blocks` are the ones
 * after it.
 */
export function verifyChain(
  blocks: readonly StoredBlock[],
  privateValues: readonly StoredPrivateValue[],
  from: { height: number; previousHash: string } = { height: 0, previousHash: GENESIS_PREVIOUS_HASH },
): VerifyReport {
  let previousHash = from.previousHash;
  const height = from.height + blocks.length;
  for (const [i, block] of blocks.entries()) {
    const index = from.height + i;
    const broken = (reason: string): VerifyReport => ({
      ok: false,
      height,
      firstBroken: { blockNumber: index, reason },
    });
    if (block.number !== index) return broken(`block at position ${index} says it is block ${block.number}`);
    if (block.previousHash !== previousHash)
      return broken('its previous-hash does not match the block before it');
    if (dataHashOf(block.transactions) !== block.dataHash)
      return broken('its transactions do not match its data hash');
    if (blockHashOf(block.number, block.previousHash, block.dataHash) !== block.hash)
      return broken('its hash does not match its header');
    previousHash = block.hash;
  }
  for (const entry of privateValues) {
    const block = blocks[entry.blockNumber - from.height];
    const recorded = block?.transactions
      .flatMap((t) => t.privateHashes)
      .find((p) => p.collection === entry.collection && p.key === entry.key);
    const hash = entry.value === null ? null : sha256Hex(Buffer.from(entry.value, 'base64'));
    if (recorded?.hash !== hash)
      return {
        ok: false,
        height,
        firstBroken: {
          blockNumber: entry.blockNumber,
          reason: `a private value of ${entry.collection} does not match the hash in its block`,
        },
      };
  }
  return { ok: true, height };
}

/**
 * The ledger's one append-only file (`ledger.jsonl`): a line per block and a line per private
 * value, each block's private values before it. Appends are grouped: every caller waiting at the
 * same time shares one write and one fsync, and is answered only once its line is on disk.
 * Chosen over a database for the embedded engine because it is what a blockchain is (an
 * append-only, hash-linked log), needs no server, and a torn last line after a crash is easy to
 * detect and drop: no acknowledged transaction is ever in it.
 */
export class BlockFile {
  private pending: { text: string; resolve: () => void; reject: (error: unknown) => void }[] = [];
  private flushing = false;
  /**
   * Set once a write failed (a full disk, an I/O error): the file was cut back to its last whole
   * line and takes nothing more, so it stays a clean prefix of the chain; blocks after the failed
   * one would otherwise land after a gap. The ledger must be opened again to go on.
   */
  private failure: Error | undefined;
  /** Opened to read beside the process that writes it: every append is refused. */
  readOnly = false;

  private constructor(
    private readonly handle: FileHandle,
    readonly path: string,
    /** Bytes of whole lines on disk. */
    private size: number,
  ) {}

  /** Why the file takes no more writes, if it does not. */
  get broken(): Error | undefined {
    return this.failure;
  }

  /**
   * Opens (creating) the file and reads what it holds; a torn last line is cut off. Read-only, it
   * neither creates nor cuts anything (another process may be writing that line), and every
   * append is refused.
   */
  static async open(
    path: string,
    options: { readOnly?: boolean } = {},
  ): Promise<{ file: BlockFile; blocks: StoredBlock[]; privateValues: StoredPrivateValue[] }> {
    const handle = await open(path, options.readOnly === true ? 'r' : 'a+');
    const { blocks, privateValues, goodLength, totalLength } = parse(await readFile(path, 'utf8'));
    const file = new BlockFile(handle, path, goodLength);
    file.readOnly = options.readOnly === true;
    if (!file.readOnly && goodLength < totalLength) await handle.truncate(goodLength);
    return { file, blocks, privateValues };
  }

  /** Reads the file again from disk, as `verify` must (the copy in memory proves nothing). */
  static async read(path: string): Promise<{ blocks: StoredBlock[]; privateValues: StoredPrivateValue[] }> {
    const { blocks, privateValues } = parse(await readFile(path, 'utf8'));
    return { blocks, privateValues };
  }

  /**
   * Reads the file from a byte offset (where an earlier read's whole blocks ended): the blocks
   * appended since, and the offset to read from next time. Nothing before `offset` is read.
   */
  static async readFrom(
    path: string,
    offset: number,
  ): Promise<{ blocks: StoredBlock[]; privateValues: StoredPrivateValue[]; end: number }> {
    const handle = await open(path, 'r');
    try {
      const { size } = await handle.stat();
      const buffer = Buffer.alloc(Math.max(size - offset, 0));
      await handle.read(buffer, 0, buffer.length, offset);
      const { blocks, privateValues, goodLength } = parse(buffer.toString('utf8'));
      return { blocks, privateValues, end: offset + goodLength };
    } finally {
      await handle.close();
    }
  }

  append(block: StoredBlock, privateValues: StoredPrivateValue[]): Promise<void> {
    const lines: Line[] = [
      ...privateValues.map((entry): Line => ({ type: 'private', entry })),
      { type: 'block', block },
    ];
    const text = lines.map((l) => `${JSON.stringify(l)}\n`).join('');
    if (this.readOnly) return Promise.reject(new Error(`${this.path} is open read-only`));
    if (this.failure !== undefined) return Promise.reject(this.failure);
    return new Promise((resolve, reject) => {
      this.pending.push({ text, resolve, reject });
      void this.flush();
    });
  }

  /** Resolves once every line appended so far is on disk. */
  async drain(): Promise<void> {
    while (this.flushing || this.pending.length > 0) await new Promise((r) => setTimeout(r, 2));
  }

  async close(): Promise<void> {
    await this.drain();
    await this.handle.close();
  }

  private async flush(): Promise<void> {
    if (this.flushing) return;
    this.flushing = true;
    try {
      while (this.pending.length > 0) {
        const batch = this.pending.splice(0);
        if (this.failure !== undefined) {
          for (const p of batch) p.reject(this.failure);
          continue;
        }
        const bytes = Buffer.from(batch.map((p) => p.text).join(''), 'utf8');
        try {
          const { bytesWritten } = await this.handle.write(bytes, 0, bytes.length, this.size);
          // A short write is how a filling disk first shows: the rest of the batch is not there.
          if (bytesWritten !== bytes.length)
            throw Object.assign(
              new Error(`short write: ${bytesWritten} of ${bytes.length} bytes reached ${this.path}`),
              { code: 'ENOSPC' },
            );
          await this.handle.datasync();
          this.size += bytes.length;
          for (const p of batch) p.resolve();
        } catch (error) {
          // A part of the batch may be on disk: cut it off, so the file ends on a whole block.
          this.failure = error instanceof Error ? error : new Error(String(error));
          await this.handle.truncate(this.size).catch(() => undefined);
          for (const p of batch) p.reject(this.failure);
        }
      }
    } finally {
      this.flushing = false;
    }
  }
}

function parse(text: string) {
  const blocks: StoredBlock[] = [];
  const privateValues: StoredPrivateValue[] = [];
  let offset = 0;
  let bytes = 0;
  let goodLength = 0;
  let waiting: StoredPrivateValue[] = [];
  while (offset < text.length) {
    const end = text.indexOf('\n', offset);
    if (end < 0) break;
    let line: Line;
    try {
      line = JSON.parse(text.slice(offset, end)) as Line;
    } catch {
      break;
    }
    bytes += Buffer.byteLength(text.slice(offset, end + 1), 'utf8');
    offset = end + 1;
    if (line.type === 'private') {
      waiting.push(line.entry);
      continue;
    }
    blocks.push(line.block);
    privateValues.push(...waiting);
    waiting = [];
    goodLength = bytes;
  }
  // Private values after the last block belong to a block that never reached the disk.
  return { blocks, privateValues, goodLength, totalLength: Buffer.byteLength(text, 'utf8') };
}
