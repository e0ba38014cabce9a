import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildSchema, GraphQLEnumType } from 'graphql';
import { describe, expect, it } from 'vitest';
import en from './locales/en.json';
import zhCN from './locales/zh-CN.json';

const SCHEMA_FILE = join(import.meta.dirname, '..', '..', 'api', 'schema.graphql');

describe('the enums’ labels', () => {
  it('name every value of every enum of the api’s schema in Chinese and in English', () => {
    const schema = buildSchema(readFileSync(SCHEMA_FILE, 'utf8'));
    const enums = Object.values(schema.getTypeMap()).filter(
      (type): type is GraphQLEnumType => type instanceof GraphQLEnumType && !type.name.startsWith('__'),
    );
    expect(enums.length).toBeGreaterThan(20);
    const missing: string[] = [];
    for (const type of enums)
      for (const value of type.getValues())
        for (const [language, catalogue] of [
          ['zh-CN', zhCN],
          ['en', en],
        ] as const) {
          const label = (catalogue as Record<string, string | undefined>)[`enum.${type.name}.${value.name}`];
          if (label === undefined || label.trim() === '')
            missing.push(`${language} enum.${type.name}.${value.name}`);
        }
    expect(missing).toEqual([]);
  });
});
