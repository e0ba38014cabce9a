import type { JSONSchemaType } from 'ajv';
import {
  bucketSchema,
  idSchema,
  instantSchema,
  minutesSchema,
  processSchema,
  type Process,
} from './common.js';
import { ErrorCode } from './errors.js';
import { parserFor } from './validation.js';

/**
 * Minutes a factory offers for one process in one shift bucket, and how many of them lots already
 * hold. `assignedMinutes <= declaredMinutes` always.
 */
export interface Capacity {
  factoryId: string;
  process: Process;
  bucket: string;
  declaredMinutes: number;
  assignedMinutes: number;
  updatedAt: string;
}

export const capacitySchema: JSONSchemaType<Capacity> = {
  $id: 'https://fabpool.dev/schemas/capacity.json',
  type: 'object',
  additionalProperties: false,
  required: ['factoryId', 'process', 'bucket', 'declaredMinutes', 'assignedMinutes', 'updatedAt'],
  properties: {
    factoryId: idSchema,
    process: processSchema,
    bucket: bucketSchema,
    declaredMinutes: minutesSchema,
    assignedMinutes: minutesSchema,
    updatedAt: instantSchema,
  },
};

export const capacityParser = parserFor(capacitySchema, ErrorCode.CORRUPT_RECORD, 'capacity record');
