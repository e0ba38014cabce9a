import type { JSONSchemaType } from 'ajv';
import { bucketSchema, idSchema, minutesSchema, moneySchema, processSchema, type Process } from './common.js';
import { ErrorCode } from './errors.js';
import { processOfferSchema, type ProcessOffer } from './factory.js';
import { PRIORITIES, routingSchema, type Operation, type Priority } from './workOrder.js';
import { parserFor } from './validation.js';

/**
 * Every transaction that changes state takes one JSON request. `requestId` is the caller's
 * idempotency key: the same caller sending the same requestId again gets the first answer back and
 * changes nothing.
 */
export interface RequestBase {
  requestId: string;
}
const requestIdSchema = { type: 'string', pattern: '^[A-Za-z0-9._:-]{8,128}$' } as const;

export interface RegisterFactoryRequest extends RequestBase {
  factoryId: string;
  name: string;
  location: string;
  processes: ProcessOffer[];
}

export interface CapacityEntry {
  process: Process;
  bucket: string;
  minutes: number;
}
export interface DeclareCapacityRequest extends RequestBase {
  factoryId: string;
  entries: CapacityEntry[];
}

export interface ListQuotaRequest extends RequestBase {
  quotaId: string;
  factoryId: string;
  process: Process;
  windowStart: string;
  windowEnd: string;
  minutes: number;
  pricePerMinute: number;
}

export interface QuotaRequest extends RequestBase {
  quotaId: string;
}

export interface PublishWorkOrderRequest extends RequestBase {
  workOrderId: string;
  partNumber: string;
  quantity: number;
  routing: Operation[];
  dueBucket: string;
  priority: Priority;
  maxUnitPrice: number;
}

export interface WorkOrderRequest extends RequestBase {
  workOrderId: string;
}

export interface ProposedLot {
  workOrderId: string;
  factoryId: string;
  fromSeq: number;
  toSeq: number;
  bucket: string;
  quantity: number;
  /** Per-unit price of each operation from fromSeq to toSeq, in fen. */
  unitPrices: number[];
  quotaId?: string;
}

export interface RecordAssignmentRequest extends RequestBase {
  runId: string;
  inputHash: string;
  objective: number;
  /** Hours the factories have to accept or reject their lots. */
  acceptWithinHours: number;
  lots: ProposedLot[];
}

export interface LotRequest extends RequestBase {
  lotId: string;
}

export interface RejectLotRequest extends LotRequest {
  reason: string;
}

const object = <T>(required: string[], properties: Record<string, unknown>): JSONSchemaType<T> =>
  ({
    type: 'object',
    additionalProperties: false,
    required: ['requestId', ...required],
    properties: { requestId: requestIdSchema, ...properties },
  }) as unknown as JSONSchemaType<T>;

export const registerFactoryRequestSchema = object<RegisterFactoryRequest>(
  ['factoryId', 'name', 'location', 'processes'],
  {
    factoryId: idSchema,
    name: { type: 'string', minLength: 1, maxLength: 120 },
    location: { type: 'string', maxLength: 200 },
    processes: { type: 'array', items: processOfferSchema, minItems: 1, maxItems: 6 },
  },
);

export const declareCapacityRequestSchema = object<DeclareCapacityRequest>(['factoryId', 'entries'], {
  factoryId: idSchema,
  entries: {
    type: 'array',
    minItems: 1,
    maxItems: 500,
    items: {
      type: 'object',
      additionalProperties: false,
      required: ['process', 'bucket', 'minutes'],
      properties: { process: processSchema, bucket: bucketSchema, minutes: minutesSchema },
    },
  },
});

export const listQuotaRequestSchema = object<ListQuotaRequest>(
  ['quotaId', 'factoryId', 'process', 'windowStart', 'windowEnd', 'minutes', 'pricePerMinute'],
  {
    quotaId: idSchema,
    factoryId: idSchema,
    process: processSchema,
    windowStart: bucketSchema,
    windowEnd: bucketSchema,
    minutes: { ...minutesSchema, minimum: 1 },
    pricePerMinute: moneySchema,
  },
);

export const quotaRequestSchema = object<QuotaRequest>(['quotaId'], { quotaId: idSchema });

export const publishWorkOrderRequestSchema = object<PublishWorkOrderRequest>(
  ['workOrderId', 'partNumber', 'quantity', 'routing', 'dueBucket', 'priority', 'maxUnitPrice'],
  {
    workOrderId: idSchema,
    partNumber: { type: 'string', minLength: 1, maxLength: 64 },
    quantity: { type: 'integer', minimum: 1, maximum: 10_000_000 },
    routing: routingSchema,
    dueBucket: bucketSchema,
    priority: { type: 'string', enum: PRIORITIES },
    maxUnitPrice: moneySchema,
  },
);

export const workOrderRequestSchema = object<WorkOrderRequest>(['workOrderId'], { workOrderId: idSchema });

export const recordAssignmentRequestSchema = object<RecordAssignmentRequest>(
  ['runId', 'inputHash', 'objective', 'acceptWithinHours', 'lots'],
  {
    runId: idSchema,
    inputHash: { type: 'string', pattern: '^[0-9a-f]{64}$' },
    objective: { type: 'number' },
    acceptWithinHours: { type: 'integer', minimum: 1, maximum: 168 },
    lots: {
      type: 'array',
      minItems: 1,
      maxItems: 1000,
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['workOrderId', 'factoryId', 'fromSeq', 'toSeq', 'bucket', 'quantity', 'unitPrices'],
        properties: {
          workOrderId: idSchema,
          factoryId: idSchema,
          fromSeq: { type: 'integer', minimum: 1 },
          toSeq: { type: 'integer', minimum: 1 },
          bucket: bucketSchema,
          quantity: { type: 'integer', minimum: 1 },
          unitPrices: { type: 'array', items: moneySchema, minItems: 1, maxItems: 100 },
          quotaId: idSchema,
        },
      },
    },
  },
);

export const lotRequestSchema = object<LotRequest>(['lotId'], {
  lotId: { type: 'string', minLength: 1, maxLength: 140 },
});
export const rejectLotRequestSchema = object<RejectLotRequest>(['lotId', 'reason'], {
  lotId: { type: 'string', minLength: 1, maxLength: 140 },
  reason: { type: 'string', minLength: 1, maxLength: 500 },
});

const parser = <T>(schema: JSONSchemaType<T>, what: string) =>
  parserFor(schema, ErrorCode.INVALID_ARGUMENT, what);

export const requestParsers = {
  registerFactory: parser(registerFactoryRequestSchema, 'RegisterFactory request'),
  declareCapacity: parser(declareCapacityRequestSchema, 'DeclareCapacity request'),
  listQuota: parser(listQuotaRequestSchema, 'ListQuota request'),
  quota: parser(quotaRequestSchema, 'quota request'),
  publishWorkOrder: parser(publishWorkOrderRequestSchema, 'PublishWorkOrder request'),
  workOrder: parser(workOrderRequestSchema, 'work order request'),
  recordAssignment: parser(recordAssignmentRequestSchema, 'RecordAssignment request'),
  lot: parser(lotRequestSchema, 'lot request'),
  rejectLot: parser(rejectLotRequestSchema, 'RejectLot request'),
};
