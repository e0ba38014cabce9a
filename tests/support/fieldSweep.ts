import {
  getNamedType,
  isEnumType,
  isInputObjectType,
  isListType,
  isNonNullType,
  isObjectType,
  type GraphQLField,
  type GraphQLInputType,
  type GraphQLNamedType,
  type GraphQLSchema,
} from 'graphql';

/**
 * Every field of every query, asked at once: the field-level authorisation matrix sends each
 * query with every field its answer has (to a depth), so that a field added later is swept too.
 */

/** A value of an argument's type: the first enum value, a number, a text, an input's required fields. */
export function argumentValue(type: GraphQLInputType): unknown {
  if (isNonNullType(type)) return argumentValue(type.ofType);
  if (isListType(type)) return [];
  if (isEnumType(type)) return type.getValues()[0]?.value;
  if (isInputObjectType(type))
    return Object.fromEntries(
      Object.values(type.getFields())
        .filter((f) => isNonNullType(f.type))
        .map((f) => [f.name, argumentValue(f.type)]),
    );
  const name = getNamedType(type).name;
  if (name === 'Int' || name === 'Float' || name === 'SafeInt') return 1;
  if (name === 'Boolean') return false;
  return 'x';
}

/** Every field of the type that needs no argument, down to `depth` levels of objects. */
export function fullSelection(type: GraphQLNamedType, depth: number): string {
  if (!isObjectType(type)) return '';
  const parts: string[] = [];
  for (const field of Object.values(type.getFields())) {
    if (field.args.some((a) => isNonNullType(a.type))) continue;
    const named = getNamedType(field.type);
    if (!isObjectType(named)) {
      parts.push(field.name);
      continue;
    }
    if (depth <= 1) continue;
    const inner = fullSelection(named, depth - 1);
    if (inner !== '') parts.push(`${field.name} { ${inner} }`);
  }
  return parts.length === 0 ? '__typename' : parts.join(' ');
}

export interface SweptQuery {
  name: string;
  query: string;
  variables: Record<string, unknown>;
}

/**
 * Each query of the schema with every field of its answer, its arguments taken from `known` by
 * name (ids of the records under test) or made up from their types.
 */
export function sweptQueries(
  schema: GraphQLSchema,
  known: Readonly<Record<string, unknown>>,
  depth = 5,
): SweptQuery[] {
  const fields: GraphQLField<unknown, unknown>[] = Object.values(schema.getQueryType()?.getFields() ?? {});
  return fields.map((field) => {
    const args = field.args.filter((a) => isNonNullType(a.type) || a.name in known);
    const variables = Object.fromEntries(
      args.map((a) => [a.name, a.name in known ? known[a.name] : argumentValue(a.type)]),
    );
    const declared = args.map((a) => `$${a.name}: ${String(a.type)}`).join(', ');
    const passed = args.map((a) => `${a.name}: $${a.name}`).join(', ');
    const named = getNamedType(field.type);
    const selection = isObjectType(named) ? ` { ${fullSelection(named, depth)} }` : '';
    return {
      name: field.name,
      query: `query${declared === '' ? '' : `(${declared})`} { ${field.name}${passed === '' ? '' : `(${passed})`}${selection} }`,
      variables,
    };
  });
}

/** A value an answer must not carry to a reader: a text anywhere, or a number in a field so named. */
export interface Secret {
  what: string;
  text?: string;
  number?: number;
  /** The names of fields the number would be in (prices, minutes, amounts). */
  inField?: RegExp;
}

/** Where in an answer each secret shows: `<query>.<path>` for each leaf that carries it. */
export function secretsIn(answer: unknown, secrets: readonly Secret[], at = ''): string[] {
  const found: string[] = [];
  const visit = (value: unknown, path: string, key: string): void => {
    if (Array.isArray(value)) {
      value.forEach((item, i) => {
        visit(item, `${path}[${i}]`, key);
      });
      return;
    }
    if (value !== null && typeof value === 'object') {
      for (const [k, v] of Object.entries(value)) visit(v, `${path}.${k}`, k);
      return;
    }
    for (const secret of secrets) {
      const text = secret.text;
      if (typeof value === 'string' && text !== undefined && value.includes(text))
        found.push(`${secret.what} at ${path}`);
      if (
        typeof value === 'number' &&
        value === secret.number &&
        (secret.inField === undefined || secret.inField.test(key))
      )
        found.push(`${secret.what} at ${path}`);
    }
  };
  visit(answer, at, '');
  return found;
}
