import { describe, expect, it } from 'vitest';
import { ErrorCode } from '../model/errors.js';
import { aMember, aWorkOrder } from '../testing/builders.js';
import {
  requireCapacityReader,
  requireMemberReader,
  requirePoolReader,
  requireTraceReader,
  requireWorkOrderReader,
  statementScope,
  visibleBidders,
} from './access.js';

const customer = aMember('customer', 'AllianceMSP', 'customer-1');
const otherCustomer = aMember('customer', 'AllianceMSP', 'customer-2');
const operator = aMember('operator', 'AllianceMSP', 'alliance-admin');
const supplier = aMember('supplier', 'AllianceMSP', 'supplier-1');
const auditor = aMember('auditor', 'AuditMSP', 'auditor');
const factoryA = aMember('factory', 'FactoryAMSP', 'factory-a-user');
const factoryB = aMember('factory', 'FactoryBMSP', 'factory-b-user');
const workOrder = aWorkOrder(customer);

const codeOf = (read: () => unknown): string | undefined => {
  try {
    read();
    return undefined;
  } catch (error) {
    return (error as { code?: string }).code;
  }
};

describe('who reads what of another member', () => {
  it('lets the order’s customer, the factories holding its lots and the overseers read its records', () => {
    for (const reader of [customer, operator, auditor, factoryA])
      expect(
        codeOf(() => {
          requireWorkOrderReader(reader, workOrder, ['FactoryAMSP']);
        }),
      ).toBeUndefined();
    for (const reader of [otherCustomer, supplier, factoryB])
      expect(
        codeOf(() => {
          requireWorkOrderReader(reader, workOrder, ['FactoryAMSP']);
        }),
      ).toBe(ErrorCode.NOT_PARTY);
  });

  it('keeps a whole trace, with every lot’s price, to the customer and the overseers', () => {
    for (const reader of [customer, operator, auditor])
      expect(
        codeOf(() => {
          requireTraceReader(reader, workOrder);
        }),
      ).toBeUndefined();
    for (const reader of [otherCustomer, supplier, factoryA])
      expect(
        codeOf(() => {
          requireTraceReader(reader, workOrder);
        }),
      ).toBe(ErrorCode.NOT_PARTY);
  });

  it('shows a pool order to every factory but not to another customer or a supplier', () => {
    for (const reader of [customer, operator, auditor, factoryA, factoryB])
      expect(
        codeOf(() => {
          requirePoolReader(reader, workOrder);
        }),
      ).toBeUndefined();
    for (const reader of [otherCustomer, supplier])
      expect(
        codeOf(() => {
          requirePoolReader(reader, workOrder);
        }),
      ).toBe(ErrorCode.NOT_PARTY);
  });

  it('keeps a plant’s capacity to its own organisation and the overseers', () => {
    for (const reader of [factoryA, operator, auditor])
      expect(
        codeOf(() => {
          requireCapacityReader(reader, 'FactoryAMSP');
        }),
      ).toBeUndefined();
    for (const reader of [factoryB, customer, supplier])
      expect(
        codeOf(() => {
          requireCapacityReader(reader, 'FactoryAMSP');
        }),
      ).toBe(ErrorCode.NOT_PARTY);
  });

  it('shows a factory only its own bids, the customer and the overseers all of them', () => {
    expect(visibleBidders(customer, workOrder)).toEqual({});
    expect(visibleBidders(auditor, workOrder)).toEqual({});
    expect(visibleBidders(factoryB, workOrder)).toEqual({ mspId: 'FactoryBMSP' });
    expect(codeOf(() => visibleBidders(otherCustomer, workOrder))).toBe(ErrorCode.NOT_PARTY);
    expect(codeOf(() => visibleBidders(supplier, workOrder))).toBe(ErrorCode.NOT_PARTY);
  });

  it('nets a customer’s statement over its own payments only, and keeps outsiders to a pair out', () => {
    expect(statementScope(customer, 'FactoryAMSP', 'AllianceMSP')).toEqual({
      payerMemberId: customer.memberId,
    });
    expect(statementScope(factoryA, 'FactoryAMSP', 'AllianceMSP')).toEqual({});
    expect(statementScope(auditor, 'FactoryAMSP', 'AllianceMSP')).toEqual({});
    expect(codeOf(() => statementScope(factoryB, 'FactoryAMSP', 'AllianceMSP'))).toBe(ErrorCode.NOT_PARTY);
    expect(codeOf(() => statementScope(supplier, 'FactoryAMSP', 'AllianceMSP'))).toBe(ErrorCode.WRONG_ROLE);
  });
});

describe('who reads a person’s registry entry', () => {
  it('lets the people of the same organisation and the overseers read it, and nobody else', () => {
    const plannerOfA = aMember('factory', 'FactoryAMSP', 'factory-a-admin');
    for (const reader of [factoryA, plannerOfA, operator, auditor])
      expect(
        codeOf(() => {
          requireMemberReader(reader, factoryA);
        }),
      ).toBeUndefined();
    for (const reader of [factoryB, customer, supplier])
      expect(
        codeOf(() => {
          requireMemberReader(reader, factoryA);
        }),
      ).toBe(ErrorCode.NOT_PARTY);
  });
});
