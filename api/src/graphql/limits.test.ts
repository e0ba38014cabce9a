import { buildSchema as buildSdl, parse, validate, type GraphQLError } from 'graphql';
import { describe, expect, it } from 'vitest';
import { FIELD_WEIGHTS, MAX_DEPTH, MAX_FIELDS, queryLimitsRule, withoutSuggestions } from './limits.js';

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

describe('field weights and suggestions', () => {
  const weighted = buildSdl('type Query { analytics: Int, me: Int, sey: Int }');
  const codesOf = (query: string) =>
    validate(weighted, parse(query), [queryLimitsRule]).map((e) => e.extensions.code);

  it('counts a heavy field at its weight, so aliases of it are refused long before plain ones', () => {
    const aliases = (field: string, n: number) =>
      `{ ${Array.from({ length: n }, (_, i) => `a${i}: ${field}`).join(' ')} }`;
    expect(FIELD_WEIGHTS.analytics).toBeGreaterThan(1);
    const heavy = Math.floor(MAX_FIELDS / (FIELD_WEIGHTS.analytics ?? 1));
    expect(codesOf(aliases('analytics', heavy))).toEqual([]);
    expect(codesOf(aliases('analytics', heavy + 1))).toEqual(['REQUEST.TOO_COSTLY']);
    expect(codesOf(aliases('me', heavy + 1))).toEqual([]);
  });

  it('takes out the schema hints of a validation error', () => {
    const errors = validate(weighted, parse('{ mee }'));
    expect(errors[0]?.message).toContain('Did you mean');
    let cleaned: GraphQLError[] = [];
    withoutSuggestions({ result: errors, setResult: (e) => (cleaned = e) });
    expect(cleaned[0]?.message).toBe('Cannot query field "mee" on type "Query".');
  });
});
