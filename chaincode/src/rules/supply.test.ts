import { describe, expect, it } from 'vitest';
import { ErrorCode } from '../model/errors.js';
import type { ChooseSupplyAlternativeRequest } from '../model/requests.js';
import type { SupplyChoice, SupplyDelay } from '../model/supply.js';
import { aLot, aMember, aWorkOrder, BUCKET, NOW } from '../testing/builders.js';
import { chooseSupplyAlternative, reportSupplyDelay } from './supply.js';

const customer = aMember('customer', 'CustomerAMSP', 'customer-1');
const supplierA = aMember('supplier', 'SupplierAMSP', 'supplier-1');
const supplierB = aMember('supplier', 'SupplierBMSP', 'supplier-b1');
const workOrder = aWorkOrder(customer, {
  materials: [
    {
      materialCode: 'STEEL-45',
      supplierMspId: 'SupplierAMSP',
      quantity: 110,
      dueBucket: BUCKET,
      backups: [{ supplierMspId: 'SupplierBMSP', leadTimeHours: 6, extraCostPerUnit: 150 }],
    },
  ],
});
const HOUR = 3_600_000;
const later = (hours: number): string => new Date(Date.parse(NOW) + hours * HOUR).toISOString();

const delay: SupplyDelay = reportSupplyDelay(
  supplierA,
  workOrder,
  [],
  {
    requestId: 'req-delay-0001',
    workOrderId: workOrder.workOrderId,
    materialCode: 'STEEL-45',
    delayHours: 20,
    reason: 'mill backlog',
  },
  NOW,
);
const choose = (fields: Partial<ChooseSupplyAlternativeRequest>): ChooseSupplyAlternativeRequest => ({
  requestId: 'req-choice-0001',
  workOrderId: workOrder.workOrderId,
  materialCode: 'STEEL-45',
  delaySeq: 1,
  choice: 'MOVE_PLANTS',
  ...fields,
});
const lots = [
  aLot({ lotId: 'S.1', status: 'ACCEPTED', factoryId: 'F-A2' }),
  aLot({ lotId: 'S.2', status: 'ASSIGNED', factoryId: 'F-A1' }),
  aLot({ lotId: 'S.3', status: 'REJECTED', factoryId: 'F-B1' }),
];

describe('choosing what to do about a delayed material', () => {
  it('switches to a backup supplier from its committed date, at its extra cost', () => {
    const at = later(1);
    const { choice, workOrder: switched } = chooseSupplyAlternative(
      customer,
      workOrder,
      lots,
      [delay],
      [],
      choose({ choice: 'BACKUP_SUPPLIER', backupSupplierMspId: 'SupplierBMSP' }),
      at,
    );
    expect(choice).toMatchObject({
      delaySeq: 1,
      choice: 'BACKUP_SUPPLIER',
      supplierMspId: 'SupplierBMSP',
      expectedAt: later(7),
      extraCost: 150 * 110,
      chosenByMemberId: customer.memberId,
    });
    expect(switched.materials?.[0]).toMatchObject({ supplierMspId: 'SupplierBMSP', backups: [] });
    // The backup now supplies it: its own delay reports count, the former supplier's no longer.
    expect(() =>
      reportSupplyDelay(supplierA, switched, [delay], { ...delayRequest(), delayHours: 2 }, at),
    ).toThrow(ErrorCode.NOT_OWNER);
    expect(reportSupplyDelay(supplierB, switched, [delay], delayRequest(), at)).toMatchObject({
      seq: 2,
      supplierMspId: 'SupplierBMSP',
    });
  });

  it('keeps the work at the plants of its live lots, or lets it move, waiting for the supplier', () => {
    const kept = chooseSupplyAlternative(
      customer,
      workOrder,
      lots,
      [delay],
      [],
      choose({ choice: 'KEEP_PLANTS' }),
      NOW,
    );
    expect(kept.choice).toMatchObject({
      keepFactoryIds: ['F-A1', 'F-A2'],
      expectedAt: delay.expectedAt,
      supplierMspId: 'SupplierAMSP',
      extraCost: 0,
    });
    expect(kept.workOrder).toBe(workOrder);
    const moved = chooseSupplyAlternative(customer, workOrder, lots, [delay], [], choose({}), NOW);
    expect(moved.choice.keepFactoryIds).toBeUndefined();
    expect(() =>
      chooseSupplyAlternative(
        customer,
        workOrder,
        lots.filter((l) => l.status === 'REJECTED'),
        [delay],
        [],
        choose({ choice: 'KEEP_PLANTS' }),
        NOW,
      ),
    ).toThrow(ErrorCode.SUPPLY_CHOICE_INVALID);
  });

  it('answers only the latest delay, once, by the customer who published the order', () => {
    const answered: SupplyChoice = chooseSupplyAlternative(
      customer,
      workOrder,
      lots,
      [delay],
      [],
      choose({}),
      NOW,
    ).choice;
    const cases: [() => unknown, string][] = [
      [
        () =>
          chooseSupplyAlternative(
            aMember('customer', 'CustomerAMSP', 'customer-2'),
            workOrder,
            lots,
            [delay],
            [],
            choose({}),
            NOW,
          ),
        ErrorCode.NOT_OWNER,
      ],
      [
        () => chooseSupplyAlternative(customer, workOrder, lots, [], [], choose({}), NOW),
        ErrorCode.SUPPLY_CHOICE_INVALID,
      ],
      [
        () => chooseSupplyAlternative(customer, workOrder, lots, [delay], [], choose({ delaySeq: 2 }), NOW),
        ErrorCode.SUPPLY_CHOICE_INVALID,
      ],
      [
        () => chooseSupplyAlternative(customer, workOrder, lots, [delay], [answered], choose({}), NOW),
        ErrorCode.SUPPLY_ALREADY_CHOSEN,
      ],
      [
        () =>
          chooseSupplyAlternative(
            customer,
            workOrder,
            lots,
            [delay],
            [],
            choose({ choice: 'BACKUP_SUPPLIER', backupSupplierMspId: 'SupplierAMSP' }),
            NOW,
          ),
        ErrorCode.SUPPLY_CHOICE_INVALID,
      ],
      [
        () =>
          chooseSupplyAlternative(
            customer,
            workOrder,
            lots,
            [delay],
            [],
            choose({ backupSupplierMspId: 'SupplierBMSP' }),
            NOW,
          ),
        ErrorCode.SUPPLY_CHOICE_INVALID,
      ],
      [
        () =>
          chooseSupplyAlternative(
            customer,
            { ...workOrder, status: 'CANCELLED' },
            lots,
            [delay],
            [],
            choose({}),
            NOW,
          ),
        ErrorCode.WORK_ORDER_CLOSED,
      ],
    ];
    for (const [attempt, code] of cases) expect(attempt).toThrow(code);
  });
});

function delayRequest() {
  return {
    requestId: 'req-delay-0002',
    workOrderId: workOrder.workOrderId,
    materialCode: 'STEEL-45',
    delayHours: 4,
    reason: 'truck',
  };
}
