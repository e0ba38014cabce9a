import type { Process } from './gql/graphql';
import type { MessageKey } from './i18n';

export interface Session {
  token: string;
  username: string;
  role: string;
}

/** What every page gets: the words of the chosen language and who is logged in. */
export interface PageProps {
  t: (key: MessageKey) => string;
  session: Session;
}

export const shiftLabel = (bucket: string): string => bucket.slice(5, 16).replace('T', ' ');

/** The processes the pool knows (chaincode `processSchema`, the api's `Process` enum). */
export const PROCESSES: Process[] = ['INJECTION', 'CNC', 'PAINTING', 'ASSEMBLY', 'SMT', 'WIRE_HARNESS'];

/** The pool's shift buckets: 8 h each, starting at 00:00, 08:00 and 16:00 UTC. */
export const SHIFT_MS = 8 * 3_600_000;

/** The bucket holding an instant, or the n-th after it. */
export const bucketAt = (ms: number, n = 0): string =>
  new Date((Math.floor(ms / SHIFT_MS) + n) * SHIFT_MS).toISOString().replace('.000Z', 'Z');

/** The first bucket starting at or after `hours` from now: a due shift the customer can name in hours. */
export const bucketInHours = (hours: number): string =>
  new Date(Math.ceil((Date.now() + hours * 3_600_000) / SHIFT_MS) * SHIFT_MS)
    .toISOString()
    .replace('.000Z', 'Z');

/** Money is integer fen on the ledger; people read yuan. */
export const yuan = (fen: number): string => `${(fen / 100).toFixed(2)} ¥`;
