/** Vocabulary shared by every record: processes, shift buckets, ids and money. */

export const PROCESSES = ['INJECTION', 'CNC', 'PAINTING', 'ASSEMBLY', 'SMT', 'WIRE_HARNESS'] as const;
export type Process = (typeof PROCESSES)[number];

/** Shifts are 8-hour buckets starting at 00:00, 08:00 and 16:00 UTC, named by their start instant. */
export const BUCKET_HOURS = 8;
export const BUCKET_PATTERN = '^\\d{4}-\\d{2}-\\d{2}T(00|08|16):00:00Z$';
export const ID_PATTERN = '^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$';

/**
 * The one rule for free text in every record and request: anything a person types, in any script,
 * but no control character (tab, line feed and carriage return excepted) and no lone half of a
 * surrogate pair. No business text needs them; PostgreSQL's jsonb refuses U+0000 and lone
 * surrogates, so a record holding one would be committed on the ledger and then fail in every
 * member's read model.
 */
export const TEXT_PATTERN = '^[^\\u0000-\\u0008\\u000B\\u000C\\u000E-\\u001F\\u007F-\\u009F\\p{Cs}]*$';

export const idSchema = { type: 'string', pattern: ID_PATTERN } as const;
export const bucketSchema = { type: 'string', pattern: BUCKET_PATTERN } as const;
export const instantSchema = { type: 'string', format: 'date-time' } as const;
/** Money is integer fen (分): sums and settlements balance exactly, on every peer. */
export const moneySchema = { type: 'integer', minimum: 0, maximum: 1_000_000_000_000 } as const;
export const minutesSchema = { type: 'integer', minimum: 0, maximum: 10_000_000 } as const;
export const processSchema = { type: 'string', enum: PROCESSES } as const;

/** Start instant (ms) of a bucket name. */
export function bucketStartMs(bucket: string): number {
  return Date.parse(bucket);
}
