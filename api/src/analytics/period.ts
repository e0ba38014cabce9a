import type { AnalyticsRecords } from './scope.js';

/** A period the figures are over: from (inclusive) to (exclusive), ISO-8601 instants. */
export interface Period {
  from: string;
  to: string;
}

/**
 * The records of a period, each by the instant that places it in time: a work order by its due
 * shift (what it is judged against), a lot and a capacity by their shift, an operation by when it
 * started, an exception by when it opened, a hand-over by when it was confirmed. Plants stay: a
 * plant with no work in the period still shows, with nothing done.
 */
export function recordsInPeriod(all: AnalyticsRecords, period: Period): AnalyticsRecords {
  const from = Date.parse(period.from);
  const to = Date.parse(period.to);
  const within = (instant: string): boolean => {
    const t = Date.parse(instant);
    return t >= from && t < to;
  };
  return {
    workOrders: all.workOrders.filter((w) => within(w.dueBucket)),
    lots: all.lots.filter((l) => within(l.bucket)),
    progress: all.progress.filter((p) => within(p.startedAt)),
    exceptions: all.exceptions.filter((e) => within(e.openedAt)),
    handOvers: all.handOvers.filter((h) => within(h.confirmedAt)),
    capacities: all.capacities.filter((c) => within(c.bucket)),
    factories: all.factories,
  };
}

/** Checks a period a client asked for: both instants valid, in order, and at most a year long. */
export function periodProblem(period: Period): string | undefined {
  const from = Date.parse(period.from);
  const to = Date.parse(period.to);
  if (Number.isNaN(from) || Number.isNaN(to)) return 'from and to must be ISO-8601 instants';
  if (to <= from) return 'to must be after from';
  if (to - from > 366 * 86_400_000) return 'a period is at most a year';
  return undefined;
}
