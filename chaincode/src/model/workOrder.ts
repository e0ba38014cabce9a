import type { JSONSchemaType } from 'ajv';
import {
  bucketSchema,
  idSchema,
  instantSchema,
  moneySchema,
  processSchema,
  type Process,
  TEXT_PATTERN,
} from './common.js';
import { ErrorCode } from './errors.js';
import { parserFor } from './validation.js';

/**
 * The material an operation consumes and how much of it one unit entering the operation should
 * take (标准单耗): the yardstick each report's material used is measured against.
 */
export interface StandardConsumption {
  materialCode: string;
  /** The material's unit of measure as the shop floor counts it (kg, m, 张…). */
  unit: string;
  /** Standard consumption per unit entering the operation, in `unit`. */
  perUnit: number;
}

export interface Operation {
  /** Position in the routing, from 1. */
  seq: number;
  process: Process;
  /** Standard time per unit (标准工时), in minutes. */
  standardMinutes: number;
  /** When set, each report of the operation says how much of this material it used. */
  material?: StandardConsumption;
}

export const PRIORITIES = ['NORMAL', 'RUSH'] as const;
export type Priority = (typeof PRIORITIES)[number];

export const WORK_ORDER_STATUSES = ['OPEN', 'CANCELLED', 'CLOSED'] as const;
export type WorkOrderStatus = (typeof WORK_ORDER_STATUSES)[number];

/** The sealed-bid outcome: the factory whose revealed bid won under the work order's rules. */
export interface BidAward {
  factoryId: string;
  factoryMspId: string;
  unitPrice: number;
  quantity: number;
  finishBy: string;
  awardedAt: string;
}

/** Another supplier that can deliver a material if its own supplier is late, and on what terms. */
export interface MaterialBackup {
  supplierMspId: string;
  /** Hours from the order to the material being at the first factory: its committed date. */
  leadTimeHours: number;
  /** What it costs the customer more than the usual supplier, per unit of material, in fen. */
  extraCostPerUnit: number;
}

export const MAX_MATERIAL_BACKUPS = 4;

/** Material a work order needs from a supplier: all a supplier ever sees of the order. */
export interface MaterialNeed {
  materialCode: string;
  supplierMspId: string;
  quantity: number;
  /** The shift by whose start the material must be at the first factory. */
  dueBucket: string;
  /** Who else can supply it, if the supplier reports a delay; the customer chooses. */
  backups?: MaterialBackup[];
}

export const materialBackupSchema: JSONSchemaType<MaterialBackup> = {
  type: 'object',
  additionalProperties: false,
  required: ['supplierMspId', 'leadTimeHours', 'extraCostPerUnit'],
  properties: {
    supplierMspId: { type: 'string', pattern: TEXT_PATTERN, minLength: 1, maxLength: 64 },
    leadTimeHours: { type: 'number', exclusiveMinimum: 0, maximum: 24 * 30 },
    extraCostPerUnit: { type: 'integer', minimum: 0, maximum: 1e9 },
  },
};

export const materialNeedSchema: JSONSchemaType<MaterialNeed> = {
  type: 'object',
  additionalProperties: false,
  required: ['materialCode', 'supplierMspId', 'quantity', 'dueBucket'],
  properties: {
    materialCode: { type: 'string', pattern: TEXT_PATTERN, minLength: 1, maxLength: 64 },
    supplierMspId: { type: 'string', pattern: TEXT_PATTERN, minLength: 1, maxLength: 64 },
    quantity: { type: 'number', exclusiveMinimum: 0, maximum: 1e9 },
    dueBucket: bucketSchema,
    backups: { type: 'array', items: materialBackupSchema, maxItems: MAX_MATERIAL_BACKUPS, nullable: true },
  },
};

/** A small work order (小工单) in the shared pool. */
export interface WorkOrder {
  workOrderId: string;
  customerMemberId: string;
  customerMspId: string;
  partNumber: string;
  quantity: number;
  routing: Operation[];
  /** The bucket by whose end the last operation should be done. */
  dueBucket: string;
  priority: Priority;
  /** The most the customer pays per finished unit, over the whole routing, in fen. */
  maxUnitPrice: number;
  /** Penalty per accepted unit per shift bucket delivered after the due bucket, in fen (the order's terms). */
  latePenaltyPerUnitPerBucket: number;
  /** When set, factories may seal bids until this instant; bids are revealed and awarded after it. */
  bidWindowEnd?: string;
  materials?: MaterialNeed[];
  award?: BidAward;
  /** How many amendments the customer has made (applied, waiting or declined). */
  amendments?: number;
  /** The amendment waiting for factories' consent, if any: no other may be made meanwhile. */
  pendingAmendment?: number;
  status: WorkOrderStatus;
  publishedAt: string;
  updatedAt: string;
}

export const standardConsumptionSchema: JSONSchemaType<StandardConsumption> = {
  type: 'object',
  additionalProperties: false,
  required: ['materialCode', 'unit', 'perUnit'],
  properties: {
    materialCode: { type: 'string', pattern: TEXT_PATTERN, minLength: 1, maxLength: 64 },
    unit: { type: 'string', pattern: TEXT_PATTERN, minLength: 1, maxLength: 16 },
    perUnit: { type: 'number', exclusiveMinimum: 0, maximum: 1_000_000 },
  },
};

export const operationSchema: JSONSchemaType<Operation> = {
  type: 'object',
  additionalProperties: false,
  required: ['seq', 'process', 'standardMinutes'],
  properties: {
    seq: { type: 'integer', minimum: 1, maximum: 100 },
    process: processSchema,
    standardMinutes: { type: 'number', exclusiveMinimum: 0, maximum: 10_000 },
    material: { ...standardConsumptionSchema, nullable: true },
  },
};

export const routingSchema: JSONSchemaType<Operation[]> = {
  type: 'array',
  items: operationSchema,
  minItems: 1,
  maxItems: 100,
};

export const workOrderSchema: JSONSchemaType<WorkOrder> = {
  $id: 'https://fabpool.dev/schemas/work-order.json',
  type: 'object',
  additionalProperties: false,
  required: [
    'workOrderId',
    'customerMemberId',
    'customerMspId',
    'partNumber',
    'quantity',
    'routing',
    'dueBucket',
    'priority',
    'maxUnitPrice',
    'latePenaltyPerUnitPerBucket',
    'status',
    'publishedAt',
    'updatedAt',
  ],
  properties: {
    workOrderId: idSchema,
    customerMemberId: { type: 'string', pattern: TEXT_PATTERN, minLength: 1, maxLength: 512 },
    customerMspId: { type: 'string', pattern: TEXT_PATTERN, minLength: 1, maxLength: 512 },
    partNumber: { type: 'string', pattern: TEXT_PATTERN, minLength: 1, maxLength: 64 },
    quantity: { type: 'integer', minimum: 1, maximum: 10_000_000 },
    routing: routingSchema,
    dueBucket: bucketSchema,
    priority: { type: 'string', enum: PRIORITIES },
    amendments: { type: 'integer', minimum: 0, nullable: true },
    pendingAmendment: { type: 'integer', minimum: 1, nullable: true },
    maxUnitPrice: moneySchema,
    latePenaltyPerUnitPerBucket: moneySchema,
    bidWindowEnd: { ...instantSchema, nullable: true },
    materials: { type: 'array', items: materialNeedSchema, maxItems: 20, nullable: true },
    award: {
      type: 'object',
      nullable: true,
      additionalProperties: false,
      required: ['factoryId', 'factoryMspId', 'unitPrice', 'quantity', 'finishBy', 'awardedAt'],
      properties: {
        factoryId: idSchema,
        factoryMspId: { type: 'string', pattern: TEXT_PATTERN, minLength: 1, maxLength: 512 },
        unitPrice: moneySchema,
        quantity: { type: 'integer', minimum: 1 },
        finishBy: instantSchema,
        awardedAt: instantSchema,
      },
    },
    status: { type: 'string', enum: WORK_ORDER_STATUSES },
    publishedAt: instantSchema,
    updatedAt: instantSchema,
  },
};

export const workOrderParser = parserFor(workOrderSchema, ErrorCode.CORRUPT_RECORD, 'work order record');
