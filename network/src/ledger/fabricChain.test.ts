import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { dataHashOf, headerHash, verifyFabricChain, type ChainBlock } from './fabricChain.js';

function chain(n: number): ChainBlock[] {
  const blocks: ChainBlock[] = [];
  let previousHash: Uint8Array = new Uint8Array();
  for (let i = 0; i < n; i++) {
    const data = [Buffer.from(`tx-${i}-a`), Buffer.from(`tx-${i}-b`)];
    const block = { number: i, previousHash, dataHash: dataHashOf(data), data };
    blocks.push(block);
    previousHash = headerHash(block);
  }
  return blocks;
}

describe('verifying a Fabric chain', () => {
  it('hashes a header as Go’s asn1.Marshal of (number, previous hash, data hash) does', () => {
    // Written out by hand: 30 27 | 02 01 05 | 04 00 | 04 20 <32 × 01>.
    const der = Buffer.concat([Buffer.from('302702010504000420', 'hex'), Buffer.alloc(32, 1)]);
    const header = { number: 5, previousHash: new Uint8Array(), dataHash: new Uint8Array(32).fill(1) };
    expect(headerHash(header)).toEqual(createHash('sha256').update(der).digest());
    // 128 needs a leading zero byte (its top bit is set): 02 02 00 80.
    const der128 = Buffer.concat([Buffer.from('30280202008004000420', 'hex'), Buffer.alloc(32, 1)]);
    expect(headerHash({ ...header, number: 128 })).toEqual(createHash('sha256').update(der128).digest());
  });

  it('accepts an intact chain and names the first block changed after the fact', () => {
    const blocks = chain(6);
    expect(verifyFabricChain(blocks)).toEqual({ ok: true, height: 6 });
    const forged = [Buffer.from('tx-3-a'), Buffer.from('tx-3-forged')];
    const tampered = blocks.map((b) => (b.number === 3 ? { ...b, data: forged } : b));
    expect(verifyFabricChain(tampered)).toMatchObject({ ok: false, firstBroken: { blockNumber: 3 } });
    // Rewriting the data hash too moves the break to the link from the next block.
    const rehashed = tampered.map((b) => (b.number === 3 ? { ...b, dataHash: dataHashOf(forged) } : b));
    expect(verifyFabricChain(rehashed)).toMatchObject({ ok: false, firstBroken: { blockNumber: 4 } });
  });
});
