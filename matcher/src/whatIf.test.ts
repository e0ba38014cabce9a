import { describe, expect, it } from 'vitest';
import { generateInstance, SMALL } from './generator.js';
import type { MatchWorkOrder } from './model.js';
import { solve } from './solve.js';
import { firstOf } from './testing.js';
import { whatIf } from './whatIf.js';

const input = generateInstance({
  ...SMALL,
  seed: 21,
  workOrders: 120,
  factories: 12,
  factoriesPerProcess: 4,
  buckets: 12,
});

describe('what-if, against a solved plan', () => {
  it('splits a rush order into lots and reports what moves and what it costs', async () => {
    const base = await solve(input, 'engine');
    const rush: MatchWorkOrder = {
      workOrderId: 'RUSH-1',
      customerId: 'C001',
      quantity: 120,
      routing: [{ seq: 1, process: firstOf(firstOf(input.workOrders).routing).process, standardMinutes: 2 }],
      dueBucket: 4,
      priority: 'RUSH',
      maxUnitPrice: 5000,
    };
    const impact = whatIf(input, base, { kind: 'RUSH_ORDER', workOrder: rush });
    const placed = impact.rushLots.reduce((s, l) => s + l.quantity, 0);
    const left = impact.unplaced
      .filter((u) => u.workOrderId === 'RUSH-1')
      .reduce((s, u) => s + u.quantity, 0);
    expect(placed + left).toBe(120);
    expect(impact.rushLots.length).toBeLessThanOrEqual(input.parameters.maxLotsPerOperation);
    expect(Number.isFinite(impact.costDelta)).toBe(true);
    for (const m of impact.moved) expect(m.before.workOrderId).not.toBe('RUSH-1');
  });

  it('moves the work of a factory that goes down, from the bucket it goes down', async () => {
    const base = await solve(input, 'engine');
    const busiest = firstOf([...base.lots].sort((a, b) => b.quantity - a.quantity));
    const impact = whatIf(input, base, {
      kind: 'FACTORY_OUTAGE',
      factoryId: busiest.factoryId,
      fromBucket: 1,
    });
    expect(
      impact.affectedLots.some((l) => l.factoryId === busiest.factoryId && l.bucket >= 1 && !l.frozen),
    ).toBe(false);
    expect(impact.moved.length).toBeGreaterThan(0);
  });

  it('places a work order whose material comes late from the bucket it arrives', async () => {
    const base = await solve(input, 'engine');
    const target = firstOf(base.lots.filter((l) => l.seq === 1 && l.bucket < 4));
    const impact = whatIf(input, base, {
      kind: 'MATERIAL_DELAY',
      workOrderId: target.workOrderId,
      untilBucket: 5,
    });
    expect(
      impact.affectedLots.filter((l) => l.workOrderId === target.workOrderId).every((l) => l.bucket >= 5),
    ).toBe(true);
  });

  it('keeps a delayed work order off the factories it must avoid', async () => {
    const base = await solve(input, 'engine');
    const target = firstOf(base.lots.filter((l) => l.seq === 1 && !l.frozen && l.bucket >= 2));
    const delay = {
      kind: 'MATERIAL_DELAY',
      workOrderId: target.workOrderId,
      untilBucket: target.bucket,
    } as const;
    const placedAt = (avoidFactoryIds?: string[]) =>
      whatIf(input, base, { ...delay, ...(avoidFactoryIds ? { avoidFactoryIds } : {}) }).affectedLots.filter(
        (l) => l.workOrderId === target.workOrderId && !l.frozen,
      );
    // Placed again from the same bucket, it goes back where it was; told to avoid that factory, it does not.
    expect(placedAt().some((l) => l.factoryId === target.factoryId)).toBe(true);
    const avoiding = placedAt([target.factoryId]);
    expect(avoiding.length).toBeGreaterThan(0);
    expect(avoiding.some((l) => l.factoryId === target.factoryId)).toBe(false);
  });

  it('lets a work order start sooner when its material comes sooner than planned (a faster supplier)', async () => {
    const w = firstOf(input.workOrders.filter((o) => o.routing.length === 1));
    const delayed = {
      ...input,
      workOrders: input.workOrders.map((o) => (o === w ? { ...o, releaseBucket: 9 } : o)),
    };
    const base = await solve(delayed, 'engine');
    expect(base.lots.filter((l) => l.workOrderId === w.workOrderId).every((l) => l.bucket >= 9)).toBe(true);
    const impact = whatIf(delayed, base, {
      kind: 'MATERIAL_DELAY',
      workOrderId: w.workOrderId,
      untilBucket: 2,
    });
    const after = impact.affectedLots.filter((l) => l.workOrderId === w.workOrderId);
    expect(after.reduce((s, l) => s + l.quantity, 0)).toBe(w.quantity);
    expect(Math.min(...after.map((l) => l.bucket))).toBeLessThan(9);
    expect(after.every((l) => l.bucket >= 2)).toBe(true);
  });
});
