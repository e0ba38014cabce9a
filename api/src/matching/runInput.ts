import { gzipSync } from 'node:zlib';
import {
  canonicalJson,
  solve,
  type MatchInput,
  type MatchPlan,
  type PlanLot,
  type Search,
} from '@fabpool/matcher';
import type { RecordAssignmentRequest } from '@fabpool/chaincode/model';
import { sha256Hex } from '@fabpool/chaincode/rules/runInput';
import { planDifference, type PlanDifference } from './difference.js';
import { bucketClock, type MovableLot } from './snapshot.js';

/** The version of the document below: a replay refuses a format it does not know. */
export const RUN_INPUT_FORMAT = 'fabpool.run-input/1';

/** Most lots one assignment run adds or withdraws (the chaincode takes 1000 of each); a larger change is several runs. */
export const LOTS_PER_RUN = 500;

/**
 * Everything a re-plan decides from, and nothing else: the solver's snapshot (open work orders,
 * factories with their free minutes after live load and outages, quotas, material dates after
 * supplier delays), the ledger lots it may move, and the clock that names its shifts. Its hash is
 * what the assignment runs record, and the ledger keeps it under that hash (RecordRunInput).
 */
export interface RunInputDocument {
  format: typeof RUN_INPUT_FORMAT;
  nowMs: number;
  input: MatchInput;
  movable: MovableLot[];
  /**
   * How far the matcher searched: absent, its full search; `first`, the quick first plan of a large
   * instance; `improve`, the background search after it. Recorded, so a replay runs the same one.
   */
  search?: Exclude<Search, 'full'>;
}

export interface EncodedRunInput {
  document: RunInputDocument;
  /** The canonical JSON the hash is over. */
  bytes: Buffer;
  inputHash: string;
  /** gzip of `bytes`, as base64: what the ledger stores. */
  content: string;
}

/** The document as stored: its canonical JSON, and the document read back from it. */
export function encodeRunInput(document: RunInputDocument): EncodedRunInput {
  const bytes = Buffer.from(canonicalJson(document));
  return {
    document: JSON.parse(bytes.toString('utf8')) as RunInputDocument,
    bytes,
    inputHash: sha256Hex(bytes),
    content: gzipSync(bytes).toString('base64'),
  };
}

type RequestLot = RecordAssignmentRequest['lots'][number];

/** A planned lot as an assignment run records it: its shift by name, its price per operation. */
export function requestLotOf(lot: PlanLot, nameOf: (bucket: number) => string): RequestLot {
  return {
    workOrderId: lot.workOrderId,
    factoryId: lot.factoryId,
    fromSeq: lot.seq,
    toSeq: lot.seq,
    bucket: nameOf(lot.bucket),
    quantity: lot.quantity,
    unitPrices: [lot.unitPrice],
    ...(lot.quotaId === undefined ? {} : { quotaId: lot.quotaId }),
  };
}

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

export interface PlannedRuns {
  plan: MatchPlan;
  difference: PlanDifference;
  /** What each assignment run of this re-plan records, in order: none when nothing changed. */
  runs: { lots: RequestLot[]; planLots: PlanLot[]; withdraw: string[] }[];
}

/**
 * The matcher's whole decision from one input: the plan, what must change on the ledger, and the
 * runs that record it. The re-plan records exactly this, and a replay recomputes exactly this.
 */
export async function planRuns(document: RunInputDocument): Promise<PlannedRuns> {
  // An improvement is never dearer than the first plan from the same input (both searches keep
  // the dispatch they start from unless they beat it), so one that finds nothing better places
  // what the first plan placed: nothing changes, nothing is recorded.
  const plan = await solve(document.input, 'engine', document.search ?? 'full');
  const difference = planDifference(plan, document.movable);
  if (difference.add.length === 0 && difference.withdraw.length === 0) return { plan, difference, runs: [] };
  const { nameOf } = bucketClock(document.nowMs);
  return {
    plan,
    difference,
    runs: assignmentRuns(difference, LOTS_PER_RUN).map((run) => ({
      lots: run.add.map((l) => requestLotOf(l, nameOf)),
      planLots: run.add,
      withdraw: run.withdraw,
    })),
  };
}

/** The id of the `index`-th of `count` runs of one re-plan stamped `stamp`. */
export const runIdOf = (stamp: string, index: number, count: number): string =>
  count === 1 ? stamp : `${stamp}-${String(index + 1)}`;

/** Which of a re-plan's runs an id names, given how many it had: the inverse of runIdOf. */
export function runIndexOf(runId: string, count: number): number | undefined {
  if (count === 1) return 0;
  const match = /-(\d+)$/.exec(runId);
  const index = match === null ? NaN : Number(match[1]) - 1;
  return Number.isInteger(index) && index >= 0 && index < count ? index : undefined;
}
