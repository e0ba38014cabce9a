/**
 * Measures how long `network:up` takes on a warm machine (Fabric binaries built), on a scratch
 * network of its own (temporary directory, port base 27000) so a running dev network is untouched:
 *   - create: the founding alliance formed from nothing (each organisation's CA makes its identities
 *     and card, the channel is founded from the cards, chaincode deployed, roles registered)
 *   - join: a further company (add-factory FactoryC: its CA and card, the proposal, every member's
 *     admin's approval on the ledger, the channel update, its peer joined, its first transactions)
 *   - recover: every process stopped, data kept, `up` again
 *   - reuse: `up` on a network that already runs
 * Prints the figures beside the target (under 60 s). Usage:
 *   npm run bench:network-up [-- --rounds N] [--namespaces]   (--namespaces: a namespace per node, root)
 */
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { NETWORK_DIR } from '../paths.js';

const TARGET_SECONDS = 60;
const cli = join(NETWORK_DIR, 'dist', 'cli.js');

function runCli(args: string[], env: NodeJS.ProcessEnv): Promise<number> {
  const started = process.hrtime.bigint();
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, [cli, ...args], { env, stdio: ['ignore', 'ignore', 'inherit'] });
    child.on('close', (code) => {
      if (code === 0) resolvePromise(Number(process.hrtime.bigint() - started) / 1e9);
      else reject(new Error(`${args.join(' ')} exited with ${code ?? 'a signal'}`));
    });
  });
}

async function main(): Promise<void> {
  const roundsFlag = process.argv.indexOf('--rounds');
  const rounds = roundsFlag >= 0 ? Number(process.argv[roundsFlag + 1]) : 3;
  const namespaces = process.argv.includes('--namespaces');
  const up = namespaces ? ['up', '--namespaces'] : ['up'];
  const dir = await mkdtemp(join(tmpdir(), 'fabpool-bench-network-'));
  const env = { ...process.env, FABPOOL_NETWORK_DIR: dir, FABPOOL_NETWORK_PORT_BASE: '27000' };
  const results: { scenario: string; seconds: number[] }[] = [
    { scenario: 'create (new network, binaries built)', seconds: [] },
    { scenario: 'join a company (add-factory FactoryC)', seconds: [] },
    { scenario: 'recover (all processes stopped)', seconds: [] },
    { scenario: 'reuse (network running)', seconds: [] },
  ];
  try {
    await runCli(['build'], env);
    for (let round = 0; round < rounds; round++) {
      await runCli(['down', '--clean'], env);
      results[0]?.seconds.push(await runCli(up, env));
      results[1]?.seconds.push(await runCli(['add-factory', 'FactoryC'], env));
      await runCli(['down'], env);
      results[2]?.seconds.push(await runCli(['up'], env));
      results[3]?.seconds.push(await runCli(['up'], env));
      process.stderr.write(`round ${round + 1}/${rounds} done\n`);
    }
  } finally {
    await runCli(['down', '--clean'], env).catch(() => 0);
    await rm(dir, { recursive: true, force: true });
  }
  console.log(
    `network:up on this machine, ${rounds} round(s), ${namespaces ? 'each organisation in its own network namespace' : 'every organisation on 127.0.0.1'}; target: under ${TARGET_SECONDS} s on a warm machine`,
  );
  console.log('scenario                                  median s   max s   target met');
  for (const { scenario, seconds } of results) {
    const sorted = [...seconds].sort((a, b) => a - b);
    const median = sorted[Math.floor(sorted.length / 2)] ?? NaN;
    const max = sorted[sorted.length - 1] ?? NaN;
    console.log(
      `${scenario.padEnd(42)}${median.toFixed(1).padStart(8)}${max.toFixed(1).padStart(8)}   ${max < TARGET_SECONDS ? 'yes' : 'no'}`,
    );
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
