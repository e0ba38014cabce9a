import type { Ledger } from '@fabpool/network';
import type pg from 'pg';
import { migrate } from '../db/migrate.js';
import { Projector } from './projector.js';

/**
 * Replays the ledger from its first block into the read model of `pool`, emptied first: what a
 * new database, or one whose projection is in doubt, starts from. Waits until the projection has
 * reached `untilBlock` (the last block with an event the caller knows of), then stops.
 */
export async function rebuildReadModel(ledger: Ledger, pool: pg.Pool, untilBlock: number): Promise<void> {
  await migrate(pool);
  await pool.query('TRUNCATE record, ledger_event, ledger_checkpoint');
  const projector = new Projector(ledger, pool);
  await projector.start();
  try {
    await projector.caughtUp(untilBlock, 120_000);
  } finally {
    await projector.stop();
  }
}
