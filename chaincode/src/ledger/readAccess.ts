import type { Context } from 'fabric-contract-api';
import type { Lot } from '../model/lot.js';
import type { Member } from '../model/member.js';
import type { WorkOrder } from '../model/workOrder.js';
import { requireWorkOrderReader } from '../rules/access.js';
import { activeCaller, lotOf, workOrderOf } from './poolTransaction.js';
import type { RecordStore } from './records.js';

/**
 * Queries check their reader as transactions check their actor: a client of any organisation may
 * evaluate on any peer, and customers, the operator and suppliers may share one organisation, so
 * the api's own filters are not the only gate.
 */
export async function workOrderForReader(
  ctx: Context,
  store: RecordStore,
  workOrderId: string,
): Promise<{ member: Member; workOrder: WorkOrder; lots: Lot[] }> {
  const member = await activeCaller(ctx);
  const workOrder = await workOrderOf(store, workOrderId);
  const lots = await store.lotsOf(workOrderId);
  requireWorkOrderReader(
    member,
    workOrder,
    lots.map((l) => l.factoryMspId),
  );
  return { member, workOrder, lots };
}

/** The lot `lotId`, once the caller may read the records of its work order. */
export async function lotForReader(ctx: Context, store: RecordStore, lotId: string): Promise<Lot> {
  const lot = await lotOf(store, lotId);
  await workOrderForReader(ctx, store, lot.workOrderId);
  return lot;
}
