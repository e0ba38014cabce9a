import type { Context } from 'fabric-contract-api';
import { amendmentParser, type Amendment } from '../model/amendment.js';
import { assignmentRunParser, type AssignmentRun } from '../model/assignmentRun.js';
import { bidParser, type Bid } from '../model/bid.js';
import { capacityParser, type Capacity } from '../model/capacity.js';
import { custodyParser, handOverParser, type Custody, type HandOver } from '../model/custody.js';
import type { RecordKind } from '../model/events.js';
import { factoryParser, type Factory } from '../model/factory.js';
import { governanceParsers, type OrganisationProposal } from '../model/governance.js';
import { lotParser, type Lot } from '../model/lot.js';
import {
  exceptionParser,
  progressParser,
  type OperationException,
  type OperationProgress,
} from '../model/progress.js';
import { quotaParser, quotaPaymentParser, type CapacityQuota, type QuotaPayment } from '../model/quota.js';
import { runInputParser, type RunInput } from '../model/runInput.js';
import { settlementParser, type Settlement } from '../model/settlement.js';
import { statementParser, type Statement } from '../model/statement.js';
import {
  supplyChoiceParser,
  supplyDelayParser,
  type SupplyChoice,
  type SupplyDelay,
} from '../model/supply.js';
import type { Parser } from '../model/validation.js';
import { workOrderParser, type WorkOrder } from '../model/workOrder.js';
import { marshal } from '../model/marshal.js';

/** How one kind of record sits in world state: its composite key and its parser. */
export interface RecordSpec<T> {
  kind: RecordKind;
  objectType: string;
  keyParts(record: T): string[];
  parser: Parser<T>;
}

export const FACTORY: RecordSpec<Factory> = {
  kind: 'Factory',
  objectType: 'factory',
  keyParts: (r) => [r.factoryId],
  parser: factoryParser,
};
export const CAPACITY: RecordSpec<Capacity> = {
  kind: 'Capacity',
  objectType: 'capacity',
  keyParts: (r) => [r.factoryId, r.process, r.bucket],
  parser: capacityParser,
};
export const QUOTA: RecordSpec<CapacityQuota> = {
  kind: 'CapacityQuota',
  objectType: 'quota',
  keyParts: (r) => [r.quotaId],
  parser: quotaParser,
};
export const QUOTA_PAYMENT: RecordSpec<QuotaPayment> = {
  kind: 'QuotaPayment',
  objectType: 'quotapayment',
  keyParts: (r) => [r.quotaId],
  parser: quotaPaymentParser,
};
export const WORK_ORDER: RecordSpec<WorkOrder> = {
  kind: 'WorkOrder',
  objectType: 'workorder',
  keyParts: (r) => [r.workOrderId],
  parser: workOrderParser,
};
export const LOT: RecordSpec<Lot> = {
  kind: 'Lot',
  objectType: 'lot',
  keyParts: (r) => [r.lotId],
  parser: lotParser,
};
export const RUN: RecordSpec<AssignmentRun> = {
  kind: 'AssignmentRun',
  objectType: 'run',
  keyParts: (r) => [r.runId],
  parser: assignmentRunParser,
};

export const RUN_INPUT: RecordSpec<RunInput> = {
  kind: 'RunInput',
  objectType: 'runinput',
  keyParts: (r) => [r.inputHash],
  parser: runInputParser,
};

/** Sequence numbers in keys are zero-padded so that key order is numeric order. */
export const seqKey = (seq: number): string => String(seq).padStart(3, '0');

export const CUSTODY: RecordSpec<Custody> = {
  kind: 'Custody',
  objectType: 'custody',
  keyParts: (r) => [r.lotId],
  parser: custodyParser,
};
export const HAND_OVER: RecordSpec<HandOver> = {
  kind: 'HandOver',
  objectType: 'handover',
  keyParts: (r) => [r.lotId, seqKey(r.seq)],
  parser: handOverParser,
};
export const PROGRESS: RecordSpec<OperationProgress> = {
  kind: 'OperationProgress',
  objectType: 'progress',
  keyParts: (r) => [r.lotId, seqKey(r.seq)],
  parser: progressParser,
};
export const EXCEPTION: RecordSpec<OperationException> = {
  kind: 'OperationException',
  objectType: 'exception',
  keyParts: (r) => [r.lotId, seqKey(r.seq)],
  parser: exceptionParser,
};
export const SETTLEMENT: RecordSpec<Settlement> = {
  kind: 'Settlement',
  objectType: 'settlement',
  keyParts: (r) => [r.settlementId],
  parser: settlementParser,
};

export const AMENDMENT: RecordSpec<Amendment> = {
  kind: 'Amendment',
  objectType: 'amendment',
  keyParts: (r) => [r.workOrderId, seqKey(r.seq)],
  parser: amendmentParser,
};

export const SUPPLY_DELAY: RecordSpec<SupplyDelay> = {
  kind: 'SupplyDelay',
  objectType: 'supplydelay',
  keyParts: (r) => [r.workOrderId, r.materialCode, seqKey(r.seq)],
  parser: supplyDelayParser,
};

export const SUPPLY_CHOICE: RecordSpec<SupplyChoice> = {
  kind: 'SupplyChoice',
  objectType: 'supplychoice',
  keyParts: (r) => [r.workOrderId, r.materialCode, seqKey(r.delaySeq)],
  parser: supplyChoiceParser,
};

export const STATEMENT: RecordSpec<Statement> = {
  kind: 'Statement',
  objectType: 'statement',
  keyParts: (r) => [r.statementId],
  parser: statementParser,
};

export const BID: RecordSpec<Bid> = {
  kind: 'Bid',
  objectType: 'bid',
  keyParts: (r) => [r.workOrderId, r.factoryId],
  parser: bidParser,
};

export const PROPOSAL: RecordSpec<OrganisationProposal> = {
  kind: 'OrganisationProposal',
  objectType: 'proposal',
  keyParts: (r) => [r.proposalId],
  parser: governanceParsers.proposal,
};

/** Every record kind, for the history and trace queries that name a kind. */
export const RECORD_SPECS = [
  FACTORY,
  CAPACITY,
  QUOTA,
  QUOTA_PAYMENT,
  WORK_ORDER,
  LOT,
  RUN,
  RUN_INPUT,
  CUSTODY,
  HAND_OVER,
  PROGRESS,
  EXCEPTION,
  SETTLEMENT,
  STATEMENT,
  BID,
  PROPOSAL,
  AMENDMENT,
  SUPPLY_DELAY,
  SUPPLY_CHOICE,
] as const;

/** Secondary keys: an index entry's key carries everything, its value only marks presence. */
export const INDEX = {
  quotaByFactoryProcess: 'quota~factory~process',
  lotByWorkOrder: 'lot~workorder',
  /** [first org, second org (sorted), createdAt, settlementId]: a pair's settlements in time order. */
  settlementByPair: 'settlement~pair',
  quotaPaymentByPair: 'quotapayment~pair',
  /** [factory org, customer member, statementId]: the statements between one customer and one factory. */
  statementByParties: 'statement~parties',
} as const;
const PRESENT = Buffer.from([0]);

export class RecordStore {
  constructor(private readonly ctx: Context) {}

  key(objectType: string, parts: string[]): string {
    return this.ctx.stub.createCompositeKey(objectType, parts);
  }

  async get<T>(spec: RecordSpec<T>, parts: string[]): Promise<T | undefined> {
    const bytes = await this.ctx.stub.getState(this.key(spec.objectType, parts));
    if (bytes.length === 0) return undefined;
    return spec.parser.fromJson(Buffer.from(bytes).toString('utf8'));
  }

  async put<T>(spec: RecordSpec<T>, record: T): Promise<void> {
    await this.ctx.stub.putState(this.key(spec.objectType, spec.keyParts(record)), marshal(record));
  }

  /** Records whose key starts with `partial`, in key order (LevelDB range; no rich queries). */
  async range<T>(spec: RecordSpec<T>, partial: string[]): Promise<T[]> {
    const records: T[] = [];
    const iterator = await this.ctx.stub.getStateByPartialCompositeKey(spec.objectType, partial);
    try {
      for (let result = await iterator.next(); !result.done; result = await iterator.next()) {
        records.push(spec.parser.fromJson(Buffer.from(result.value.value).toString('utf8')));
      }
    } finally {
      await iterator.close();
    }
    return records;
  }

  /** The records with these single-part ids that exist, in the order given. */
  async getMany<T>(spec: RecordSpec<T>, ids: readonly string[]): Promise<T[]> {
    const records: T[] = [];
    for (const id of ids) {
      const record = await this.get(spec, [id]);
      if (record !== undefined) records.push(record);
    }
    return records;
  }

  /** Every quota a factory listed for one process, through the quota index. */
  async quotasOf(factoryId: string, process: string): Promise<CapacityQuota[]> {
    return this.getMany(QUOTA, await this.indexed(INDEX.quotaByFactoryProcess, [factoryId, process]));
  }

  /** Every lot of a work order, through the lot index. */
  async lotsOf(workOrderId: string): Promise<Lot[]> {
    return this.getMany(LOT, await this.indexed(INDEX.lotByWorkOrder, [workOrderId]));
  }

  async putIndex(index: string, parts: string[]): Promise<void> {
    await this.ctx.stub.putState(this.key(index, parts), PRESENT);
  }

  /** The last key part of every index entry under `partial`. */
  async indexed(index: string, partial: string[]): Promise<string[]> {
    const ids: string[] = [];
    const iterator = await this.ctx.stub.getStateByPartialCompositeKey(index, partial);
    try {
      for (let result = await iterator.next(); !result.done; result = await iterator.next()) {
        const { attributes } = this.ctx.stub.splitCompositeKey(result.value.key);
        const last = attributes[attributes.length - 1];
        if (last !== undefined) ids.push(last);
      }
    } finally {
      await iterator.close();
    }
    return ids;
  }
}
