import type { JSONSchemaType } from 'ajv';
import {
  bucketSchema,
  instantSchema,
  idSchema,
  minutesSchema,
  moneySchema,
  processSchema,
  type Process,
  TEXT_PATTERN,
} from './common.js';
import { sealedBidSchema, type SealedBid } from './bid.js';
import { ErrorCode } from './errors.js';
import { processOfferSchema, type ProcessOffer } from './factory.js';
import {
  materialNeedSchema,
  PRIORITIES,
  routingSchema,
  type MaterialNeed,
  type Operation,
  type Priority,
} from './workOrder.js';
import { parserFor } from './validation.js';
import { MAX_RUN_INPUT_CONTENT } from './runInput.js';
import { quotaTermsSchema, type QuotaTerms } from './quota.js';
import { MAX_SUPPLY_DELAY_HOURS, SUPPLY_CHOICES, type SupplyChoiceKind } from './supply.js';
import { materialAmountSchema } from './progress.js';

/**
 * Every transaction that changes state takes one JSON request. `requestId` is the caller's
 * idempotency key: the same caller sending the same requestId again gets the first answer back and
 * changes nothing.
 */
export interface RequestBase {
  requestId: string;
}
export const requestIdSchema = { type: 'string', pattern: '^[A-Za-z0-9._:-]{8,128}$' } as const;

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
  terms?: QuotaTerms;
}

export interface QuotaRequest extends RequestBase {
  quotaId: string;
}

export interface DeclareQuotaPaymentRequest extends RequestBase {
  quotaId: string;
  paymentReference: string;
}

export interface PublishWorkOrderRequest extends RequestBase {
  workOrderId: string;
  partNumber: string;
  quantity: number;
  routing: Operation[];
  dueBucket: string;
  priority: Priority;
  maxUnitPrice: number;
  /** Fen per accepted unit per bucket late; 0 when absent. */
  latePenaltyPerUnitPerBucket?: number;
  /** Opens a sealed-bid window until this instant. */
  bidWindowEnd?: string;
  materials?: MaterialNeed[];
}

/** Work orders from a customer's ERP, published together or not at all. */
export interface PublishWorkOrdersRequest extends RequestBase {
  workOrders: Omit<PublishWorkOrderRequest, 'requestId'>[];
}

export interface WorkOrderRequest extends RequestBase {
  workOrderId: string;
}

/** A supplier reports that the material it supplies to a work order comes later. */
export interface ReportSupplyDelayRequest extends WorkOrderRequest {
  materialCode: string;
  delayHours: number;
  reason: string;
}

/** The customer's answer to a delay of a material of its work order. */
export interface ChooseSupplyAlternativeRequest extends WorkOrderRequest {
  materialCode: string;
  delaySeq: number;
  choice: SupplyChoiceKind;
  /** BACKUP_SUPPLIER: which of the material's backups. */
  backupSupplierMspId?: string;
}

/** The customer's change to its open work order; at least one field. */
export interface AmendWorkOrderRequest extends WorkOrderRequest {
  quantity?: number;
  dueBucket?: string;
  priority?: Priority;
  reason?: string;
}

/** A factory's answer to an amendment that touches its accepted lots. */
export interface AnswerAmendmentRequest extends WorkOrderRequest {
  seq: number;
  consent: boolean;
  note?: string;
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

export interface RecordRunInputRequest extends RequestBase {
  inputHash: string;
  /** The input's canonical JSON, gzip-compressed, as base64. */
  content: string;
}

export interface RecordAssignmentRequest extends RequestBase {
  runId: string;
  inputHash: string;
  objective: number;
  /** Hours the factories have to accept or reject their lots. */
  acceptWithinHours: number;
  lots: ProposedLot[];
  /** Lots of earlier runs not yet accepted that this run moves: they become REASSIGNED and free what they held. */
  withdrawLotIds?: string[];
}

export interface LotRequest extends RequestBase {
  lotId: string;
}

export interface RejectLotRequest extends LotRequest {
  reason: string;
}

export interface OfferHandOverRequest extends LotRequest {
  toMspId: string;
  quantity: number;
  intoLotId?: string;
}

/** Units of a DONE lot that feed the sender's own lot of the next operation. */
export interface HandOverWithinRequest extends LotRequest {
  intoLotId: string;
  quantity: number;
}

export interface ConfirmHandOverRequest extends LotRequest {
  receivedQuantity: number;
  note?: string;
}

export interface StartOperationRequest extends LotRequest {
  seq: number;
  operatorId: string;
  machineId: string;
  /** When the operator scanned, by the device's clock; the transaction's time when absent. */
  scannedAt?: string;
}

export interface ReportOperationRequest extends LotRequest {
  seq: number;
  goodQuantity: number;
  scrapQuantity: number;
  /** Material the operation used, in the unit its routing names: required when it names one. */
  materialUsed?: number;
  operatorId: string;
  machineId: string;
  /** When the operator scanned, by the device's clock; the transaction's time when absent. */
  scannedAt?: string;
}

/** One operation of a lot, named: the watch flags its overrun, or escalates its exception. */
export interface OperationRequest extends LotRequest {
  seq: number;
}

export interface CloseExceptionRequest extends LotRequest {
  seq: number;
  cause: string;
  firstAction: string;
  confirmedBy: string;
}

export interface AcceptDeliveryRequest extends LotRequest {
  acceptedQuantity: number;
}

/** The side that sends a settlement's money says it sent it, with its bank reference. */
export interface DeclarePaymentRequest extends RequestBase {
  settlementId: string;
  paymentReference?: string;
}

/** The side that receives a settlement's money says it arrived. */
export interface ConfirmPaymentRequest extends RequestBase {
  settlementId: string;
}

/** Either side closes a period between a customer and a factory organisation into a statement. */
export interface CloseStatementRequest extends RequestBase {
  statementId: string;
  factoryMspId: string;
  customerMemberId: string;
  from: string;
  to: string;
}

export interface StatementRequest extends RequestBase {
  statementId: string;
}

export interface DisputeStatementRequest extends StatementRequest {
  reason: string;
  settlementIds: string[];
  quotaIds: string[];
}

/** Sealing, sharing: the private part travels as transient data, never in the request. */
export interface SealBidRequest extends RequestBase {
  workOrderId: string;
  factoryId: string;
}

/** Revealing: the sealed bid itself, public now that the window is closed. */
export interface RevealBidRequest extends RequestBase {
  bid: SealedBid;
}

export interface ShareProcessParametersRequest extends RequestBase {
  workOrderId: string;
  lotId: string;
}

const lotIdSchema = { type: 'string', pattern: TEXT_PATTERN, minLength: 1, maxLength: 140 } as const;
const quantitySchema = { type: 'integer', minimum: 0, maximum: 10_000_000 } as const;
const shopFloorIdSchema = { type: 'string', pattern: TEXT_PATTERN, minLength: 1, maxLength: 64 } as const;
const seqSchema = { type: 'integer', minimum: 1, maximum: 100 } as const;

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
    name: { type: 'string', pattern: TEXT_PATTERN, minLength: 1, maxLength: 120 },
    location: { type: 'string', pattern: TEXT_PATTERN, maxLength: 200 },
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
    terms: { ...quotaTermsSchema, nullable: true },
  },
);

export const quotaRequestSchema = object<QuotaRequest>(['quotaId'], { quotaId: idSchema });

export const declareQuotaPaymentRequestSchema = object<DeclareQuotaPaymentRequest>(
  ['quotaId', 'paymentReference'],
  {
    quotaId: idSchema,
    paymentReference: { type: 'string', pattern: TEXT_PATTERN, minLength: 1, maxLength: 128 },
  },
);

export const publishWorkOrderRequestSchema = object<PublishWorkOrderRequest>(
  ['workOrderId', 'partNumber', 'quantity', 'routing', 'dueBucket', 'priority', 'maxUnitPrice'],
  {
    workOrderId: idSchema,
    partNumber: { type: 'string', pattern: TEXT_PATTERN, minLength: 1, maxLength: 64 },
    quantity: { type: 'integer', minimum: 1, maximum: 10_000_000 },
    routing: routingSchema,
    dueBucket: bucketSchema,
    priority: { type: 'string', enum: PRIORITIES },
    maxUnitPrice: moneySchema,
    latePenaltyPerUnitPerBucket: { ...moneySchema, nullable: true },
    bidWindowEnd: { type: 'string', format: 'date-time', nullable: true },
    materials: { type: 'array', items: materialNeedSchema, maxItems: 20, nullable: true },
  },
);

/** One work order of a batch: a publish request without its own request id. */
const workOrderItemProperties = Object.fromEntries(
  Object.entries(
    (publishWorkOrderRequestSchema as unknown as { properties: Record<string, unknown> }).properties,
  ).filter(([name]) => name !== 'requestId'),
);
/** One row of a batch (an ERP import): a work order to publish, without a request id of its own. */
export const publishWorkOrderItemSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['workOrderId', 'partNumber', 'quantity', 'routing', 'dueBucket', 'priority', 'maxUnitPrice'],
  properties: workOrderItemProperties,
} as unknown as JSONSchemaType<Omit<PublishWorkOrderRequest, 'requestId'>>;

export const publishWorkOrdersRequestSchema = object<PublishWorkOrdersRequest>(['workOrders'], {
  workOrders: { type: 'array', minItems: 1, maxItems: 500, items: publishWorkOrderItemSchema },
});

export const workOrderRequestSchema = object<WorkOrderRequest>(['workOrderId'], { workOrderId: idSchema });

export const reportSupplyDelayRequestSchema = object<ReportSupplyDelayRequest>(
  ['workOrderId', 'materialCode', 'delayHours', 'reason'],
  {
    workOrderId: idSchema,
    materialCode: { type: 'string', pattern: TEXT_PATTERN, minLength: 1, maxLength: 64 },
    delayHours: { type: 'number', exclusiveMinimum: 0, maximum: MAX_SUPPLY_DELAY_HOURS },
    reason: { type: 'string', pattern: TEXT_PATTERN, minLength: 1, maxLength: 500 },
  },
);
export const chooseSupplyAlternativeRequestSchema = object<ChooseSupplyAlternativeRequest>(
  ['workOrderId', 'materialCode', 'delaySeq', 'choice'],
  {
    workOrderId: idSchema,
    materialCode: { type: 'string', pattern: TEXT_PATTERN, minLength: 1, maxLength: 64 },
    delaySeq: { type: 'integer', minimum: 1 },
    choice: { type: 'string', enum: SUPPLY_CHOICES, title: 'SupplyChoiceKind' },
    backupSupplierMspId: {
      type: 'string',
      pattern: TEXT_PATTERN,
      minLength: 1,
      maxLength: 64,
      nullable: true,
    },
  },
);
export const amendWorkOrderRequestSchema = object<AmendWorkOrderRequest>(['workOrderId'], {
  workOrderId: idSchema,
  quantity: { type: 'integer', minimum: 1, maximum: 10_000_000 },
  dueBucket: bucketSchema,
  priority: { type: 'string', enum: PRIORITIES },
  reason: { type: 'string', pattern: TEXT_PATTERN, minLength: 1, maxLength: 500 },
});
export const answerAmendmentRequestSchema = object<AnswerAmendmentRequest>(
  ['workOrderId', 'seq', 'consent'],
  {
    workOrderId: idSchema,
    seq: { type: 'integer', minimum: 1, maximum: 10_000 },
    consent: { type: 'boolean' },
    note: { type: 'string', pattern: TEXT_PATTERN, minLength: 1, maxLength: 500 },
  },
);
export const recordRunInputRequestSchema = object<RecordRunInputRequest>(['inputHash', 'content'], {
  inputHash: { type: 'string', pattern: '^[0-9a-f]{64}$' },
  content: {
    type: 'string',
    pattern: '^[A-Za-z0-9+/]*={0,2}$',
    minLength: 1,
    maxLength: MAX_RUN_INPUT_CONTENT,
  },
});
export const recordAssignmentRequestSchema = object<RecordAssignmentRequest>(
  ['runId', 'inputHash', 'objective', 'acceptWithinHours', 'lots'],
  {
    runId: idSchema,
    inputHash: { type: 'string', pattern: '^[0-9a-f]{64}$' },
    objective: { type: 'number' },
    acceptWithinHours: { type: 'integer', minimum: 1, maximum: 168 },
    lots: {
      type: 'array',
      minItems: 0,
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
    withdrawLotIds: { type: 'array', items: lotIdSchema, maxItems: 1000, uniqueItems: true, nullable: true },
  },
);

export const lotRequestSchema = object<LotRequest>(['lotId'], {
  lotId: lotIdSchema,
});
export const rejectLotRequestSchema = object<RejectLotRequest>(['lotId', 'reason'], {
  lotId: lotIdSchema,
  reason: { type: 'string', pattern: TEXT_PATTERN, minLength: 1, maxLength: 500 },
});

export const offerHandOverRequestSchema = object<OfferHandOverRequest>(['lotId', 'toMspId', 'quantity'], {
  lotId: lotIdSchema,
  toMspId: { type: 'string', pattern: TEXT_PATTERN, minLength: 1, maxLength: 64 },
  quantity: quantitySchema,
  intoLotId: lotIdSchema,
});
export const handOverWithinRequestSchema = object<HandOverWithinRequest>(['lotId', 'intoLotId', 'quantity'], {
  lotId: lotIdSchema,
  intoLotId: lotIdSchema,
  quantity: { ...quantitySchema, minimum: 1 },
});
export const confirmHandOverRequestSchema = object<ConfirmHandOverRequest>(['lotId', 'receivedQuantity'], {
  lotId: lotIdSchema,
  receivedQuantity: quantitySchema,
  note: { type: 'string', pattern: TEXT_PATTERN, minLength: 1, maxLength: 500 },
});
export const startOperationRequestSchema = object<StartOperationRequest>(
  ['lotId', 'seq', 'operatorId', 'machineId'],
  {
    lotId: lotIdSchema,
    seq: seqSchema,
    operatorId: shopFloorIdSchema,
    machineId: shopFloorIdSchema,
    scannedAt: instantSchema,
  },
);
export const reportOperationRequestSchema = object<ReportOperationRequest>(
  ['lotId', 'seq', 'goodQuantity', 'scrapQuantity', 'operatorId', 'machineId'],
  {
    lotId: lotIdSchema,
    seq: seqSchema,
    goodQuantity: quantitySchema,
    scrapQuantity: quantitySchema,
    materialUsed: materialAmountSchema,
    operatorId: shopFloorIdSchema,
    machineId: shopFloorIdSchema,
    scannedAt: instantSchema,
  },
);
export const operationRequestSchema = object<OperationRequest>(['lotId', 'seq'], {
  lotId: lotIdSchema,
  seq: seqSchema,
});
export const closeExceptionRequestSchema = object<CloseExceptionRequest>(
  ['lotId', 'seq', 'cause', 'firstAction', 'confirmedBy'],
  {
    lotId: lotIdSchema,
    seq: seqSchema,
    cause: { type: 'string', pattern: TEXT_PATTERN, minLength: 1, maxLength: 500 },
    firstAction: { type: 'string', pattern: TEXT_PATTERN, minLength: 1, maxLength: 500 },
    confirmedBy: shopFloorIdSchema,
  },
);
export const acceptDeliveryRequestSchema = object<AcceptDeliveryRequest>(['lotId', 'acceptedQuantity'], {
  lotId: lotIdSchema,
  acceptedQuantity: quantitySchema,
});
export const declarePaymentRequestSchema = object<DeclarePaymentRequest>(['settlementId'], {
  settlementId: lotIdSchema,
  paymentReference: { type: 'string', pattern: TEXT_PATTERN, minLength: 1, maxLength: 128 },
});
export const confirmPaymentRequestSchema = object<ConfirmPaymentRequest>(['settlementId'], {
  settlementId: lotIdSchema,
});

const partyIdSchema = { type: 'string', pattern: TEXT_PATTERN, minLength: 1, maxLength: 512 } as const;
const lineIdsSchema = { type: 'array', maxItems: 10_000, items: lotIdSchema } as const;
export const closeStatementRequestSchema = object<CloseStatementRequest>(
  ['statementId', 'factoryMspId', 'customerMemberId', 'from', 'to'],
  {
    statementId: idSchema,
    factoryMspId: partyIdSchema,
    customerMemberId: partyIdSchema,
    from: instantSchema,
    to: instantSchema,
  },
);
export const statementRequestSchema = object<StatementRequest>(['statementId'], { statementId: idSchema });
export const disputeStatementRequestSchema = object<DisputeStatementRequest>(
  ['statementId', 'reason', 'settlementIds', 'quotaIds'],
  {
    statementId: idSchema,
    reason: { type: 'string', pattern: TEXT_PATTERN, minLength: 1, maxLength: 2000 },
    settlementIds: lineIdsSchema,
    quotaIds: lineIdsSchema,
  },
);

export const sealBidRequestSchema = object<SealBidRequest>(['workOrderId', 'factoryId'], {
  workOrderId: idSchema,
  factoryId: idSchema,
});
export const revealBidRequestSchema = object<RevealBidRequest>(['bid'], { bid: sealedBidSchema });
export const shareProcessParametersRequestSchema = object<ShareProcessParametersRequest>(
  ['workOrderId', 'lotId'],
  { workOrderId: idSchema, lotId: lotIdSchema },
);

const parser = <T>(schema: JSONSchemaType<T>, what: string) =>
  parserFor(schema, ErrorCode.INVALID_ARGUMENT, what);

export const requestParsers = {
  registerFactory: parser(registerFactoryRequestSchema, 'RegisterFactory request'),
  declareCapacity: parser(declareCapacityRequestSchema, 'DeclareCapacity request'),
  listQuota: parser(listQuotaRequestSchema, 'ListQuota request'),
  quota: parser(quotaRequestSchema, 'quota request'),
  declareQuotaPayment: parser(declareQuotaPaymentRequestSchema, 'DeclareQuotaPayment request'),
  publishWorkOrder: parser(publishWorkOrderRequestSchema, 'PublishWorkOrder request'),
  publishWorkOrders: parser(publishWorkOrdersRequestSchema, 'PublishWorkOrders request'),
  publishWorkOrderItem: parser(publishWorkOrderItemSchema, 'work order'),
  workOrder: parser(workOrderRequestSchema, 'work order request'),
  recordAssignment: parser(recordAssignmentRequestSchema, 'RecordAssignment request'),
  recordRunInput: parser(recordRunInputRequestSchema, 'RecordRunInput request'),
  lot: parser(lotRequestSchema, 'lot request'),
  rejectLot: parser(rejectLotRequestSchema, 'RejectLot request'),
  offerHandOver: parser(offerHandOverRequestSchema, 'OfferHandOver request'),
  confirmHandOver: parser(confirmHandOverRequestSchema, 'ConfirmHandOver request'),
  handOverWithin: parser(handOverWithinRequestSchema, 'HandOverWithin request'),
  startOperation: parser(startOperationRequestSchema, 'StartOperation request'),
  reportOperation: parser(reportOperationRequestSchema, 'ReportOperation request'),
  closeException: parser(closeExceptionRequestSchema, 'CloseException request'),
  operation: parser(operationRequestSchema, 'operation request'),
  amendWorkOrder: parser(amendWorkOrderRequestSchema, 'AmendWorkOrder request'),
  reportSupplyDelay: parser(reportSupplyDelayRequestSchema, 'ReportDelay request'),
  chooseSupplyAlternative: parser(chooseSupplyAlternativeRequestSchema, 'ChooseAlternative request'),
  answerAmendment: parser(answerAmendmentRequestSchema, 'AnswerAmendment request'),
  acceptDelivery: parser(acceptDeliveryRequestSchema, 'AcceptDelivery request'),
  declarePayment: parser(declarePaymentRequestSchema, 'DeclarePayment request'),
  confirmPayment: parser(confirmPaymentRequestSchema, 'ConfirmPayment request'),
  closeStatement: parser(closeStatementRequestSchema, 'CloseStatement request'),
  statement: parser(statementRequestSchema, 'statement request'),
  disputeStatement: parser(disputeStatementRequestSchema, 'DisputeStatement request'),
  sealBid: parser(sealBidRequestSchema, 'SealBid request'),
  revealBid: parser(revealBidRequestSchema, 'RevealBid request'),
  shareProcessParameters: parser(shareProcessParametersRequestSchema, 'ShareProcessParameters request'),
};

/** Any request, read only as far as its request id (what a receipt look-up needs). */
export const requestBaseParser = parserFor(
  {
    type: 'object',
    required: ['requestId'],
    properties: { requestId: requestIdSchema },
  } as unknown as JSONSchemaType<RequestBase>,
  ErrorCode.INVALID_ARGUMENT,
  'request',
);
