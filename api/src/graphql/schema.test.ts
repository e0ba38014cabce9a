import { readFile } from 'node:fs/promises';
import {
  bidParser,
  custodySchema,
  factorySchema,
  handOverSchema,
  lotSchema,
  memberSchema,
  quotaSchema,
  settlementParser,
  statementSchema,
  workOrderSchema,
} from '@fabpool/chaincode/model';
import {
  getNamedType,
  isObjectType,
  isEnumType,
  isInputObjectType,
  isListType,
  isNonNullType,
  printSchema,
  type GraphQLFieldMap,
  type GraphQLInputType,
} from 'graphql';
import { describe, expect, it } from 'vitest';
import { SCHEMA_FILE } from '../printSchema.js';
import { propertyOf, type RequestSchema } from './schemaTypes.js';
import { LEDGER_MUTATIONS } from './operations.js';
import { buildSchema } from './schema.js';

/** Whether one property's type agrees with its GraphQL field: list or not, required or not, enum values. */
function fieldDisagreements(
  path: string,
  property: RequestSchema,
  type: GraphQLInputType,
  required: boolean,
): string[] {
  const found: string[] = [];
  if (isNonNullType(type) !== required) found.push(`${path}: required ${String(required)}`);
  const inner = isNonNullType(type) ? type.ofType : type;
  if ((property.type === 'array') !== isListType(inner)) found.push(`${path}: list or not`);
  const item = property.type === 'array' ? (property.items ?? {}) : property;
  if (item.type === 'object' && item.properties !== undefined)
    found.push(...disagreements(path, item, type, []));
  if (item.enum !== undefined) {
    const enumType = getNamedType(type);
    const values = isEnumType(enumType) ? enumType.getValues().map((v) => v.value as string) : [];
    if (values.sort().join() !== [...item.enum].map(String).sort().join())
      found.push(`${path}: enum values differ`);
  }
  return found;
}

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
  for (const name of Object.keys(fields))
    if (!(name in properties)) found.push(`${path}.${name}: not in the chaincode's schema`);
  for (const [name, property] of Object.entries(properties)) {
    const field = fields[name];
    if (field === undefined) found.push(`${path}.${name}: no GraphQL field`);
    else {
      const required = (schema.required ?? []).includes(name) && !optional.includes(name);
      found.push(...fieldDisagreements(`${path}.${name}`, property, field.type, required));
    }
  }
  return found;
}

/** The chaincode's records the api serves as typed objects, each made from the record's own JSON Schema. */
const RECORD_TYPES: Record<string, RequestSchema> = {
  Member: memberSchema as RequestSchema,
  Bid: bidParser.schema as RequestSchema,
};

/**
 * The types written by hand around a chaincode record (they add fields, rename its key to `id`, or
 * hide a field from callers who may not see it). Every field of the record must have its
 * counterpart: a field of the same name, its new name, a whole-record field that has it, or a
 * stated reason it is withheld.
 */
const HAND_DECLARED: Record<
  string,
  {
    record: RequestSchema;
    renamed?: Record<string, string>;
    /** A field whose type is the whole record. */
    wholeRecord?: string;
    withheld?: Record<string, string>;
  }
> = {
  WorkOrder: {
    record: workOrderSchema as RequestSchema,
    // The record counts its amendments; the type lists them and serves the count beside.
    renamed: { workOrderId: 'id', amendments: 'amendmentCount' },
    withheld: {
      customerMemberId: 'the person behind an order stays with its organisation; others see customerMspId',
    },
  },
  Lot: { record: lotSchema as RequestSchema, renamed: { lotId: 'id' }, wholeRecord: 'record' },
  FactoryLot: { record: lotSchema as RequestSchema },
  BidAward: { record: propertyOf(workOrderSchema, 'award') },
  CapacityQuota: {
    record: quotaSchema as RequestSchema,
    renamed: { quotaId: 'id' },
    withheld: {
      buyerMemberId: 'who bought a quota is between its buyer and its seller',
      buyerMspId: 'who bought a quota is between its buyer and its seller',
    },
  },
  Factory: {
    record: factorySchema as RequestSchema,
    renamed: { factoryId: 'id' },
    withheld: { registeredBy: 'the person who registered a factory is the registry’s, not the pool’s' },
  },
  HandOver: { record: handOverSchema as RequestSchema },
  // Both add their parties' names beside the record.
  Settlement: { record: settlementParser.schema as RequestSchema },
  Statement: { record: statementSchema as RequestSchema },
  CustodyPosition: { record: custodySchema as RequestSchema },
};

/** What a hand-written type lacks or gets wrong of the record it serves. */
function counterpartProblems(
  name: string,
  { record, renamed = {}, wholeRecord, withheld = {} }: (typeof HAND_DECLARED)[string],
  fields: GraphQLFieldMap<unknown, unknown>,
): string[] {
  const found: string[] = [];
  const wholeFields = wholeRecordFields(fields, wholeRecord);
  for (const [field, property] of Object.entries(record.properties ?? {})) {
    const graphqlField = fields[renamed[field] ?? field];
    if (field in withheld) {
      if (graphqlField !== undefined) found.push(`${name}.${field}: served, yet listed as withheld`);
    } else if (graphqlField === undefined) {
      if (!wholeFields.has(field)) found.push(`${name}.${field}: no GraphQL counterpart`);
    } else {
      const inner = isNonNullType(graphqlField.type) ? graphqlField.type.ofType : graphqlField.type;
      if ((property.type === 'array') !== isListType(inner)) found.push(`${name}.${field}: list or not`);
      if (property.enum !== undefined && !isEnumType(getNamedType(graphqlField.type)))
        found.push(`${name}.${field}: a string where the record has an enum`);
    }
  }
  return found;
}

/** The fields of the record a whole-record field holds (none when there is no such field). */
function wholeRecordFields(fields: GraphQLFieldMap<unknown, unknown>, name: string | undefined): Set<string> {
  const field = name === undefined ? undefined : fields[name];
  if (field === undefined) return new Set();
  const type = getNamedType(field.type);
  return new Set(isObjectType(type) ? Object.keys(type.getFields()) : []);
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

  it('has a field of the same type for every field of each chaincode record it serves', () => {
    const schema = buildSchema();
    const found: string[] = [];
    for (const [name, record] of Object.entries(RECORD_TYPES)) {
      const type = schema.getType(name);
      if (!isObjectType(type)) {
        found.push(`${name}: no object type`);
        continue;
      }
      const fields = type.getFields();
      for (const [field, property] of Object.entries(record.properties ?? {})) {
        const graphqlField = fields[field];
        if (graphqlField === undefined) {
          found.push(`${name}.${field}: no GraphQL field`);
          continue;
        }
        const required = (record.required ?? []).includes(field) && property.nullable !== true;
        if (isNonNullType(graphqlField.type) !== required)
          found.push(`${name}.${field}: required ${String(required)}`);
        const inner = isNonNullType(graphqlField.type) ? graphqlField.type.ofType : graphqlField.type;
        if ((property.type === 'array') !== isListType(inner)) found.push(`${name}.${field}: list or not`);
      }
      for (const field of Object.keys(fields))
        if (!(field in (record.properties ?? {})))
          found.push(`${name}.${field}: not in the chaincode's record`);
    }
    expect(found).toEqual([]);
  });

  it('has a counterpart for every field of each chaincode record a hand-written type serves', () => {
    const schema = buildSchema();
    const found: string[] = [];
    for (const [name, declared] of Object.entries(HAND_DECLARED)) {
      const type = schema.getType(name);
      if (isObjectType(type)) found.push(...counterpartProblems(name, declared, type.getFields()));
      else found.push(`${name}: no object type`);
    }
    expect(found).toEqual([]);
  });

  it('serves every amount of money as a SafeInt: fen reach 10^12, beyond a 32-bit Int', () => {
    const money = /price|cost|amount|penalty|owed|paid|refunded|fee|forfeit|objective/i;
    // Bounded below 2^31 by their schemas: a backup supplier's extra cost per unit (≤ 10^9 fen).
    const fitsInt = new Set(['extraCostPerUnit']);
    const found: string[] = [];
    for (const type of Object.values(buildSchema().getTypeMap())) {
      if (type.name.startsWith('__') || !(isObjectType(type) || isInputObjectType(type))) continue;
      for (const field of Object.values<{ name: string; type: Parameters<typeof getNamedType>[0] }>(
        type.getFields(),
      ))
        if (money.test(field.name) && !fitsInt.has(field.name) && getNamedType(field.type)?.name === 'Int')
          found.push(`${type.name}.${field.name}`);
    }
    expect(found).toEqual([]);
  });
});
