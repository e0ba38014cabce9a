/** GraphQL over fetch to the api that serves this app; errors keep the api's stable code. */
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
const LOGIN_ENDED = new Set(['AUTH.REQUIRED', 'AUTH.INVALID_TOKEN']);

export async function gql<T>(
  query: string,
  variables: Record<string, unknown> = {},
  token?: string,
): Promise<T> {
  const response = await fetch('/graphql', {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(token === undefined ? {} : { authorization: `Bearer ${token}` }),
    },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await response.json()) as {
    data?: T;
    errors?: { message: string; extensions?: { code?: string } }[];
  };
  const error = body.errors?.[0];
  if (token !== undefined && LOGIN_ENDED.has(error?.extensions?.code ?? ''))
    window.dispatchEvent(new Event(LOGIN_EXPIRED_EVENT));
  if (error !== undefined) throw new ApiError(error.extensions?.code ?? 'UNKNOWN', error.message);
  if (body.data === undefined) throw new ApiError('UNKNOWN', 'empty answer');
  return body.data;
}

/**
 * A ledger write (a mutation answering `{ receipt … userErrors … }`): its first user error — a
 * refusal the user can fix, answered beside the payload — is thrown as any refusal is, by its
 * code, so the pages handle both alike.
 */
export async function write<T = unknown>(
  mutation: string,
  variables: Record<string, unknown>,
  token: string,
): Promise<T> {
  const data = await gql<T>(mutation, variables, token);
  const refused = userErrorIn(data);
  if (refused !== undefined) throw new ApiError(refused.code, refused.message, refused.field);
  return data;
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

/**
 * A GraphQL subscription over server-sent events: `onData` gets each event's data until `signal`
 * aborts. Resolves when the stream ends (the server closed it, or the network dropped).
 */
// The caller names the shape of the events its subscription asks for (as `gql` does).
// eslint-disable-next-line @typescript-eslint/no-unnecessary-type-parameters
export async function subscribe<T>(
  query: string,
  token: string,
  onData: (data: T) => void,
  signal: AbortSignal,
): Promise<void> {
  const response = await fetch('/graphql', {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      accept: 'text/event-stream',
      authorization: `Bearer ${token}`,
    },
    body: JSON.stringify({ query }),
    signal,
  });
  const reader = response.body?.getReader();
  if (reader === undefined) return;
  const decoder = new TextDecoder();
  let buffer = '';
  for (;;) {
    const chunk = await reader.read();
    if (chunk.done) return;
    buffer += decoder.decode(chunk.value, { stream: true });
    const events = buffer.split('\n\n');
    buffer = events.pop() ?? '';
    for (const event of events) {
      const line = event.split('\n').find((l) => l.startsWith('data:'));
      if (line === undefined) continue;
      const data = (JSON.parse(line.slice(5)) as { data?: T }).data;
      if (data !== undefined) onData(data);
    }
  }
}
