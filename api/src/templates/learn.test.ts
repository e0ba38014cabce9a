import type { WorkOrder } from '@fabpool/chaincode/model';
import { describe, expect, it } from 'vitest';
import { learnTemplate, median, type MeasuredOperation } from './learn.js';

const order = (id: string, processes: string[], minutes = 3): WorkOrder =>
  ({
    workOrderId: id,
    partNumber: `BRACKET-${id}`,
    routing: processes.map((process, i) => ({ seq: i + 1, process, standardMinutes: minutes })),
    maxUnitPrice: 900,
    latePenaltyPerUnitPerBucket: 50,
  }) as WorkOrder;
const scan = (
  workOrderId: string,
  seq: number,
  process: string,
  factoryId: string,
  minutesPerUnit: number,
  scrap = 0,
): MeasuredOperation => ({
  workOrderId,
  seq,
  process,
  factoryId,
  inputQuantity: 10,
  goodQuantity: 10 - scrap,
  actualMinutes: minutesPerUnit * 10,
});

describe('a template learnt from the part family’s history', () => {
  it('takes the median, which one overrunning lot does not move', () => {
    expect(median([2, 9, 2.2, 2.4])).toBe(2.3);
    expect(median([5])).toBe(5);
  });

  it('proposes the routing most orders used, timed by what the scans measured', () => {
    // Newest first: the latest order tried a one-operation routing; two earlier ones cut then painted.
    const orders = [
      order('W3', ['CNC']),
      order('W2', ['CNC', 'PAINTING'], 3),
      order('W1', ['CNC', 'PAINTING'], 4),
    ];
    const measured = [
      scan('W1', 1, 'CNC', 'F-CNC-A', 2.4),
      scan('W2', 1, 'CNC', 'F-CNC-A', 2.6),
      scan('W2', 1, 'CNC', 'F-CNC-B', 2.0, 2),
      scan('W2', 1, 'CNC', 'F-CNC-B', 12), // a lot that overran badly
      scan('W3', 1, 'CNC', 'F-CNC-C', 1.0), // another routing: not counted
    ];
    const template = learnTemplate('BRACKET', orders, measured);
    expect(template).toMatchObject({
      fromWorkOrderId: 'W2',
      ordersInFamily: 3,
      routingUsedBy: 2,
      maxUnitPrice: 900,
    });
    const [cutting, painting] = template?.operations ?? [];
    // 2.0, 2.4, 2.6, 12 → median 2.5 minutes per unit, over four lots.
    expect(cutting).toMatchObject({
      process: 'CNC',
      standardMinutes: 2.5,
      source: 'MEASURED_MEDIAN',
      measuredLots: 4,
      lastOrderMinutes: 3,
    });
    // Plant A: 2.5 min per unit, every unit good; plant B: 7 (its overrun) at 90%: A did it best.
    expect(cutting?.bestFactory).toEqual({
      factoryId: 'F-CNC-A',
      minutesPerUnit: 2.5,
      firstPassYield: 1,
      lots: 2,
    });
    // Nothing measured for painting yet: the latest order's figure, said so.
    expect(painting).toMatchObject({
      process: 'PAINTING',
      standardMinutes: 3,
      source: 'LAST_ORDER',
      measuredLots: 0,
    });
    expect(painting?.bestFactory).toBeUndefined();
  });

  it('keeps the last order’s figure until three lots were measured, saying how many there are', () => {
    const orders = [order('W2', ['CNC'], 3), order('W1', ['CNC'], 4)];
    const measured = [scan('W1', 1, 'CNC', 'F-CNC-A', 0.01), scan('W2', 1, 'CNC', 'F-CNC-A', 0.02)];
    expect(learnTemplate('BRACKET', orders, measured)?.operations[0]).toMatchObject({
      standardMinutes: 3,
      source: 'LAST_ORDER',
      measuredLots: 2,
    });
  });

  it('learns each operation’s standard consumption from the material its lots reported, like its time', () => {
    const steel = { materialCode: 'STEEL-45', unit: 'kg', perUnit: 0.4 };
    const latest = order('W2', ['CNC', 'PAINTING']);
    latest.routing[0] = { seq: 1, process: 'CNC', standardMinutes: 3, material: steel };
    const used = (workOrderId: string, kgFor10: number, materialCode = 'STEEL-45'): MeasuredOperation => ({
      ...scan(workOrderId, 1, 'CNC', 'F-CNC-A', 3),
      material: { materialCode, unit: 'kg', standard: 4, used: kgFor10 },
    });
    // Two lots reported: too few, the latest order's figure stands, saying so.
    const [few, painting] =
      learnTemplate('BRACKET', [latest], [used('W2', 4.6), used('W2', 4.2)])?.operations ?? [];
    expect(few).toMatchObject({
      material: steel,
      materialSource: 'LAST_ORDER',
      materialMeasuredLots: 2,
      lastOrderPerUnit: 0.4,
    });
    expect(painting?.material).toBeUndefined();
    expect(painting?.materialSource).toBeUndefined();
    // Three: 0.42, 0.46 and 0.5 kg a piece → the median, 0.46; another material's report does not count.
    const [learnt] =
      learnTemplate(
        'BRACKET',
        [latest],
        [used('W2', 4.6), used('W2', 4.2), used('W2', 5), used('W2', 9, 'AL-6061')],
      )?.operations ?? [];
    expect(learnt).toMatchObject({
      material: { materialCode: 'STEEL-45', unit: 'kg', perUnit: 0.46 },
      materialSource: 'MEASURED_MEDIAN',
      materialMeasuredLots: 3,
      lastOrderPerUnit: 0.4,
    });
  });

  it('has nothing to propose for a family never ordered', () => {
    expect(learnTemplate('NEW', [], [])).toBeUndefined();
  });
});
