import type { JSONSchemaType } from 'ajv';
import { idSchema, instantSchema, processSchema, type Process, TEXT_PATTERN } from './common.js';
import { ErrorCode } from './errors.js';
import { parserFor } from './validation.js';

/** Actual time above standard time × quantity by more than this share opens an exception (超时 15%). */
export const OVERRUN_TOLERANCE = 0.15;

/**
 * A scan carries the time the operator scanned (the device's clock): operations are timed by it,
 * so a queue replayed after a dead spot keeps their real durations. A scan time may run ahead of
 * the transaction's by this much (phones' clocks drift) …
 */
export const SCAN_CLOCK_SKEW_MINUTES = 5;
/** … and lag behind it by at most this much: longer offline than a weekend is entered by hand. */
export const SCAN_OFFLINE_LIMIT_HOURS = 72;

/**
 * An open exception climbs one level every this many minutes without an answer: the factory's team
 * lead is told when it opens, its manager after 15 minutes, the customer and the operator after 30.
 */
export const ESCALATION_STEP_MINUTES = 15;
export const ESCALATION_PARTIES = ['FACTORY_LEAD', 'FACTORY_MANAGER', 'CUSTOMER', 'OPERATOR'] as const;
export type EscalationParty = (typeof ESCALATION_PARTIES)[number];

/** Who is told at each level (level 1 at opening). */
export const ESCALATION_LADDER: readonly (readonly EscalationParty[])[] = [
  ['FACTORY_LEAD'],
  ['FACTORY_MANAGER'],
  ['CUSTOMER', 'OPERATOR'],
];

/** One step of an exception's escalation: who was told, when, and who recorded it. */
export interface Escalation {
  level: number;
  at: string;
  /** The people told, by their part: the lot's factory's lead or manager, the order's customer, the operator. */
  notified: { party: EscalationParty; mspId?: string }[];
  byMemberId: string;
}

export const PROGRESS_STATUSES = ['STARTED', 'REPORTED'] as const;
export type ProgressStatus = (typeof PROGRESS_STATUSES)[number];

/** An operation's material: the standard for the units that entered, and what the report says was used. */
export interface MaterialUse {
  materialCode: string;
  unit: string;
  /** Standard consumption per unit × input quantity, in `unit`. */
  standard: number;
  /** What the operation used, as reported; absent until the report. */
  used?: number;
}

/** One operation of one lot on the shop floor: started by a scan, reported by a scan. */
export interface OperationProgress {
  lotId: string;
  workOrderId: string;
  seq: number;
  process: Process;
  status: ProgressStatus;
  /** Units that entered the operation. */
  inputQuantity: number;
  /** Standard minutes for the input: standard minutes per unit × input quantity. */
  standardMinutes: number;
  operatorId: string;
  machineId: string;
  startedAt: string;
  startedByMemberId: string;
  reportedAt?: string;
  reportedByMemberId?: string;
  goodQuantity?: number;
  scrapQuantity?: number;
  /** Minutes between the start and the report transactions. */
  actualMinutes?: number;
  overrun?: boolean;
  /** Set when the routing gives the operation a standard consumption. */
  material?: MaterialUse;
}

export const EXCEPTION_STATUSES = ['OPEN', 'CLOSED'] as const;
export type ExceptionStatus = (typeof EXCEPTION_STATUSES)[number];

/** An operation that ran over its standard time; while open, the lot's next operation is frozen. */
export interface OperationException {
  lotId: string;
  workOrderId: string;
  seq: number;
  kind: 'OVERRUN';
  status: ExceptionStatus;
  /** Minutes the operation had run when the exception opened (all its minutes, once reported). */
  actualMinutes: number;
  allowedMinutes: number;
  /** When the overrun was seen: the report's scan time, or the watch's transaction time. */
  openedAt: string;
  /** Opened by the watch while the operation was still running, before its report. */
  whileRunning?: boolean;
  /** Every level it climbed, the first at opening; absent on exceptions opened before escalation was kept. */
  escalations?: Escalation[];
  cause?: string;
  firstAction?: string;
  /** The person on the floor who confirmed the cause and action (name or badge). */
  confirmedBy?: string;
  closedAt?: string;
  closedByMemberId?: string;
}

const shopFloorIdSchema = { type: 'string', pattern: TEXT_PATTERN, minLength: 1, maxLength: 64 } as const;
const quantitySchema = { type: 'integer', minimum: 0, maximum: 10_000_000 } as const;
/** An amount of material, in its unit of measure (three decimals are kept). */
export const materialAmountSchema = { type: 'number', minimum: 0, maximum: 1e12 } as const;
const lotIdSchema = { type: 'string', pattern: TEXT_PATTERN, minLength: 1, maxLength: 140 } as const;

export const progressSchema: JSONSchemaType<OperationProgress> = {
  $id: 'https://fabpool.dev/schemas/operation-progress.json',
  type: 'object',
  additionalProperties: false,
  required: [
    'lotId',
    'workOrderId',
    'seq',
    'process',
    'status',
    'inputQuantity',
    'standardMinutes',
    'operatorId',
    'machineId',
    'startedAt',
    'startedByMemberId',
  ],
  properties: {
    lotId: lotIdSchema,
    workOrderId: idSchema,
    seq: { type: 'integer', minimum: 1 },
    process: processSchema,
    status: { type: 'string', enum: PROGRESS_STATUSES },
    inputQuantity: quantitySchema,
    standardMinutes: { type: 'number', minimum: 0 },
    operatorId: shopFloorIdSchema,
    machineId: shopFloorIdSchema,
    startedAt: instantSchema,
    startedByMemberId: { type: 'string', pattern: TEXT_PATTERN, minLength: 1, maxLength: 512 },
    reportedAt: { ...instantSchema, nullable: true },
    reportedByMemberId: {
      type: 'string',
      pattern: TEXT_PATTERN,
      minLength: 1,
      nullable: true,
      maxLength: 512,
    },
    goodQuantity: { ...quantitySchema, nullable: true },
    scrapQuantity: { ...quantitySchema, nullable: true },
    actualMinutes: { type: 'number', minimum: 0, nullable: true },
    overrun: { type: 'boolean', nullable: true },
    material: {
      type: 'object',
      nullable: true,
      additionalProperties: false,
      required: ['materialCode', 'unit', 'standard'],
      properties: {
        materialCode: { type: 'string', pattern: TEXT_PATTERN, minLength: 1, maxLength: 64 },
        unit: { type: 'string', pattern: TEXT_PATTERN, minLength: 1, maxLength: 16 },
        standard: materialAmountSchema,
        used: { ...materialAmountSchema, nullable: true },
      },
    },
  },
};

export const exceptionSchema: JSONSchemaType<OperationException> = {
  $id: 'https://fabpool.dev/schemas/operation-exception.json',
  type: 'object',
  additionalProperties: false,
  required: ['lotId', 'workOrderId', 'seq', 'kind', 'status', 'actualMinutes', 'allowedMinutes', 'openedAt'],
  properties: {
    lotId: lotIdSchema,
    workOrderId: idSchema,
    seq: { type: 'integer', minimum: 1 },
    kind: { type: 'string', const: 'OVERRUN' },
    status: { type: 'string', enum: EXCEPTION_STATUSES },
    actualMinutes: { type: 'number', minimum: 0 },
    allowedMinutes: { type: 'number', minimum: 0 },
    openedAt: instantSchema,
    whileRunning: { type: 'boolean', nullable: true },
    escalations: {
      type: 'array',
      nullable: true,
      maxItems: ESCALATION_LADDER.length,
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['level', 'at', 'notified', 'byMemberId'],
        properties: {
          level: { type: 'integer', minimum: 1, maximum: ESCALATION_LADDER.length },
          at: instantSchema,
          notified: {
            type: 'array',
            maxItems: 4,
            items: {
              type: 'object',
              additionalProperties: false,
              required: ['party'],
              properties: {
                party: { type: 'string', enum: ESCALATION_PARTIES },
                mspId: {
                  type: 'string',
                  pattern: TEXT_PATTERN,
                  minLength: 1,
                  maxLength: 512,
                  nullable: true,
                },
              },
            },
          },
          byMemberId: { type: 'string', pattern: TEXT_PATTERN, minLength: 1, maxLength: 512 },
        },
      },
    },
    cause: { type: 'string', pattern: TEXT_PATTERN, maxLength: 500, nullable: true },
    firstAction: { type: 'string', pattern: TEXT_PATTERN, maxLength: 500, nullable: true },
    confirmedBy: { ...shopFloorIdSchema, nullable: true },
    closedAt: { ...instantSchema, nullable: true },
    closedByMemberId: { type: 'string', pattern: TEXT_PATTERN, minLength: 1, nullable: true, maxLength: 512 },
  },
};

export const progressParser = parserFor(
  progressSchema,
  ErrorCode.CORRUPT_RECORD,
  'operation progress record',
);
export const exceptionParser = parserFor(exceptionSchema, ErrorCode.CORRUPT_RECORD, 'exception record');
