import type { JSONSchemaType } from 'ajv';
import { idSchema, instantSchema, moneySchema, TEXT_PATTERN } from './common.js';
import { ErrorCode } from './errors.js';
import { parserFor } from './validation.js';

/**
 * Salts make a private value unguessable from its public hash: at least 16 characters a client
 * draws at random (a unit price alone could be found by trying every price).
 */
export const saltSchema = { type: 'string', pattern: '^[A-Za-z0-9+/=_-]{16,128}$' } as const;

/** A factory's sealed offer for a whole work order: kept in its own organisation's private collection. */
export interface SealedBid {
  workOrderId: string;
  factoryId: string;
  unitPrice: number;
  quantity: number;
  finishBy: string;
  salt: string;
}

export const BID_STATUSES = ['REVEALED', 'AWARDED', 'NOT_AWARDED'] as const;
export type BidStatus = (typeof BID_STATUSES)[number];

/** A bid once revealed after its window closed, checked against the hash sealed during the window. */
export interface Bid {
  workOrderId: string;
  factoryId: string;
  factoryMspId: string;
  unitPrice: number;
  quantity: number;
  finishBy: string;
  /** SHA-256 of the sealed bid the ledger held during the window. */
  sealHash: string;
  status: BidStatus;
  revealedAt: string;
  revealedByMemberId: string;
  updatedAt: string;
}

export const sealedBidSchema: JSONSchemaType<SealedBid> = {
  $id: 'https://fabpool.dev/schemas/sealed-bid.json',
  type: 'object',
  additionalProperties: false,
  required: ['workOrderId', 'factoryId', 'unitPrice', 'quantity', 'finishBy', 'salt'],
  properties: {
    workOrderId: idSchema,
    factoryId: idSchema,
    unitPrice: moneySchema,
    quantity: { type: 'integer', minimum: 1, maximum: 10_000_000 },
    finishBy: instantSchema,
    salt: saltSchema,
  },
};

export const bidSchema: JSONSchemaType<Bid> = {
  $id: 'https://fabpool.dev/schemas/bid.json',
  type: 'object',
  additionalProperties: false,
  required: [
    'workOrderId',
    'factoryId',
    'factoryMspId',
    'unitPrice',
    'quantity',
    'finishBy',
    'sealHash',
    'status',
    'revealedAt',
    'revealedByMemberId',
    'updatedAt',
  ],
  properties: {
    workOrderId: idSchema,
    factoryId: idSchema,
    factoryMspId: { type: 'string', pattern: TEXT_PATTERN, minLength: 1, maxLength: 512 },
    unitPrice: moneySchema,
    quantity: { type: 'integer', minimum: 1 },
    finishBy: instantSchema,
    sealHash: { type: 'string', pattern: '^[0-9a-f]{64}$' },
    status: { type: 'string', enum: BID_STATUSES },
    revealedAt: instantSchema,
    revealedByMemberId: { type: 'string', pattern: TEXT_PATTERN, minLength: 1, maxLength: 512 },
    updatedAt: instantSchema,
  },
};

export const sealedBidParser = parserFor(sealedBidSchema, ErrorCode.INVALID_ARGUMENT, 'sealed bid');
export const bidParser = parserFor(bidSchema, ErrorCode.CORRUPT_RECORD, 'bid record');

/** How a work order's process parameters (工艺参数) travel: privately, salted, hashed in public. */
export interface ProcessParameters {
  workOrderId: string;
  /** Named settings: temperatures, feeds, torques, programme numbers… */
  parameters: Record<string, string | number | boolean>;
  notes?: string;
  salt: string;
}

export const processParametersSchema = {
  $id: 'https://fabpool.dev/schemas/process-parameters.json',
  type: 'object',
  additionalProperties: false,
  required: ['workOrderId', 'parameters', 'salt'],
  properties: {
    workOrderId: idSchema,
    parameters: {
      type: 'object',
      minProperties: 1,
      maxProperties: 200,
      propertyNames: { pattern: '^[A-Za-z0-9_.-]{1,64}$' },
      additionalProperties: {
        anyOf: [
          { type: 'string', pattern: TEXT_PATTERN, maxLength: 500 },
          { type: 'number' },
          { type: 'boolean' },
        ],
      },
    },
    notes: { type: 'string', pattern: TEXT_PATTERN, maxLength: 2000 },
    salt: saltSchema,
  },
} as unknown as JSONSchemaType<ProcessParameters>;

export const processParametersParser = parserFor(
  processParametersSchema,
  ErrorCode.INVALID_ARGUMENT,
  'process parameters',
);
