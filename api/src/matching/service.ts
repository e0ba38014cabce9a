import { supplyDelaysByIds } from '../repositories/supplyDelays.js';
import type { Ledger } from '@fabpool/network';
import { expireDueQuotas } from './quotaExpiry.js';
import type pg from 'pg';
import type { PoolChange } from '../readModel/changes.js';
import type { Projector } from '../readModel/projector.js';
import { MULTI_START_LIMIT } from '@fabpool/matcher';
import { planRunsOffThread, type PlanningThread } from './offThread.js';
import { prepareReplan, recordReplan, replan, type Replanned } from './publish.js';
import { bucketClock, type SnapshotSettings } from './snapshot.js';

import { reactionToEvent } from '../ledger/reactions.js';
import type { MatcherRun, MovedLot, Trigger } from './runs.js';
import { factoriesSilentSince } from '../repositories/factoryReports.js';
import { latestMatcherRuns, movedByRun, saveMatcherRun } from '../repositories/matcherRuns.js';
import { rushOrdersAmong } from '../repositories/workOrders.js';
import { firstRows, type Page } from '../repositories/queryable.js';

/** How many of the latest runs the service keeps in memory: what the matcher page reads. */
const RUNS_IN_MEMORY = 200;

export { TRIGGER_KINDS, type MatcherRun, type MovedLot, type Trigger, type TriggerKind } from './runs.js';

export interface MatchServiceSettings extends SnapshotSettings {
  /** Minutes between scheduled re-plans (15 by default). */
  replanMinutes: number;
  /** A supplier's delay longer than this re-plans at once (8 hours by default). */
  supplierDelayHours: number;
  /** How often the service checks its schedule and who fell silent. */
  watchSeconds: number;
  /**
   * Above this many open work orders a run publishes the quick first plan at once, then improves
   * it on a worker thread and publishes the improvement only if it is cheaper and nothing was
   * re-planned meanwhile (the matcher's own limit for its full search by default).
   */
  firstPlanAbove: number;
  now: () => number;
  log: (line: string) => void;
}

export const DEFAULT_MATCH_SETTINGS: MatchServiceSettings = {
  replanMinutes: 15,
  silenceMinutes: 30,
  supplierDelayHours: 8,
  watchSeconds: 60,
  firstPlanAbove: MULTI_START_LIMIT,
  now: () => Date.now(),
  log: () => undefined,
};

interface Waiter {
  trigger: Trigger;
  resolve: (run: MatcherRun) => void;
  reject: (error: unknown) => void;
}

/**
 * The matcher as a service beside the api: re-plans on a schedule and at once on a trigger (a
 * rush order, a cancellation or a rejection seen on the ledger; an outage, a silent factory or a
 * long supplier delay reported through the api), one run at a time — triggers that arrive while a
 * run is going are served together by the next one — and keeps a record of every run.
 */
export class MatchService {
  readonly settings: MatchServiceSettings;
  private readonly waiting: Waiter[] = [];
  private draining: Promise<void> | undefined;
  private noticing: Promise<void> = Promise.resolve();
  private timer: NodeJS.Timeout | undefined;
  private lastRunAt: number | undefined;
  private knownSilent = '';
  private recent: Promise<MatcherRun[]> | undefined;
  /** Runs recorded so far: an improvement computed from an older state than the latest run is dropped. */
  private recorded = 0;
  /** The background improvement of the latest first plan, while it computes. */
  private improvement: { done: Promise<void>; stop: () => Promise<void> } | undefined;
  /** Held while a run is recorded: runs and improvements write to the ledger one at a time. */
  private writing: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly ledger: Ledger,
    private readonly pool: pg.Pool,
    private readonly projector: Projector,
    settings: Partial<MatchServiceSettings> = {},
  ) {
    this.settings = { ...DEFAULT_MATCH_SETTINGS, ...settings };
  }

  now(): number {
    return this.settings.now();
  }

  /** Runs the matcher for this trigger (with any others waiting); resolves with the run that served it. */
  request(trigger: Trigger): Promise<MatcherRun> {
    return new Promise<MatcherRun>((resolve, reject) => {
      this.waiting.push({ trigger, resolve, reject });
      this.drain();
    });
  }

  /** Looks at a change once it is in the read model, and asks for a run if it is a trigger. */
  notice(change: PoolChange): void {
    const replan = reactionToEvent(change.type).replan;
    if (replan === undefined) return;
    this.noticing = this.noticing.then(async () => {
      const ids = change.changes.filter((c) => c.kind === replan.of).map((c) => c.id);
      // Of the work orders published, only a rush order re-plans at once; of supply delays, only
      // one over the threshold.
      if (replan.trigger === 'RUSH_ORDER' && (await rushOrdersAmong(this.pool, ids)).length === 0) return;
      if (
        replan.of === 'SupplyDelay' &&
        !(await supplyDelaysByIds(this.pool, ids)).some(
          (d) => d.delayHours > this.settings.supplierDelayHours,
        )
      )
        return;
      this.request({ kind: replan.trigger, detail: ids.join(', ') }).catch(() => undefined);
    });
  }

  /** Resolves once every noticed trigger has been served, and the improvement that followed, if any. */
  async idle(): Promise<void> {
    for (;;) {
      const noticing = this.noticing;
      await noticing;
      const draining = this.draining;
      if (draining !== undefined) await draining;
      const improvement = this.improvement;
      if (improvement !== undefined) await improvement.done;
      if (
        noticing === this.noticing &&
        this.draining === undefined &&
        this.waiting.length === 0 &&
        this.improvement === undefined
      )
        return;
    }
  }

  /** Starts the schedule and the watch for silent factories. */
  start(): void {
    this.timer ??= setInterval(() => {
      this.tick().catch((error: unknown) => {
        this.settings.log(`matcher watch failed: ${String(error)}`);
      });
    }, this.settings.watchSeconds * 1000);
  }

  async stop(): Promise<void> {
    if (this.timer !== undefined) clearInterval(this.timer);
    this.timer = undefined;
    // An improvement is worth nothing to a closing api: its thread stops, nothing is published.
    await this.improvement?.stop();
    await this.idle();
  }

  /** Re-plans when the schedule is due, or when a factory fell silent (or spoke again) since the last look. */
  async tick(): Promise<MatcherRun | undefined> {
    const now = this.now();
    // Quotas past their window lapse on time: their prepayments split, their minutes free again.
    const expired = await expireDueQuotas(this.ledger, this.pool, now);
    if (expired.length > 0) this.settings.log(`expired quotas ${expired.join(', ')}`);
    const silent = (
      await factoriesSilentSince(this.pool, new Date(now - this.settings.silenceMinutes * 60_000))
    ).join(', ');
    if (silent !== this.knownSilent) {
      this.knownSilent = silent;
      return this.request({
        kind: 'FACTORY_SILENT',
        detail: silent === '' ? 'every factory reports again' : `silent: ${silent}`,
      });
    }
    if (this.lastRunAt === undefined || now - this.lastRunAt >= this.settings.replanMinutes * 60_000)
      return this.request({ kind: 'SCHEDULE', detail: `every ${this.settings.replanMinutes} min` });
    return undefined;
  }

  /**
   * One page of runs, newest first. The latest 200 are kept in memory (only this service adds
   * runs); older pages are read from the table.
   */
  async runs(page: Page): Promise<MatcherRun[]> {
    if (page.offset + page.limit > RUNS_IN_MEMORY) return latestMatcherRuns(this.pool, page);
    this.recent ??= latestMatcherRuns(this.pool, firstRows(RUNS_IN_MEMORY));
    const recent = this.recent;
    try {
      return (await recent).slice(page.offset, page.offset + page.limit);
    } catch (error) {
      if (this.recent === recent) this.recent = undefined;
      throw error;
    }
  }

  /** What a run changed, lot by lot (kept apart from the list: it can be long). */
  async movedOf(runId: number): Promise<MovedLot[]> {
    return movedByRun(this.pool, runId);
  }

  private drain(): void {
    if (this.draining !== undefined) return;
    this.draining = (async () => {
      while (this.waiting.length > 0) {
        const batch = this.waiting.splice(0);
        try {
          const run = await this.runOnce(batch.map((w) => w.trigger));
          for (const w of batch) w.resolve(run);
        } catch (error) {
          for (const w of batch) w.reject(error);
        }
      }
    })().finally(() => {
      this.draining = undefined;
      if (this.waiting.length > 0) this.drain();
    });
  }

  /** `write` alone, after any run or improvement being recorded. */
  private exclusively<T>(write: () => Promise<T>): Promise<T> {
    const result = this.writing.then(write);
    this.writing = result.catch(() => undefined);
    return result;
  }

  private async runOnce(triggers: Trigger[]): Promise<MatcherRun> {
    const startedAt = this.now();
    this.lastRunAt = startedAt;
    const run = await this.exclusively(() =>
      this.record(triggers, startedAt, performance.now(), () =>
        replan(this.ledger, this.pool, this.projector, {
          nowMs: startedAt,
          silenceMinutes: this.settings.silenceMinutes,
          firstPlanAbove: this.settings.firstPlanAbove,
        }),
      ),
    );
    if (run.outcome?.search === 'first') this.improveAfter(run.run);
    if (run.failure !== undefined) throw new Error(run.failure);
    return run.run;
  }

  /**
   * Improves the first plan of run `first` in the background: the snapshot as it is now (the first
   * plan's lots on the ledger), the search on a worker thread, and the result recorded as a run of
   * its own — one that changes nothing when the search found nothing cheaper — unless another run
   * was recorded meanwhile, whose state it would overwrite.
   */
  private improveAfter(first: MatcherRun): void {
    const previous = this.improvement;
    const recordedBefore = this.recorded;
    let thread: PlanningThread | undefined;
    let stopped = false;
    const done = (async () => {
      await previous?.stop();
      const startedAt = this.now();
      const started = performance.now();
      const prepared = await prepareReplan(this.pool, {
        nowMs: startedAt,
        silenceMinutes: this.settings.silenceMinutes,
        search: 'improve',
        plan: (document) => {
          if (stopped) return Promise.reject(new Error('the service stopped'));
          thread = planRunsOffThread(document);
          return thread.planned;
        },
      });
      await this.exclusively(async () => {
        // Stopped after it computed (the api closing): nothing is published.
        if (stopped) return;
        if (this.recorded !== recordedBefore) {
          this.settings.log(
            `matcher: improvement of run ${String(first.id)} dropped: a newer run came first`,
          );
          return;
        }
        const trigger: Trigger = { kind: 'IMPROVEMENT', detail: `run ${String(first.id)}` };
        await this.record([trigger], startedAt, started, () =>
          recordReplan(this.ledger, this.projector, prepared),
        );
      });
    })()
      .catch((error: unknown) => {
        if (!stopped)
          this.settings.log(`matcher: improvement of run ${String(first.id)} failed: ${String(error)}`);
      })
      .finally(() => {
        if (this.improvement === improvement) this.improvement = undefined;
      });
    const improvement = {
      done,
      stop: async () => {
        stopped = true;
        await thread?.stop();
        await done;
      },
    };
    this.improvement = improvement;
  }

  /** Computes one run with `replanned`, and keeps its record whatever came of it. */
  private async record(
    triggers: Trigger[],
    startedAt: number,
    started: number,
    replanned: () => Promise<Replanned>,
  ): Promise<{ run: MatcherRun; outcome: Replanned | undefined; failure: string | undefined }> {
    let outcome: Replanned | undefined;
    let failure: string | undefined;
    try {
      outcome = await replanned();
    } catch (error) {
      failure = error instanceof Error ? error.message : String(error);
    }
    this.recorded++;
    const millis = Math.round(performance.now() - started);
    const moved = outcome === undefined ? [] : movedOf(outcome, bucketClock(startedAt).nameOf);
    const run = await saveMatcherRun(this.pool, {
      startedAt: new Date(startedAt).toISOString(),
      millis,
      triggers,
      ledgerRunIds: outcome?.runIds ?? [],
      inputHash: outcome?.inputHash ?? null,
      solver: outcome?.plan.solver ?? null,
      lotsAdded: outcome?.difference.add.length ?? 0,
      lotsWithdrawn: outcome?.difference.withdraw.length ?? 0,
      lotsKept: outcome?.difference.kept.length ?? 0,
      unplacedUnits: outcome?.plan.unplaced.reduce((s, u) => s + u.quantity, 0) ?? 0,
      cost: outcome === undefined ? null : { ...outcome.plan.cost },
      moved: moved.slice(0, 500),
      error: failure ?? null,
    });
    this.recent = undefined;
    this.settings.log(
      failure === undefined
        ? `matcher run ${run.id} (${triggers.map((t) => t.kind).join(', ')}): +${run.lotsAdded} lots, −${run.lotsWithdrawn} moved, ${run.lotsKept} kept, ${run.unplacedUnits} units unplaced, ${millis} ms`
        : `matcher run ${run.id} (${triggers.map((t) => t.kind).join(', ')}) failed: ${failure}`,
    );
    return { run, outcome, failure };
  }
}

function movedOf(outcome: Replanned, nameOf: (bucket: number) => string): MovedLot[] {
  const byId = new Map(outcome.snapshot.movable.map((m) => [m.lotId, m.lot]));
  return [
    ...outcome.difference.withdraw.flatMap((lotId) => {
      const lot = byId.get(lotId);
      return lot === undefined ? [] : [{ lotId, ...lotFields(lot, nameOf), change: 'WITHDRAWN' as const }];
    }),
    ...outcome.difference.add.map((l, i) => ({
      ...(outcome.addedLotIds[i] === undefined ? {} : { lotId: outcome.addedLotIds[i] }),
      ...lotFields(l, nameOf),
      change: 'ADDED' as const,
      // Why it went there: its cost per unit, and the next-best slot when it was chosen.
      why: {
        costPerUnit: l.why.costPerUnit,
        ...(l.why.nextBest === undefined
          ? {}
          : { nextBest: { ...l.why.nextBest, bucket: nameOf(l.why.nextBest.bucket) } }),
      },
    })),
  ];
}

const lotFields = (
  l: {
    workOrderId: string;
    seq: number;
    factoryId: string;
    bucket: number;
    quantity: number;
  },
  nameOf: (bucket: number) => string,
) => ({
  workOrderId: l.workOrderId,
  seq: l.seq,
  factoryId: l.factoryId,
  bucket: nameOf(l.bucket),
  quantity: l.quantity,
});
