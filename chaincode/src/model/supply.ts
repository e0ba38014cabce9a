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

/**
 * What a customer may do about a delayed material: wait for its supplier with the work kept at the
 * plants already chosen (re-ordered there), wait and let the work move to any plant, or order it
 * from one of the material's backup suppliers.
 */
export const SUPPLY_CHOICES = ['KEEP_PLANTS', 'MOVE_PLANTS', 'BACKUP_SUPPLIER'] as const;
export type SupplyChoiceKind = (typeof SUPPLY_CHOICES)[number];

/** The customer's answer to one delay of one material, on the ledger: the matcher follows it. */
export interface SupplyChoice {
  workOrderId: string;
  materialCode: string;
  /** The delay report it answers (SupplyDelay.seq). */
  delaySeq: number;
  choice: SupplyChoiceKind;
  /** Who now supplies the material: the backup chosen, or the supplier that reported the delay. */
  supplierMspId: string;
  /** When the material now comes: the delay's date, or the backup's committed date. */
  expectedAt: string;
  /** KEEP_PLANTS: the factories the order's live lots were at, which the work stays with. */
  keepFactoryIds?: string[];
  /** What the choice costs the customer more, in fen (a backup's extra cost × the material's quantity). */
  extraCost: number;
  chosenAt: string;
  chosenByMemberId: string;
}

export const supplyChoiceSchema: JSONSchemaType<SupplyChoice> = {
  $id: 'https://fabpool.dev/schemas/supply-choice.json',
  type: 'object',
  additionalProperties: false,
  required: [
    'workOrderId',
    'materialCode',
    'delaySeq',
    'choice',
    'supplierMspId',
    'expectedAt',
    'extraCost',
    'chosenAt',
    'chosenByMemberId',
  ],
  properties: {
    workOrderId: idSchema,
    materialCode: { type: 'string', pattern: TEXT_PATTERN, minLength: 1, maxLength: 64 },
    delaySeq: { type: 'integer', minimum: 1 },
    choice: { type: 'string', enum: SUPPLY_CHOICES, title: 'SupplyChoiceKind' },
    supplierMspId: { type: 'string', pattern: TEXT_PATTERN, minLength: 1, maxLength: 512 },
    expectedAt: instantSchema,
    keepFactoryIds: { type: 'array', items: idSchema, maxItems: 100, nullable: true },
    extraCost: { type: 'integer', minimum: 0 },
    chosenAt: instantSchema,
    chosenByMemberId: { type: 'string', pattern: TEXT_PATTERN, minLength: 1, maxLength: 512 },
  },
};

export const supplyChoiceParser = parserFor(
  supplyChoiceSchema,
  ErrorCode.CORRUPT_RECORD,
  'supply choice record',
);
