import { GraphQLError, GraphQLScalarType, Kind } from 'graphql';
import type { ApiBuilder } from './builder.js';

const recordRef = (builder: ApiBuilder, name: string) => builder.objectRef<object>(name);
/** A GraphQL object type over a record as the ledger holds it. */
export type RecordRef = ReturnType<ReturnType<typeof recordRef>['implement']>;

/** The part of JSON Schema the chaincode's request schemas use. */
export interface RequestSchema {
  type?: string | readonly string[];
  description?: string;
  properties?: Record<string, RequestSchema>;
  required?: readonly string[];
  items?: RequestSchema;
  enum?: readonly unknown[];
  title?: string;
  maximum?: number;
  minimum?: number;
  nullable?: boolean;
}

const INT_MAX = 2 ** 31 - 1;
const GRAPHQL_NAME = /^[_A-Za-z][_0-9A-Za-z]*$/;

/** Integers beyond GraphQL's 32 bits, exactly: money in fen (分) reaches 10^12. */
export const SafeIntScalar = new GraphQLScalarType({
  name: 'SafeInt',
  description:
    'An integer within ±(2^53 − 1), exact in JSON and JavaScript: money in fen (分), large counts.',
  serialize: (value) => value,
  parseValue: (value) => {
    if (typeof value !== 'number' || !Number.isSafeInteger(value))
      throw new GraphQLError(`SafeInt takes an integer within ±(2^53 − 1), not ${JSON.stringify(value)}`);
    return value;
  },
  parseLiteral: (ast) => {
    if (ast.kind !== Kind.INT) throw new GraphQLError('SafeInt takes an integer literal');
    const value = Number(ast.value);
    if (!Number.isSafeInteger(value)) throw new GraphQLError(`${ast.value} is beyond ±(2^53 − 1)`);
    return value;
  },
});

/** Field names too generic to name an enum alone (`status` → `SettlementStatus`). */
const GENERIC_FIELDS = new Set(['status', 'kind', 'type', 'state', 'reason']);
const pascal = (name: string): string => name.charAt(0).toUpperCase() + name.slice(1);
const typeOf = (schema: RequestSchema): string | undefined =>
  typeof schema.type === 'string' ? schema.type : schema.type?.find((t) => t !== 'null');

interface FieldPlan {
  field: string;
  /** The schema requires it. */
  required: boolean;
  /** The schema allows null for it. */
  nullable: boolean;
  description?: string;
  type: unknown;
  list: boolean;
}

/** Each property of an object schema, with its GraphQL type as `typeFor` makes it. */
function fieldsOf(
  schema: RequestSchema,
  typeFor: (field: string, property: RequestSchema) => { type: unknown; list: boolean },
): FieldPlan[] {
  const required = new Set(schema.required ?? []);
  return Object.entries(schema.properties ?? {}).map(([field, property]) => ({
    field,
    required: required.has(field),
    nullable: property.nullable === true,
    ...described(property),
    ...typeFor(field, property),
  }));
}

const described = (from: { description?: string }): { description?: string } =>
  from.description === undefined ? {} : { description: from.description };

const typeRef = (f: FieldPlan): never => (f.list ? [f.type] : f.type) as never;

/**
 * GraphQL input types made from the chaincode's request schemas, so that each request's shape is
 * defined once (the JSON Schema) and a GraphQL client learns it: objects become input types,
 * arrays lists, string enums GraphQL enums, integers `Int` (or `SafeInt` beyond 32 bits). A field
 * the schema requires is required. What GraphQL cannot say (patterns, ranges) the chaincode's
 * parser still checks before anything is signed.
 */
export class SchemaTypes {
  private readonly enums = new Map<string, { values: string; ref: unknown }>();
  private readonly inputs = new Map<string, unknown>();
  private readonly outputs = new Map<string, RecordRef>();

  constructor(private readonly builder: ApiBuilder) {}

  /**
   * The input type `name` for a request schema (an object schema); `optional` names required
   * fields the api fills in when a client leaves them out (the request id).
   */
  inputOf(name: string, schema: RequestSchema, optional: readonly string[] = []): unknown {
    const made = this.inputs.get(name);
    if (made !== undefined) return made;
    if (typeOf(schema) !== 'object' || schema.properties === undefined)
      throw new Error(`${name}: a request schema is an object with properties`);
    const base = name.replace(/Input$/, '');
    const fields = fieldsOf(schema, (field, property) => this.fieldType(base, field, property));
    const ref = this.builder.inputType(name, {
      ...described(schema),
      fields: (t) =>
        Object.fromEntries(
          fields.map((f) => [
            f.field,
            t.field({
              type: typeRef(f),
              required: f.required && !optional.includes(f.field),
              ...described(f),
            }),
          ]),
        ),
    });
    this.inputs.set(name, ref);
    return ref;
  }

  /**
   * The object type `name` for a record schema: every property a field of the same name and type,
   * non-null where the schema requires it and does not allow null.
   */
  objectOf(name: string, schema: RequestSchema): RecordRef {
    const made = this.outputs.get(name);
    if (made !== undefined) return made;
    if (typeOf(schema) !== 'object' || schema.properties === undefined)
      throw new Error(`${name}: a record schema is an object with properties`);
    const fields = fieldsOf(schema, (field, property) => this.outputFieldType(name, field, property));
    const ref = recordRef(this.builder, name).implement({
      ...described(schema),
      fields: (t) =>
        Object.fromEntries(
          fields.map((f) => [
            f.field,
            t.field({
              type: typeRef(f),
              nullable: !f.required || f.nullable,
              ...described(f),
              resolve: (record: object) => ((record as Record<string, unknown>)[f.field] ?? null) as never,
            }),
          ]),
        ),
    });
    this.outputs.set(name, ref);
    return ref;
  }

  private outputFieldType(
    base: string,
    field: string,
    schema: RequestSchema,
  ): { type: unknown; list: boolean } {
    const type = typeOf(schema);
    if (type === 'array' && schema.items !== undefined && typeOf(schema.items) === 'object')
      return schema.items.properties === undefined
        ? { type: 'JSON', list: true }
        : { type: this.objectOf(`${base}${pascal(field)}`, schema.items), list: true };
    if (type === 'object')
      return schema.properties === undefined
        ? { type: 'JSON', list: false }
        : { type: this.objectOf(`${base}${pascal(field)}`, schema), list: false };
    return this.fieldType(base, field, schema);
  }

  private fieldType(base: string, field: string, schema: RequestSchema): { type: unknown; list: boolean } {
    const type = typeOf(schema);
    if (type === 'array') {
      if (schema.items === undefined) return { type: 'JSON', list: true };
      const item = this.fieldType(base, field, schema.items);
      // A list of lists is free-form here: the request schemas have none.
      return item.list ? { type: 'JSON', list: false } : { type: item.type, list: true };
    }
    if (type === 'object')
      return schema.properties === undefined
        ? { type: 'JSON', list: false }
        : { type: this.inputOf(`${base}${pascal(field)}Input`, schema), list: false };
    if (type === 'string' && schema.enum !== undefined)
      return { type: this.enumOf(base, field, schema.enum, schema.title), list: false };
    if (type === 'string') return { type: 'String', list: false };
    if (type === 'boolean') return { type: 'Boolean', list: false };
    if (type === 'integer') {
      const fits = (schema.maximum ?? Infinity) <= INT_MAX && (schema.minimum ?? -Infinity) >= -INT_MAX - 1;
      return { type: fits ? 'Int' : 'SafeInt', list: false };
    }
    if (type === 'number') return { type: 'Float', list: false };
    return { type: 'JSON', list: false };
  }

  /**
   * One enum per set of values, named after the first field that has it (`process` → `Process`),
   * or by its schema's `title` when a field's name says nothing of it (`from`, `to`).
   */
  enumOf(base: string, field: string, values: readonly unknown[], title?: string): unknown {
    const names = values.map(String);
    if (!names.every((v) => GRAPHQL_NAME.test(v))) return 'String';
    const key = names.join('|');
    for (const known of this.enums.values()) if (known.values === key) return known.ref;
    const name =
      title ??
      (this.enums.has(pascal(field)) || GENERIC_FIELDS.has(field)
        ? `${base}${pascal(field)}`
        : pascal(field));
    const ref = this.builder.enumType(name, { values: names });
    this.enums.set(name, { values: key, ref });
    return ref;
  }
}

const perBuilder = new WeakMap<object, SchemaTypes>();

/** The one set of request input types of a schema builder (enums are made once, whoever asks first). */
export function schemaTypesOf(builder: ApiBuilder): SchemaTypes {
  let inputs = perBuilder.get(builder);
  if (inputs === undefined) {
    inputs = new SchemaTypes(builder);
    perBuilder.set(builder, inputs);
  }
  return inputs;
}

/**
 * The typed argument for a request checked by one of our JSON Schema parsers: its input type,
 * made from the parser's own schema.
 */
export function requestArgument(
  builder: ApiBuilder,
  name: string,
  parser: { schema: unknown },
  optional: readonly string[] = [],
): never {
  return schemaTypesOf(builder).inputOf(name, parser.schema as RequestSchema, optional) as never;
}

/** A GraphQL input value as the plain JSON the chaincode parses (graphql-js gives null-prototype objects). */
/**
 * A record schema with more fields: a view that joins a record with what belongs beside it (a
 * lot with its part number). `required` names the added fields that are always there.
 */
export function withFields(
  schema: RequestSchema,
  fields: Record<string, RequestSchema>,
  required: readonly string[] = [],
): RequestSchema {
  return {
    ...schema,
    properties: { ...schema.properties, ...fields },
    required: [...(schema.required ?? []), ...required],
  };
}

export function plainJson(value: unknown): Record<string, unknown> {
  return JSON.parse(JSON.stringify(value)) as Record<string, unknown>;
}

/** A property of a record's JSON Schema (the items, for a list), which must be there. */
export function propertyOf(schema: unknown, field: string): RequestSchema {
  const property = (schema as RequestSchema).properties?.[field];
  const found = property?.type === 'array' ? property.items : property;
  if (found === undefined) throw new Error(`the schema has no property ${field}`);
  return found;
}
