import {
  Client,
  fetchExchange,
  mapExchange,
  subscriptionExchange,
  type AnyVariables,
  type CombinedError,
  type OperationResult,
  type TypedDocumentNode,
} from '@urql/core';
import { cacheExchange, type Data, type KeyingConfig } from '@urql/exchange-graphcache';
import { createClient as createSseClient } from 'graphql-sse';
import { useMemo } from 'react';
import { useClient } from 'urql';

/** A refusal of the api, by its stable code; errors of the network are not ApiErrors. */
export class ApiError extends Error {
  constructor(
    readonly code: string,
    message: string,
    /** The input field a user error is about, when the api named one. */
    readonly field: string[] = [],
  ) {
    super(message);
  }
}

/** Sent on `window` when the api no longer accepts the session's token: the app asks for a login. */
export const LOGIN_EXPIRED_EVENT = 'fabpool:login-expired';
/** Sent on `window` when a broken subscription stream is open again: events may have been missed. */
export const STREAM_REOPENED_EVENT = 'fabpool:stream-reopened';
const LOGIN_ENDED = new Set(['AUTH.REQUIRED', 'AUTH.INVALID_TOKEN']);

/** The api's refusal in an answer (by its code), or the network's error as it came. */
export function failureOf(error: CombinedError): Error {
  const refusal = error.graphQLErrors[0];
  if (refusal !== undefined) {
    const code = refusal.extensions.code;
    return new ApiError(typeof code === 'string' ? code : 'UNKNOWN', refusal.message);
  }
  return error.networkError ?? error;
}

/**
 * The entities the cache keeps once however many answers hold them, by their identity; any other
 * object is kept inside the answer that holds it.
 */
const byField =
  (field: string) =>
  (entity: Data): string | null => {
    const key = entity[field];
    return typeof key === 'string' || typeof key === 'number' ? String(key) : null;
  };
export const CACHE_KEYS: KeyingConfig = {
  WorkOrder: byField('id'),
  Lot: byField('id'),
  Factory: byField('id'),
  CapacityQuota: byField('id'),
  Alert: byField('id'),
  NotificationSubscription: byField('id'),
  NotificationDelivery: byField('id'),
  MatcherRun: byField('id'),
  Member: byField('memberId'),
  StatementCounterparty: byField('id'),
  Organisation: byField('mspId'),
  LedgerBlock: byField('blockNumber'),
  // Their `id` is a record's of the kind beside it, not their own: a Lot and its Settlement share one.
  LedgerChange: () => null,
  ChangedRecord: () => null,
  RecordVersion: () => null,
};

/**
 * The GraphQL client of one session: a normalised cache, queries and mutations over fetch,
 * subscriptions over server-sent events (one stream per subscription, shared by every view that
 * follows it, reopened when it breaks).
 */
export function createApiClient(token: string | undefined): Client {
  const authorization: Record<string, string> =
    token === undefined ? {} : { authorization: `Bearer ${token}` };
  const events = createSseClient({
    url: '/graphql',
    headers: () => authorization,
    retryAttempts: Number.POSITIVE_INFINITY,
    retry: () => new Promise((resolve) => setTimeout(resolve, 2_000)),
    on: {
      connected: (reconnected) => {
        if (reconnected) window.dispatchEvent(new Event(STREAM_REOPENED_EVENT));
      },
    },
  });
  return new Client({
    url: '/graphql',
    fetchOptions: () => ({ headers: authorization }),
    requestPolicy: 'cache-and-network',
    exchanges: [
      mapExchange({
        onError: (error) => {
          const code = error.graphQLErrors[0]?.extensions.code;
          if (token !== undefined && typeof code === 'string' && LOGIN_ENDED.has(code))
            window.dispatchEvent(new Event(LOGIN_EXPIRED_EVENT));
        },
      }),
      cacheExchange({ keys: CACHE_KEYS }),
      fetchExchange,
      subscriptionExchange({
        forwardSubscription: (request) => ({
          subscribe: (sink) => ({
            unsubscribe: events.subscribe({ ...request, query: request.query ?? '' }, sink),
          }),
        }),
      }),
    ],
  });
}

interface UserError {
  code: string;
  message: string;
  field: string[];
}

/**
 * The first user error a write answered with (a refusal the user can fix, beside the payload):
 * the pages treat it as they treat any refusal, by its code.
 */
function userErrorIn(data: unknown): UserError | undefined {
  if (typeof data !== 'object' || data === null) return undefined;
  for (const answer of Object.values(data)) {
    const errors = (answer as { userErrors?: UserError[] } | null)?.userErrors;
    if (errors !== undefined && errors.length > 0) return errors[0];
  }
  return undefined;
}

function dataOf<Data>(result: OperationResult<Data>): Data {
  if (result.error !== undefined) throw failureOf(result.error);
  if (result.data === undefined) throw new ApiError('UNKNOWN', 'empty answer');
  return result.data;
}

/** What a page does in answer to a person: ask once, or write to the ledger. */
export interface Api {
  /** A query's answer, fresh from the api (not the cache): a person asked for it now. */
  query<Data, Variables extends AnyVariables>(
    document: TypedDocumentNode<Data, Variables>,
    variables: Variables,
  ): Promise<Data>;
  /** A mutation's whole answer, its user errors included: for a page that shows them itself. */
  mutate<Data, Variables extends AnyVariables>(
    document: TypedDocumentNode<Data, Variables>,
    variables: Variables,
  ): Promise<Data>;
  /**
   * A mutation's answer. A ledger write's first user error — a refusal the user can fix, answered
   * beside the payload — is thrown as any refusal is, by its code, so the pages handle both alike.
   */
  write<Data, Variables extends AnyVariables>(
    document: TypedDocumentNode<Data, Variables>,
    variables: Variables,
  ): Promise<Data>;
}

export function apiOf(client: Client): Api {
  const mutate: Api['mutate'] = async (document, variables) =>
    dataOf(await client.mutation(document, variables).toPromise());
  return {
    query: async (document, variables) =>
      dataOf(await client.query(document, variables, { requestPolicy: 'network-only' }).toPromise()),
    mutate,
    write: async (document, variables) => {
      const data = await mutate(document, variables);
      const refused = userErrorIn(data);
      if (refused !== undefined) throw new ApiError(refused.code, refused.message, refused.field);
      return data;
    },
  };
}

/** The session's api, for a page's handlers. */
export function useApi(): Api {
  const client = useClient();
  return useMemo(() => apiOf(client), [client]);
}
