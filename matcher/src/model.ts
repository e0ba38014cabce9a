import { Ajv, type JSONSchemaType } from 'ajv';

/** The processes the alliance's factories run (the chaincode's vocabulary). */
export const PROCESSES = ['INJECTION', 'CNC', 'PAINTING', 'ASSEMBLY', 'SMT', 'WIRE_HARNESS'] as const;
export type Process = (typeof PROCESSES)[number];

export interface Operation {
  seq: number;
  process: Process;
  /** Standard minutes per unit. */
  standardMinutes: number;
}

export interface MatchWorkOrder {
  workOrderId: string;
  customerId: string;
  quantity: number;
  routing: Operation[];
  /** Index of the bucket by whose end the last operation should be done. */
  dueBucket: number;
  priority: 'NORMAL' | 'RUSH';
  /** Most the customer pays per finished unit over the whole routing, in fen. */
  maxUnitPrice: number;
  /** First bucket its material is there (a supplier's delay): no lot of it before. */
  releaseBucket?: number;
  /** Factories that turned its lots down: not offered it again. */
  avoidFactoryIds?: string[];
}

export interface MatchFactory {
  factoryId: string;
  processes: { process: Process; pricePerMinute: number }[];
  /** False when the factory stopped reporting its load or declared an outage. */
  available: boolean;
}

/** Free minutes of one factory's process in one bucket: declared capacity minus live load. */
export interface FreeCapacity {
  factoryId: string;
  process: Process;
  bucket: number;
  freeMinutes: number;
}

/** Minutes of one factory's process over a window of buckets, reserved for their buyer. */
export interface MatchQuota {
  quotaId: string;
  factoryId: string;
  process: Process;
  windowStart: number;
  windowEnd: number;
  /** Minutes still unused. */
  minutesLeft: number;
  pricePerMinute: number;
  buyerCustomerId: string;
}

/** A lot of the current plan: one operation of a work order at a factory in a bucket. */
export interface PlannedLot {
  workOrderId: string;
  seq: number;
  factoryId: string;
  bucket: number;
  quantity: number;
  quotaId?: string;
  /** Already recorded on the ledger and still held by its factory: kept as it is, whatever its bucket. */
  committed?: boolean;
}

/** Lots the matcher must not move: those inside the frozen horizon and those already committed. */
export const isHeld = (lot: PlannedLot, parameters: MatchParameters): boolean =>
  lot.committed === true || lot.bucket < parameters.frozenBuckets;

export interface MatchParameters {
  maxLotsPerOperation: number;
  /** No lot below this many units, except the remainder of an operation. */
  minLotSize: number;
  /** Lots in buckets before this index are frozen: kept exactly as they are. */
  frozenBuckets: number;
  latePenaltyPerUnitPerBucket: number;
  rushWeight: number;
  unplacedPenaltyPerUnit: number;
  movePenaltyPerUnit: number;
}

/** Everything a run reads: its hash is what the ledger records with the run. */
export interface MatchInput {
  /** Number of shift buckets in the horizon, indexed from 0 (the current bucket). */
  buckets: number;
  parameters: MatchParameters;
  factories: MatchFactory[];
  capacity: FreeCapacity[];
  quotas: MatchQuota[];
  workOrders: MatchWorkOrder[];
  currentPlan: PlannedLot[];
}

export const DEFAULT_PARAMETERS: MatchParameters = {
  maxLotsPerOperation: 3,
  minLotSize: 10,
  frozenBuckets: 1,
  latePenaltyPerUnitPerBucket: 200,
  rushWeight: 5,
  unplacedPenaltyPerUnit: 100_000,
  movePenaltyPerUnit: 20,
};

export type UnplacedReason = 'NO_CAPABLE_FACTORY' | 'NO_CAPACITY_IN_HORIZON' | 'PRICE_ABOVE_MAX';

export interface CostTerms {
  processing: number;
  lateness: number;
  unplaced: number;
  moves: number;
  total: number;
}

export interface LotExplanation {
  /** This lot's share of each cost term. */
  cost: CostTerms;
  /** The cheapest other slot the units could have gone to at the time, per unit, or none. */
  nextBest?: { factoryId: string; bucket: number; costPerUnit: number };
  costPerUnit: number;
}

export interface PlanLot extends PlannedLot {
  /** Price per unit the customer pays for this operation, in fen (the quota's locked price if any). */
  unitPrice: number;
  frozen: boolean;
  why: LotExplanation;
}

export interface Unplaced {
  workOrderId: string;
  seq: number;
  quantity: number;
  reason: UnplacedReason;
}

export interface MatchPlan {
  inputHash: string;
  solver: string;
  lots: PlanLot[];
  unplaced: Unplaced[];
  cost: CostTerms;
}

const processSchema = { type: 'string', enum: PROCESSES } as const;
const idSchema = { type: 'string', minLength: 1, maxLength: 140 } as const;
const count = { type: 'integer', minimum: 0 } as const;

export const matchInputSchema: JSONSchemaType<MatchInput> = {
  $id: 'https://fabpool.dev/schemas/match-input.json',
  type: 'object',
  additionalProperties: false,
  required: ['buckets', 'parameters', 'factories', 'capacity', 'quotas', 'workOrders', 'currentPlan'],
  properties: {
    buckets: { type: 'integer', minimum: 1, maximum: 200 },
    parameters: {
      type: 'object',
      additionalProperties: false,
      required: [
        'maxLotsPerOperation',
        'minLotSize',
        'frozenBuckets',
        'latePenaltyPerUnitPerBucket',
        'rushWeight',
        'unplacedPenaltyPerUnit',
        'movePenaltyPerUnit',
      ],
      properties: {
        maxLotsPerOperation: { type: 'integer', minimum: 1, maximum: 20 },
        minLotSize: { type: 'integer', minimum: 1 },
        frozenBuckets: count,
        latePenaltyPerUnitPerBucket: count,
        rushWeight: { type: 'number', minimum: 1 },
        unplacedPenaltyPerUnit: count,
        movePenaltyPerUnit: count,
      },
    },
    factories: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['factoryId', 'processes', 'available'],
        properties: {
          factoryId: idSchema,
          processes: {
            type: 'array',
            items: {
              type: 'object',
              additionalProperties: false,
              required: ['process', 'pricePerMinute'],
              properties: { process: processSchema, pricePerMinute: count },
            },
          },
          available: { type: 'boolean' },
        },
      },
    },
    capacity: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['factoryId', 'process', 'bucket', 'freeMinutes'],
        properties: { factoryId: idSchema, process: processSchema, bucket: count, freeMinutes: count },
      },
    },
    quotas: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        required: [
          'quotaId',
          'factoryId',
          'process',
          'windowStart',
          'windowEnd',
          'minutesLeft',
          'pricePerMinute',
          'buyerCustomerId',
        ],
        properties: {
          quotaId: idSchema,
          factoryId: idSchema,
          process: processSchema,
          windowStart: count,
          windowEnd: count,
          minutesLeft: count,
          pricePerMinute: count,
          buyerCustomerId: idSchema,
        },
      },
    },
    workOrders: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        required: [
          'workOrderId',
          'customerId',
          'quantity',
          'routing',
          'dueBucket',
          'priority',
          'maxUnitPrice',
        ],
        properties: {
          workOrderId: idSchema,
          customerId: idSchema,
          quantity: { type: 'integer', minimum: 1 },
          routing: {
            type: 'array',
            minItems: 1,
            items: {
              type: 'object',
              additionalProperties: false,
              required: ['seq', 'process', 'standardMinutes'],
              properties: {
                seq: { type: 'integer', minimum: 1 },
                process: processSchema,
                standardMinutes: { type: 'number', exclusiveMinimum: 0 },
              },
            },
          },
          dueBucket: count,
          priority: { type: 'string', enum: ['NORMAL', 'RUSH'] },
          maxUnitPrice: count,
          releaseBucket: { ...count, nullable: true },
          avoidFactoryIds: { type: 'array', items: idSchema, nullable: true },
        },
      },
    },
    currentPlan: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['workOrderId', 'seq', 'factoryId', 'bucket', 'quantity'],
        properties: {
          workOrderId: idSchema,
          seq: { type: 'integer', minimum: 1 },
          factoryId: idSchema,
          bucket: count,
          quantity: { type: 'integer', minimum: 1 },
          quotaId: { ...idSchema, nullable: true },
          committed: { type: 'boolean', nullable: true },
        },
      },
    },
  },
};

const ajv = new Ajv({ allErrors: true });
const validateInput = ajv.compile(matchInputSchema);

export class MatchInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MatchInputError';
  }
}

/** Parses and checks an input: its schema, then the references between its parts. */
export function parseMatchInput(value: unknown): MatchInput {
  if (!validateInput(value)) {
    const detail = (validateInput.errors ?? [])
      .map((e) => `${e.instancePath || '/'} ${e.message ?? 'is invalid'}`)
      .join('; ');
    throw new MatchInputError(`match input: ${detail}`);
  }
  const input = value;
  const factories = new Set(input.factories.map((f) => f.factoryId));
  const orders = new Set(input.workOrders.map((w) => w.workOrderId));
  for (const c of input.capacity) {
    if (!factories.has(c.factoryId))
      throw new MatchInputError(`capacity names unknown factory ${c.factoryId}`);
    if (c.bucket >= input.buckets)
      throw new MatchInputError(`capacity bucket ${c.bucket} is beyond the horizon`);
  }
  for (const q of input.quotas) {
    if (!factories.has(q.factoryId))
      throw new MatchInputError(`quota ${q.quotaId} names unknown factory ${q.factoryId}`);
    if (q.windowEnd < q.windowStart) throw new MatchInputError(`quota ${q.quotaId} ends before it starts`);
  }
  for (const w of input.workOrders) {
    w.routing.forEach((op, i) => {
      if (op.seq !== i + 1)
        throw new MatchInputError(`work order ${w.workOrderId}: routing seq must be 1, 2, 3…`);
    });
  }
  for (const l of input.currentPlan) {
    if (!orders.has(l.workOrderId) || !factories.has(l.factoryId))
      throw new MatchInputError(`current lot of ${l.workOrderId} names an unknown work order or factory`);
  }
  return input;
}
