import { randomUUID } from 'node:crypto';
import type { MatchPlan } from '@fabpool/matcher';
import type { Ledger } from '@fabpool/network';
import type pg from 'pg';
import type { Projector } from '../readModel/projector.js';
import type { PlanDifference } from './difference.js';
import {
  encodeRunInput,
  planRuns,
  RUN_INPUT_FORMAT,
  runIdOf,
  type EncodedRunInput,
  type PlannedRuns,
  type RunInputDocument,
} from './runInput.js';
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
  /** The search the input asked for, when not the full one (see `RunInputDocument`). */
  search?: 'first' | 'improve';
}

/** Hours a factory has to accept or reject a lot the matcher gave it. */
const ACCEPT_WITHIN_HOURS = 4;

export interface ReplanOptions extends SnapshotSettings {
  nowMs?: number;
  /** Above this many open work orders the run publishes the quick first plan (`search: 'first'`). */
  firstPlanAbove?: number;
  /** The background search that follows a first plan. */
  search?: 'improve';
  /** Where the plan is computed: here by default; the service's improvement runs it off the api's thread. */
  plan?: (document: RunInputDocument) => Promise<PlannedRuns>;
}

/** A re-plan decided but not yet recorded: its input, and the plan computed from it. */
export interface PreparedReplan {
  nowMs: number;
  snapshot: Snapshot;
  input: EncodedRunInput;
  planned: PlannedRuns;
}

/** Reads the snapshot, stores it as a run input document, and solves it as stored. */
export async function prepareReplan(pool: pg.Pool, options: ReplanOptions): Promise<PreparedReplan> {
  const nowMs = options.nowMs ?? Date.now();
  const snapshot = await matchSnapshot(pool, nowMs, options);
  const search =
    options.search ??
    (snapshot.input.workOrders.length > (options.firstPlanAbove ?? Infinity) ? 'first' : undefined);
  const input = encodeRunInput({
    format: RUN_INPUT_FORMAT,
    nowMs,
    input: snapshot.input,
    movable: snapshot.movable,
    ...(search === undefined ? {} : { search }),
  });
  // Planned from the input as stored (its canonical JSON read back), so a replay of the stored
  // bytes is the very computation that made the runs.
  const planned = await (options.plan ?? planRuns)(input.document);
  return { nowMs, snapshot, input, planned };
}

/**
 * Records a prepared re-plan: only the difference from what the ledger holds — new lots, and the
 * waiting lots the plan moved, withdrawn in the same run — as assignment runs signed by the
 * matcher's identity, with the objective and the hash of the run's complete input, which is stored
 * on the ledger first.
 */
export async function recordReplan(
  ledger: Ledger,
  projector: Projector,
  prepared: PreparedReplan,
): Promise<Replanned> {
  const { nowMs, snapshot, input } = prepared;
  const { plan, difference, runs } = prepared.planned;
  const runIds: string[] = [];
  const addedLotIds: string[] = [];
  const replanned = {
    plan,
    snapshot,
    difference,
    runIds,
    addedLotIds,
    inputHash: input.inputHash,
    ...(input.document.search === undefined ? {} : { search: input.document.search }),
  };
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

/** One re-plan, prepared and recorded at once. */
export async function replan(
  ledger: Ledger,
  pool: pg.Pool,
  projector: Projector,
  options: ReplanOptions,
): Promise<Replanned> {
  return recordReplan(ledger, projector, await prepareReplan(pool, options));
}
