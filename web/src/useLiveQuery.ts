import { useCallback, useEffect, useState } from 'react';
import { ApiError, gql, subscribe } from './api';

interface Feed {
  listeners: Set<() => void>;
  controller: AbortController;
}
const feeds = new Map<string, Feed>();

/**
 * Calls `changed` after each event of a subscription (a burst, one block's, once), over one
 * shared stream per subscription and session however many views follow it: a browser allows a
 * page only a few open connections. The stream reconnects when dropped (the api restarted, the
 * network came back) and then reports a change, as events may have been missed meanwhile.
 */
function follow(subscription: string, token: string, changed: () => void): () => void {
  const key = `${token}\u0000${subscription}`;
  let feed = feeds.get(key);
  if (feed === undefined) {
    const created: Feed = { listeners: new Set(), controller: new AbortController() };
    let pending: ReturnType<typeof setTimeout> | undefined;
    const notify = () => {
      if (pending !== undefined) return;
      pending = setTimeout(() => {
        pending = undefined;
        for (const listener of created.listeners) listener();
      }, 250);
    };
    void (async () => {
      const { signal } = created.controller;
      while (!signal.aborted) {
        await subscribe(subscription, token, notify, signal).catch(() => undefined);
        // Aborted while the stream was open: the last view stopped following.
        // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition
        if (signal.aborted) return;
        await new Promise((resolve) => setTimeout(resolve, 2_000));
        notify();
      }
    })();
    feeds.set(key, created);
    feed = created;
  }
  const current = feed;
  current.listeners.add(changed);
  return () => {
    current.listeners.delete(changed);
    if (current.listeners.size === 0) {
      current.controller.abort();
      feeds.delete(key);
    }
  };
}

/** A GraphQL query's data, its error (code and message) and a reload, for one page. */
// The caller names the shape of the answer its query asks for (as `gql` does).
// eslint-disable-next-line @typescript-eslint/no-unnecessary-type-parameters
export function useQuery<T>(
  query: string,
  variables: Record<string, unknown>,
  token: string,
  /** A subscription whose every event means the answer may have changed: the query runs again. */
  liveOn?: string,
): {
  data: T | undefined;
  error: string | undefined;
  reload: () => void;
} {
  const [data, setData] = useState<T | undefined>();
  const [error, setError] = useState<string | undefined>();
  const key = JSON.stringify(variables);
  const reload = useCallback(() => {
    gql<T>(query, JSON.parse(key) as Record<string, unknown>, token).then(
      (d) => {
        setData(d);
        setError(undefined);
      },
      (e: unknown) => {
        setError(e instanceof ApiError ? `${e.code}: ${e.message}` : String(e));
      },
    );
  }, [query, key, token]);
  useEffect(reload, [reload]);
  useEffect(() => {
    if (liveOn === undefined) return;
    return follow(liveOn, token, reload);
  }, [liveOn, token, reload]);
  return { data, error, reload };
}

/** Every pool change the caller may see: what desks showing pool records follow. */
export const POOL_CHANGES = 'subscription { poolChanges { transactionId } }';
