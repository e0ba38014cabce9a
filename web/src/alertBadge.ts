/**
 * What the badges say: on the menu, how many alerts came since the user last opened the alerts
 * page; on a board card, how many alerts of the last day name that work order.
 */

export interface RaisedAlert {
  raisedAt: string;
  workOrderId?: string | null;
}

const SEEN_KEY = (username: string): string => `fabpool.alertsSeenAt.${username}`;
export const ALERTS_SEEN_EVENT = 'fabpool:alerts-seen';

/** Alerts raised after the instant the user last looked (all of them when never). */
export function unseenAlerts(alerts: readonly RaisedAlert[], seenAt: string | null): number {
  const since = seenAt === null ? -Infinity : Date.parse(seenAt);
  return alerts.filter((a) => Date.parse(a.raisedAt) > since).length;
}

/** Per work order, the alerts raised within `hours` before `now`. */
export function alertsByWorkOrder(
  alerts: readonly RaisedAlert[],
  now: number,
  hours = 24,
): Map<string, number> {
  const counts = new Map<string, number>();
  for (const a of alerts) {
    if (a.workOrderId === undefined || a.workOrderId === null) continue;
    if (now - Date.parse(a.raisedAt) > hours * 3_600_000) continue;
    counts.set(a.workOrderId, (counts.get(a.workOrderId) ?? 0) + 1);
  }
  return counts;
}

export function alertsSeenAt(username: string): string | null {
  return localStorage.getItem(SEEN_KEY(username));
}

/** The user looked at their alerts now: the menu badge starts again from zero. */
export function markAlertsSeen(username: string, at = new Date().toISOString()): void {
  localStorage.setItem(SEEN_KEY(username), at);
  window.dispatchEvent(new Event(ALERTS_SEEN_EVENT));
}
