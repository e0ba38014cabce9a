import type { JSONSchemaType } from 'ajv';
import { idSchema, instantSchema, moneySchema, TEXT_PATTERN } from './common.js';
import { ErrorCode } from './errors.js';
import type { PeriodStatement } from './settlement.js';
import { parserFor } from './validation.js';

export const STATEMENT_STATUSES = ['OPEN', 'AGREED', 'DISPUTED'] as const;
export type StatementStatus = (typeof STATEMENT_STATUSES)[number];

/** One side's word on a statement: who of it, and when. */
export interface StatementSignature {
  memberId: string;
  mspId: string;
  at: string;
}

/** What a party disputes: why, and which of the statement's lines. */
export interface StatementDispute extends StatementSignature {
  reason: string;
  settlementIds: string[];
  quotaIds: string[];
}

/**
 * A closed period statement (对账单) between one customer and one factory organisation: the
 * chaincode nets the period's settlements and quota payments between them when either side closes
 * it, and both sides acknowledge the same figures on the ledger — or one disputes it, naming the
 * lines and why. `contentHash` pins the lines as they were at closing, so an acknowledgement is of
 * exactly those amounts.
 */
export interface Statement {
  statementId: string;
  factoryMspId: string;
  customerMspId: string;
  customerMemberId: string;
  from: string;
  to: string;
  /** The netted figures, memberA being the customer's organisation and memberB the factory's. */
  figures: PeriodStatement;
  /** SHA-256 (hex) of the lines' amounts as closed. */
  contentHash: string;
  status: StatementStatus;
  closedAt: string;
  closedBy: StatementSignature;
  customerSignature?: StatementSignature;
  factorySignature?: StatementSignature;
  dispute?: StatementDispute;
}

const mspIdSchema = { type: 'string', pattern: TEXT_PATTERN, minLength: 1, maxLength: 512 } as const;
const lineIdsSchema = {
  type: 'array',
  maxItems: 10_000,
  items: { type: 'string', pattern: TEXT_PATTERN, minLength: 1, maxLength: 140 },
} as const;
const signedMoneySchema = {
  type: 'integer',
  minimum: -1_000_000_000_000,
  maximum: 1_000_000_000_000,
} as const;

const signatureProperties = {
  memberId: mspIdSchema,
  mspId: mspIdSchema,
  at: instantSchema,
} as const;
const signatureSchema: JSONSchemaType<StatementSignature> = {
  type: 'object',
  additionalProperties: false,
  required: ['memberId', 'mspId', 'at'],
  properties: signatureProperties,
};

export const periodStatementSchema: JSONSchemaType<PeriodStatement> = {
  type: 'object',
  additionalProperties: false,
  required: [
    'memberA',
    'memberB',
    'from',
    'to',
    'settlementIds',
    'owedByA',
    'owedByB',
    'netAPaysB',
    'outstandingByA',
    'outstandingByB',
    'quotaIds',
    'quotaPrepaidByA',
    'quotaPrepaidByB',
    'quotaRefundedToA',
    'quotaRefundedToB',
    'quotaForfeitedByA',
    'quotaForfeitedByB',
  ],
  properties: {
    memberA: mspIdSchema,
    memberB: mspIdSchema,
    from: instantSchema,
    to: instantSchema,
    settlementIds: lineIdsSchema,
    owedByA: signedMoneySchema,
    owedByB: signedMoneySchema,
    netAPaysB: signedMoneySchema,
    outstandingByA: signedMoneySchema,
    outstandingByB: signedMoneySchema,
    quotaIds: lineIdsSchema,
    quotaPrepaidByA: moneySchema,
    quotaPrepaidByB: moneySchema,
    quotaRefundedToA: moneySchema,
    quotaRefundedToB: moneySchema,
    quotaForfeitedByA: moneySchema,
    quotaForfeitedByB: moneySchema,
  },
};

export const statementSchema: JSONSchemaType<Statement> = {
  $id: 'https://fabpool.dev/schemas/statement.json',
  type: 'object',
  additionalProperties: false,
  required: [
    'statementId',
    'factoryMspId',
    'customerMspId',
    'customerMemberId',
    'from',
    'to',
    'figures',
    'contentHash',
    'status',
    'closedAt',
    'closedBy',
  ],
  properties: {
    statementId: idSchema,
    factoryMspId: mspIdSchema,
    customerMspId: mspIdSchema,
    customerMemberId: mspIdSchema,
    from: instantSchema,
    to: instantSchema,
    figures: periodStatementSchema,
    contentHash: { type: 'string', pattern: '^[0-9a-f]{64}$' },
    status: { type: 'string', enum: STATEMENT_STATUSES },
    closedAt: instantSchema,
    closedBy: signatureSchema,
    customerSignature: { ...signatureSchema, nullable: true },
    factorySignature: { ...signatureSchema, nullable: true },
    dispute: {
      type: 'object',
      nullable: true,
      additionalProperties: false,
      required: ['memberId', 'mspId', 'at', 'reason', 'settlementIds', 'quotaIds'],
      properties: {
        ...signatureProperties,
        reason: { type: 'string', pattern: TEXT_PATTERN, minLength: 1, maxLength: 2000 },
        settlementIds: lineIdsSchema,
        quotaIds: lineIdsSchema,
      },
    },
  },
};

export const statementParser = parserFor(statementSchema, ErrorCode.CORRUPT_RECORD, 'statement record');
