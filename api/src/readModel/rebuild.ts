import type { Checkpoint, Ledger } from '@fabpool/network';
import type pg from 'pg';
import { migrate } from '../db/migrate.js';
import { emptyReadModel } from '../repositories/readModelWrites.js';
import { Projector } from './projector.js';

/**
 * Replays the ledger from its first block into the read model of `pool`, emptied first: what a
 * new database, or one whose projection is in doubt, starts from. Waits until the projection has
 * reached `until` (the last event the caller knows of, or a block), then stops.
 */
export async function rebuildReadModel(
  ledger: Ledger,
  pool: pg.Pool,
  until: number | Checkpoint,
): Promise<void> {
  await migrate(pool);
  await emptyReadModel(pool);
  const projector = new Projector(ledger, pool, undefined, { until });
  await projector.start();
  try {
    await projector.caughtUp(until, 120_000);
  } finally {
    await projector.stop();
  }
}
