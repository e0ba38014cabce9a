import { readFile } from 'node:fs/promises';
import {
  getNamedType,
  isEnumType,
  isInputObjectType,
  isListType,
  isNonNullType,
  printSchema,
  type GraphQLInputType,
} from 'graphql';
import { describe, expect, it } from 'vitest';
import { SCHEMA_FILE } from '../printSchema.js';
import type { RequestSchema } from './inputTypes.js';
import { LEDGER_MUTATIONS } from './operations.js';
import { buildSchema } from './schema.js';

/** Each field of a JSON Schema object and its GraphQL input counterpart must agree, all the way down. */
function disagreements(
  path: string,
  schema: RequestSchema,
  type: GraphQLInputType,
  optional: string[],
): string[] {
  const named = getNamedType(type);
  if (!isInputObjectType(named)) return [`${path}: ${named.name} is not an input object`];
  const fields = named.getFields();
  const properties = schema.properties ?? {};
  const found: string[] = [];
  for (const name of Object.keys(properties))
    if (!(name in fields)) found.push(`${path}.${name}: no GraphQL field`);
  for (const name of Object.keys(fields))
    if (!(name in properties)) found.push(`${path}.${name}: not in the chaincode's schema`);
  for (const [name, property] of Object.entries(properties)) {
    const field = fields[name];
    if (field === undefined) continue;
    const required = (schema.required ?? []).includes(name) && !optional.includes(name);
    if (isNonNullType(field.type) !== required) found.push(`${path}.${name}: required ${String(required)}`);
    const inner = isNonNullType(field.type) ? field.type.ofType : field.type;
    if ((property.type === 'array') !== isListType(inner)) found.push(`${path}.${name}: list or not`);
    const item = property.type === 'array' ? (property.items ?? {}) : property;
    if (item.type === 'object' && item.properties !== undefined)
      found.push(...disagreements(`${path}.${name}`, item, field.type, []));
    if (item.enum !== undefined) {
      const enumType = getNamedType(field.type);
      const values = isEnumType(enumType) ? enumType.getValues().map((v) => v.value as string) : [];
      if (values.sort().join() !== [...item.enum].map(String).sort().join())
        found.push(`${path}.${name}: enum values differ`);
    }
  }
  return found;
}

describe('the GraphQL schema', () => {
  it('is the one committed in api/schema.graphql (run npm run api:schema after changing it)', async () => {
    expect(`${printSchema(buildSchema())}\n`).toBe(await readFile(SCHEMA_FILE, 'utf8'));
  });

  it('types every ledger mutation’s input field by field as the chaincode’s request schema does', () => {
    const mutations = buildSchema().getMutationType()?.getFields() ?? {};
    const found: string[] = [];
    for (const [name, operation] of Object.entries(LEDGER_MUTATIONS)) {
      const argument = mutations[name]?.args.find((a) => a.name === 'request');
      if (argument === undefined) {
        found.push(`${name}: no request argument`);
        continue;
      }
      found.push(
        ...disagreements(name, operation.parser.schema as RequestSchema, argument.type, ['requestId']),
      );
    }
    expect(found).toEqual([]);
  });
});
