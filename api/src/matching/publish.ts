import { randomUUID } from 'node:crypto';
import { solve, type MatchPlan } from '@fabpool/matcher';
import type { Ledger } from '@fabpool/network';
import type pg from 'pg';
import type { Projector } from '../readModel/projector.js';
import { planDifference, type PlanDifference } from './difference.js';
import { bucketClock, matchSnapshot, type Snapshot, type SnapshotSettings } from './snapshot.js';

/** Most lots one assignment run carries (the chaincode takes 1000); a larger change is several runs. */
const LOTS_PER_RUN = 500;

export interface Replanned {
  plan: MatchPlan;
  snapshot: Snapshot;
  difference: PlanDifference;
  /** The assignment runs recorded on the ledger (none when nothing changed). */
  runIds: string[];
  /** The ledger id of each added lot, in the order of `difference.add`. */
  addedLotIds: string[];
}

/**
 * One re-plan: reads the snapshot, solves it, and records only the difference from what the
 * ledger holds — new lots, and the waiting lots the plan moved, withdrawn in the same run — as
 * assignment runs signed by the matcher's identity, with the input hash and the objective.
 */
export async function replan(
  ledger: Ledger,
  pool: pg.Pool,
  projector: Projector,
  options: { nowMs?: number } & SnapshotSettings,
): Promise<Replanned> {
  const nowMs = options.nowMs ?? Date.now();
  const snapshot = await matchSnapshot(pool, nowMs, options);
  const plan = await solve(snapshot.input, 'engine');
  const difference = planDifference(plan, snapshot.movable);
  const runIds: string[] = [];
  const addedLotIds: string[] = [];
  if (difference.add.length === 0 && difference.withdraw.length === 0)
    return { plan, snapshot, difference, runIds, addedLotIds };
  const clock = bucketClock(nowMs);
  const stamp = `RUN-${new Date(nowMs).toISOString().slice(0, 16).replace(/[-:T]/g, '')}-${randomUUID().slice(0, 6)}`;
  const chunks = Math.max(1, Math.ceil(difference.add.length / LOTS_PER_RUN));
  for (let c = 0; c < chunks; c++) {
    const runId = chunks === 1 ? stamp : `${stamp}-${c + 1}`;
    const lots = difference.add.slice(c * LOTS_PER_RUN, (c + 1) * LOTS_PER_RUN);
    const committed = await ledger.submit('matcher', 'Assignment', 'RecordAssignment', [
      JSON.stringify({
        requestId: `replan-${runId}`,
        runId,
        inputHash: plan.inputHash,
        objective: plan.cost.total,
        acceptWithinHours: 4,
        lots: lots.map((l) => ({
          workOrderId: l.workOrderId,
          factoryId: l.factoryId,
          fromSeq: l.seq,
          toSeq: l.seq,
          bucket: clock.nameOf(l.bucket),
          quantity: l.quantity,
          unitPrices: [l.unitPrice],
          ...(l.quotaId === undefined ? {} : { quotaId: l.quotaId }),
        })),
        // Moved lots go in the first run, so their minutes are free for every new lot after them.
        ...(c === 0 && difference.withdraw.length > 0 ? { withdrawLotIds: difference.withdraw } : {}),
      }),
    ]);
    await projector.caughtUp(committed);
    runIds.push(runId);
    // The chaincode numbers a run's lots in the order given: RUN.1, RUN.2…
    addedLotIds.push(...lots.map((_l, i) => `${runId}.${i + 1}`));
  }
  return { plan, snapshot, difference, runIds, addedLotIds };
}
