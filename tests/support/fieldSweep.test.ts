import { buildSchema } from 'graphql';
import { describe, expect, it } from 'vitest';
import { secretsIn, sweptQueries } from './fieldSweep.js';

const schema = buildSchema(`
  type Lot { id: String! unitPrice: Int factory: Factory history(first: Int!): [String!]! }
  type Factory { id: String! pricePerMinute: Int lots: [Lot!]! }
  type Query { lot(id: String!): Lot factories(mine: Boolean): [Factory!]! me: String! }
`);

describe('the field sweep', () => {
  it('asks every field that needs no argument, to a depth, with the known ids as arguments', () => {
    const byName = new Map(sweptQueries(schema, { id: 'L-1' }, 2).map((q) => [q.name, q]));
    expect(byName.get('lot')).toEqual({
      name: 'lot',
      query: 'query($id: String!) { lot(id: $id) { id unitPrice factory { id pricePerMinute } } }',
      variables: { id: 'L-1' },
    });
    expect(byName.get('factories')?.query).toBe(
      'query { factories { id pricePerMinute lots { id unitPrice } } }',
    );
    expect(byName.get('me')?.query).toBe('query { me }');
  });

  it('finds a secret text anywhere and a secret number only in a field so named', () => {
    const answer = { lots: [{ id: 'WO-CANARY.1', quantity: 7919, record: { unitPrice: 7919 } }] };
    expect(
      secretsIn(answer, [
        { what: 'part', text: 'CANARY' },
        { what: 'price', number: 7919, inField: /price/i },
      ]),
    ).toEqual(['part at .lots[0].id', 'price at .lots[0].record.unitPrice']);
    expect(secretsIn(answer, [{ what: 'price', number: 7907, inField: /price/i }])).toEqual([]);
  });
});
