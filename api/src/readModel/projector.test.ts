import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EmbeddedLedger } from '@fabpool/network';
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../db/database.js';
import { migrate } from '../db/migrate.js';
import { Projector } from './projector.js';

describe('the projector', () => {
  it('projects every event once with its checkpoint, and stops (not skips) when a write fails', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'fabpool-projector-'));
    const ledger = await EmbeddedLedger.open({ dir: join(dir, 'ledger') });
    const database = await openDatabase({ dir: join(dir, 'pg') });
    try {
      await migrate(database.pool);
      const projector = new Projector(ledger, database.pool);
      await projector.start();
      const height = await ledger.height();
      await projector.caughtUp(height - 1);
      const members = await database.pool.query(
        "SELECT count(*)::int AS n FROM record WHERE kind = 'Member'",
      );
      expect(members.rows[0]).toEqual({ n: ledger.members().length });
      expect((await projector.checkpoint())?.blockNumber).toBe(height - 1);
      await projector.stop();

      // Restarted, it resumes at its checkpoint's block: what it already wrote is not written again.
      const update = await ledger.submit('factory-a-user', 'Member', 'UpdateMyProfile', ['FactoryA planner']);
      const resumed = new Projector(ledger, database.pool);
      await resumed.start();
      await resumed.caughtUp(update);
      const after = await database.pool.query<{ events: number; name: string }>(
        `SELECT (SELECT count(*)::int FROM ledger_event) AS events,
                (SELECT record->>'displayName' FROM record WHERE kind = 'Member' AND record->>'displayName' = 'FactoryA planner') AS name`,
      );
      expect(after.rows[0]).toEqual({ events: height, name: 'FactoryA planner' });
      await resumed.stop();

      // A read model that cannot take the next batch: the projector must stop where it was.
      await database.pool.query('ALTER TABLE record RENAME TO record_gone');
      const broken = new Projector(ledger, database.pool);
      await broken.start();
      const committed = await ledger.submit('factory-a-user', 'Member', 'UpdateMyProfile', [
        'FactoryA planner (night shift)',
      ]);
      await expect(broken.caughtUp(committed.blockNumber, 5_000)).rejects.toThrow('the projector stopped');
      expect((await broken.checkpoint())?.blockNumber).toBe(height);
      await broken.stop();
    } finally {
      await ledger.close();
      await database.close();
      await rm(dir, { recursive: true, force: true });
    }
  });
});
