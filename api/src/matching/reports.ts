import {
  bucketSchema,
  ErrorCode,
  idSchema,
  instantSchema,
  parserFor,
  processSchema,
  type Process,
} from '@fabpool/chaincode/model';
import type { JSONSchemaType } from 'ajv';

/**
 * What partner systems report to the matcher service through the api (not ledger records: live
 * telemetry and notices). Defined once here as JSON Schema, checked at the api, served under /schemas.
 */
export interface LoadReport {
  factoryId: string;
  /** Minutes of each process and shift already taken by work outside the pool. */
  loads: { process: Process; bucket: string; loadMinutes: number }[];
}

export interface OutageReport {
  factoryId: string;
  from: string;
  until: string;
  reason: string;
}

export interface SupplyDelayReport {
  workOrderId: string;
  materialCode: string;
  /** How much later than planned the material comes. */
  delayHours: number;
  reason: string;
}

const reasonSchema = { type: 'string', minLength: 1, maxLength: 500 } as const;

export const loadReportSchema: JSONSchemaType<LoadReport> = {
  $id: 'https://fabpool.dev/schemas/load-report.json',
  type: 'object',
  additionalProperties: false,
  required: ['factoryId', 'loads'],
  properties: {
    factoryId: idSchema,
    loads: {
      type: 'array',
      maxItems: 500,
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['process', 'bucket', 'loadMinutes'],
        properties: {
          process: processSchema,
          bucket: bucketSchema,
          loadMinutes: { type: 'integer', minimum: 0, maximum: 10_080 },
        },
      },
    },
  },
};

export const outageReportSchema: JSONSchemaType<OutageReport> = {
  $id: 'https://fabpool.dev/schemas/outage-report.json',
  type: 'object',
  additionalProperties: false,
  required: ['factoryId', 'from', 'until', 'reason'],
  properties: { factoryId: idSchema, from: instantSchema, until: instantSchema, reason: reasonSchema },
};

export const supplyDelayReportSchema: JSONSchemaType<SupplyDelayReport> = {
  $id: 'https://fabpool.dev/schemas/supply-delay-report.json',
  type: 'object',
  additionalProperties: false,
  required: ['workOrderId', 'materialCode', 'delayHours', 'reason'],
  properties: {
    workOrderId: idSchema,
    materialCode: { type: 'string', minLength: 1, maxLength: 64 },
    delayHours: { type: 'number', exclusiveMinimum: 0, maximum: 24 * 60 },
    reason: reasonSchema,
  },
};

export const reportParsers = {
  load: parserFor(loadReportSchema, ErrorCode.INVALID_ARGUMENT, 'load report'),
  outage: parserFor(outageReportSchema, ErrorCode.INVALID_ARGUMENT, 'outage report'),
  supplyDelay: parserFor(supplyDelayReportSchema, ErrorCode.INVALID_ARGUMENT, 'supply delay report'),
};
