#!/usr/bin/env node
/**
 * Solves a snapshot file and prints the plan as JSON:
 *   npm run match -- --input snapshot.json [--solver engine|greedy|highs]
 * Or writes a seeded random instance:
 *   npm run match -- --generate --seed 7 [--work-orders 200 --factories 20 --buckets 21]
 */
import { readFile } from 'node:fs/promises';
import { generateInstance, SMALL } from './generator.js';
import { canonicalJson } from './hash.js';
import { MatchInputError, parseMatchInput } from './model.js';
import { solve, type Solver } from './solve.js';

function option(name: string): string | undefined {
  const at = process.argv.indexOf(`--${name}`);
  return at >= 0 ? process.argv[at + 1] : undefined;
}

function numberOption(name: string, fallback: number): number {
  const text = option(name);
  if (text === undefined) return fallback;
  const value = Number(text);
  if (!Number.isFinite(value)) throw new MatchInputError(`--${name} must be a number, not ${text}`);
  return value;
}

async function main(): Promise<void> {
  if (process.argv.includes('--generate')) {
    const instance = generateInstance({
      ...SMALL,
      seed: numberOption('seed', 1),
      workOrders: numberOption('work-orders', 50),
      factories: numberOption('factories', 8),
      factoriesPerProcess: numberOption('factories-per-process', 3),
      buckets: numberOption('buckets', 21),
      customers: numberOption('customers', 5),
    });
    process.stdout.write(`${JSON.stringify(instance, null, 2)}\n`);
    return;
  }
  const path = option('input');
  if (path === undefined)
    throw new MatchInputError('usage: npm run match -- --input snapshot.json [--solver engine|greedy|highs]');
  const solver = (option('solver') ?? 'engine') as Solver;
  if (!['engine', 'greedy', 'highs'].includes(solver))
    throw new MatchInputError(`--solver must be engine, greedy or highs, not ${solver}`);
  let parsed: unknown;
  try {
    parsed = JSON.parse(await readFile(path, 'utf8'));
  } catch (error) {
    throw new MatchInputError(`cannot read ${path} as JSON: ${(error as Error).message}`);
  }
  const plan = await solve(parseMatchInput(parsed), solver);
  // Canonical JSON: the same input prints the same bytes.
  process.stdout.write(`${canonicalJson(plan)}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof MatchInputError ? error.message : String(error)}\n`);
  process.exitCode = error instanceof MatchInputError ? 2 : 1;
});
