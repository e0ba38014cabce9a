import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openDatabase } from './database.js';

describe('the embedded database', () => {
  it('gives each new connection a clean session, as a server does', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'fabpool-database-'));
    const database = await openDatabase({ dir });
    try {
      const first = await database.pool.connect();
      await first.query({ name: 'one-answer', text: 'SELECT 1 AS n' });
      await first.query('SET application_name TO first');
      // Closed, as the pool closes a connection left idle.
      first.release(true);

      const second = await database.pool.connect();
      try {
        // The driver prepares the statement again on a new connection: it must not be there already.
        const { rows } = await second.query<{ n: number }>({ name: 'one-answer', text: 'SELECT 2 AS n' });
        expect(rows).toEqual([{ n: 2 }]);
        const setting = await second.query<{ name: string }>(
          "SELECT current_setting('application_name') AS name",
        );
        expect(setting.rows[0]?.name).not.toBe('first');
      } finally {
        second.release();
      }
    } finally {
      await database.close();
      await rm(dir, { recursive: true, force: true });
    }
  });
});
