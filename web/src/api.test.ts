import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildSchema, isObjectType } from 'graphql';
import { describe, expect, it } from 'vitest';
import { CACHE_KEYS } from './api';

const SCHEMA_FILE = join(import.meta.dirname, '..', '..', 'api', 'schema.graphql');

describe('the normalised cache', () => {
  const schema = buildSchema(readFileSync(SCHEMA_FILE, 'utf8'));
  const objectTypes = Object.values(schema.getTypeMap()).filter(
    (type) => isObjectType(type) && !type.name.startsWith('__'),
  );

  it('decides for every type with an `id` whether it is an entity (the cache would merge them by it)', () => {
    const undecided = objectTypes
      .filter((type) => isObjectType(type) && 'id' in type.getFields())
      .map((type) => type.name)
      .filter((name) => !(name in CACHE_KEYS));
    expect(undecided).toEqual([]);
  });

  it('keys only types the schema has', () => {
    const names = new Set(objectTypes.map((type) => type.name));
    expect(Object.keys(CACHE_KEYS).filter((name) => !names.has(name))).toEqual([]);
  });

  it('keeps records of different kinds sharing an id apart', () => {
    const changeKey = CACHE_KEYS.LedgerChange;
    expect(changeKey?.({ __typename: 'LedgerChange', kind: 'Lot', id: 'L-1' })).toBeNull();
    expect(CACHE_KEYS.Lot?.({ __typename: 'Lot', id: 'L-1' })).toBe('L-1');
    expect(CACHE_KEYS.Member?.({ __typename: 'Member', memberId: 'FactoryAMSP/a' })).toBe('FactoryAMSP/a');
  });
});
