import { EventName } from '@fabpool/chaincode/model';
import type { Ledger } from '@fabpool/network';
import type pg from 'pg';
import type { PoolChange } from '../readModel/changes.js';
import type { Projector } from '../readModel/projector.js';
import { replan, type Replanned } from './publish.js';
import { bucketClock, type SnapshotSettings } from './snapshot.js';

/** Why the matcher ran. */
export const TRIGGER_KINDS = [
  'STARTUP',
  'SCHEDULE',
  'MANUAL',
  'RUSH_ORDER',
  'FACTORY_OUTAGE',
  'FACTORY_SILENT',
  'SUPPLIER_DELAY',
  'CANCELLATION',
  'REJECTION',
] as const;
export type TriggerKind = (typeof TRIGGER_KINDS)[number];

export interface Trigger {
  kind: TriggerKind;
  detail: string;
}

/** A lot a run added or withdrew. */
export interface MovedLot {
  lotId?: string;
  workOrderId: string;
  seq: number;
  factoryId: string;
  bucket: string;
  quantity: number;
  change: 'ADDED' | 'WITHDRAWN';
  why?: { costPerUnit: number; nextBest?: { factoryId: string; bucket: string; costPerUnit: number } };
}

export interface MatcherRun {
  id: number;
  startedAt: string;
  millis: number;
  triggers: Trigger[];
  ledgerRunIds: string[];
  inputHash: string | null;
  solver: string | null;
  lotsAdded: number;
  lotsWithdrawn: number;
  lotsKept: number;
  unplacedUnits: number;
  cost: Record<string, number> | null;
  /** Present when read with the run; see movedOf. */
  moved?: MovedLot[];
  error: string | null;
}

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
    const kind =
      change.type === EventName.LOT_REJECTED
        ? 'REJECTION'
        : change.type === EventName.WORK_ORDER_CANCELLED
          ? 'CANCELLATION'
          : change.type === EventName.WORK_ORDER_PUBLISHED
            ? 'RUSH_ORDER'
            : undefined;
    if (kind === undefined) return;
    this.noticing = this.noticing.then(async () => {
      const ids = change.changes
        .filter((c) => c.kind === (kind === 'REJECTION' ? 'Lot' : 'WorkOrder'))
        .map((c) => c.id);
      if (kind === 'RUSH_ORDER') {
        const { rows } = await this.pool.query<{ id: string }>(
          "SELECT id FROM record WHERE kind = 'WorkOrder' AND id = ANY($1) AND record->>'priority' = 'RUSH'",
          [ids],
        );
        if (rows.length === 0) return;
      }
      this.request({ kind, detail: ids.join(', ') }).catch(() => undefined);
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
    const { rows } = await this.pool.query<{ factory_id: string }>(
      'SELECT factory_id FROM factory_report WHERE reported_at < $1 ORDER BY factory_id',
      [new Date(now - this.settings.silenceMinutes * 60_000)],
    );
    const silent = rows.map((r) => r.factory_id).join(', ');
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

  /** The latest runs, newest first (up to 200), from memory: only this service adds runs. */
  async runs(limit: number): Promise<MatcherRun[]> {
    this.recent ??= this.pool
      .query<Record<string, unknown>>(
        `SELECT id, started_at, millis, triggers, ledger_run_ids, input_hash, solver, lots_added, lots_withdrawn,
                lots_kept, unplaced_units, cost, error
           FROM matcher_run ORDER BY id DESC LIMIT 200`,
      )
      .then(({ rows }) => rows.map(runOf));
    const recent = this.recent;
    try {
      return (await recent).slice(0, limit);
    } catch (error) {
      if (this.recent === recent) this.recent = undefined;
      throw error;
    }
  }

  /** What a run changed, lot by lot (kept apart from the list: it can be long). */
  async movedOf(runId: number): Promise<MovedLot[]> {
    const { rows } = await this.pool.query<{ moved: MovedLot[] }>(
      'SELECT moved FROM matcher_run WHERE id = $1',
      [runId],
    );
    return rows[0]?.moved ?? [];
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
    const { rows } = await this.pool.query<Record<string, unknown>>(
      `INSERT INTO matcher_run (started_at, millis, triggers, ledger_run_ids, input_hash, solver, lots_added,
         lots_withdrawn, lots_kept, unplaced_units, cost, moved, error)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) RETURNING *`,
      [
        new Date(startedAt),
        millis,
        JSON.stringify(triggers),
        outcome?.runIds ?? [],
        outcome?.plan.inputHash ?? null,
        outcome?.plan.solver ?? null,
        outcome?.difference.add.length ?? 0,
        outcome?.difference.withdraw.length ?? 0,
        outcome?.difference.kept.length ?? 0,
        outcome?.plan.unplaced.reduce((s, u) => s + u.quantity, 0) ?? 0,
        outcome === undefined ? null : JSON.stringify(outcome.plan.cost),
        JSON.stringify(moved.slice(0, 500)),
        failure ?? null,
      ],
    );
    const run = runOf(rows[0] ?? {});
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

function runOf(row: Record<string, unknown>): MatcherRun {
  return {
    id: Number(row.id),
    startedAt: (row.started_at as Date).toISOString(),
    millis: Number(row.millis),
    triggers: row.triggers as Trigger[],
    ledgerRunIds: row.ledger_run_ids as string[],
    inputHash: (row.input_hash as string | null) ?? null,
    solver: (row.solver as string | null) ?? null,
    lotsAdded: Number(row.lots_added),
    lotsWithdrawn: Number(row.lots_withdrawn),
    lotsKept: Number(row.lots_kept),
    unplacedUnits: Number(row.unplaced_units),
    cost: (row.cost as Record<string, number> | null) ?? null,
    ...(row.moved === undefined ? {} : { moved: row.moved as MovedLot[] }),
    error: (row.error as string | null) ?? null,
  };
}
