import type { JSONSchemaType } from 'ajv';
import {
  bucketSchema,
  idSchema,
  instantSchema,
  minutesSchema,
  moneySchema,
  processSchema,
  type Process,
  TEXT_PATTERN,
} from './common.js';
import { ErrorCode } from './errors.js';
import { parserFor } from './validation.js';

export const QUOTA_STATUSES = ['LISTED', 'SOLD', 'RELEASED', 'EXPIRED'] as const;
export type QuotaStatus = (typeof QUOTA_STATUSES)[number];

/**
 * What a quota's listing says becomes of the unused part of its prepayment: the buyer who releases
 * it at least `releaseNoticeHours` before its window opens gets `releaseRefundPercent` of that
 * back (later, nothing); at the window's end `expiryRefundPercent` of what is unused comes back.
 * What is not refunded is forfeited to the factory, which held the minutes for the buyer.
 */
export interface QuotaTerms {
  releaseRefundPercent: number;
  releaseNoticeHours: number;
  expiryRefundPercent: number;
}

/** The terms of a quota listed without any (and of every quota listed before terms existed). */
export const DEFAULT_QUOTA_TERMS: QuotaTerms = {
  releaseRefundPercent: 100,
  releaseNoticeHours: 24,
  expiryRefundPercent: 0,
};

export const quotaTermsSchema: JSONSchemaType<QuotaTerms> = {
  type: 'object',
  additionalProperties: false,
  required: ['releaseRefundPercent', 'releaseNoticeHours', 'expiryRefundPercent'],
  properties: {
    releaseRefundPercent: { type: 'integer', minimum: 0, maximum: 100 },
    releaseNoticeHours: { type: 'integer', minimum: 0, maximum: 24 * 90 },
    expiryRefundPercent: { type: 'integer', minimum: 0, maximum: 100 },
  },
};

/**
 * Capacity pre-sale (产能预售 / 工单额度): minutes of one factory's process over a window of buckets,
 * listed at a price per minute; once bought, only the buyer's work orders may consume them, at
 * that locked price.
 */
export interface CapacityQuota {
  quotaId: string;
  factoryId: string;
  process: Process;
  /** First bucket of the window. */
  windowStart: string;
  /** Last bucket of the window (inclusive). */
  windowEnd: string;
  minutes: number;
  pricePerMinute: number;
  status: QuotaStatus;
  consumedMinutes: number;
  buyerMemberId?: string;
  buyerMspId?: string;
  soldAt?: string;
  /** Minutes given back unused (released by the buyer, or expired). */
  returnedMinutes?: number;
  /** Its release and expiry terms (DEFAULT_QUOTA_TERMS when absent). */
  terms?: QuotaTerms;
  listedAt: string;
  updatedAt: string;
}

export const quotaSchema: JSONSchemaType<CapacityQuota> = {
  $id: 'https://fabpool.dev/schemas/capacity-quota.json',
  type: 'object',
  additionalProperties: false,
  required: [
    'quotaId',
    'factoryId',
    'process',
    'windowStart',
    'windowEnd',
    'minutes',
    'pricePerMinute',
    'status',
    'consumedMinutes',
    'listedAt',
    'updatedAt',
  ],
  properties: {
    quotaId: idSchema,
    factoryId: idSchema,
    process: processSchema,
    windowStart: bucketSchema,
    windowEnd: bucketSchema,
    minutes: { ...minutesSchema, minimum: 1 },
    pricePerMinute: moneySchema,
    status: { type: 'string', enum: QUOTA_STATUSES },
    consumedMinutes: minutesSchema,
    buyerMemberId: { type: 'string', pattern: TEXT_PATTERN, nullable: true, maxLength: 512 },
    buyerMspId: { type: 'string', pattern: TEXT_PATTERN, nullable: true, maxLength: 512 },
    soldAt: { ...instantSchema, nullable: true },
    returnedMinutes: { ...minutesSchema, nullable: true },
    terms: { ...quotaTermsSchema, nullable: true },
    listedAt: instantSchema,
    updatedAt: instantSchema,
  },
};

export const quotaParser = parserFor(quotaSchema, ErrorCode.CORRUPT_RECORD, 'capacity quota record');

export function quotaCoversBucket(
  quota: Pick<CapacityQuota, 'windowStart' | 'windowEnd'>,
  bucket: string,
): boolean {
  return bucket >= quota.windowStart && bucket <= quota.windowEnd;
}

/** Minutes the buyer may still consume. */
export function quotaRemaining(quota: CapacityQuota): number {
  return quota.status === 'SOLD' ? quota.minutes - quota.consumedMinutes : 0;
}

export const QUOTA_PAYMENT_STATUSES = ['DUE', 'DECLARED', 'CONFIRMED'] as const;
export type QuotaPaymentStatus = (typeof QUOTA_PAYMENT_STATUSES)[number];

/**
 * The prepayment a bought quota creates: the buyer owes the factory minutes × price per minute
 * (fen) at once; the buyer declares it paid, the factory confirms it received. When the quota
 * closes (released or expired) its money is split for good:
 * amount = usedValue + refunded + forfeited.
 */
export interface QuotaPayment {
  quotaId: string;
  factoryId: string;
  payerMemberId: string;
  payerMspId: string;
  payeeMspId: string;
  amount: number;
  status: QuotaPaymentStatus;
  createdAt: string;
  declaredAt?: string;
  paymentReference?: string;
  confirmedAt?: string;
  closed?: {
    by: 'RELEASED' | 'EXPIRED';
    at: string;
    /** Minutes consumed × price: credited against the deliveries' settlements. */
    usedValue: number;
    refunded: number;
    forfeited: number;
  };
}

export const quotaPaymentSchema: JSONSchemaType<QuotaPayment> = {
  $id: 'https://fabpool.dev/schemas/quota-payment.json',
  type: 'object',
  additionalProperties: false,
  required: [
    'quotaId',
    'factoryId',
    'payerMemberId',
    'payerMspId',
    'payeeMspId',
    'amount',
    'status',
    'createdAt',
  ],
  properties: {
    quotaId: idSchema,
    factoryId: idSchema,
    payerMemberId: { type: 'string', pattern: TEXT_PATTERN, minLength: 1, maxLength: 512 },
    payerMspId: { type: 'string', pattern: TEXT_PATTERN, minLength: 1, maxLength: 512 },
    payeeMspId: { type: 'string', pattern: TEXT_PATTERN, minLength: 1, maxLength: 512 },
    amount: moneySchema,
    status: { type: 'string', enum: QUOTA_PAYMENT_STATUSES },
    createdAt: instantSchema,
    declaredAt: { ...instantSchema, nullable: true },
    paymentReference: { type: 'string', pattern: TEXT_PATTERN, minLength: 1, maxLength: 128, nullable: true },
    confirmedAt: { ...instantSchema, nullable: true },
    closed: {
      type: 'object',
      nullable: true,
      additionalProperties: false,
      required: ['by', 'at', 'usedValue', 'refunded', 'forfeited'],
      properties: {
        by: { type: 'string', enum: ['RELEASED', 'EXPIRED'] },
        at: instantSchema,
        usedValue: moneySchema,
        refunded: moneySchema,
        forfeited: moneySchema,
      },
    },
  },
};

export const quotaPaymentParser = parserFor(
  quotaPaymentSchema,
  ErrorCode.CORRUPT_RECORD,
  'quota payment record',
);
