import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { lowerBound } from './bound.js';
import { solveExactly } from './exact.js';
import { generateInstance, SMALL } from './generator.js';
import type { MatchInput } from './model.js';
import { buildPlan } from './plan.js';
import { solve } from './solve.js';
import { firstOf, tinyInput } from './testing.js';

const optimumOf = async (input: MatchInput): Promise<number> => {
  const exact = await solveExactly(input, { timeLimitSeconds: 30 });
  expect(exact.status).toBe('Optimal');
  return buildPlan(input, 'highs', exact, { hash: false }).cost.total;
};

/** A generated instance made harder: held lots, late material, turned-down factories, an outage, fractional minutes. */
function twisted(seed: number, twist: number): MatchInput {
  const input = generateInstance({
    ...SMALL,
    seed,
    workOrders: 5,
    factories: 4,
    factoriesPerProcess: 2,
    buckets: 6,
    load: 0.9,
  });
  const first = firstOf(input.workOrders);
  const op = firstOf(first.routing);
  const capable = input.factories.find((f) => f.processes.some((o) => o.process === op.process));
  if ((twist & 1) !== 0 && capable !== undefined)
    input.currentPlan.push({
      workOrderId: first.workOrderId,
      seq: 1,
      factoryId: capable.factoryId,
      bucket: 0,
      quantity: Math.min(first.quantity, 15),
    });
  if ((twist & 2) !== 0) for (const w of input.workOrders.slice(1, 3)) w.releaseBucket = 3;
  if ((twist & 4) !== 0 && capable !== undefined) {
    const second = input.workOrders[1];
    if (second) second.avoidFactoryIds = [capable.factoryId];
  }
  if ((twist & 8) !== 0) {
    const last = input.factories[input.factories.length - 1];
    if (last) last.available = false;
  }
  if ((twist & 16) !== 0)
    for (const w of input.workOrders) for (const o of w.routing) o.standardMinutes += 0.5;
  return input;
}

describe('the lower bound', () => {
  it('is the optimum itself on the hand-made instance, where aggregating loses nothing', async () => {
    const input = tinyInput();
    const bound = await lowerBound(input);
    expect(bound.status).toBe('Optimal');
    // 20 units on the buyer's quota (paid), 30 at FB at 160 fen, 50 painted at 50 fen.
    expect(await optimumOf(input)).toBe(7300);
    expect(bound.bound).toBe(7300);
  });

  it('counts every unit of an order nobody can make as unplaced, and held lots as they are', async () => {
    const base = firstOf(tinyInput().workOrders);
    const input = tinyInput({
      workOrders: [
        base,
        {
          ...base,
          workOrderId: 'WO-SMT',
          quantity: 7,
          routing: [{ seq: 1, process: 'SMT', standardMinutes: 1 }],
        },
      ],
      currentPlan: [{ workOrderId: 'WO1', seq: 1, factoryId: 'FB', bucket: 0, quantity: 10 }],
    });
    const bound = await lowerBound(input);
    expect(bound.unfinishable).toBe(1);
    expect(bound.bound).toBeGreaterThanOrEqual(7 * input.parameters.unplacedPenaltyPerUnit);
    expect(bound.bound).toBeLessThanOrEqual(await optimumOf(input));
  });

  it('never exceeds the exact optimum, nor the engine’s cost, on generated instances of every twist', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 10_000 }),
        fc.integer({ min: 0, max: 31 }),
        async (seed, twist) => {
          const input = twisted(seed, twist);
          const bound = await lowerBound(input);
          expect(bound.status).toBe('Optimal');
          const optimum = await optimumOf(input);
          expect(bound.bound, `seed ${seed} twist ${twist}`).toBeLessThanOrEqual(optimum);
          expect(bound.bound).toBeLessThanOrEqual((await solve(input, 'engine')).cost.total);
          // Weak duality: the Lagrangian never passes the LP's optimum, whatever its multipliers.
          const dual = await lowerBound(input, { method: 'lagrangian', target: optimum, iterations: 60 });
          expect(dual.bound, `seed ${seed} twist ${twist}`).toBeLessThanOrEqual(bound.bound);
        },
      ),
      { numRuns: 40, seed: 21 },
    );
  }, 240_000);

  it('comes close to the LP’s optimum by the Lagrangian on a mid-size instance, in a fixed number of steps', async () => {
    const input = generateInstance({
      ...SMALL,
      seed: 7,
      workOrders: 120,
      factories: 12,
      factoriesPerProcess: 4,
      buckets: 10,
    });
    const lp = await lowerBound(input, { method: 'lp' });
    const target = (await solve(input, 'engine')).cost.total;
    const dual = await lowerBound(input, { method: 'lagrangian', target, iterations: 300 });
    expect(dual.bound).toBeLessThanOrEqual(lp.bound);
    expect(dual.bound).toBeGreaterThanOrEqual(0.97 * lp.bound);
    expect(await lowerBound(input, { method: 'lagrangian', target, iterations: 300 })).toMatchObject({
      bound: dual.bound,
    });
  }, 60_000);
});
