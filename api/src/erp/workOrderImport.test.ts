import { describe, expect, it } from 'vitest';
import { checkRows, ImportFileError, rowsOf } from './workOrderImport.js';

const NOW = '2026-11-25T10:00:00.000Z';
const HEADER = 'workOrderId,partNumber,quantity,routing,dueBucket,priority,maxUnitPrice,materials';

describe('importing work orders from an ERP file', () => {
  it('reads CSV rows into work orders: routing, materials, numbers', () => {
    const rows = rowsOf(
      'CSV',
      `${HEADER}\nWO-1,BRACKET-7,200,CNC:2|painting:0.5,2026-11-26T08:00:00Z,rush,450,STEEL-45:20:SupplierMSP:2026-11-26T00:00:00Z\n`,
    );
    const { items, report } = checkRows(rows, new Set(), NOW);
    expect(report).toEqual([{ row: 2, workOrderId: 'WO-1', errors: [] }]);
    expect(items[0]).toEqual({
      workOrderId: 'WO-1',
      partNumber: 'BRACKET-7',
      quantity: 200,
      routing: [
        { seq: 1, process: 'CNC', standardMinutes: 2 },
        { seq: 2, process: 'PAINTING', standardMinutes: 0.5 },
      ],
      dueBucket: '2026-11-26T08:00:00Z',
      priority: 'RUSH',
      maxUnitPrice: 450,
      materials: [
        {
          materialCode: 'STEEL-45',
          quantity: 20,
          supplierMspId: 'SupplierMSP',
          dueBucket: '2026-11-26T00:00:00Z',
        },
      ],
    });
  });

  it('reads an operation’s standard consumption after its minutes, and names what a short one lacks', () => {
    const rows = rowsOf(
      'CSV',
      [
        HEADER,
        'WO-1,SHAFT-5,20,CNC:2:STEEL-45-BAR:0.6:kg|PAINTING:1,2026-11-26T08:00:00Z,NORMAL,450,',
        'WO-2,SHAFT-5,20,CNC:2:STEEL-45-BAR:0.6,2026-11-26T08:00:00Z,NORMAL,450,',
      ].join('\n'),
    );
    const { items, report } = checkRows(rows, new Set(), NOW);
    expect(items[0]?.routing).toEqual([
      {
        seq: 1,
        process: 'CNC',
        standardMinutes: 2,
        material: { materialCode: 'STEEL-45-BAR', perUnit: 0.6, unit: 'kg' },
      },
      { seq: 2, process: 'PAINTING', standardMinutes: 1 },
    ]);
    expect(report[1]).toEqual({
      row: 3,
      workOrderId: 'WO-2',
      errors: [expect.stringMatching(/^\/routing\/0\/material\/unit /)],
    });
  });

  it('reports every bad row with its line and what is wrong, and keeps none of them', () => {
    const rows = rowsOf(
      'CSV',
      [
        HEADER,
        'WO-1,A,10,CNC:2,2026-11-26T08:00:00Z,NORMAL,100,',
        'WO-1,B,ten,CNC:2,2026-11-26T09:00:00Z,SOON,100,',
        'WO-OLD,C,5,LASER:1,2026-11-26T08:00:00Z,NORMAL,100,',
      ].join('\n'),
    );
    const { report } = checkRows(rows, new Set(['WO-OLD']), NOW);
    expect(report[0]).toEqual({ row: 2, workOrderId: 'WO-1', errors: [] });
    expect(report[1]?.row).toBe(3);
    expect(report[1]?.errors).toEqual(
      expect.arrayContaining([
        'workOrderId WO-1 is also in row 2',
        '/quantity must be integer',
        expect.stringContaining('/dueBucket must match pattern'),
        '/priority must be NORMAL or RUSH',
      ]),
    );
    expect(report[2]?.errors).toEqual(
      expect.arrayContaining([
        'work order WO-OLD is already in the pool',
        expect.stringMatching(/^\/routing\/0\/process must be one of INJECTION, CNC/),
      ]),
    );
  });

  it('reads JSON as an array or { workOrders }, and refuses a file it cannot read at all', () => {
    expect(rowsOf('JSON', '[{"workOrderId":"W"}]')).toEqual([{ row: 1, value: { workOrderId: 'W' } }]);
    expect(rowsOf('JSON', '{"workOrders":[{}]}')).toHaveLength(1);
    expect(() => rowsOf('JSON', '{')).toThrow(ImportFileError);
    expect(() => rowsOf('CSV', 'workOrderId,colour\nW,red')).toThrow(
      /missing columns: partNumber, quantity, routing, dueBucket, priority, maxUnitPrice; unknown columns: colour/,
    );
    expect(() => rowsOf('CSV', HEADER)).toThrow('the file has no work orders');
    expect(() => rowsOf('JSON', JSON.stringify(new Array(501).fill({})))).toThrow('at most 500');
  });
});
