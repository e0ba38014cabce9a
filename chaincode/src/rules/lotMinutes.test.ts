import { describe, expect, it } from 'vitest';
import type { WorkOrder } from '../model/workOrder.js';
import { lotMinutesByProcess, operationsOf } from './lotMinutes.js';

describe('the minutes a lot holds', () => {
  const workOrder = {
    routing: [
      { seq: 1, process: 'CNC', standardMinutes: 0.3 },
      { seq: 2, process: 'PAINTING', standardMinutes: 1.5 },
      { seq: 3, process: 'CNC', standardMinutes: 0.2 },
    ],
  } as WorkOrder;

  it('takes the operations from fromSeq to toSeq', () => {
    expect(operationsOf(workOrder, { fromSeq: 2, toSeq: 3 }).map((op) => op.seq)).toEqual([2, 3]);
  });

  it('sums per process, times the quantity, rounded up without float noise', () => {
    expect(lotMinutesByProcess(workOrder, { fromSeq: 1, toSeq: 1, quantity: 10 })).toEqual(
      new Map([['CNC', 3]]),
    );
    expect(lotMinutesByProcess(workOrder, { fromSeq: 1, toSeq: 3, quantity: 3 })).toEqual(
      new Map([
        ['CNC', 2],
        ['PAINTING', 5],
      ]),
    );
  });
});
