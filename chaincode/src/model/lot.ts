import type { JSONSchemaType } from 'ajv';
import { bucketSchema, idSchema, instantSchema, minutesSchema, moneySchema, TEXT_PATTERN } from './common.js';
import { ErrorCode } from './errors.js';
import { parserFor } from './validation.js';

export const LOT_STATUSES = [
  'ASSIGNED',
  'ACCEPTED',
  'IN_PROGRESS',
  'DONE',
  'DELIVERED',
  'SETTLED',
  'REJECTED',
  'REASSIGNED',
  'CANCELLED',
] as const;
export type LotStatus = (typeof LOT_STATUSES)[number];

/** Statuses in which a lot holds capacity (and quota minutes). */
export const LOT_HOLDING_STATUSES: readonly LotStatus[] = [
  'ASSIGNED',
  'ACCEPTED',
  'IN_PROGRESS',
  'DONE',
  'DELIVERED',
  'SETTLED',
];

/** A split part of a work order: some units through a range of its operations, at one factory, in one bucket. */
export interface Lot {
  lotId: string;
  workOrderId: string;
  runId: string;
  factoryId: string;
  factoryMspId: string;
  /** First and last operation (routing `seq`, inclusive). */
  fromSeq: number;
  toSeq: number;
  bucket: string;
  quantity: number;
  /** Price per unit of each operation from fromSeq to toSeq, in fen. */
  unitPrices: number[];
  /** Price per unit over the lot's operations (the sum of unitPrices), in fen. */
  unitPrice: number;
  /** Standard minutes the lot holds at the factory (quantity × standard minutes, rounded up). */
  minutes: number;
  quotaId?: string;
  status: LotStatus;
  acceptBy: string;
  assignedAt: string;
  updatedAt: string;
  rejectReason?: string;
  /** Good units out of the lot's last operation. */
  doneQuantity?: number;
  /** Units the receiver counted when the finished lot left its factory. */
  deliveredQuantity?: number;
  deliveredAt?: string;
  /** Units the customer accepted of the delivery; the settlement is computed on these. */
  acceptedQuantity?: number;
}

export const lotSchema: JSONSchemaType<Lot> = {
  $id: 'https://fabpool.dev/schemas/lot.json',
  type: 'object',
  additionalProperties: false,
  required: [
    'lotId',
    'workOrderId',
    'runId',
    'factoryId',
    'factoryMspId',
    'fromSeq',
    'toSeq',
    'bucket',
    'quantity',
    'unitPrices',
    'unitPrice',
    'minutes',
    'status',
    'acceptBy',
    'assignedAt',
    'updatedAt',
  ],
  properties: {
    lotId: { type: 'string', pattern: TEXT_PATTERN, minLength: 1, maxLength: 140 },
    workOrderId: idSchema,
    runId: idSchema,
    factoryId: idSchema,
    factoryMspId: { type: 'string', pattern: TEXT_PATTERN, minLength: 1, maxLength: 512 },
    fromSeq: { type: 'integer', minimum: 1 },
    toSeq: { type: 'integer', minimum: 1 },
    bucket: bucketSchema,
    quantity: { type: 'integer', minimum: 1 },
    unitPrices: { type: 'array', items: moneySchema, minItems: 1 },
    unitPrice: moneySchema,
    minutes: minutesSchema,
    quotaId: { ...idSchema, nullable: true },
    status: { type: 'string', enum: LOT_STATUSES },
    acceptBy: instantSchema,
    assignedAt: instantSchema,
    updatedAt: instantSchema,
    rejectReason: { type: 'string', pattern: TEXT_PATTERN, maxLength: 500, nullable: true },
    doneQuantity: { type: 'integer', minimum: 0, nullable: true },
    deliveredQuantity: { type: 'integer', minimum: 0, nullable: true },
    deliveredAt: { ...instantSchema, nullable: true },
    acceptedQuantity: { type: 'integer', minimum: 0, nullable: true },
  },
};

export const lotParser = parserFor(lotSchema, ErrorCode.CORRUPT_RECORD, 'lot record');
