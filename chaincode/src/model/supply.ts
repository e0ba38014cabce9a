import type { JSONSchemaType } from 'ajv';
import { idSchema, instantSchema, TEXT_PATTERN } from './common.js';
import { ErrorCode } from './errors.js';
import { parserFor } from './validation.js';

/** The longest delay a supplier reports at once: a month; later than that is a new order. */
export const MAX_SUPPLY_DELAY_HOURS = 24 * 30;

/**
 * A supplier's word, signed by its own organisation, that a work order's material comes later
 * than the order needs it: a ledger fact the customer, the factories and the matcher all go by.
 */
export interface SupplyDelay {
  workOrderId: string;
  materialCode: string;
  /** 1 for the material's first report, then 2, 3… (a later report supersedes an earlier one). */
  seq: number;
  supplierMspId: string;
  delayHours: number;
  /** When the material now comes: the report's time plus the delay. */
  expectedAt: string;
  reason: string;
  reportedAt: string;
  reportedByMemberId: string;
}

export const supplyDelaySchema: JSONSchemaType<SupplyDelay> = {
  $id: 'https://fabpool.dev/schemas/supply-delay.json',
  type: 'object',
  additionalProperties: false,
  required: [
    'workOrderId',
    'materialCode',
    'seq',
    'supplierMspId',
    'delayHours',
    'expectedAt',
    'reason',
    'reportedAt',
    'reportedByMemberId',
  ],
  properties: {
    workOrderId: idSchema,
    materialCode: { type: 'string', pattern: TEXT_PATTERN, minLength: 1, maxLength: 64 },
    seq: { type: 'integer', minimum: 1 },
    supplierMspId: { type: 'string', pattern: TEXT_PATTERN, minLength: 1, maxLength: 512 },
    delayHours: { type: 'number', exclusiveMinimum: 0, maximum: MAX_SUPPLY_DELAY_HOURS },
    expectedAt: instantSchema,
    reason: { type: 'string', pattern: TEXT_PATTERN, minLength: 1, maxLength: 500 },
    reportedAt: instantSchema,
    reportedByMemberId: { type: 'string', pattern: TEXT_PATTERN, minLength: 1, maxLength: 512 },
  },
};

export const supplyDelayParser = parserFor(
  supplyDelaySchema,
  ErrorCode.CORRUPT_RECORD,
  'supply delay record',
);
