import { spawnSync } from 'node:child_process';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import {
  createMemberAccounts,
  encodeRunInput,
  replayAssignmentRun,
  seedDemoAlliance,
  startApi,
  type RunningApi,
} from '@fabpool/api';
import { runInputParser } from '@fabpool/chaincode/model';
import { decodeUtf8 } from '@fabpool/network';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LOGIN_MUTATION, loginVariables } from '../support/accounts.js';
import { graphqlClient } from '../support/graphqlClient.js';
import { errorCodeOf, failureOf } from '../support/ledgerErrors.js';

const PASSWORD = 'replay-e2e-2026';
const REPLAY =
  'query($id: String!) { replayAssignmentRun(runId: $id) { runId inputHash inputFound hashMatches inputBytes lotsRecorded lotsReplayed withdrawnRecorded withdrawnReplayed differences identical } }';

interface Replay {
  runId: string;
  inputHash: string;
  hashMatches: boolean;
  inputBytes: number;
  lotsRecorded: number;
  lotsReplayed: number;
  differences: string[];
  identical: boolean;
}

/**
 * Replayable matching on the embedded ledger: each matcher run stores its complete input on the
 * ledger under the hash the run records; an auditor fetches it, checks the hash, re-runs the
 * matcher and finds the recorded lots byte for byte, and catches a tampered input and a run whose
 * lots are not what the matcher makes of its input.
 */
describe('an auditor replays the matcher', () => {
  let api: RunningApi;
  let dir: string;
  let runIds: string[] = [];
  const tokens = new Map<string, string>();
  const { gql, ok } = graphqlClient(() => api.url, tokens);

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'fabpool-replay-'));
    api = await startApi({ dataDir: dir });
    const accounts = await createMemberAccounts(api.database.pool, api.ledger, PASSWORD);
    for (const member of ['auditor', 'alliance-admin', 'factory-a-user']) {
      const login = await ok(LOGIN_MUTATION, loginVariables(accounts, member, PASSWORD), member);
      tokens.set(member, (login.login as { accessToken: string }).accessToken);
    }
    await seedDemoAlliance(api.ledger, () => undefined);
    await api.projector.caughtUp((await api.ledger.height()) - 1);
    await api.matcher.request({ kind: 'STARTUP', detail: 'replay test' });
    // Every run the matcher service recorded (the demo's rush order may have set one off already).
    const { rows } = await api.database.pool.query<{ id: string }>(
      "SELECT record->>'runId' AS id FROM record WHERE kind = 'AssignmentRun' AND record->>'runId' ~ '^RUN-[0-9]{12}-[0-9a-f]{6}(-[0-9]+)?$' ORDER BY id",
    );
    runIds = rows.map((r) => r.id);
  });

  afterAll(async () => {
    await api.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('stores the demo run’s input on the ledger, and the replay finds the run identical', async () => {
    expect(runIds.length).toBeGreaterThan(0);
    for (const runId of runIds) {
      const replay = (await ok(REPLAY, { id: runId }, 'auditor')).replayAssignmentRun as Replay;
      expect(replay.differences).toEqual([]);
      expect(replay).toMatchObject({ runId, hashMatches: true, identical: true });
      expect(replay.lotsRecorded).toBeGreaterThan(0);
      expect(replay.lotsReplayed).toBe(replay.lotsRecorded);
      const stored = runInputParser.fromJson(
        decodeUtf8(await api.ledger.evaluate('auditor', 'Assignment', 'GetRunInput', [replay.inputHash])),
      );
      // The read model learns of it from the event by hash and size; the content stays on the ledger.
      const { rows } = await api.database.pool.query<{ record: Record<string, unknown> }>(
        "SELECT record FROM record WHERE kind = 'RunInput' AND id = $1",
        [replay.inputHash],
      );
      expect(rows[0]?.record).toMatchObject({ inputHash: replay.inputHash, bytes: stored.bytes });
      expect(rows[0]?.record).not.toHaveProperty('content');
      // A figure for the notes: the demo's input, inflated and as the ledger keeps it.
      process.stdout.write(
        `[replay] demo run ${runId}: ${String(replay.lotsRecorded)} lots; input ${String(stored.bytes)} bytes, ${String(stored.content.length)} stored (gzip, base64)\n`,
      );
    }
  });

  it('replays from the command line beside the running api, reading its ledger without writing to it', async () => {
    const [runId = ''] = runIds;
    const file = join(dir, 'ledger', 'ledger.jsonl');
    const before = (await stat(file)).size;
    const replay = spawnSync(
      process.execPath,
      ['api/dist/replayMain.js', '--run', runId, '--data-dir', dir],
      {
        encoding: 'utf8',
      },
    );
    expect(replay.stderr).toBe('');
    expect(replay.stdout).toMatch(/hash matches/);
    expect(replay.stdout).toMatch(/IDENTICAL/);
    expect(replay.status).toBe(0);
    expect((await stat(file)).size).toBe(before);
    const missing = spawnSync(
      process.execPath,
      ['api/dist/replayMain.js', '--run', 'RUN-NONE', '--data-dir', dir],
      {
        encoding: 'utf8',
      },
    );
    expect(missing.stderr).toMatch(/replay failed: .*ASSIGNMENT.RUN_NOT_FOUND/);
    expect(missing.status).toBe(2);
  });

  it('is for overseers: a factory may neither replay nor fetch the input', async () => {
    const [runId = ''] = runIds;
    const refused = await gql(REPLAY, { id: runId }, 'factory-a-user');
    expect(refused.errors?.[0]?.extensions?.code).toBe('ACCESS.WRONG_ROLE');
    const { inputHash } = (await ok(REPLAY, { id: runId }, 'auditor')).replayAssignmentRun as Replay;
    const refusal = await failureOf(() =>
      api.ledger.evaluate('factory-a-user', 'Assignment', 'GetRunInput', [inputHash]),
    );
    expect(errorCodeOf(refusal)).toBe('ACCESS.WRONG_ROLE');
  });

  it('catches an input altered after it was fetched', async () => {
    const [runId = ''] = runIds;
    const tampered = await replayAssignmentRun(api.ledger, 'auditor', runId, {
      fetched: (content) => {
        const text = gunzipSync(content).toString('utf8');
        // One factory's free minutes a little higher: the kind of change that moves a lot.
        return gzipSync(
          Buffer.from(
            text.replace(/"freeMinutes":(\d+)/, (_m, n: string) => `"freeMinutes":${String(Number(n) + 1)}`),
          ),
        );
      },
    });
    expect(tampered.hashMatches).toBe(false);
    expect(tampered.identical).toBe(false);
    expect(tampered.differences[0]).toMatch(/SHA-256 is [0-9a-f]{64}, not the run's/);
  });

  it('refuses to store an input under a hash that is not its own', async () => {
    const input = encodeRunInput({
      format: 'fabpool.run-input/1',
      nowMs: 1,
      input: {} as never,
      movable: [],
    });
    const refusal = await failureOf(() =>
      api.ledger.submit('matcher', 'Assignment', 'RecordRunInput', [
        JSON.stringify({ requestId: 'replay-wrong-hash', inputHash: 'f'.repeat(64), content: input.content }),
      ]),
    );
    expect(errorCodeOf(refusal)).toBe('ASSIGNMENT.RUN_INPUT_MISMATCH');
  });

  it('names every lot of a run that is not what the matcher makes of its input', async () => {
    // A dishonest run naming a real run's stored input: it withdraws one of that run's lots and
    // places nothing, which the matcher never makes of this input.
    const [runId = ''] = runIds;
    const honest = (await ok(REPLAY, { id: runId }, 'auditor')).replayAssignmentRun as Replay;
    const { lotIds } = JSON.parse(
      decodeUtf8(await api.ledger.evaluate('auditor', 'Assignment', 'GetAssignmentRun', [runId])),
    ) as { lotIds: string[] };
    const forged = `${runId}-X`;
    await api.ledger.submit('matcher', 'Assignment', 'RecordAssignment', [
      JSON.stringify({
        requestId: `replay-forged-${forged}`,
        runId: forged,
        inputHash: honest.inputHash,
        objective: 0,
        acceptWithinHours: 4,
        lots: [],
        withdrawLotIds: [lotIds[0] ?? ''],
      }),
    ]);
    const replay = (await ok(REPLAY, { id: forged }, 'auditor')).replayAssignmentRun as Replay;
    expect(replay.hashMatches).toBe(true);
    expect(replay.identical).toBe(false);
    expect(replay.differences.join('\n')).toMatch(/objective: recorded 0/);
    // The command line says the same, and fails.
    const cli = spawnSync(process.execPath, ['api/dist/replayMain.js', '--run', forged, '--data-dir', dir], {
      encoding: 'utf8',
    });
    expect(cli.stdout).toMatch(/DIFFERENT:\n {4}- objective: recorded 0/);
    expect(cli.status).toBe(1);
    expect(replay.differences.join('\n')).toMatch(/lot 1 \(none recorded\): recorded nothing/);
    expect(replay.differences.join('\n')).toMatch(
      /withdrawn lots: recorded \["[^"]+"\], the matcher withdraws \[/,
    );
  });
});
