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
