import type {
  Capacity,
  Factory,
  HandOver,
  Lot,
  OperationException,
  OperationProgress,
  WorkOrder,
} from '@fabpool/chaincode/model';
import { describe, expect, it } from 'vitest';
import { recordsInScope, type AnalyticsRecords } from './scope.js';

// Only the fields scoping reads; the metrics beside it are tested on their own.
const workOrder = (workOrderId: string, customerMemberId: string, customerMspId: string) =>
  ({ workOrderId, customerMemberId, customerMspId }) as unknown as WorkOrder;
const lot = (lotId: string, workOrderId: string, factoryId: string) =>
  ({ lotId, workOrderId, factoryId }) as unknown as Lot;
const ALL: AnalyticsRecords = {
  workOrders: [
    workOrder('WO-1', 'c-1', 'CustomerAMSP'),
    workOrder('WO-2', 'c-2', 'CustomerAMSP'),
    workOrder('WO-3', 'c-3', 'CustomerBMSP'),
  ],
  lots: [
    lot('L1', 'WO-1', 'A-1'),
    lot('L2', 'WO-2', 'B-1'),
    lot('L3', 'WO-3', 'A-2'),
    lot('L4', 'WO-1', 'B-1'),
  ],
  progress: ['L1', 'L2', 'L3', 'L4'].map((lotId) => ({ lotId }) as unknown as OperationProgress),
  exceptions: ['L2', 'L3'].map((lotId) => ({ lotId }) as unknown as OperationException),
  handOvers: ['L1', 'L3'].map((lotId) => ({ lotId }) as unknown as HandOver),
  capacities: ['A-1', 'A-2', 'B-1'].map((factoryId) => ({ factoryId }) as unknown as Capacity),
  factories: [
    { factoryId: 'A-1', mspId: 'FactoryAMSP' },
    { factoryId: 'A-2', mspId: 'FactoryAMSP' },
    { factoryId: 'B-1', mspId: 'FactoryBMSP' },
  ] as unknown as Factory[],
};
const ids = (records: AnalyticsRecords) => ({
  workOrders: records.workOrders.map((w) => w.workOrderId),
  lots: records.lots.map((l) => l.lotId),
  progress: records.progress.map((p) => p.lotId),
  exceptions: records.exceptions.map((e) => e.lotId),
  handOvers: records.handOvers.map((h) => h.lotId),
  capacities: records.capacities.map((c) => c.factoryId),
  factories: records.factories.map((f) => f.factoryId),
});

describe('whose records the analytics are computed from', () => {
  it('all of them for the overseers', () => {
    expect(recordsInScope({ kind: 'alliance' }, ALL)).toBe(ALL);
  });

  it('a customer’s own orders, their lots and the plants that worked them, without the plants’ capacity', () => {
    expect(ids(recordsInScope({ kind: 'customer', customerMemberId: 'c-1' }, ALL))).toEqual({
      workOrders: ['WO-1'],
      lots: ['L1', 'L4'],
      progress: ['L1', 'L4'],
      exceptions: [],
      handOvers: ['L1'],
      capacities: [],
      factories: ['A-1', 'B-1'],
    });
  });

  it('a customer company’s orders for the overseers, with the plants’ capacity', () => {
    expect(ids(recordsInScope({ kind: 'customerCompany', customerMspId: 'CustomerAMSP' }, ALL))).toEqual({
      workOrders: ['WO-1', 'WO-2'],
      lots: ['L1', 'L2', 'L4'],
      progress: ['L1', 'L2', 'L4'],
      exceptions: ['L2'],
      handOvers: ['L1'],
      capacities: ['B-1', 'A-1'].sort(),
      factories: ['A-1', 'B-1'],
    });
  });

  it('a factory’s own plants and the lots at them, nothing of its rivals’', () => {
    expect(ids(recordsInScope({ kind: 'factory', factoryMspId: 'FactoryAMSP' }, ALL))).toEqual({
      workOrders: ['WO-1', 'WO-3'],
      lots: ['L1', 'L3'],
      progress: ['L1', 'L3'],
      exceptions: ['L3'],
      handOvers: ['L1', 'L3'],
      capacities: ['A-1', 'A-2'],
      factories: ['A-1', 'A-2'],
    });
  });
});
