import type { JSONSchemaType } from 'ajv';
import {
  idSchema,
  instantSchema,
  moneySchema,
  processSchema,
  PROCESSES,
  type Process,
  TEXT_PATTERN,
} from './common.js';
import { ErrorCode } from './errors.js';
import { parserFor } from './validation.js';

export interface ProcessOffer {
  process: Process;
  /** List price in fen per minute of standard time. */
  pricePerMinute: number;
}

/** A plant of a factory organisation: what it can make and at what price. */
export interface Factory {
  factoryId: string;
  mspId: string;
  name: string;
  location: string;
  processes: ProcessOffer[];
  registeredBy: string;
  createdAt: string;
  updatedAt: string;
}

export const processOfferSchema: JSONSchemaType<ProcessOffer> = {
  type: 'object',
  additionalProperties: false,
  required: ['process', 'pricePerMinute'],
  properties: { process: processSchema, pricePerMinute: moneySchema },
};

export const factorySchema: JSONSchemaType<Factory> = {
  $id: 'https://fabpool.dev/schemas/factory.json',
  type: 'object',
  additionalProperties: false,
  required: ['factoryId', 'mspId', 'name', 'location', 'processes', 'registeredBy', 'createdAt', 'updatedAt'],
  properties: {
    factoryId: idSchema,
    mspId: { type: 'string', pattern: TEXT_PATTERN, minLength: 1, maxLength: 64 },
    name: { type: 'string', pattern: TEXT_PATTERN, minLength: 1, maxLength: 120 },
    location: { type: 'string', pattern: TEXT_PATTERN, maxLength: 200 },
    processes: { type: 'array', items: processOfferSchema, minItems: 1, maxItems: PROCESSES.length },
    registeredBy: { type: 'string', pattern: TEXT_PATTERN, minLength: 1, maxLength: 512 },
    createdAt: instantSchema,
    updatedAt: instantSchema,
  },
};

export const factoryParser = parserFor(factorySchema, ErrorCode.CORRUPT_RECORD, 'factory record');
