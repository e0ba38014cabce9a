import type { JSONSchemaType } from 'ajv';
import { idSchema, instantSchema, TEXT_PATTERN } from './common.js';
import { ErrorCode } from './errors.js';
import { parserFor } from './validation.js';

/** One proposal of the matcher, as recorded: enough for an auditor to replay it from its input. */
export interface AssignmentRun {
  runId: string;
  /** sha256 of the matcher's input snapshot. */
  inputHash: string;
  objective: number;
  lotIds: string[];
  /** Lots of earlier runs this run moved (withdrawn before their factory accepted them). */
  withdrawnLotIds?: string[];
  recordedBy: string;
  recordedAt: string;
}

export const assignmentRunSchema: JSONSchemaType<AssignmentRun> = {
  $id: 'https://fabpool.dev/schemas/assignment-run.json',
  type: 'object',
  additionalProperties: false,
  required: ['runId', 'inputHash', 'objective', 'lotIds', 'recordedBy', 'recordedAt'],
  properties: {
    runId: idSchema,
    inputHash: { type: 'string', pattern: '^[0-9a-f]{64}$' },
    objective: { type: 'number' },
    lotIds: { type: 'array', items: { type: 'string', pattern: TEXT_PATTERN, maxLength: 512 } },
    withdrawnLotIds: {
      type: 'array',
      items: { type: 'string', pattern: TEXT_PATTERN, maxLength: 512 },
      nullable: true,
    },
    recordedBy: { type: 'string', pattern: TEXT_PATTERN, minLength: 1, maxLength: 512 },
    recordedAt: instantSchema,
  },
};

export const assignmentRunParser = parserFor(
  assignmentRunSchema,
  ErrorCode.CORRUPT_RECORD,
  'assignment run record',
);
