import {
  GraphQLError,
  Kind,
  type ASTVisitor,
  type FragmentDefinitionNode,
  type SelectionSetNode,
  type ValidationContext,
} from 'graphql';

export const MAX_DEPTH = 10;
export const MAX_FIELDS = 400;

/**
 * Refuses documents deeper than MAX_DEPTH or selecting more than MAX_FIELDS fields (aliases and
 * fragments counted as they expand): a query's cost is bounded before anything runs.
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
        fields += 1;
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
          new GraphQLError(`the query selects ${fields} fields; at most ${MAX_FIELDS}`, {
            extensions: { code: 'REQUEST.TOO_COSTLY' },
          }),
        );
    },
  };
}

/**
 * Requests per client per minute (token bucket; the client is the logged-in user, else the
 * address): enough for a dashboard, not for scraping or guessing passwords.
 */
export class RateLimiter {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();

  constructor(
    private readonly perMinute: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** Takes one request from the client's allowance; false when it is spent. */
  take(client: string): boolean {
    const now = this.now();
    const bucket = this.buckets.get(client) ?? { tokens: this.perMinute, at: now };
    const refill = ((now - bucket.at) / 60_000) * this.perMinute;
    bucket.tokens = Math.min(this.perMinute, bucket.tokens + refill);
    bucket.at = now;
    if (this.buckets.size > 100_000) this.buckets.clear();
    if (bucket.tokens < 1) {
      this.buckets.set(client, bucket);
      return false;
    }
    bucket.tokens -= 1;
    this.buckets.set(client, bucket);
    return true;
  }
}
