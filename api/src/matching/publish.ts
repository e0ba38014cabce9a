import { randomUUID } from 'node:crypto';
import type { MatchPlan } from '@fabpool/matcher';
import type { Ledger } from '@fabpool/network';
import type pg from 'pg';
import type { Projector } from '../readModel/projector.js';
import type { PlanDifference } from './difference.js';
import { encodeRunInput, planRuns, RUN_INPUT_FORMAT, runIdOf } from './runInput.js';
import { matchSnapshot, type Snapshot, type SnapshotSettings } from './snapshot.js';
import { LedgerCommands } from '../ledger/commands.js';

export interface Replanned {
  plan: MatchPlan;
  snapshot: Snapshot;
  difference: PlanDifference;
  /** The assignment runs recorded on the ledger (none when nothing changed). */
  runIds: string[];
  /** The ledger id of each added lot, in the order of `difference.add`. */
  addedLotIds: string[];
  /** The hash of the run input the runs name (stored on the ledger under it). */
  inputHash: string;
}

/** Hours a factory has to accept or reject a lot the matcher gave it. */
const ACCEPT_WITHIN_HOURS = 4;

/**
 * One re-plan: reads the snapshot, solves it, and records only the difference from what the
 * ledger holds — new lots, and the waiting lots the plan moved, withdrawn in the same run — as
 * assignment runs signed by the matcher's identity, with the objective and the hash of the run's
 * complete input, which is stored on the ledger first.
 */
export async function replan(
  ledger: Ledger,
  pool: pg.Pool,
  projector: Projector,
  options: { nowMs?: number } & SnapshotSettings,
): Promise<Replanned> {
  const nowMs = options.nowMs ?? Date.now();
  const snapshot = await matchSnapshot(pool, nowMs, options);
  const input = encodeRunInput({
    format: RUN_INPUT_FORMAT,
    nowMs,
    input: snapshot.input,
    movable: snapshot.movable,
  });
  // Planned from the input as stored (its canonical JSON read back), so a replay of the stored
  // bytes is the very computation that made the runs.
  const { plan, difference, runs } = await planRuns(input.document);
  const runIds: string[] = [];
  const addedLotIds: string[] = [];
  const replanned = { plan, snapshot, difference, runIds, addedLotIds, inputHash: input.inputHash };
  if (runs.length === 0) return replanned;
  const stamp = `RUN-${new Date(nowMs).toISOString().slice(0, 16).replace(/[-:T]/g, '')}-${randomUUID().slice(0, 6)}`;
  const commands = new LedgerCommands(ledger);
  // The input first: a run names only an input every auditor can fetch from the ledger.
  await commands.send('matcher', 'recordRunInput', {
    requestId: `run-input-${stamp}`,
    inputHash: input.inputHash,
    content: input.content,
  });
  for (const [c, run] of runs.entries()) {
    const runId = runIdOf(stamp, c, runs.length);
    const committed = await commands.send('matcher', 'recordAssignment', {
      requestId: `replan-${runId}`,
      runId,
      inputHash: input.inputHash,
      objective: plan.cost.total,
      acceptWithinHours: ACCEPT_WITHIN_HOURS,
      lots: run.lots,
      ...(run.withdraw.length > 0 ? { withdrawLotIds: run.withdraw } : {}),
    });
    await projector.caughtUp(committed);
    runIds.push(runId);
    // The chaincode numbers a run's lots in the order given: RUN.1, RUN.2…
    addedLotIds.push(...run.lots.map((_l, i) => `${runId}.${String(i + 1)}`));
  }
  return replanned;
}
