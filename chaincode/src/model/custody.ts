import type { JSONSchemaType } from 'ajv';
import { idSchema, instantSchema, TEXT_PATTERN } from './common.js';
import { ErrorCode } from './errors.js';
import { parserFor } from './validation.js';

const quantitySchema = { type: 'integer', minimum: 0, maximum: 10_000_000 } as const;
const lotIdSchema = { type: 'string', pattern: TEXT_PATTERN, minLength: 1, maxLength: 140 } as const;

/** A hand-over the holder has offered and the receiver has not yet confirmed. */
export interface HandOverOffer {
  toMspId: string;
  quantity: number;
  /** The receiver's lot (next operations of the same work order) this material feeds, if any. */
  intoLotId?: string;
  offeredAt: string;
  offeredByMemberId: string;
}

/**
 * Who physically holds a lot's material now. One holder at a time: an offer does not move it,
 * only the receiver's confirmation does. A lot that waits for material from an upstream lot has
 * no holder yet.
 */
export interface Custody {
  lotId: string;
  workOrderId: string;
  holderMspId?: string;
  quantity: number;
  offer?: HandOverOffer;
  handOvers: number;
  updatedAt: string;
}

/** One confirmed hand-over, with every difference between what was held, sent and received. */
export interface HandOver {
  lotId: string;
  workOrderId: string;
  /** 1 for the lot's first hand-over, then 2, 3… */
  seq: number;
  fromMspId: string;
  toMspId: string;
  intoLotId?: string;
  heldQuantity: number;
  offeredQuantity: number;
  receivedQuantity: number;
  /** held − received: what went missing between the ledger's belief and the receiver's count. */
  difference: number;
  note?: string;
  offeredAt: string;
  offeredByMemberId: string;
  confirmedAt: string;
  confirmedByMemberId: string;
}

const offerSchema: JSONSchemaType<HandOverOffer> = {
  type: 'object',
  additionalProperties: false,
  required: ['toMspId', 'quantity', 'offeredAt', 'offeredByMemberId'],
  properties: {
    toMspId: { type: 'string', pattern: TEXT_PATTERN, minLength: 1, maxLength: 512 },
    quantity: quantitySchema,
    intoLotId: { ...lotIdSchema, nullable: true },
    offeredAt: instantSchema,
    offeredByMemberId: { type: 'string', pattern: TEXT_PATTERN, minLength: 1, maxLength: 512 },
  },
};

export const custodySchema: JSONSchemaType<Custody> = {
  $id: 'https://fabpool.dev/schemas/custody.json',
  type: 'object',
  additionalProperties: false,
  required: ['lotId', 'workOrderId', 'quantity', 'handOvers', 'updatedAt'],
  properties: {
    lotId: lotIdSchema,
    workOrderId: idSchema,
    holderMspId: { type: 'string', pattern: TEXT_PATTERN, minLength: 1, nullable: true, maxLength: 512 },
    quantity: quantitySchema,
    offer: { ...offerSchema, nullable: true },
    handOvers: { type: 'integer', minimum: 0 },
    updatedAt: instantSchema,
  },
};

export const handOverSchema: JSONSchemaType<HandOver> = {
  $id: 'https://fabpool.dev/schemas/hand-over.json',
  type: 'object',
  additionalProperties: false,
  required: [
    'lotId',
    'workOrderId',
    'seq',
    'fromMspId',
    'toMspId',
    'heldQuantity',
    'offeredQuantity',
    'receivedQuantity',
    'difference',
    'offeredAt',
    'offeredByMemberId',
    'confirmedAt',
    'confirmedByMemberId',
  ],
  properties: {
    lotId: lotIdSchema,
    workOrderId: idSchema,
    seq: { type: 'integer', minimum: 1 },
    fromMspId: { type: 'string', pattern: TEXT_PATTERN, minLength: 1, maxLength: 512 },
    toMspId: { type: 'string', pattern: TEXT_PATTERN, minLength: 1, maxLength: 512 },
    intoLotId: { ...lotIdSchema, nullable: true },
    heldQuantity: quantitySchema,
    offeredQuantity: quantitySchema,
    receivedQuantity: quantitySchema,
    difference: { type: 'integer' },
    note: { type: 'string', pattern: TEXT_PATTERN, maxLength: 500, nullable: true },
    offeredAt: instantSchema,
    offeredByMemberId: { type: 'string', pattern: TEXT_PATTERN, minLength: 1, maxLength: 512 },
    confirmedAt: instantSchema,
    confirmedByMemberId: { type: 'string', pattern: TEXT_PATTERN, minLength: 1, maxLength: 512 },
  },
};

export const custodyParser = parserFor(custodySchema, ErrorCode.CORRUPT_RECORD, 'custody record');
export const handOverParser = parserFor(handOverSchema, ErrorCode.CORRUPT_RECORD, 'hand-over record');
