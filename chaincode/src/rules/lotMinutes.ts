import type { Process } from '../model/common.js';
import type { ProposedLot } from '../model/requests.js';
import type { Operation, WorkOrder } from '../model/workOrder.js';

/** Rounds away float noise (10 × 0.3 min) before rounding minutes up, the same on every peer. */
const ceilMinutes = (x: number): number => Math.ceil(Math.round(x * 1e6) / 1e6);

export function operationsOf(workOrder: WorkOrder, lot: Pick<ProposedLot, 'fromSeq' | 'toSeq'>): Operation[] {
  return workOrder.routing.filter((op) => op.seq >= lot.fromSeq && op.seq <= lot.toSeq);
}

/** Minutes a lot holds, per process: quantity × standard minutes, rounded up. */
export function lotMinutesByProcess(
  workOrder: WorkOrder,
  lot: Pick<ProposedLot, 'fromSeq' | 'toSeq' | 'quantity'>,
): Map<Process, number> {
  const perUnit = new Map<Process, number>();
  for (const op of operationsOf(workOrder, lot))
    perUnit.set(op.process, (perUnit.get(op.process) ?? 0) + op.standardMinutes);
  return new Map([...perUnit].map(([process, minutes]) => [process, ceilMinutes(minutes * lot.quantity)]));
}
