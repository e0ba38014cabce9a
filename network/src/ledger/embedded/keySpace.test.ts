import { describe, expect, it } from 'vitest';
import { KeySpace } from './keySpace.js';

describe('the embedded key space', () => {
  it('keeps keys in order for prefix and range scans, through inserts and deletes', () => {
    const space = new KeySpace<number>();
    for (const [i, key] of ['\u0000lot\u0000b\u0000', 'a', '\u0000lot\u0000a\u0000', 'c', 'b'].entries())
      space.set(key, i);
    space.set('a', 9);
    space.delete('c');
    space.delete('missing');
    expect([...space.withPrefix('\u0000lot\u0000')].map(([k]) => k)).toEqual([
      '\u0000lot\u0000a\u0000',
      '\u0000lot\u0000b\u0000',
    ]);
    expect([...space.range('a', 'c')]).toEqual([
      ['a', 9],
      ['b', 4],
    ]);
    expect([...space.range('b', '')].map(([k]) => k)).toEqual(['b']);
    expect(space.size).toBe(4);
  });

  it('stays ordered across merges of its recent keys into the main list', () => {
    const space = new KeySpace<number>();
    const keys = Array.from({ length: 5000 }, (_, i) => `k${String((i * 7919) % 5000).padStart(5, '0')}`);
    keys.forEach((k, i) => {
      space.set(k, i);
    });
    for (let i = 0; i < 5000; i += 3) space.delete(`k${String(i).padStart(5, '0')}`);
    const listed = [...space.withPrefix('k')].map(([k]) => k);
    expect(listed).toEqual([...listed].sort());
    expect(listed).toHaveLength(space.size);
    expect(space.get('k00001')).toBeDefined();
    expect(space.get('k00003')).toBeUndefined();
  });
});
