import {
  GraphQLError,
  Kind,
  type ASTVisitor,
  type FragmentDefinitionNode,
  type SelectionSetNode,
  type ValidationContext,
} from 'graphql';

export const MAX_DEPTH = 10;
/** What one query may cost: each field costs 1, the fields below cost more (see FIELD_WEIGHTS). */
export const MAX_FIELDS = 400;

/**
 * Fields whose answer takes far more work than a record read: aggregates over the whole read
 * model, ledger reads, solver runs. Counted at this weight, so a query cannot ask for a hundred of
 * them under aliases.
 */
export const FIELD_WEIGHTS: Readonly<Record<string, number>> = {
  analytics: 100,
  whatIf: 100,
  verifyLedger: 200,
  trace: 25,
  keyHistory: 25,
  ledgerBlocks: 25,
  capacityGrid: 25,
  lotsInShifts: 25,
  demandForecast: 25,
  settlementStatement: 25,
  matcherRuns: 10,
  pool: 10,
};

/**
 * Refuses documents deeper than MAX_DEPTH or costing more than MAX_FIELDS (each field at its
 * weight; aliases and fragments counted as they expand): a query's cost is bounded before
 * anything runs.
 */
export function queryLimitsRule(context: ValidationContext): ASTVisitor {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of context.getDocument().definitions)
    if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);

  const measure = (
    set: SelectionSetNode,
    depth: number,
    seen: Set<string>,
  ): { depth: number; fields: number } => {
    let deepest = depth;
    let fields = 0;
    for (const selection of set.selections) {
      if (selection.kind === Kind.FIELD) {
        fields += FIELD_WEIGHTS[selection.name.value] ?? 1;
        if (selection.selectionSet !== undefined) {
          const inner = measure(selection.selectionSet, depth + 1, seen);
          deepest = Math.max(deepest, inner.depth);
          fields += inner.fields;
        }
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        const inner = measure(selection.selectionSet, depth, seen);
        deepest = Math.max(deepest, inner.depth);
        fields += inner.fields;
      } else {
        const name = selection.name.value;
        const fragment = fragments.get(name);
        // A fragment spread inside itself is reported by GraphQL's own rules; do not loop on it.
        if (fragment === undefined || seen.has(name)) continue;
        const inner = measure(fragment.selectionSet, depth, new Set([...seen, name]));
        deepest = Math.max(deepest, inner.depth);
        fields += inner.fields;
      }
    }
    return { depth: deepest, fields };
  };

  return {
    OperationDefinition(node) {
      const { depth, fields } = measure(node.selectionSet, 1, new Set());
      if (depth > MAX_DEPTH)
        context.reportError(
          new GraphQLError(`the query is ${depth} levels deep; at most ${MAX_DEPTH}`, {
            extensions: { code: 'REQUEST.TOO_DEEP' },
          }),
        );
      if (fields > MAX_FIELDS)
        context.reportError(
          new GraphQLError(`the query costs ${fields} (a field 1, a heavy one more); at most ${MAX_FIELDS}`, {
            extensions: { code: 'REQUEST.TOO_COSTLY' },
          }),
        );
    },
  };
}

/**
 * graphql-js's validation messages without their "Did you mean …?" hints: outside development
 * they would spell out the schema to a client that has no business knowing it.
 */
export function withoutSuggestions({
  result,
  setResult,
}: {
  result: readonly GraphQLError[];
  setResult: (errors: GraphQLError[]) => void;
}): void {
  setResult(
    result.map((error) =>
      / Did you mean .*\?$/.test(error.message)
        ? new GraphQLError(error.message.replace(/ Did you mean .*\?$/, ''), {
            ...(error.nodes === undefined ? {} : { nodes: error.nodes }),
            extensions: error.extensions,
          })
        : error,
    ),
  );
}
