import type { Factory, Lot, WorkOrder } from '@fabpool/chaincode/model';
import { describe, expect, it } from 'vitest';
import { decisionsDue, overloadedShifts, unplacedOrders } from './watchRules.js';

const NOW = Date.parse('2026-11-25T12:00:00Z');
const order = (overrides: Partial<WorkOrder> = {}) =>
  ({
    workOrderId: 'WO-1',
    customerMemberId: 'c-1',
    status: 'OPEN',
    quantity: 100,
    publishedAt: '2026-11-25T11:00:00Z',
    routing: [
      { seq: 1, process: 'CNC', standardMinutes: 2 },
      { seq: 2, process: 'PAINTING', standardMinutes: 1 },
    ],
    ...overrides,
  }) as unknown as WorkOrder;
const lot = (lotId: string, factoryId: string, fromSeq: number, quantity: number, status = 'ACCEPTED') =>
  ({ lotId, workOrderId: 'WO-1', factoryId, fromSeq, toSeq: fromSeq, quantity, status }) as unknown as Lot;
const plants = [
  { factoryId: 'A', processes: [{ process: 'CNC' }] },
  { factoryId: 'B', processes: [{ process: 'CNC' }, { process: 'PAINTING' }] },
] as unknown as Factory[];

describe('problems the watch raises by itself', () => {
  it('finds the operation least placed, and who of the plants able to do it refused', () => {
    const lots = [lot('L1', 'A', 1, 100), lot('L2', 'B', 2, 30, 'REJECTED'), lot('L3', 'B', 2, 60)];
    expect(unplacedOrders([order()], lots, plants, NOW, 15)).toEqual([
      {
        workOrderId: 'WO-1',
        customerMemberId: 'c-1',
        unplaced: 40,
        seq: 2,
        capablePlants: ['B'],
        refusedBy: ['B'],
        minutesWaiting: 60,
      },
    ]);
  });

  it('leaves alone orders fully placed, published within the time, closed, or held for bids', () => {
    const placed = [lot('L1', 'A', 1, 100), lot('L2', 'B', 2, 100)];
    expect(unplacedOrders([order()], placed, plants, NOW, 15)).toEqual([]);
    expect(unplacedOrders([order({ publishedAt: '2026-11-25T11:50:00Z' })], [], plants, NOW, 15)).toEqual([]);
    expect(unplacedOrders([order({ status: 'CANCELLED' })], [], plants, NOW, 15)).toEqual([]);
    expect(unplacedOrders([order({ bidWindowEnd: '2026-11-25T10:00:00Z' })], [], plants, NOW, 15)).toEqual(
      [],
    );
  });

  it('finds shifts whose lots and live load exceed what the plant declared, from the current one on', () => {
    const cell = (bucket: string, assignedMinutes: number, loadMinutes: number) => ({
      factoryId: 'A',
      process: 'CNC' as const,
      bucket,
      declaredMinutes: 480,
      assignedMinutes,
      loadMinutes,
    });
    expect(
      overloadedShifts(
        [
          cell('2026-11-25T00:00:00Z', 600, 0),
          cell('2026-11-25T08:00:00Z', 400, 118),
          cell('2026-11-25T16:00:00Z', 480, 0),
        ],
        '2026-11-25T08:00:00Z',
      ).map((c) => [c.bucket, c.percent]),
    ).toEqual([['2026-11-25T08:00:00Z', 108]]);
  });

  it('names the lots whose decision is due within the hour, most urgent first, and not those past it', () => {
    const now = Date.parse('2026-11-25T08:00:00Z');
    const waiting = (lotId: string, acceptBy: string, status = 'ASSIGNED') => ({
      ...lot(lotId, 'A', 1, 10, status),
      factoryMspId: 'FactoryAMSP',
      acceptBy,
    });
    expect(
      decisionsDue(
        [
          waiting('L-late', '2026-11-25T07:59:00Z'),
          waiting('L-40', '2026-11-25T08:40:00Z'),
          waiting('L-10', '2026-11-25T08:10:30Z'),
          waiting('L-later', '2026-11-25T09:30:00Z'),
          waiting('L-done', '2026-11-25T08:05:00Z', 'ACCEPTED'),
        ],
        now,
        60,
      ).map((d) => [d.lotId, d.minutesLeft]),
    ).toEqual([
      ['L-10', 10],
      ['L-40', 40],
    ]);
  });
});
