import { Context, Contract, Info, Returns, Transaction } from 'fabric-contract-api';
import { writeCustody } from '../ledger/custodyStore.js';
import { releaseHeldLots } from '../ledger/lotRelease.js';
import { activeCaller, getOrFail, poolTransaction, workOrderOf, lotOf } from '../ledger/poolTransaction.js';
import { lotForReader } from '../ledger/readAccess.js';
import { requireOverseer } from '../rules/access.js';
import {
  BID,
  CAPACITY,
  FACTORY,
  INDEX,
  LOT,
  QUOTA,
  RecordStore,
  RUN,
  RUN_INPUT,
  WORK_ORDER,
} from '../ledger/records.js';
import { ErrorCode } from '../model/errors.js';
import { EventName } from '../model/events.js';
import type { Capacity } from '../model/capacity.js';
import type { CapacityQuota } from '../model/quota.js';
import { requestParsers } from '../model/requests.js';
import { factoryProcessesOf, recordAssignment, type AssignmentView } from '../rules/assignment.js';
import { custodyAtAcceptance } from '../rules/custody.js';
import { capacityId } from '../rules/factory.js';
import { acceptLot, rejectLot } from '../rules/lot.js';
import { recordRunInput } from '../rules/runInput.js';

/** The matcher's runs as recorded, and the factories' answers to the lots they were given. */
@Info({ title: 'AssignmentContract', description: 'assignment runs and lot decisions' })
export class AssignmentContract extends Contract {
  constructor() {
    super('Assignment');
  }

  @Transaction()
  @Returns('string')
  async RecordAssignment(ctx: Context, requestJson: string): Promise<string> {
    return poolTransaction(
      ctx,
      requestParsers.recordAssignment,
      requestJson,
      EventName.ASSIGNMENT_RECORDED,
      async (tx, request) => {
        const withdrawn = new Map(
          (await tx.store.getMany(LOT, [...(request.withdrawLotIds ?? [])].sort())).map((l) => [l.lotId, l]),
        );
        const workOrderIds = [
          ...new Set([...request.lots, ...withdrawn.values()].map((l) => l.workOrderId)),
        ].sort();
        const factoryIds = [...new Set(request.lots.map((l) => l.factoryId))].sort();
        const workOrders = new Map(
          (await tx.store.getMany(WORK_ORDER, workOrderIds)).map((w) => [w.workOrderId, w]),
        );
        const factories = new Map((await tx.store.getMany(FACTORY, factoryIds)).map((f) => [f.factoryId, f]));
        const capacities = new Map<string, Capacity>();
        const quotas = new Map<string, CapacityQuota>();
        for (const { factoryId, process } of factoryProcessesOf(request, workOrders, [
          ...withdrawn.values(),
        ])) {
          for (const c of await tx.store.range(CAPACITY, [factoryId, process]))
            capacities.set(capacityId(c), c);
          for (const q of await tx.store.quotasOf(factoryId, process)) quotas.set(q.quotaId, q);
        }
        // A lot may name a quota of another factory or process: load it so the check can say so.
        const named = request.lots.flatMap((l) =>
          l.quotaId === undefined || quotas.has(l.quotaId) ? [] : [l.quotaId],
        );
        for (const q of await tx.store.getMany(QUOTA, [...new Set(named)].sort())) quotas.set(q.quotaId, q);
        for (const l of withdrawn.values())
          if (l.quotaId !== undefined && !quotas.has(l.quotaId)) {
            const q = await tx.store.get(QUOTA, [l.quotaId]);
            if (q !== undefined) quotas.set(q.quotaId, q);
          }
        const view: AssignmentView = {
          runExists: (await tx.store.get(RUN, [request.runId])) !== undefined,
          workOrders,
          factories,
          capacities,
          quotas,
          lotsByWorkOrder: new Map(
            await Promise.all(workOrderIds.map(async (id) => [id, await tx.store.lotsOf(id)] as const)),
          ),
          withdrawn,
          revealedBids: new Map(
            await Promise.all(
              [...workOrders.values()]
                .filter((w) => w.bidWindowEnd !== undefined && w.award === undefined)
                .map(
                  async (w) => [w.workOrderId, (await tx.store.range(BID, [w.workOrderId])).length] as const,
                ),
            ),
          ),
        };
        const outcome = recordAssignment(tx.actor, view, request, tx.now);
        for (const capacity of outcome.capacities) await tx.write(CAPACITY, capacity);
        for (const quota of outcome.quotas) await tx.write(QUOTA, quota);
        for (const lot of outcome.withdrawnLots) await tx.write(LOT, lot);
        for (const lot of outcome.lots) {
          await tx.write(LOT, lot);
          await tx.store.putIndex(INDEX.lotByWorkOrder, [lot.workOrderId, lot.lotId]);
        }
        await tx.write(RUN, outcome.run);
        return outcome.run;
      },
    );
  }

  /** Stores a run's complete input under its hash, before the runs that name it (see rules/runInput). */
  @Transaction()
  @Returns('string')
  async RecordRunInput(ctx: Context, requestJson: string): Promise<string> {
    return poolTransaction(
      ctx,
      requestParsers.recordRunInput,
      requestJson,
      EventName.RUN_INPUT_RECORDED,
      async (tx, request) => {
        const existing = await tx.store.get(RUN_INPUT, [request.inputHash]);
        const input = recordRunInput(tx.actor, request, existing, tx.now);
        // The event and the answer name it; the content stays on the ledger, fetched by its hash.
        const named = {
          inputHash: input.inputHash,
          encoding: input.encoding,
          bytes: input.bytes,
          recordedBy: input.recordedBy,
          recordedAt: input.recordedAt,
        };
        await tx.write(RUN_INPUT, input, named);
        return named;
      },
    );
  }

  @Transaction()
  @Returns('string')
  async AcceptLot(ctx: Context, requestJson: string): Promise<string> {
    return poolTransaction(
      ctx,
      requestParsers.lot,
      requestJson,
      EventName.LOT_ACCEPTED,
      async (tx, request) => {
        const lot = acceptLot(tx.actor, await lotOf(tx.store, request.lotId), tx.now);
        const workOrder = await workOrderOf(tx.store, lot.workOrderId);
        await tx.write(LOT, lot);
        // Custody starts when the factory commits to the lot: from here material can move to it.
        await writeCustody(ctx, tx, custodyAtAcceptance(workOrder, lot, tx.now));
        return lot;
      },
    );
  }

  @Transaction()
  @Returns('string')
  async RejectLot(ctx: Context, requestJson: string): Promise<string> {
    return poolTransaction(
      ctx,
      requestParsers.rejectLot,
      requestJson,
      EventName.LOT_REJECTED,
      async (tx, request) => {
        const lot = rejectLot(tx.actor, await lotOf(tx.store, request.lotId), request.reason, tx.now);
        const workOrder = await workOrderOf(tx.store, lot.workOrderId);
        await releaseHeldLots(tx, workOrder, [lot]);
        return lot;
      },
    );
  }

  @Transaction(false)
  @Returns('string')
  async GetLot(ctx: Context, lotId: string): Promise<string> {
    return JSON.stringify(await lotForReader(ctx, new RecordStore(ctx), lotId));
  }

  @Transaction(false)
  @Returns('string')
  async GetAssignmentRun(ctx: Context, runId: string): Promise<string> {
    // A run holds every lot's price: the matcher's own record, for overseers.
    requireOverseer(await activeCaller(ctx), `assignment run ${runId}`);
    return JSON.stringify(await getOrFail(new RecordStore(ctx), RUN, [runId], ErrorCode.RUN_NOT_FOUND));
  }

  /** A run's complete input by its hash: what an auditor replays the matcher on. */
  @Transaction(false)
  @Returns('string')
  async GetRunInput(ctx: Context, inputHash: string): Promise<string> {
    // It holds every factory's prices and load: for overseers, like the run itself.
    requireOverseer(await activeCaller(ctx), `run input ${inputHash}`);
    return JSON.stringify(
      await getOrFail(new RecordStore(ctx), RUN_INPUT, [inputHash], ErrorCode.RUN_INPUT_NOT_FOUND),
    );
  }
}
