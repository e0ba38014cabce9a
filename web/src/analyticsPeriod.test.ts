import { describe, expect, it } from 'vitest';
import { periodOf, rangeOf } from './analyticsPeriod';

/** A local date's instant, as the browser's calendar makes it. */
const local = (y: number, m: number, d: number) => new Date(y, m - 1, d).toISOString();

describe('analytics periods', () => {
  // Thursday 3 December 2026, afternoon.
  const now = new Date(2026, 11, 3, 15, 30);

  it('runs weeks from Monday to Monday', () => {
    expect(periodOf('THIS_WEEK', now)).toEqual({ from: local(2026, 11, 30), to: local(2026, 12, 7) });
    expect(periodOf('LAST_WEEK', now)).toEqual({ from: local(2026, 11, 23), to: local(2026, 11, 30) });
    // A Sunday belongs to the week that began six days before.
    expect(periodOf('THIS_WEEK', new Date(2026, 11, 6, 9))).toEqual({
      from: local(2026, 11, 30),
      to: local(2026, 12, 7),
    });
  });

  it('runs months from their first day, across a year’s end', () => {
    expect(periodOf('THIS_MONTH', now)).toEqual({ from: local(2026, 12, 1), to: local(2027, 1, 1) });
    expect(periodOf('LAST_MONTH', new Date(2027, 0, 10))).toEqual({
      from: local(2026, 12, 1),
      to: local(2027, 1, 1),
    });
    expect(periodOf('ALL', now)).toBeUndefined();
  });

  it('takes a range of whole days, both ends included, up to a year', () => {
    expect(rangeOf('2026-11-01', '2026-11-30')).toEqual({ from: local(2026, 11, 1), to: local(2026, 12, 1) });
    expect(rangeOf('2026-12-03', '2026-12-03')).toEqual({ from: local(2026, 12, 3), to: local(2026, 12, 4) });
    expect(rangeOf('2026-01-01', '2026-12-31')).toEqual({ from: local(2026, 1, 1), to: local(2027, 1, 1) });
    expect(rangeOf('2026-01-01', '2027-01-01')).toEqual({ from: local(2026, 1, 1), to: local(2027, 1, 2) });
    expect(rangeOf('2026-01-01', '2027-01-02')).toBe('TOO_LONG');
    expect(rangeOf('2026-12-03', '2026-12-02')).toBe('REVERSED');
    expect(rangeOf('', '2026-12-02')).toBe('INCOMPLETE');
    expect(rangeOf('2026-02-30', '2026-03-02')).toBe('INCOMPLETE');
  });
});
