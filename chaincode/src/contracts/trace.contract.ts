import { Context, Contract, Info, Returns, Transaction } from 'fabric-contract-api';
import { historyOf, type HistoryEntry } from '../ledger/history.js';
import { activeCaller, workOrderOf } from '../ledger/poolTransaction.js';
import { requireOverseer, requireTraceReader } from '../rules/access.js';
import {
  CUSTODY,
  EXCEPTION,
  HAND_OVER,
  LOT,
  PROGRESS,
  RECORD_SPECS,
  RecordStore,
  RUN,
  SETTLEMENT,
  WORK_ORDER,
  type RecordSpec,
} from '../ledger/records.js';
import { ChaincodeError, ErrorCode } from '../model/errors.js';

/** Auditors' questions: what happened to this record, and to this work order across every factory. */
@Info({ title: 'TraceContract', description: 'key history and work-order traces' })
export class TraceContract extends Contract {
  constructor() {
    super('Trace');
  }

  /** Every committed version of one record, by its kind (`Lot`, `Custody`, …) and id (`a/b` for multi-part ids). */
  @Transaction(false)
  @Returns('string')
  async GetHistory(ctx: Context, kind: string, id: string): Promise<string> {
    requireOverseer(await activeCaller(ctx), 'key history');
    const spec = RECORD_SPECS.find((s) => s.kind === kind) as RecordSpec<unknown> | undefined;
    if (spec === undefined)
      throw new ChaincodeError(
        ErrorCode.INVALID_ARGUMENT,
        `kind ${kind} is not one of ${RECORD_SPECS.map((s) => s.kind).join(', ')}`,
      );
    return JSON.stringify(await historyOf(ctx, spec, id.split('/')));
  }

  /**
   * The whole chain of one work order under its one id: its assignment runs, lots, custody and
   * hand-overs, operation progress and exceptions, and settlements, as every committed step in
   * time order with the transaction that made it, plus the records as they stand now.
   */
  @Transaction(false)
  @Returns('string')
  async TraceWorkOrder(ctx: Context, workOrderId: string): Promise<string> {
    const store = new RecordStore(ctx);
    const workOrder = await workOrderOf(store, workOrderId);
    requireTraceReader(await activeCaller(ctx), workOrder);
    const lots = await store.lotsOf(workOrderId);
    const steps: HistoryEntry[] = [...(await historyOf(ctx, WORK_ORDER, [workOrderId]))];
    const runIds = [...new Set(lots.map((l) => l.runId))].sort();
    for (const runId of runIds) steps.push(...(await historyOf(ctx, RUN, [runId])));
    const lotTraces = [];
    for (const lot of lots) {
      const custody = await store.get(CUSTODY, [lot.lotId]);
      const handOvers = await store.range(HAND_OVER, [lot.lotId]);
      const progress = await store.range(PROGRESS, [lot.lotId]);
      const exceptions = await store.range(EXCEPTION, [lot.lotId]);
      const settlement = await store.get(SETTLEMENT, [lot.lotId]);
      steps.push(...(await historyOf(ctx, LOT, [lot.lotId])));
      if (custody !== undefined) steps.push(...(await historyOf(ctx, CUSTODY, [lot.lotId])));
      for (const h of handOvers) steps.push(...(await historyOf(ctx, HAND_OVER, HAND_OVER.keyParts(h))));
      for (const p of progress) steps.push(...(await historyOf(ctx, PROGRESS, PROGRESS.keyParts(p))));
      for (const e of exceptions) steps.push(...(await historyOf(ctx, EXCEPTION, EXCEPTION.keyParts(e))));
      if (settlement !== undefined) steps.push(...(await historyOf(ctx, SETTLEMENT, [lot.lotId])));
      lotTraces.push({ lot, custody, handOvers, progress, exceptions, settlement });
    }
    const key = (e: HistoryEntry): string => `${e.at}|${e.txId}|${e.kind}|${e.id}`;
    steps.sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
    return JSON.stringify({ workOrder, lots: lotTraces, steps });
  }
}
