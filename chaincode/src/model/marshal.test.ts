import { describe, expect, it } from 'vitest';
import { marshal } from './marshal.js';

describe('marshal', () => {
  it('writes the same bytes whatever the key order, at every depth', () => {
    const a = marshal({ b: 1, a: { d: [{ y: 1, x: 2 }], c: 'z' } });
    const b = marshal({ a: { c: 'z', d: [{ x: 2, y: 1 }] }, b: 1 });
    expect(a.equals(b)).toBe(true);
    expect(a.toString()).toBe('{"a":{"c":"z","d":[{"x":2,"y":1}]},"b":1}');
  });

  it('drops undefined fields rather than writing them', () => {
    expect(marshal({ a: undefined, b: null }).toString()).toBe('{"b":null}');
  });
});
