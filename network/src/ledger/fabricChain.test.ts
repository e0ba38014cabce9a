import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { headerHash } from './fabricChain.js';

describe('a Fabric block header', () => {
  it('hashes a header as Go’s asn1.Marshal of (number, previous hash, data hash) does', () => {
    // Written out by hand: 30 27 | 02 01 05 | 04 00 | 04 20 <32 × 01>.
    const der = Buffer.concat([Buffer.from('302702010504000420', 'hex'), Buffer.alloc(32, 1)]);
    const header = { number: 5, previousHash: new Uint8Array(), dataHash: new Uint8Array(32).fill(1) };
    expect(headerHash(header)).toEqual(createHash('sha256').update(der).digest());
    // 128 needs a leading zero byte (its top bit is set): 02 02 00 80.
    const der128 = Buffer.concat([Buffer.from('30280202008004000420', 'hex'), Buffer.alloc(32, 1)]);
    expect(headerHash({ ...header, number: 128 })).toEqual(createHash('sha256').update(der128).digest());
  });
});
