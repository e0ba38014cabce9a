import { Context, Contract, Info, Returns, Transaction } from 'fabric-contract-api';
import { activeCaller, getOrFail, poolTransaction } from '../ledger/poolTransaction.js';
import { requireCapacityReader, requireRole, seesOffersOf } from '../rules/access.js';
import { CAPACITY, FACTORY, RecordStore } from '../ledger/records.js';
import { ChaincodeError, ErrorCode } from '../model/errors.js';
import { EventName } from '../model/events.js';
import { requestParsers } from '../model/requests.js';
import { capacityId, declareCapacity, registerFactory } from '../rules/factory.js';
import { firstUnhonouredQuota } from '../rules/quota.js';

/** Factories of the alliance and the capacity they declare per process and shift bucket. */
@Info({ title: 'FactoryContract', description: 'factories and declared capacity' })
export class FactoryContract extends Contract {
  constructor() {
    super('Factory');
  }

  @Transaction()
  @Returns('string')
  async RegisterFactory(ctx: Context, requestJson: string): Promise<string> {
    return poolTransaction(
      ctx,
      requestParsers.registerFactory,
      requestJson,
      EventName.FACTORY_REGISTERED,
      async (tx, request) => {
        const factory = registerFactory(
          tx.actor,
          await tx.store.get(FACTORY, [request.factoryId]),
          request,
          tx.now,
        );
        await tx.write(FACTORY, factory);
        return factory;
      },
    );
  }

  @Transaction()
  @Returns('string')
  async DeclareCapacity(ctx: Context, requestJson: string): Promise<string> {
    return poolTransaction(
      ctx,
      requestParsers.declareCapacity,
      requestJson,
      EventName.CAPACITY_DECLARED,
      async (tx, request) => {
        const factory = await getOrFail(tx.store, FACTORY, [request.factoryId], ErrorCode.FACTORY_NOT_FOUND);
        const processes = [...new Set(request.entries.map((e) => e.process))].sort();
        const existing = new Map(
          (await Promise.all(processes.map((p) => tx.store.range(CAPACITY, [factory.factoryId, p]))))
            .flat()
            .map((c) => [capacityId(c), c]),
        );
        const declared = declareCapacity(tx.actor, factory, existing, request, tx.now);
        // A factory may not shrink capacity below what its sold or listed quotas reserve.
        const after = new Map(existing);
        for (const c of declared) after.set(capacityId(c), c);
        for (const process of processes) {
          const quotas = await tx.store.quotasOf(factory.factoryId, process);
          const short = firstUnhonouredQuota(
            [...after.values()].filter((c) => c.process === process),
            quotas,
          );
          if (short !== undefined) {
            throw new ChaincodeError(
              ErrorCode.CAPACITY_RESERVED_BY_QUOTA,
              `${process}: the declaration leaves too few minutes for quota ${short.quotaId}`,
            );
          }
        }
        for (const capacity of declared) await tx.write(CAPACITY, capacity);
        return declared;
      },
    );
  }

  /**
   * A plant as the caller may see it: whole for customers, overseers and its own organisation;
   * for another factory its processes without their prices; not for suppliers.
   */
  @Transaction(false)
  @Returns('string')
  async GetFactory(ctx: Context, factoryId: string): Promise<string> {
    const factory = await getOrFail(new RecordStore(ctx), FACTORY, [factoryId], ErrorCode.FACTORY_NOT_FOUND);
    const member = await activeCaller(ctx);
    if (seesOffersOf(member, factory.mspId)) return JSON.stringify(factory);
    requireRole(member, 'factory');
    return JSON.stringify({ ...factory, processes: factory.processes.map(({ process }) => ({ process })) });
  }

  /** Every declared bucket of one process of a factory, in bucket order. */
  @Transaction(false)
  @Returns('string')
  async GetCapacity(ctx: Context, factoryId: string, process: string): Promise<string> {
    const store = new RecordStore(ctx);
    const factory = await getOrFail(store, FACTORY, [factoryId], ErrorCode.FACTORY_NOT_FOUND);
    requireCapacityReader(await activeCaller(ctx), factory.mspId);
    return JSON.stringify(await store.range(CAPACITY, [factoryId, process]));
  }
}
