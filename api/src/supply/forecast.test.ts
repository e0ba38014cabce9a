import { describe, expect, it } from 'vitest';
import { demandForecast, type MaterialDemand } from './forecast.js';

const NOW = Date.parse('2026-11-25T12:00:00Z');
const need = (overrides: Partial<MaterialDemand>): MaterialDemand => ({
  workOrderId: 'WO-1',
  materialCode: 'STEEL-45',
  quantity: 100,
  dueBucket: '2026-11-27T08:00:00Z',
  publishedAt: '2026-11-24T00:00:00Z',
  ...overrides,
});

describe('demandForecast', () => {
  const settings = { delayHours: 24, noise: 0.1, secret: 'test-secret' };

  it('sums a day per material, blurred within the noise, the same each time it is asked', () => {
    const demand = [need({}), need({ workOrderId: 'WO-2', dueBucket: '2026-11-27T16:00:00Z' })];
    const first = demandForecast(demand, NOW, settings);
    expect(first).toHaveLength(1);
    expect(first[0]?.day).toBe('2026-11-27');
    expect(first[0]?.quantity).toBeGreaterThanOrEqual(180);
    expect(first[0]?.quantity).toBeLessThanOrEqual(220);
    expect(demandForecast(demand, NOW, settings)).toEqual(first);
  });

  it('leaves out orders published within the delay, and shows nothing of orders themselves', () => {
    const recent = need({
      workOrderId: 'WO-NEW',
      materialCode: 'COPPER-9',
      publishedAt: '2026-11-25T06:00:00Z',
    });
    const cells = demandForecast([need({}), recent], NOW, settings);
    expect(cells.map((c) => c.materialCode)).toEqual(['STEEL-45']);
    expect(Object.keys(cells[0] ?? {}).sort()).toEqual(['day', 'materialCode', 'quantity']);
  });

  it('blurs differently under another secret, and not at all with no noise', () => {
    const demand = Array.from({ length: 20 }, (_, i) =>
      need({ workOrderId: `WO-${i}`, dueBucket: `2026-12-${String(i + 1).padStart(2, '0')}T00:00:00Z` }),
    );
    const a = demandForecast(demand, NOW, settings).map((c) => c.quantity);
    const b = demandForecast(demand, NOW, { ...settings, secret: 'other' }).map((c) => c.quantity);
    expect(a).not.toEqual(b);
    expect(demandForecast(demand, NOW, { ...settings, noise: 0 }).every((c) => c.quantity === 100)).toBe(
      true,
    );
  });
});
