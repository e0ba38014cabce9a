import type { JSONSchemaType } from 'ajv';
import { bucketSchema, idSchema, instantSchema, TEXT_PATTERN } from './common.js';
import { ErrorCode } from './errors.js';
import { parserFor } from './validation.js';
import { PRIORITIES, type Priority } from './workOrder.js';

export const AMENDMENT_STATUSES = ['APPLIED', 'AWAITING_CONSENT', 'DECLINED'] as const;
export type AmendmentStatus = (typeof AMENDMENT_STATUSES)[number];

/** One field of a work order an amendment changes: what it was, what it becomes. */
export interface Change<T> {
  from: T;
  to: T;
}

/** A factory's answer to an amendment that touches its accepted lots. */
export interface AmendmentConsent {
  mspId: string;
  consent: boolean;
  note?: string;
  at: string;
  byMemberId: string;
}

/**
 * A change the customer made to its open work order: fewer units (a partial cancel), another due
 * shift, another priority. Lots no factory accepted yet are released at once for the matcher to
 * plan again; a change that touches a factory's accepted lots (fewer units than they hold, or an
 * earlier due shift, which changes their lateness) waits for each such factory's consent.
 */
export interface Amendment {
  workOrderId: string;
  /** 1 for the order's first amendment, then 2, 3… */
  seq: number;
  quantity?: Change<number>;
  dueBucket?: Change<string>;
  priority?: Change<Priority>;
  reason?: string;
  status: AmendmentStatus;
  requestedAt: string;
  requestedByMemberId: string;
  /** Organisations whose accepted lots it touches: each must consent before it applies. */
  consentOf: string[];
  consents: AmendmentConsent[];
  /** Accepted lots it releases once applied (fewer units than they hold). */
  touchedLotIds: string[];
  /** Lots it released: not yet accepted ones at once, touched accepted ones when applied. */
  releasedLotIds: string[];
  appliedAt?: string;
}

const mspIdSchema = { type: 'string', pattern: TEXT_PATTERN, minLength: 1, maxLength: 512 } as const;
const lotIdSchema = { type: 'string', pattern: TEXT_PATTERN, minLength: 1, maxLength: 140 } as const;
const quantitySchema = { type: 'integer', minimum: 1, maximum: 10_000_000 } as const;

export const amendmentSchema: JSONSchemaType<Amendment> = {
  $id: 'https://fabpool.dev/schemas/amendment.json',
  type: 'object',
  additionalProperties: false,
  required: [
    'workOrderId',
    'seq',
    'status',
    'requestedAt',
    'requestedByMemberId',
    'consentOf',
    'consents',
    'touchedLotIds',
    'releasedLotIds',
  ],
  properties: {
    workOrderId: idSchema,
    seq: { type: 'integer', minimum: 1 },
    quantity: {
      type: 'object',
      nullable: true,
      additionalProperties: false,
      required: ['from', 'to'],
      properties: { from: quantitySchema, to: quantitySchema },
    },
    dueBucket: {
      type: 'object',
      nullable: true,
      additionalProperties: false,
      required: ['from', 'to'],
      properties: { from: bucketSchema, to: bucketSchema },
    },
    priority: {
      type: 'object',
      nullable: true,
      additionalProperties: false,
      required: ['from', 'to'],
      properties: {
        from: { type: 'string', enum: PRIORITIES, title: 'Priority' },
        to: { type: 'string', enum: PRIORITIES, title: 'Priority' },
      },
    },
    reason: { type: 'string', pattern: TEXT_PATTERN, maxLength: 500, nullable: true },
    status: { type: 'string', enum: AMENDMENT_STATUSES },
    requestedAt: instantSchema,
    requestedByMemberId: mspIdSchema,
    consentOf: { type: 'array', items: mspIdSchema, maxItems: 100 },
    consents: {
      type: 'array',
      maxItems: 100,
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['mspId', 'consent', 'at', 'byMemberId'],
        properties: {
          mspId: mspIdSchema,
          consent: { type: 'boolean' },
          note: { type: 'string', pattern: TEXT_PATTERN, maxLength: 500, nullable: true },
          at: instantSchema,
          byMemberId: mspIdSchema,
        },
      },
    },
    touchedLotIds: { type: 'array', items: lotIdSchema, maxItems: 1000 },
    releasedLotIds: { type: 'array', items: lotIdSchema, maxItems: 1000 },
    appliedAt: { ...instantSchema, nullable: true },
  },
};

export const amendmentParser = parserFor(amendmentSchema, ErrorCode.CORRUPT_RECORD, 'amendment record');
