/** The typed input of a ledger mutation, as the api's schema names it: `publishWorkOrder` → `PublishWorkOrderInput`. */
export const requestInputOf = (mutation: string): string =>
  `${mutation.charAt(0).toUpperCase()}${mutation.slice(1)}Input`;

/** What a ledger mutation's payload is asked for: the receipt, or the user errors that refused it. */
export const LEDGER_PAYLOAD =
  'receipt { transactionId blockNumber result } userErrors { code message field }';

/**
 * The code a refusal came with: a GraphQL error's (who is calling, limits), or the first user
 * error beside a payload (a refusal the caller can fix); undefined when nothing was refused.
 */
export function refusalOf(result: GqlResult): string | undefined {
  const error = result.errors?.[0]?.extensions?.code;
  if (error !== undefined) return error;
  for (const answer of Object.values(result.data ?? {})) {
    const code = (answer as { userErrors?: { code: string }[] } | null)?.userErrors?.[0]?.code;
    if (code !== undefined) return code;
  }
  return undefined;
}

/** What a GraphQL answer carries: data, or errors with their stable codes. */
export interface GqlResult {
  data?: Record<string, unknown> | null;
  errors?: { message: string; extensions?: { code?: string } }[];
}

/**
 * Asks the api as a logged-in member (the token kept for that member, if any): `gql` returns the
 * whole answer, `ok` its data and fails on any error or user error.
 */
export function graphqlClient(url: () => string, tokens: ReadonlyMap<string, string>) {
  const gql = async (query: string, variables: object, member: string): Promise<GqlResult> => {
    const token = tokens.get(member);
    const response = await fetch(`${url()}/graphql`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        ...(token === undefined ? {} : { authorization: `Bearer ${token}` }),
      },
      body: JSON.stringify({ query, variables }),
    });
    return (await response.json()) as GqlResult;
  };
  const ok = async (query: string, variables: object, member: string): Promise<Record<string, unknown>> => {
    const result = await gql(query, variables, member);
    if (result.errors !== undefined || refusalOf(result) !== undefined)
      throw new Error(JSON.stringify(result.errors ?? result.data));
    return result.data ?? {};
  };
  /** A ledger write through its mutation, as `member`: throws on an error or a refusal. */
  const mutate = (member: string, name: string, request: object): Promise<Record<string, unknown>> =>
    ok(
      `mutation($r: ${requestInputOf(name)}!) { ${name}(request: $r) { receipt { transactionId } userErrors { code message } } }`,
      { r: request },
      member,
    );
  return { gql, ok, mutate };
}

/** The nodes of the connection an answer holds under `field` (a list that can grow, paged). */
export function nodesOf<T>(data: Record<string, unknown> | null | undefined, field: string): T[] {
  const connection = data?.[field] as { edges?: { node: T }[] } | undefined;
  if (connection?.edges === undefined) throw new Error(`no connection ${field} in ${JSON.stringify(data)}`);
  return connection.edges.map((edge) => edge.node);
}
