import { describe, expect, it } from 'vitest';
import {
  explanationFor,
  seesCapacityOf,
  seesListPricesOf,
  seesPricesOf,
  withoutPrices,
  type Viewpoint,
} from './commercialData.js';

const factoryA: Viewpoint = { role: 'factory', mspId: 'FactoryAMSP', memberId: 'fa' };
const factoryB: Viewpoint = { role: 'factory', mspId: 'FactoryBMSP', memberId: 'fb' };
const customer1: Viewpoint = { role: 'customer', mspId: 'AllianceMSP', memberId: 'c1' };
const customer2: Viewpoint = { role: 'customer', mspId: 'AllianceMSP', memberId: 'c2' };
const operator: Viewpoint = { role: 'operator', mspId: 'AllianceMSP', memberId: 'op' };
const auditor: Viewpoint = { role: 'auditor', mspId: 'AuditMSP', memberId: 'au' };
const supplier: Viewpoint = { role: 'supplier', mspId: 'AllianceMSP', memberId: 'su' };

describe('commercial data', () => {
  it('shows a factory’s capacity and load to its own organisation and the overseers only', () => {
    expect(
      [factoryA, factoryB, customer1, operator, auditor, supplier].map((v) =>
        seesCapacityOf(v, 'FactoryAMSP'),
      ),
    ).toEqual([true, false, false, true, true, false]);
  });

  it('shows list prices to customers and the factory itself, not to competing factories', () => {
    expect([factoryA, factoryB, customer1, supplier].map((v) => seesListPricesOf(v, 'FactoryAMSP'))).toEqual([
      true,
      false,
      true,
      false,
    ]);
  });

  it('shows a lot’s prices to its factory and its own customer, not to another customer of the same organisation', () => {
    expect(
      [factoryA, factoryB, customer1, customer2, operator, supplier].map((v) =>
        seesPricesOf(v, 'FactoryAMSP', 'c1'),
      ),
    ).toEqual([true, false, true, false, true, false]);
  });

  it('gives the matcher’s reasoning to the lot’s factory without a competitor’s next-best cost', () => {
    const why = { why: { costPerUnit: 120, nextBest: { factoryId: 'B-1', bucket: 'b', costPerUnit: 130 } } };
    expect(explanationFor(factoryA, 'FactoryAMSP', why, new Set(['A-1']))).toEqual({
      why: { costPerUnit: 120 },
    });
    expect(explanationFor(factoryA, 'FactoryAMSP', why, new Set(['A-1', 'B-1']))).toEqual(why);
    expect(explanationFor(factoryB, 'FactoryAMSP', why, new Set(['B-1']))).toBeNull();
    expect(explanationFor(customer1, 'FactoryAMSP', why, new Set())).toBeNull();
    expect(explanationFor(auditor, 'FactoryAMSP', why, new Set())).toEqual(why);
  });

  it('takes the prices out of a record', () => {
    expect(withoutPrices({ lotId: 'L', unitPrice: 1, unitPrices: [1], quantity: 3 })).toEqual({
      lotId: 'L',
      quantity: 3,
    });
  });
});
