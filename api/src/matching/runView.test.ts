import { describe, expect, it } from 'vitest';
import type { MovedLot } from './runs.js';
import { figuresSeenBy, triggerSeenBy, type RunReader, type TriggerRecord } from './runView.js';

/** A reader who owns exactly the listed ids. */
const readerOwning = (own: Partial<Record<TriggerRecord, string[]>>): RunReader => ({
  owns: (record, id) => Promise.resolve((own[record] ?? []).includes(id)),
});

describe('what a member who does not oversee the pool sees of a matcher run', () => {
  it('keeps of a trigger’s ids only the reader’s own', async () => {
    const customer = readerOwning({ WorkOrder: ['WO-mine'] });
    expect(await triggerSeenBy({ kind: 'RUSH_ORDER', detail: 'WO-theirs, WO-mine' }, customer)).toEqual({
      kind: 'RUSH_ORDER',
      detail: 'WO-mine',
    });
    expect(await triggerSeenBy({ kind: 'CANCELLATION', detail: 'WO-theirs' }, customer)).toEqual({
      kind: 'CANCELLATION',
      detail: '',
    });
    const factory = readerOwning({ Lot: ['RUN-1.2'], Factory: ['F-own'] });
    expect(await triggerSeenBy({ kind: 'REJECTION', detail: 'RUN-1.1, RUN-1.2' }, factory)).toEqual({
      kind: 'REJECTION',
      detail: 'RUN-1.2',
    });
    expect(
      await triggerSeenBy({ kind: 'FACTORY_SILENT', detail: 'silent: F-rival, F-own' }, factory),
    ).toEqual({
      kind: 'FACTORY_SILENT',
      detail: 'silent: F-own',
    });
  });

  it('shows an outage to the plant’s own people only, and never who asked or which supplier is late', async () => {
    const outage = {
      kind: 'FACTORY_OUTAGE' as const,
      detail: 'F-own 2026-12-04T08:00Z – 2026-12-04T16:00Z: spindle',
    };
    expect(await triggerSeenBy(outage, readerOwning({ Factory: ['F-own'] }))).toEqual(outage);
    expect(await triggerSeenBy(outage, readerOwning({ Factory: ['F-other'] }))).toEqual({
      kind: 'FACTORY_OUTAGE',
      detail: '',
    });
    const everything = readerOwning({ WorkOrder: ['alice'], Lot: ['SD-1'], Factory: ['alice'] });
    expect((await triggerSeenBy({ kind: 'MANUAL', detail: 'asked by alice' }, everything)).detail).toBe('');
    expect((await triggerSeenBy({ kind: 'SUPPLIER_DELAY', detail: 'SD-1' }, everything)).detail).toBe('');
    expect(await triggerSeenBy({ kind: 'SCHEDULE', detail: 'every 10 min' }, readerOwning({}))).toEqual({
      kind: 'SCHEDULE',
      detail: 'every 10 min',
    });
  });

  it('counts only the reader’s own lots and tells none of the pool’s totals', () => {
    const lot = (change: MovedLot['change']): MovedLot => ({
      workOrderId: 'WO-1',
      seq: 1,
      factoryId: 'F-1',
      bucket: '2026-12-04T08',
      quantity: 5,
      change,
    });
    expect(figuresSeenBy([lot('ADDED'), lot('ADDED'), lot('WITHDRAWN')])).toEqual({
      lotsAdded: 2,
      lotsWithdrawn: 1,
      lotsKept: null,
      unplacedUnits: null,
      cost: null,
    });
  });
});
