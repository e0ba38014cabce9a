import { GraphQLScalarType, Kind, type ValueNode } from 'graphql';

function parseLiteral(ast: ValueNode): unknown {
  switch (ast.kind) {
    case Kind.STRING:
    case Kind.BOOLEAN:
      return ast.value;
    case Kind.INT:
    case Kind.FLOAT:
      return Number(ast.value);
    case Kind.OBJECT:
      return Object.fromEntries(ast.fields.map((f) => [f.name.value, parseLiteral(f.value)]));
    case Kind.LIST:
      return ast.values.map(parseLiteral);
    default:
      return null;
  }
}

/** A JSON value: what stays free-form (a record as the ledger holds it, process parameters). */
export const JSONScalar = new GraphQLScalarType({
  name: 'JSON',
  description:
    'A JSON value: a record as the ledger holds it, or a chaincode request (checked against its JSON Schema).',
  serialize: (value) => value,
  parseValue: (value) => value,
  parseLiteral,
});
