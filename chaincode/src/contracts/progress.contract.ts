import { Context, Contract, Info, Returns, Transaction } from 'fabric-contract-api';
import { writeCustody } from '../ledger/custodyStore.js';
import { getOrFail, poolTransaction, workOrderOf, lotOf } from '../ledger/poolTransaction.js';
import { lotForReader } from '../ledger/readAccess.js';
import { CUSTODY, EXCEPTION, LOT, PROGRESS, RecordStore, seqKey } from '../ledger/records.js';
import { ErrorCode } from '../model/errors.js';
import { EventName } from '../model/events.js';
import { requestParsers } from '../model/requests.js';
import {
  closeException,
  escalateException,
  flagOverrun,
  reportOperation,
  startOperation,
} from '../rules/progress.js';

/** Scan-to-report on the shop floor: operations started and reported, overrun exceptions and their closing. */
@Info({ title: 'ProgressContract', description: 'operation progress and exceptions' })
export class ProgressContract extends Contract {
  constructor() {
    super('Progress');
  }

  @Transaction()
  @Returns('string')
  async StartOperation(ctx: Context, requestJson: string): Promise<string> {
    return poolTransaction(
      ctx,
      requestParsers.startOperation,
      requestJson,
      EventName.OPERATION_STARTED,
      async (tx, request) => {
        const lot = await lotOf(tx.store, request.lotId);
        const workOrder = await workOrderOf(tx.store, lot.workOrderId);
        const custody = await getOrFail(tx.store, CUSTODY, [lot.lotId], ErrorCode.MATERIAL_NOT_AT_FACTORY);
        const outcome = startOperation(
          tx.actor,
          workOrder,
          lot,
          custody,
          await tx.store.range(PROGRESS, [lot.lotId]),
          await tx.store.range(EXCEPTION, [lot.lotId]),
          request,
          tx.now,
        );
        await tx.write(PROGRESS, outcome.progress);
        if (outcome.lot !== lot) await tx.write(LOT, outcome.lot);
        return outcome.progress;
      },
    );
  }

  @Transaction()
  @Returns('string')
  async ReportOperation(ctx: Context, requestJson: string): Promise<string> {
    return poolTransaction(
      ctx,
      requestParsers.reportOperation,
      requestJson,
      EventName.OPERATION_REPORTED,
      async (tx, request) => {
        const lot = await lotOf(tx.store, request.lotId);
        const custody = await getOrFail(tx.store, CUSTODY, [lot.lotId], ErrorCode.MATERIAL_NOT_AT_FACTORY);
        const progress = await tx.store.get(PROGRESS, [lot.lotId, seqKey(request.seq)]);
        const existing = await tx.store.get(EXCEPTION, [lot.lotId, seqKey(request.seq)]);
        const outcome = reportOperation(tx.actor, lot, custody, progress, existing, request, tx.now);
        await tx.write(PROGRESS, outcome.progress);
        await writeCustody(ctx, tx, outcome.custody);
        if (outcome.exception !== undefined) await tx.write(EXCEPTION, outcome.exception);
        if (outcome.doneLot !== undefined) await tx.write(LOT, outcome.doneLot);
        return outcome.progress;
      },
    );
  }

  /** The watch opens the exception of an operation still running past its allowed time. */
  @Transaction()
  @Returns('string')
  async FlagOverrun(ctx: Context, requestJson: string): Promise<string> {
    return poolTransaction(
      ctx,
      requestParsers.operation,
      requestJson,
      EventName.EXCEPTION_OPENED,
      async (tx, request) => {
        const lot = await lotOf(tx.store, request.lotId);
        const key = [lot.lotId, seqKey(request.seq)];
        const opened = flagOverrun(
          tx.actor,
          await workOrderOf(tx.store, lot.workOrderId),
          lot,
          await tx.store.get(PROGRESS, key),
          await tx.store.get(EXCEPTION, key),
          request.seq,
          tx.now,
        );
        await tx.write(EXCEPTION, opened);
        return opened;
      },
    );
  }

  /** The watch records an unanswered exception's next level, with whom it tells. */
  @Transaction()
  @Returns('string')
  async EscalateException(ctx: Context, requestJson: string): Promise<string> {
    return poolTransaction(
      ctx,
      requestParsers.operation,
      requestJson,
      EventName.EXCEPTION_ESCALATED,
      async (tx, request) => {
        const lot = await lotOf(tx.store, request.lotId);
        const escalated = escalateException(
          tx.actor,
          await workOrderOf(tx.store, lot.workOrderId),
          lot,
          await tx.store.get(EXCEPTION, [lot.lotId, seqKey(request.seq)]),
          request.seq,
          tx.now,
        );
        await tx.write(EXCEPTION, escalated);
        return escalated;
      },
    );
  }

  @Transaction()
  @Returns('string')
  async CloseException(ctx: Context, requestJson: string): Promise<string> {
    return poolTransaction(
      ctx,
      requestParsers.closeException,
      requestJson,
      EventName.EXCEPTION_CLOSED,
      async (tx, request) => {
        const lot = await lotOf(tx.store, request.lotId);
        const exception = await tx.store.get(EXCEPTION, [lot.lotId, seqKey(request.seq)]);
        const closed = closeException(tx.actor, lot, exception, request, tx.now);
        await tx.write(EXCEPTION, closed);
        return closed;
      },
    );
  }

  @Transaction(false)
  @Returns('string')
  async GetLotProgress(ctx: Context, lotId: string): Promise<string> {
    const store = new RecordStore(ctx);
    await lotForReader(ctx, store, lotId);
    return JSON.stringify({
      progress: await store.range(PROGRESS, [lotId]),
      exceptions: await store.range(EXCEPTION, [lotId]),
    });
  }
}
