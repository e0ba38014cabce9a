import { describe, expect, it } from 'vitest';
import { KeySpace } from './keySpace.js';

describe('the embedded key space', () => {
  it('keeps keys in order for prefix and range scans, through inserts and deletes', () => {
    const space = new KeySpace<number>();
    for (const [i, key] of ['\u0000lot\u0000b\u0000', 'a', '\u0000lot\u0000a\u0000', 'c', 'b'].entries()) space.set(key, i);
    space.set('a', 9);
    space.delete('c');
    space.delete('missing');
    expect([...space.withPrefix('\u0000lot\u0000')].map(([k]) => k)).toEqual(['\u0000lot\u0000a\u0000', '\u0000lot\u0000b\u0000']);
    expect([...space.range('a', 'c')]).toEqual([
      ['a', 9],
      ['b', 4],
    ]);
    expect([...space.range('b', '')].map(([k]) => k)).toEqual(['b']);
    expect(space.size).toBe(4);
  });
});
