import type { JSONSchemaType } from 'ajv';
import { instantSchema, TEXT_PATTERN } from './common.js';
import { ErrorCode } from './errors.js';
import { parserFor } from './validation.js';

/** Most bytes of a run input, compressed (base64 text of 8 MB: about 6 MB of gzip). */
export const MAX_RUN_INPUT_CONTENT = 8_000_000;
/** Most bytes it may expand to: a larger one is refused before it is inflated any further. */
export const MAX_RUN_INPUT_BYTES = 256 * 1024 * 1024;

/**
 * The complete input of one matcher run (the solver's snapshot, the lots it may move, the clock),
 * stored on the ledger under its SHA-256, so every auditor can fetch it by the hash an assignment
 * run names and re-run the matcher on exactly it. Kept compressed: gzip, as base64 text.
 */
export interface RunInput {
  inputHash: string;
  encoding: 'gzip';
  content: string;
  /** Size of the input once inflated: the canonical JSON the hash is over. */
  bytes: number;
  recordedBy: string;
  recordedAt: string;
}

export const runInputSchema: JSONSchemaType<RunInput> = {
  $id: 'https://fabpool.dev/schemas/run-input.json',
  type: 'object',
  additionalProperties: false,
  required: ['inputHash', 'encoding', 'content', 'bytes', 'recordedBy', 'recordedAt'],
  properties: {
    inputHash: { type: 'string', pattern: '^[0-9a-f]{64}$' },
    encoding: { type: 'string', const: 'gzip' },
    content: { type: 'string', pattern: '^[A-Za-z0-9+/]*={0,2}$', maxLength: MAX_RUN_INPUT_CONTENT },
    bytes: { type: 'integer', minimum: 0, maximum: MAX_RUN_INPUT_BYTES },
    recordedBy: { type: 'string', pattern: TEXT_PATTERN, minLength: 1, maxLength: 512 },
    recordedAt: instantSchema,
  },
};

export const runInputParser = parserFor(runInputSchema, ErrorCode.CORRUPT_RECORD, 'run input record');
