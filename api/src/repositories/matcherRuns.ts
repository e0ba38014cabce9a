import type { MatcherRun, MovedLot, Trigger } from '../matching/runs.js';
import type { Page, Queryable } from './queryable.js';

/**
 * The matcher service's runs (its own table, not the ledger's): what each run was asked, what it
 * changed lot by lot, and its figures.
 */

/** Why the matcher put each lot where it is: the entry of the run that added it, if one did. */
export async function addedLotExplanations(
  db: Queryable,
  lotIds: readonly string[],
): Promise<Map<string, unknown>> {
  const { rows } = await db.query<{ lot_id: string; entry: unknown }>(
    `SELECT DISTINCT ON (m->>'lotId') m->>'lotId' AS lot_id, m AS entry
       FROM matcher_run r, jsonb_array_elements(r.moved) m
      WHERE m->>'change' = 'ADDED' AND m->>'lotId' = ANY($1)
      ORDER BY m->>'lotId', r.id DESC`,
    [lotIds],
  );
  return new Map(rows.map((r) => [r.lot_id, r.entry]));
}

/** A run as it is kept: what it was asked and what came of it (its id and time are the table's). */
export type NewMatcherRun = Omit<MatcherRun, 'id' | 'moved'> & { moved: MovedLot[] };

/** Keeps a run; the run as kept, with its id. */
export async function saveMatcherRun(db: Queryable, run: NewMatcherRun): Promise<MatcherRun> {
  const { rows } = await db.query<Record<string, unknown>>(
    `INSERT INTO matcher_run (started_at, millis, triggers, ledger_run_ids, input_hash, solver, lots_added,
       lots_withdrawn, lots_kept, unplaced_units, cost, moved, error)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) RETURNING *`,
    [
      new Date(run.startedAt),
      run.millis,
      JSON.stringify(run.triggers),
      run.ledgerRunIds,
      run.inputHash,
      run.solver,
      run.lotsAdded,
      run.lotsWithdrawn,
      run.lotsKept,
      run.unplacedUnits,
      run.cost === null ? null : JSON.stringify(run.cost),
      JSON.stringify(run.moved),
      run.error,
    ],
  );
  return runOf(rows[0] ?? {});
}

/** The latest runs, newest first, without what they moved. */
export async function latestMatcherRuns(db: Queryable, page: Page): Promise<MatcherRun[]> {
  const { rows } = await db.query<Record<string, unknown>>(
    `SELECT id, started_at, millis, triggers, ledger_run_ids, input_hash, solver, lots_added, lots_withdrawn,
            lots_kept, unplaced_units, cost, error
       FROM matcher_run ORDER BY id DESC LIMIT $1 OFFSET $2`,
    [page.limit, page.offset],
  );
  return rows.map(runOf);
}

/** What a run changed, lot by lot. */
export async function movedByRun(db: Queryable, runId: number): Promise<MovedLot[]> {
  const { rows } = await db.query<{ moved: MovedLot[] }>('SELECT moved FROM matcher_run WHERE id = $1', [
    runId,
  ]);
  return rows[0]?.moved ?? [];
}

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
