/** The typed input of a ledger mutation, as the api's schema names it: `publishWorkOrder` → `PublishWorkOrderInput`. */
export const requestInputOf = (mutation: string): string =>
  `${mutation.charAt(0).toUpperCase()}${mutation.slice(1)}Input`;

/** What a GraphQL answer carries: data, or errors with their stable codes. */
export interface GqlResult {
  data?: Record<string, unknown> | null;
  errors?: { message: string; extensions?: { code?: string } }[];
}

/**
 * Asks the api as a logged-in member (the token kept for that member, if any): `gql` returns the
 * whole answer, `ok` its data and fails on any error.
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
    if (result.errors !== undefined) throw new Error(JSON.stringify(result.errors));
    return result.data ?? {};
  };
  return { gql, ok };
}
