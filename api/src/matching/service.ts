import { supplyDelaysByIds } from '../repositories/supplyDelays.js';
import type { Ledger } from '@fabpool/network';
import { expireDueQuotas } from './quotaExpiry.js';
import type pg from 'pg';
import type { PoolChange } from '../readModel/changes.js';
import type { Projector } from '../readModel/projector.js';
import { replan, type Replanned } from './publish.js';
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
  now: () => number;
  log: (line: string) => void;
}

export const DEFAULT_MATCH_SETTINGS: MatchServiceSettings = {
  replanMinutes: 15,
  silenceMinutes: 30,
  supplierDelayHours: 8,
  watchSeconds: 60,
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

  /** Resolves once every noticed trigger has been served. */
  async idle(): Promise<void> {
    for (;;) {
      const noticing = this.noticing;
      await noticing;
      const draining = this.draining;
      if (draining !== undefined) await draining;
      if (noticing === this.noticing && this.draining === undefined && this.waiting.length === 0) return;
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

  private async runOnce(triggers: Trigger[]): Promise<MatcherRun> {
    const startedAt = this.now();
    this.lastRunAt = startedAt;
    const started = performance.now();
    let outcome: Replanned | undefined;
    let failure: string | undefined;
    try {
      outcome = await replan(this.ledger, this.pool, this.projector, {
        nowMs: startedAt,
        silenceMinutes: this.settings.silenceMinutes,
      });
    } catch (error) {
      failure = error instanceof Error ? error.message : String(error);
    }
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
    if (failure !== undefined) throw new Error(failure);
    return run;
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
