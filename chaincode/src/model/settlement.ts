import type { JSONSchemaType } from 'ajv';
import { idSchema, instantSchema, moneySchema, TEXT_PATTERN } from './common.js';
import { ErrorCode } from './errors.js';
import { parserFor } from './validation.js';

/**
 * DUE until the side that sends the money declares it sent (DECLARED), PAID once the side that
 * receives it confirms it arrived. The customer sends, unless the amount is negative (a refund the
 * factory owes).
 */
export const SETTLEMENT_STATUSES = ['DUE', 'DECLARED', 'PAID'] as const;
export type SettlementStatus = (typeof SETTLEMENT_STATUSES)[number];

/**
 * What a customer owes a factory for one delivered lot. It balances by construction:
 * gross = latePenalty + prepaidCredit + amountDue. A negative amountDue is a refund the factory
 * owes (a penalty above what was left to pay after the quota prepayment).
 */
export interface Settlement {
  settlementId: string;
  lotId: string;
  workOrderId: string;
  payerMspId: string;
  payerMemberId: string;
  payeeMspId: string;
  acceptedQuantity: number;
  unitPrice: number;
  /** acceptedQuantity × unitPrice, in fen. */
  gross: number;
  bucketsLate: number;
  latePenalty: number;
  /** What the customer already paid for these minutes when it bought the quota. */
  prepaidCredit: number;
  amountDue: number;
  status: SettlementStatus;
  createdAt: string;
  declaredAt?: string;
  paidAt?: string;
  paymentReference?: string;
}

const signedMoneySchema = {
  type: 'integer',
  minimum: -1_000_000_000_000,
  maximum: 1_000_000_000_000,
} as const;

export const settlementSchema: JSONSchemaType<Settlement> = {
  $id: 'https://fabpool.dev/schemas/settlement.json',
  type: 'object',
  additionalProperties: false,
  required: [
    'settlementId',
    'lotId',
    'workOrderId',
    'payerMspId',
    'payerMemberId',
    'payeeMspId',
    'acceptedQuantity',
    'unitPrice',
    'gross',
    'bucketsLate',
    'latePenalty',
    'prepaidCredit',
    'amountDue',
    'status',
    'createdAt',
  ],
  properties: {
    settlementId: { type: 'string', pattern: TEXT_PATTERN, minLength: 1, maxLength: 140 },
    lotId: { type: 'string', pattern: TEXT_PATTERN, minLength: 1, maxLength: 140 },
    workOrderId: idSchema,
    payerMspId: { type: 'string', pattern: TEXT_PATTERN, minLength: 1, maxLength: 512 },
    payerMemberId: { type: 'string', pattern: TEXT_PATTERN, minLength: 1, maxLength: 512 },
    payeeMspId: { type: 'string', pattern: TEXT_PATTERN, minLength: 1, maxLength: 512 },
    acceptedQuantity: { type: 'integer', minimum: 0 },
    unitPrice: moneySchema,
    gross: moneySchema,
    bucketsLate: { type: 'integer', minimum: 0 },
    latePenalty: moneySchema,
    prepaidCredit: moneySchema,
    amountDue: signedMoneySchema,
    status: { type: 'string', enum: SETTLEMENT_STATUSES },
    createdAt: instantSchema,
    declaredAt: { ...instantSchema, nullable: true },
    paidAt: { ...instantSchema, nullable: true },
    paymentReference: { type: 'string', pattern: TEXT_PATTERN, minLength: 1, maxLength: 128, nullable: true },
  },
};

export const settlementParser = parserFor(settlementSchema, ErrorCode.CORRUPT_RECORD, 'settlement record');

/** Net position between two members over a period: what each owes the other, and the balance. */
export interface PeriodStatement {
  memberA: string;
  memberB: string;
  from: string;
  to: string;
  settlementIds: string[];
  /** Sum of amounts A owes B (due or paid), in fen. */
  owedByA: number;
  owedByB: number;
  /** owedByA − owedByB: positive means A pays B on balance. */
  netAPaysB: number;
  outstandingByA: number;
  outstandingByB: number;
  /**
   * Capacity quotas between the two: prepayments made for quotas bought in the period, and, for
   * quotas that closed in it, what came back to the buyer and what it forfeited (fen). A buyer's
   * prepayment is credited against its deliveries' settlements (their prepaidCredit).
   */
  quotaIds: string[];
  quotaPrepaidByA: number;
  quotaPrepaidByB: number;
  quotaRefundedToA: number;
  quotaRefundedToB: number;
  quotaForfeitedByA: number;
  quotaForfeitedByB: number;
}
