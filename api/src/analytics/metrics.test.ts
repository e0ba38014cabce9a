import { describe, expect, it } from 'vitest';
import {
  consumptionVariance,
  controlChart,
  cycleTimes,
  exceptionPareto,
  factoryHealth,
  materialVariance,
  plantAndTeamComparison,
  waitingByOperation,
  workOrderHealth,
  type LotFacts,
  type ProgressFacts,
} from './metrics.js';

const lot = (overrides: Partial<LotFacts>): LotFacts => ({
  lotId: 'L1',
  workOrderId: 'WO-1',
  factoryId: 'F-A',
  bucket: '2026-11-25T08:00:00Z',
  status: 'DELIVERED',
  deliveredAt: '2026-11-25T12:00:00Z',
  minutes: 120,
  ...overrides,
});
const step = (overrides: Partial<ProgressFacts>): ProgressFacts => ({
  lotId: 'L1',
  workOrderId: 'WO-1',
  seq: 1,
  process: 'CNC',
  inputQuantity: 10,
  standardMinutes: 20,
  startedAt: '2026-11-25T08:00:00Z',
  reportedAt: '2026-11-25T08:20:00Z',
  goodQuantity: 9,
  scrapQuantity: 1,
  actualMinutes: 20,
  ...overrides,
});

describe('shop-floor analytics', () => {
  it('measures cycle time from publishing to the last delivery, only for work fully delivered', () => {
    const result = cycleTimes(
      [
        { workOrderId: 'WO-1', publishedAt: '2026-11-25T00:00:00Z' },
        { workOrderId: 'WO-2', publishedAt: '2026-11-25T00:00:00Z' },
      ],
      [
        lot({}),
        lot({ lotId: 'L2', deliveredAt: '2026-11-25T18:00:00Z' }),
        lot({ lotId: 'L3', workOrderId: 'WO-2', deliveredAt: undefined, status: 'IN_PROGRESS' }),
      ],
    );
    expect(result.hours).toEqual([18]);
    expect(result.histogram).toEqual([{ fromHours: 16, toHours: 24, count: 1 }]);
  });

  it('measures the wait before each operation from the previous report to the next start', () => {
    expect(
      waitingByOperation([
        step({}),
        step({
          seq: 2,
          process: 'PAINTING',
          startedAt: '2026-11-25T09:20:00Z',
          reportedAt: '2026-11-25T09:30:00Z',
        }),
      ]),
    ).toEqual([{ process: 'PAINTING', seq: 2, meanMinutes: 60, samples: 1 }]);
  });

  it('counts the wait between lots at two plants: from the upstream lot’s last report before the start', () => {
    expect(
      waitingByOperation([
        step({ lotId: 'L1', reportedAt: '2026-11-25T08:20:00Z' }),
        step({ lotId: 'L2', reportedAt: '2026-11-25T09:00:00Z' }),
        // Started before L2's report: it waited for L1's units only.
        step({ lotId: 'L3', seq: 2, process: 'PAINTING', startedAt: '2026-11-25T08:50:00Z' }),
        step({ lotId: 'L4', seq: 2, process: 'PAINTING', startedAt: '2026-11-25T10:00:00Z' }),
        // Another order's report is not this order's input.
        step({ lotId: 'L5', workOrderId: 'WO-2', reportedAt: '2026-11-25T09:59:00Z' }),
      ]),
    ).toEqual([{ process: 'PAINTING', seq: 2, meanMinutes: 45, samples: 2 }]);
  });

  it('ranks exception causes with their cumulative share', () => {
    expect(
      exceptionPareto([
        { lotId: 'a', status: 'CLOSED', cause: 'tool wear' },
        { lotId: 'b', status: 'CLOSED', cause: 'tool wear' },
        { lotId: 'c', status: 'CLOSED', cause: 'fixture' },
        { lotId: 'd', status: 'OPEN' },
      ]),
    ).toEqual([
      { cause: 'tool wear', count: 2, cumulativeShare: 0.5 },
      { cause: '(open: no cause yet)', count: 1, cumulativeShare: 0.75 },
      { cause: 'fixture', count: 1, cumulativeShare: 1 },
    ]);
  });

  it('reports scrap against input per process, and what went missing at hand-overs', () => {
    expect(
      materialVariance(
        [step({}), step({ lotId: 'L2', scrapQuantity: 0, goodQuantity: 10 })],
        [{ lotId: 'L1', heldQuantity: 100, receivedQuantity: 98 }],
      ),
    ).toEqual({
      byProcess: [{ process: 'CNC', input: 20, scrap: 1, scrapRate: 0.05 }],
      handOverLoss: { held: 100, received: 98, lossRate: 0.02 },
    });
  });

  it('measures material used against the standard consumption, per material, process and plant', () => {
    const steel = (standard: number, used?: number) => ({
      materialCode: 'STEEL-45',
      unit: 'kg',
      standard,
      ...(used === undefined ? {} : { used }),
    });
    const rows = consumptionVariance(
      [
        step({ lotId: 'L1', material: steel(10, 11) }),
        step({ lotId: 'L2', material: steel(10, 12.5) }),
        step({ lotId: 'L3', material: steel(20, 19) }),
        step({ lotId: 'L4', material: steel(10) }), // started, not reported: no figure yet
        step({ lotId: 'L5' }), // no standard consumption
      ],
      [
        lot({ lotId: 'L1' }),
        lot({ lotId: 'L2' }),
        lot({ lotId: 'L3', factoryId: 'F-B' }),
        lot({ lotId: 'L4' }),
      ],
    );
    expect(rows).toEqual([
      {
        materialCode: 'STEEL-45',
        unit: 'kg',
        process: 'CNC',
        factoryId: 'F-A',
        operations: 2,
        pieces: 20,
        standard: 20,
        used: 23.5,
        variance: 3.5,
        varianceRate: 0.175,
      },
      {
        materialCode: 'STEEL-45',
        unit: 'kg',
        process: 'CNC',
        factoryId: 'F-B',
        operations: 1,
        pieces: 10,
        standard: 20,
        used: 19,
        variance: -1,
        varianceRate: -0.05,
      },
    ]);
  });

  it('draws control limits three standard deviations from the mean and names the points outside', () => {
    const points = [2, 2.1, 1.9, 2, 2.05, 1.95, 2, 2.1, 1.9, 2, 2, 2.02, 1.98, 2, 5].map((m, i) =>
      step({
        lotId: `L${i}`,
        actualMinutes: m * 10,
        reportedAt: `2026-11-25T${String(8 + i).padStart(2, '0')}:00:00Z`,
      }),
    );
    const chart = controlChart(points, 'CNC');
    expect(chart.points).toHaveLength(15);
    expect(chart.upperControlLimit).toBeGreaterThan(chart.mean);
    expect(chart.outOfControl).toEqual(['L14']);
  });

  it('scores health as on-time rate × first-pass yield × utilisation, per factory and per work order', () => {
    const lots = [
      lot({}),
      lot({ lotId: 'L2', deliveredAt: '2026-11-25T20:00:00Z' }), // after its shift ended: late
      lot({ lotId: 'L3', factoryId: 'F-B', workOrderId: 'WO-2', status: 'ASSIGNED', deliveredAt: undefined }),
    ];
    const health = factoryHealth(
      [
        { factoryId: 'F-A', declaredMinutes: 480 },
        { factoryId: 'F-B', declaredMinutes: 480 },
      ],
      lots,
      [step({})],
    );
    // F-B has delivered nothing and scanned nothing yet: only its utilisation counts against it.
    expect(health).toEqual([
      { factoryId: 'F-B', onTimeRate: 1, firstPassYield: 1, utilisation: 0.25, index: 0.25 },
      { factoryId: 'F-A', onTimeRate: 0.5, firstPassYield: 0.9, utilisation: 0.5, index: 0.225 },
    ]);
    expect(workOrderHealth(['WO-1', 'WO-2'], lots, [step({})]).map((h) => [h.workOrderId, h.index])).toEqual([
      ['WO-1', 0.45],
      ['WO-2', 0],
    ]);
  });

  it('compares plants and teams on the same part and process only, quickest first', () => {
    const lots = [
      lot({ lotId: 'L1', factoryId: 'F-A' }),
      lot({ lotId: 'L2', factoryId: 'F-B' }),
      lot({ lotId: 'L3', workOrderId: 'WO-2', factoryId: 'F-A' }),
    ];
    const rows = plantAndTeamComparison(
      [
        // F-A's day team: 10 pieces in 25 min, 9 good; its night team 10 in 20, 10 good.
        step({ lotId: 'L1', operatorId: 'DAY', actualMinutes: 25, goodQuantity: 9 }),
        step({ lotId: 'L1', operatorId: 'NIGHT', actualMinutes: 20, goodQuantity: 10 }),
        step({ lotId: 'L2', operatorId: 'B-1', actualMinutes: 22, goodQuantity: 10 }),
        // Another part: compared apart.
        step({ lotId: 'L3', workOrderId: 'WO-2', operatorId: 'DAY', actualMinutes: 5, goodQuantity: 10 }),
        // Still running: not counted.
        step({ lotId: 'L2', operatorId: 'B-1', reportedAt: undefined, actualMinutes: undefined }),
      ],
      lots,
      new Map([
        ['WO-1', 'SHAFT-5'],
        ['WO-2', 'PIN-9'],
      ]),
    );
    expect(rows.map((r) => [r.partNumber, r.factoryId, r.team, r.minutesPerPiece, r.firstPassYield])).toEqual(
      [
        ['PIN-9', 'F-A', 'DAY', 0.5, 1],
        ['SHAFT-5', 'F-A', 'NIGHT', 2, 1],
        ['SHAFT-5', 'F-B', 'B-1', 2.2, 1],
        ['SHAFT-5', 'F-A', 'DAY', 2.5, 0.9],
      ],
    );
    expect(rows[1]).toMatchObject({ operations: 1, pieces: 10, standardMinutesPerPiece: 2 });
  });
});
