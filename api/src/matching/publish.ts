import { randomUUID } from 'node:crypto';
import { solve, type MatchPlan } from '@fabpool/matcher';
import type { Ledger } from '@fabpool/network';
import type pg from 'pg';
import type { Projector } from '../readModel/projector.js';
import { planDifference, type PlanDifference } from './difference.js';
import { bucketClock, matchSnapshot, type Snapshot, type SnapshotSettings } from './snapshot.js';
import { LedgerCommands } from '../ledger/commands.js';

/** Most lots one assignment run adds or withdraws (the chaincode takes 1000 of each); a larger change is several runs. */
const LOTS_PER_RUN = 500;

/**
 * A difference cut into assignment runs of at most `perRun` lots added and `perRun` withdrawn.
 * Moved lots are withdrawn first, so their minutes are free for every new lot after them: the
 * withdrawals fill the first runs, the last of those also carrying the first new lots.
 */
export function assignmentRuns<Lot>(
  difference: { add: readonly Lot[]; withdraw: readonly string[] },
  perRun: number,
): { add: Lot[]; withdraw: string[] }[] {
  const slices = <T>(items: readonly T[]): T[][] =>
    Array.from({ length: Math.ceil(items.length / perRun) }, (_x, i) =>
      items.slice(i * perRun, (i + 1) * perRun),
    );
  const withdraw = slices(difference.withdraw);
  const add = slices(difference.add);
  const addFrom = Math.max(withdraw.length - 1, 0);
  return Array.from({ length: Math.max(withdraw.length, addFrom + add.length) }, (_x, run) => ({
    add: add[run - addFrom] ?? [],
    withdraw: withdraw[run] ?? [],
  }));
}

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
  const runs = assignmentRuns(difference, LOTS_PER_RUN);
  for (const [c, run] of runs.entries()) {
    const runId = runs.length === 1 ? stamp : `${stamp}-${c + 1}`;
    const committed = await new LedgerCommands(ledger).send('matcher', 'recordAssignment', {
      requestId: `replan-${runId}`,
      runId,
      inputHash: plan.inputHash,
      objective: plan.cost.total,
      acceptWithinHours: 4,
      lots: run.add.map((l) => ({
        workOrderId: l.workOrderId,
        factoryId: l.factoryId,
        fromSeq: l.seq,
        toSeq: l.seq,
        bucket: clock.nameOf(l.bucket),
        quantity: l.quantity,
        unitPrices: [l.unitPrice],
        ...(l.quotaId === undefined ? {} : { quotaId: l.quotaId }),
      })),
      ...(run.withdraw.length > 0 ? { withdrawLotIds: run.withdraw } : {}),
    });
    await projector.caughtUp(committed);
    runIds.push(runId);
    // The chaincode numbers a run's lots in the order given: RUN.1, RUN.2…
    addedLotIds.push(...run.add.map((_l, i) => `${runId}.${i + 1}`));
  }
  return { plan, snapshot, difference, runIds, addedLotIds };
}
