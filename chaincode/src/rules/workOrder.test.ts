import { describe, expect, it } from 'vitest';
import { ErrorCode } from '../model/errors.js';
import type { Lot } from '../model/lot.js';
import { aMember, aWorkOrder, BUCKET, NEXT_BUCKET, NOW } from '../testing/builders.js';
import { acceptLot, rejectLot, releaseLot } from './lot.js';
import { cancelWorkOrder, publishWorkOrder } from './workOrder.js';
import { aCapacity, aQuota } from '../testing/builders.js';
import { capacityId } from './factory.js';

const customer = aMember('customer', 'AllianceMSP', 'customer-1');
const factoryMember = aMember('factory');

function aLot(overrides: Partial<Lot> = {}): Lot {
  return {
    lotId: 'RUN-1.1',
    workOrderId: 'WO-1',
    runId: 'RUN-1',
    factoryId: 'F-A1',
    factoryMspId: 'FactoryAMSP',
    fromSeq: 1,
    toSeq: 1,
    bucket: BUCKET,
    quantity: 100,
    unitPrices: [200],
    unitPrice: 200,
    minutes: 200,
    status: 'ASSIGNED',
    acceptBy: '2026-11-24T12:00:00.000Z',
    assignedAt: NOW,
    updatedAt: NOW,
    ...overrides,
  };
}

describe('work orders', () => {
  const request = {
    requestId: 'req-wo-00001',
    workOrderId: 'WO-1',
    partNumber: 'HOUSING-7',
    quantity: 500,
    routing: [{ seq: 1, process: 'INJECTION' as const, standardMinutes: 0.5 }],
    dueBucket: NEXT_BUCKET,
    priority: 'RUSH' as const,
    maxUnitPrice: 300,
  };

  it('are published by customers, for themselves, and only once', () => {
    const workOrder = publishWorkOrder(customer, undefined, request, NOW);
    expect(workOrder).toMatchObject({
      customerMemberId: customer.memberId,
      status: 'OPEN',
      priority: 'RUSH',
    });
    expect(workOrder).not.toHaveProperty('requestId');
    expect(() => publishWorkOrder(customer, workOrder, request, NOW)).toThrow(
      ErrorCode.WORK_ORDER_ALREADY_EXISTS,
    );
    expect(() => publishWorkOrder(factoryMember, undefined, request, NOW)).toThrow(ErrorCode.WRONG_ROLE);
  });

  it('need their operations numbered in order', () => {
    const routing = [{ seq: 2, process: 'CNC' as const, standardMinutes: 1 }];
    expect(() => publishWorkOrder(customer, undefined, { ...request, routing }, NOW)).toThrow(
      /\/routing\/0\/seq/,
    );
  });

  it('are cancelled by their customer with the lots not yet started', () => {
    const { workOrder, cancelledLots } = cancelWorkOrder(
      customer,
      aWorkOrder(customer),
      [aLot(), aLot({ lotId: 'RUN-1.2', status: 'REJECTED' })],
      NOW,
    );
    expect(workOrder.status).toBe('CANCELLED');
    expect(cancelledLots.map((l) => [l.lotId, l.status])).toEqual([['RUN-1.1', 'CANCELLED']]);
    expect(() =>
      cancelWorkOrder(aMember('customer', 'AllianceMSP', 'customer-2'), aWorkOrder(customer), [], NOW),
    ).toThrow(ErrorCode.NOT_OWNER);
    expect(() =>
      cancelWorkOrder(customer, aWorkOrder(customer), [aLot({ status: 'IN_PROGRESS' })], NOW),
    ).toThrow(ErrorCode.LOT_WRONG_STATUS);
  });
});

describe('lot decisions', () => {
  it('belong to the assigned factory, before the deadline', () => {
    expect(acceptLot(factoryMember, aLot(), NOW).status).toBe('ACCEPTED');
    expect(() => acceptLot(aMember('factory', 'FactoryBMSP'), aLot(), NOW)).toThrow(ErrorCode.NOT_OWNER);
    expect(() => acceptLot(factoryMember, aLot(), '2026-11-24T12:00:00.001Z')).toThrow(
      ErrorCode.LOT_DEADLINE_PASSED,
    );
    expect(() => rejectLot(factoryMember, aLot({ status: 'ACCEPTED' }), 'no', NOW)).toThrow(
      ErrorCode.LOT_WRONG_STATUS,
    );
    expect(rejectLot(factoryMember, aLot(), 'machine down', NOW)).toMatchObject({
      status: 'REJECTED',
      rejectReason: 'machine down',
    });
  });

  it('give back the capacity and quota minutes a released lot held', () => {
    const capacity = aCapacity({ assignedMinutes: 300 });
    const quota = aQuota(customer, { consumedMinutes: 250 });
    const released = releaseLot(
      aWorkOrder(customer),
      aLot({ quotaId: 'Q-1' }),
      new Map([[capacityId(capacity), capacity]]),
      quota,
      NOW,
    );
    expect(released.capacities.map((c) => c.assignedMinutes)).toEqual([100]);
    expect(released.quota?.consumedMinutes).toBe(50);
  });
});
