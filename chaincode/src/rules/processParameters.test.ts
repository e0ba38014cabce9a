import { describe, expect, it } from 'vitest';
import { ErrorCode } from '../model/errors.js';
import { aLot, aMember, aWorkOrder } from '../testing/builders.js';
import {
  requireParametersReader,
  setProcessParameters,
  shareProcessParameters,
} from './processParameters.js';

const customer = aMember('customer', 'AllianceMSP', 'customer-1');
const otherCustomer = aMember('customer', 'AllianceMSP', 'customer-2');
const factoryA = aMember('factory', 'FactoryAMSP');
const factoryB = aMember('factory', 'FactoryBMSP');
const auditor = aMember('auditor', 'AuditMSP');
const workOrder = aWorkOrder(customer);
const parameters = {
  workOrderId: 'WO-1',
  parameters: { spindleRpm: 12000, coolant: 'emulsion' },
  salt: 'c2FsdHktc2FsdC0xMjM0NQ',
};

describe('process parameters', () => {
  it('are set by the order’s own customer only', () => {
    expect(setProcessParameters(customer, workOrder, parameters)).toEqual(parameters);
    expect(() => setProcessParameters(otherCustomer, workOrder, parameters)).toThrow(ErrorCode.NOT_OWNER);
    expect(() => setProcessParameters(factoryA, workOrder, parameters)).toThrow(ErrorCode.WRONG_ROLE);
  });

  it('are shared with a factory holding a lot, and only as they were set', () => {
    expect(shareProcessParameters(customer, workOrder, aLot(), 'h1', 'h1').factoryMspId).toBe('FactoryAMSP');
    expect(() => shareProcessParameters(customer, workOrder, aLot(), 'h2', 'h1')).toThrow(
      ErrorCode.PARAMETERS_MISMATCH,
    );
    expect(() => shareProcessParameters(customer, workOrder, aLot(), 'h1', undefined)).toThrow(
      ErrorCode.PARAMETERS_NOT_SET,
    );
    expect(() =>
      shareProcessParameters(customer, workOrder, aLot({ status: 'REJECTED' }), 'h1', 'h1'),
    ).toThrow(ErrorCode.LOT_NOT_FOUND);
  });

  it('are read by the customer and assigned factories, not by others or auditors', () => {
    const lots = [aLot()];
    expect(() => {
      requireParametersReader(customer, workOrder, lots);
    }).not.toThrow();
    expect(() => {
      requireParametersReader(factoryA, workOrder, lots);
    }).not.toThrow();
    expect(() => {
      requireParametersReader(factoryB, workOrder, lots);
    }).toThrow(ErrorCode.PARAMETERS_NOT_VISIBLE);
    expect(() => {
      requireParametersReader(auditor, workOrder, lots);
    }).toThrow(ErrorCode.PARAMETERS_NOT_VISIBLE);
    expect(() => {
      requireParametersReader(otherCustomer, workOrder, lots);
    }).toThrow(ErrorCode.PARAMETERS_NOT_VISIBLE);
  });
});
