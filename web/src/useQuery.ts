import { useCallback, useEffect, useState } from 'react';
import { ApiError, gql } from './api';

/** A GraphQL query's data, its error (code and message) and a reload, for one page. */
// The caller names the shape of the answer its query asks for (as `gql` does).
// eslint-disable-next-line @typescript-eslint/no-unnecessary-type-parameters
export function useQuery<T>(
  query: string,
  variables: Record<string, unknown>,
  token: string,
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
  return { data, error, reload };
}
