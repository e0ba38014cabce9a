/** The periods a manager picks the analytics over, by the calendar of the browser's time zone. */
export const PERIODS = ['ALL', 'THIS_WEEK', 'LAST_WEEK', 'THIS_MONTH', 'LAST_MONTH'] as const;
export type PeriodChoice = (typeof PERIODS)[number];

/** From (inclusive) and to (exclusive) of a choice, as ISO instants; undefined for all time. */
export function periodOf(choice: PeriodChoice, now: Date): { from: string; to: string } | undefined {
  if (choice === 'ALL') return undefined;
  const day = new Date(now.getFullYear(), now.getMonth(), now.getDate());
  if (choice === 'THIS_WEEK' || choice === 'LAST_WEEK') {
    // Weeks start on Monday, as a Chinese plant's do.
    const monday = new Date(day);
    monday.setDate(day.getDate() - ((day.getDay() + 6) % 7) - (choice === 'LAST_WEEK' ? 7 : 0));
    const next = new Date(monday);
    next.setDate(monday.getDate() + 7);
    return { from: monday.toISOString(), to: next.toISOString() };
  }
  const first = new Date(now.getFullYear(), now.getMonth() - (choice === 'LAST_MONTH' ? 1 : 0), 1);
  const next = new Date(first.getFullYear(), first.getMonth() + 1, 1);
  return { from: first.toISOString(), to: next.toISOString() };
}
