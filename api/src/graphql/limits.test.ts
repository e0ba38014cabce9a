import { buildSchema as buildSdl, parse, validate } from 'graphql';
import { describe, expect, it } from 'vitest';
import { MAX_DEPTH, queryLimitsRule, RateLimiter } from './limits.js';

const schema = buildSdl('type Node { id: String, next: Node } type Query { node: Node }');
const errorsOf = (query: string) =>
  validate(schema, parse(query), [queryLimitsRule]).map((e) => e.extensions.code);

describe('query limits', () => {
  it('refuses a query deeper than the limit, also through fragments', () => {
    const deep = (n: number) => `{ node { ${'next { '.repeat(n)}id${' }'.repeat(n)} } }`;
    expect(errorsOf(deep(MAX_DEPTH - 2))).toEqual([]);
    expect(errorsOf(deep(MAX_DEPTH + 2))).toEqual(['REQUEST.TOO_DEEP']);
    expect(
      errorsOf(
        `{ node { ...A } } fragment A on Node { next { next { next { next { next { next { next { next { next { next { id } } } } } } } } } } }`,
      ),
    ).toEqual(['REQUEST.TOO_DEEP']);
  });

  it('refuses a query selecting too many fields through aliases', () => {
    const aliases = Array.from({ length: 500 }, (_, i) => `a${i}: node { id }`).join(' ');
    expect(errorsOf(`{ ${aliases} }`)).toEqual(['REQUEST.TOO_COSTLY']);
  });
});

describe('rate limiting', () => {
  it('spends a client’s allowance and refills it with time, each client on its own', () => {
    let now = 0;
    const limiter = new RateLimiter(3, () => now);
    expect([1, 2, 3, 4].map(() => limiter.take('a'))).toEqual([true, true, true, false]);
    expect(limiter.take('b')).toBe(true);
    now += 20_000;
    expect(limiter.take('a')).toBe(true);
    expect(limiter.take('a')).toBe(false);
  });
});
