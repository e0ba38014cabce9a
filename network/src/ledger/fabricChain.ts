import { createHash } from 'node:crypto';

/** What a Fabric block's integrity rests on: its header and the transactions it carries. */
export interface ChainBlock {
  number: number;
  previousHash: Uint8Array;
  dataHash: Uint8Array;
  data: Uint8Array[];
}

const sha256 = (...parts: Uint8Array[]): Buffer => {
  const hash = createHash('sha256');
  for (const part of parts) hash.update(part);
  return hash.digest();
};

/** DER length octets: short form under 128, long form above. */
function derLength(length: number): number[] {
  if (length < 128) return [length];
  const bytes: number[] = [];
  for (let n = length; n > 0; n >>= 8) bytes.unshift(n & 0xff);
  return [0x80 | bytes.length, ...bytes];
}

/** A non-negative DER INTEGER: minimal big-endian bytes, a leading zero when the top bit is set. */
function derInteger(value: number): number[] {
  const bytes: number[] = [];
  let n = BigInt(value);
  do {
    bytes.unshift(Number(n & 0xffn));
    n >>= 8n;
  } while (n > 0n);
  if ((bytes[0] ?? 0) & 0x80) bytes.unshift(0);
  return [0x02, ...derLength(bytes.length), ...bytes];
}

const derOctets = (bytes: Uint8Array): number[] => [0x04, ...derLength(bytes.length), ...bytes];

/**
 * The hash of a block header as Fabric computes it (protoutil.BlockHeaderHash): SHA-256 of the
 * ASN.1 DER sequence (number, previous hash, data hash). The next block's previous hash names it.
 */
export function headerHash(block: Pick<ChainBlock, 'number' | 'previousHash' | 'dataHash'>): Buffer {
  return sha256(headerBytes(block));
}

/** A block header's DER bytes (protoutil.BlockHeaderBytes): what its hash is over, and what orderers sign. */
export function headerBytes(block: Pick<ChainBlock, 'number' | 'previousHash' | 'dataHash'>): Buffer {
  const body = [...derInteger(block.number), ...derOctets(block.previousHash), ...derOctets(block.dataHash)];
  return Buffer.from([0x30, ...derLength(body.length), ...body]);
}

/** The hash of a block's data as Fabric computes it (protoutil.ComputeBlockDataHash): SHA-256 of the entries joined. */
export const dataHashOf = (data: readonly Uint8Array[]): Buffer => sha256(...data);
