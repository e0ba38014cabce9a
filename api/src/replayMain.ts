#!/usr/bin/env node
/**
 * `npm run replay -- --run <run id> [--node <node directory> | --data-dir <directory>]`: an
 * auditor's replay of one assignment run, from the command line. With `--node` (an organisation's
 * node directory on a Fabric network, e.g. network/.runtime/nodes/Audit) it reads through that
 * node's peer as its auditor or operator; otherwise it reads the embedded ledger of `npm start`
 * (`--data-dir`, FABPOOL_DATA_DIR, or .fabpool/embedded) without writing to it, even while
 * fabpool runs. Exit code 0: identical; 1: different; 2: it could not replay.
 */
import { join } from 'node:path';
import { openLedger, REPO_DIR_FOR_DATA } from './imports.js';
import { replayAssignmentRun } from './matching/replay.js';

const USAGE =
  'usage: npm run replay -- --run <run id> [--node <node directory> | --data-dir <directory>]\n' +
  '  e.g. npm run replay -- --run RUN-202612041100-ab12cd\n' +
  '       npm run replay -- --run RUN-202612041100-ab12cd --node network/.runtime/nodes/Audit\n';

function option(args: string[], name: string): string | undefined {
  const at = args.indexOf(name);
  return at < 0 ? undefined : args[at + 1];
}

async function main(): Promise<number> {
  const args = process.argv.slice(2);
  const runId = option(args, '--run');
  if (runId === undefined || args.includes('--help')) {
    process.stdout.write(USAGE);
    return args.includes('--help') ? 0 : 2;
  }
  const node = option(args, '--node');
  const dataDir =
    option(args, '--data-dir') ??
    process.env.FABPOOL_DATA_DIR ??
    join(REPO_DIR_FOR_DATA, '.fabpool', 'embedded');
  const ledger =
    node === undefined
      ? await openLedger({ engine: 'embedded', dir: join(dataDir, 'ledger'), readOnly: true })
      : await openLedger({ engine: 'fabric', connection: join(node, 'connection.json') });
  try {
    // An overseer of this node reads the run, its input and its lots.
    const reader =
      ledger.members().find((m) => m.role === 'auditor') ??
      ledger.members().find((m) => m.role === 'operator');
    if (reader === undefined) {
      process.stderr.write(
        'no auditor or operator holds a key here: replay on the Audit or the operator node\n',
      );
      return 2;
    }
    const report = await replayAssignmentRun(ledger, reader.name, runId);
    process.stdout.write(
      `run ${report.runId} (read as ${reader.name})\n` +
        `  input ${report.inputHash}: ${report.inputFound ? `${String(report.inputBytes)} bytes` : 'not on the ledger'}, hash ${report.hashMatches ? 'matches' : 'DOES NOT MATCH'}\n` +
        `  lots: ${String(report.lotsRecorded)} recorded, ${String(report.lotsReplayed)} replayed; withdrawn: ${String(report.withdrawnRecorded)} recorded, ${String(report.withdrawnReplayed)} replayed\n` +
        (report.identical
          ? '  IDENTICAL: the ledger holds exactly what the matcher makes of this input\n'
          : `  DIFFERENT:\n${report.differences.map((d) => `    - ${d}\n`).join('')}`),
    );
    return report.identical ? 0 : 1;
  } finally {
    await ledger.close();
  }
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`replay failed: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 2;
  },
);
