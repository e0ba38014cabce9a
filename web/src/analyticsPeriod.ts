/** The periods a manager picks the analytics over, by the calendar of the browser's time zone. */
export const PERIODS = ['ALL', 'THIS_WEEK', 'LAST_WEEK', 'THIS_MONTH', 'LAST_MONTH', 'RANGE'] as const;
export type PeriodChoice = (typeof PERIODS)[number];

/** From (inclusive) and to (exclusive) of a choice, as ISO instants; undefined for all time. */
export function periodOf(
  choice: Exclude<PeriodChoice, 'RANGE'>,
  now: Date,
): { from: string; to: string } | undefined {
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

/** The longest range the api answers for: a year (a leap year's days). */
export const MAX_RANGE_DAYS = 366;

/** A date the browser's date field gives (YYYY-MM-DD), as local midnight; undefined if it is none. */
function localDay(day: string): Date | undefined {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day);
  if (match === null) return undefined;
  const [, y, m, d] = match.map(Number);
  if (y === undefined || m === undefined || d === undefined) return undefined;
  const date = new Date(y, m - 1, d);
  return date.getMonth() === m - 1 && date.getDate() === d ? date : undefined;
}

/**
 * A range of whole days a manager picks, first and last day included, as from (inclusive) and to
 * (exclusive) instants; or why it cannot be asked for.
 */
export function rangeOf(
  firstDay: string,
  lastDay: string,
): { from: string; to: string } | 'INCOMPLETE' | 'REVERSED' | 'TOO_LONG' {
  const first = localDay(firstDay);
  const last = localDay(lastDay);
  if (first === undefined || last === undefined) return 'INCOMPLETE';
  if (last < first) return 'REVERSED';
  const after = new Date(last.getFullYear(), last.getMonth(), last.getDate() + 1);
  // Counted in calendar days, so a daylight-saving change inside the range does not count against it.
  const days = Math.round(
    (Date.UTC(after.getFullYear(), after.getMonth(), after.getDate()) -
      Date.UTC(first.getFullYear(), first.getMonth(), first.getDate())) /
      86_400_000,
  );
  if (days > MAX_RANGE_DAYS) return 'TOO_LONG';
  return { from: first.toISOString(), to: after.toISOString() };
}
