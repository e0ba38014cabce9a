import {
  assignmentRunParser,
  lotParser,
  runInputParser,
  type AssignmentRun,
  type Lot,
} from '@fabpool/chaincode/model';
import { inflateRunInput, sha256Hex } from '@fabpool/chaincode/rules/runInput';
import { canonicalJson } from '@fabpool/matcher';
import { decodeUtf8, type Ledger } from '@fabpool/network';
import { planRuns, RUN_INPUT_FORMAT, runIndexOf, type RunInputDocument } from './runInput.js';

/** What a replay of one assignment run found: each check, and every difference named. */
export interface ReplayReport {
  runId: string;
  inputHash: string;
  /** The ledger holds an input under the run's hash. */
  inputFound: boolean;
  /** The input fetched inflates to bytes whose SHA-256 is the run's hash. */
  hashMatches: boolean;
  /** Size of the input, inflated. */
  inputBytes: number;
  lotsRecorded: number;
  lotsReplayed: number;
  withdrawnRecorded: number;
  withdrawnReplayed: number;
  /** Every way the recorded run differs from the replay (empty when they are the same, byte for byte). */
  differences: string[];
  /** Whether the run is exactly what the matcher computes from its input. */
  identical: boolean;
}

/** What a lot's record must say for the run that made it, in the terms the run's request used. */
const recordedTerms = (lot: Lot) => ({
  workOrderId: lot.workOrderId,
  factoryId: lot.factoryId,
  fromSeq: lot.fromSeq,
  toSeq: lot.toSeq,
  bucket: lot.bucket,
  quantity: lot.quantity,
  unitPrices: lot.unitPrices,
  ...(lot.quotaId === undefined ? {} : { quotaId: lot.quotaId }),
});

export interface ReplayOptions {
  /** The input's content as fetched, before it is checked: a test alters it as a tamperer would. */
  fetched?: (content: Buffer) => Buffer;
}

/**
 * Replays one assignment run as an auditor: fetches the run and the input stored under its hash
 * from the ledger, checks the input's hash, re-runs the matcher on it (the same computation the
 * re-plan made: solve, difference from the lots it could move, cut into runs), and compares the
 * run's lots and withdrawals with the ledger's, byte for byte as canonical JSON.
 */
export async function replayAssignmentRun(
  ledger: Ledger,
  member: string,
  runId: string,
  options: ReplayOptions = {},
): Promise<ReplayReport> {
  const read = async (contract: string, transaction: string, args: string[]) =>
    decodeUtf8(await ledger.evaluate(member, contract, transaction, args));
  const run: AssignmentRun = assignmentRunParser.fromJson(
    await read('Assignment', 'GetAssignmentRun', [runId]),
  );
  const report: ReplayReport = {
    runId,
    inputHash: run.inputHash,
    inputFound: false,
    hashMatches: false,
    inputBytes: 0,
    lotsRecorded: run.lotIds.length,
    lotsReplayed: 0,
    withdrawnRecorded: run.withdrawnLotIds?.length ?? 0,
    withdrawnReplayed: 0,
    differences: [],
    identical: false,
  };
  let stored;
  try {
    stored = runInputParser.fromJson(await read('Assignment', 'GetRunInput', [run.inputHash]));
  } catch (error) {
    report.differences.push(
      `the ledger holds no input under the run's hash ${run.inputHash}: ${error instanceof Error ? error.message : String(error)}`,
    );
    return report;
  }
  report.inputFound = true;
  const content = (options.fetched ?? ((c: Buffer) => c))(Buffer.from(stored.content, 'base64'));
  let bytes: Buffer;
  try {
    // The chaincode's own rule: gzip, and no larger than a run input may be.
    bytes = inflateRunInput(content.toString('base64'));
  } catch (error) {
    report.differences.push(
      `the input cannot be read: ${error instanceof Error ? error.message : String(error)}`,
    );
    return report;
  }
  report.inputBytes = bytes.length;
  const hash = sha256Hex(bytes);
  report.hashMatches = hash === run.inputHash;
  if (!report.hashMatches) {
    report.differences.push(`the input's SHA-256 is ${hash}, not the run's ${run.inputHash}`);
    return report;
  }
  const document = JSON.parse(bytes.toString('utf8')) as Partial<RunInputDocument>;
  const format: unknown = document.format;
  if (format !== RUN_INPUT_FORMAT) {
    report.differences.push(`the input's format is ${JSON.stringify(format)}, not ${RUN_INPUT_FORMAT}`);
    return report;
  }
  const { plan, runs } = await planRuns(document as RunInputDocument);
  if (run.objective !== plan.cost.total)
    report.differences.push(
      `objective: recorded ${String(run.objective)}, the matcher's plan costs ${String(plan.cost.total)}`,
    );
  const index = runIndexOf(runId, runs.length);
  const replayed = index === undefined ? undefined : runs[index];
  if (replayed === undefined) {
    report.differences.push(
      `the matcher makes ${String(runs.length)} run(s) from this input, none of which is ${runId}`,
    );
    return report;
  }
  report.lotsReplayed = replayed.lots.length;
  report.withdrawnReplayed = replayed.withdraw.length;
  const lots = await Promise.all(
    run.lotIds.map(async (lotId) => lotParser.fromJson(await read('Assignment', 'GetLot', [lotId]))),
  );
  const count = Math.max(lots.length, replayed.lots.length);
  for (let i = 0; i < count; i++) {
    const lot = lots[i];
    const recorded = lot === undefined ? undefined : canonicalJson(recordedTerms(lot));
    const expected = replayed.lots[i] === undefined ? undefined : canonicalJson(replayed.lots[i]);
    if (recorded !== expected)
      report.differences.push(
        `lot ${String(i + 1)} (${run.lotIds[i] ?? 'none recorded'}): recorded ${recorded ?? 'nothing'}, the matcher makes ${expected ?? 'nothing'}`,
      );
  }
  const withdrawnRecorded = canonicalJson(run.withdrawnLotIds ?? []);
  const withdrawnReplayed = canonicalJson(replayed.withdraw);
  if (withdrawnRecorded !== withdrawnReplayed)
    report.differences.push(
      `withdrawn lots: recorded ${withdrawnRecorded}, the matcher withdraws ${withdrawnReplayed}`,
    );
  report.identical = report.differences.length === 0;
  return report;
}
