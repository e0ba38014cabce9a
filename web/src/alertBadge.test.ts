import { describe, expect, it } from 'vitest';
import { alertsByWorkOrder, unseenAlerts } from './alertBadge';

const alerts = [
  { raisedAt: '2026-12-04T08:00:00Z', workOrderId: 'WO-1' },
  { raisedAt: '2026-12-04T09:00:00Z', workOrderId: 'WO-1' },
  { raisedAt: '2026-12-03T07:00:00Z', workOrderId: 'WO-2' },
  { raisedAt: '2026-12-04T10:00:00Z', workOrderId: null },
];

describe('alert badges', () => {
  it('counts the alerts raised since the user last opened the alerts page', () => {
    expect(unseenAlerts(alerts, null)).toBe(4);
    expect(unseenAlerts(alerts, '2026-12-04T08:30:00Z')).toBe(2);
    expect(unseenAlerts(alerts, '2026-12-04T10:00:00Z')).toBe(0);
  });

  it('counts, per work order, the alerts of the last day', () => {
    expect(alertsByWorkOrder(alerts, Date.parse('2026-12-04T12:00:00Z'))).toEqual(new Map([['WO-1', 2]]));
    expect(alertsByWorkOrder(alerts, Date.parse('2026-12-04T12:00:00Z'), 48)).toEqual(
      new Map([
        ['WO-1', 2],
        ['WO-2', 1],
      ]),
    );
  });
});
