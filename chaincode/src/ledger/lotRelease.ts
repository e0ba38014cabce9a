import type { Capacity } from '../model/capacity.js';
import type { Lot } from '../model/lot.js';
import type { CapacityQuota } from '../model/quota.js';
import type { WorkOrder } from '../model/workOrder.js';
import { capacityId } from '../rules/factory.js';
import { releaseLot } from '../rules/lot.js';
import type { PoolTx } from './poolTransaction.js';
import { CAPACITY, LOT, QUOTA } from './records.js';

/**
 * Writes lots that stopped holding capacity (rejected, cancelled) and gives their minutes back to
 * the capacity of their bucket and to their quota. Fabric's reads do not see the transaction's own
 * writes, so everything is read once, released in memory lot after lot, and written once.
 */
export async function releaseHeldLots(tx: PoolTx, workOrder: WorkOrder, lots: readonly Lot[]): Promise<void> {
  const capacities = new Map<string, Capacity>();
  const quotas = new Map<string, CapacityQuota>();
  for (const lot of lots) {
    for (const op of workOrder.routing) {
      const capacity = await tx.store.get(CAPACITY, [lot.factoryId, op.process, lot.bucket]);
      if (capacity !== undefined) capacities.set(capacityId(capacity), capacity);
    }
    if (lot.quotaId !== undefined && !quotas.has(lot.quotaId)) {
      const quota = await tx.store.get(QUOTA, [lot.quotaId]);
      if (quota !== undefined) quotas.set(quota.quotaId, quota);
    }
  }
  const changedCapacities = new Set<string>();
  const changedQuotas = new Set<string>();
  for (const lot of lots) {
    const quota = lot.quotaId === undefined ? undefined : quotas.get(lot.quotaId);
    const released = releaseLot(workOrder, lot, capacities, quota, tx.now);
    for (const capacity of released.capacities) {
      capacities.set(capacityId(capacity), capacity);
      changedCapacities.add(capacityId(capacity));
    }
    if (released.quota !== undefined) {
      quotas.set(released.quota.quotaId, released.quota);
      changedQuotas.add(released.quota.quotaId);
    }
    await tx.write(LOT, lot);
  }
  for (const id of [...changedCapacities].sort()) {
    const capacity = capacities.get(id);
    if (capacity !== undefined) await tx.write(CAPACITY, capacity);
  }
  for (const id of [...changedQuotas].sort()) {
    const quota = quotas.get(id);
    if (quota !== undefined) await tx.write(QUOTA, quota);
  }
}
