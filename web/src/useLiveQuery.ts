import type { AnyVariables, TypedDocumentNode } from '@urql/core';
import { useCallback, useEffect, useRef } from 'react';
import { useQuery, useSubscription } from 'urql';
import { failureOf, ApiError, STREAM_REOPENED_EVENT } from './api';
import { graphql } from './gql';

/** Every pool change the caller may see: what desks showing pool records follow. */
export const POOL_CHANGES = graphql(`
  subscription PoolChanges {
    poolChanges {
      transactionId
    }
  }
`);

/** How long a burst of events (one block's) is gathered into one reload. */
const BURST_MS = 250;

/**
 * A GraphQL query's data, its error (code and message) and a reload, for one page. With `liveOn`,
 * a subscription whose every event means the answer may have changed: the query runs again once
 * per burst, and again when a broken stream reopens (events may have been missed meanwhile).
 */
export function useLiveQuery<Data, Variables extends AnyVariables>(
  query: TypedDocumentNode<Data, Variables>,
  variables: Variables,
  liveOn?: TypedDocumentNode<unknown, Record<string, never>>,
): {
  data: Data | undefined;
  error: string | undefined;
  reload: () => void;
} {
  const [result, reexecute] = useQuery<Data, Variables>({ query, variables });
  const reload = useCallback(() => {
    reexecute({ requestPolicy: 'network-only' });
  }, [reexecute]);
  const pending = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  const changed = useCallback(() => {
    pending.current ??= setTimeout(() => {
      pending.current = undefined;
      reload();
    }, BURST_MS);
  }, [reload]);
  const [event] = useSubscription({ query: liveOn ?? POOL_CHANGES, pause: liveOn === undefined });
  useEffect(() => {
    if (event.data !== undefined) changed();
  }, [event.data, changed]);
  useEffect(() => {
    if (liveOn === undefined) return;
    window.addEventListener(STREAM_REOPENED_EVENT, changed);
    return () => {
      window.removeEventListener(STREAM_REOPENED_EVENT, changed);
      clearTimeout(pending.current);
    };
  }, [liveOn, changed]);
  const failure = result.error === undefined ? undefined : failureOf(result.error);
  return {
    data: result.data,
    error:
      failure === undefined
        ? undefined
        : failure instanceof ApiError
          ? `${failure.code}: ${failure.message}`
          : String(failure),
    reload,
  };
}
