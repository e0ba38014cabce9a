import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEFAULT_FORECAST, demandForecast, forecastSnapshotMs, type ProcessDemand } from './forecast.js';

const NOW = Date.parse('2026-11-25T12:00:00Z');
const OLD = '2026-11-20T08:00:00Z';
const order = (
  workOrderId: string,
  hours: number,
  overrides: Partial<ProcessDemand> = {},
): ProcessDemand => ({
  workOrderId,
  process: 'CNC',
  day: '2026-11-27',
  hours,
  publishedAt: OLD,
  ...overrides,
});
const settings = DEFAULT_FORECAST;

describe('the outsiders’ demand forecast', () => {
  it('is taken at the start of the UTC day a day ago: it changes once a day', () => {
    expect(new Date(forecastSnapshotMs(NOW, 24)).toISOString()).toBe('2026-11-24T00:00:00.000Z');
    const morning = Date.parse('2026-11-25T00:30:00Z');
    expect(forecastSnapshotMs(morning, 24)).toBe(forecastSnapshotMs(NOW, 24));
  });

  it('sums standard hours per process and due day, rounded to the unit, nothing per order', () => {
    const cells = demandForecast(
      [order('WO-1', 12), order('WO-2', 30), order('WO-3', 7.5), order('WO-4', 4, { process: 'PAINTING' })],
      NOW,
      settings,
    );
    // 49.5 h rounds to 50; PAINTING has one order only, so it is left out.
    expect(cells).toEqual([{ process: 'CNC', day: '2026-11-27', hours: 50 }]);
    expect(Object.keys(cells[0] ?? {}).sort()).toEqual(['day', 'hours', 'process']);
  });

  it('leaves out cells of fewer than k orders, however large, and orders published since the snapshot', () => {
    const two = [order('WO-1', 400), order('WO-2', 300)];
    expect(demandForecast(two, NOW, settings)).toEqual([]);
    // A third order published yesterday afternoon is after the snapshot: still two.
    expect(
      demandForecast([...two, order('WO-3', 5, { publishedAt: '2026-11-24T15:00:00Z' })], NOW, settings),
    ).toEqual([]);
    // One order's several operations in the process count once.
    expect(demandForecast([...two, order('WO-2', 10)], NOW, settings)).toEqual([]);
    expect(demandForecast([...two, order('WO-3', 5)], NOW, settings)).toEqual([
      { process: 'CNC', day: '2026-11-27', hours: 710 },
    ]);
  });

  it('shows no past day', () => {
    expect(
      demandForecast(
        ['WO-1', 'WO-2', 'WO-3'].map((id) => order(id, 20, { day: '2026-11-23' })),
        NOW,
        settings,
      ),
    ).toEqual([]);
  });

  it('gives away no exact order: every cell has k orders, and any order of it could have had another quantity for all the forecast tells (property)', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            quantity: fc.integer({ min: 1, max: 500 }),
            minutesPerPiece: fc.integer({ min: 1, max: 60 }),
            process: fc.constantFrom('CNC' as const, 'PAINTING' as const),
            day: fc.constantFrom('2026-11-26', '2026-11-27'),
          }),
          { minLength: 1, maxLength: 12 },
        ),
        (orders) => {
          const demand = orders.map((o, i) =>
            order(`WO-${i}`, (o.quantity * o.minutesPerPiece) / 60, { process: o.process, day: o.day }),
          );
          const published = demandForecast(demand, NOW, settings);
          for (const cell of published) {
            const inCell = demand
              .map((d, i) => ({ d, i }))
              .filter(({ d }) => d.process === cell.process && d.day === cell.day);
            expect(new Set(inCell.map(({ d }) => d.workOrderId)).size).toBeGreaterThanOrEqual(
              settings.minOrders,
            );
            expect(cell.hours % settings.hoursUnit).toBe(0);
            // Another world the forecast cannot tell from this one: each order of the cell with one
            // piece more (or less), the cell's largest other order carrying that much less (or
            // more). So no order's quantity can be read off the forecast.
            for (const { d: target, i } of inCell) {
              const spec = orders[i];
              const [other] = inCell
                .filter(({ i: j }) => j !== i)
                .sort((a, b) => b.d.hours - a.d.hours || a.i - b.i);
              if (spec === undefined || other === undefined) continue;
              const piece = spec.minutesPerPiece / 60;
              // The other order keeps at least a piece of its own: an order of no hours is no order.
              const shift = other.d.hours > piece + 1e-9 ? piece : spec.quantity > 1 ? -piece : 0;
              if (shift === 0) continue;
              const alternative = demand.map((d, j) =>
                j === i
                  ? { ...d, hours: target.hours + shift }
                  : j === other.i
                    ? { ...d, hours: d.hours - shift }
                    : d,
              );
              expect(alternative.every((d) => d.hours > 0)).toBe(true);
              expect(demandForecast(alternative, NOW, settings)).toEqual(published);
            }
          }
          // A cell of fewer than k orders shows nothing at all.
          const shown = new Set(published.map((c) => `${c.process}|${c.day}`));
          for (const d of demand) {
            const size = new Set(
              demand.filter((e) => e.process === d.process && e.day === d.day).map((e) => e.workOrderId),
            ).size;
            if (size < settings.minOrders) expect(shown.has(`${d.process}|${d.day}`)).toBe(false);
          }
        },
      ),
      { numRuns: 500 },
    );
  });
});
