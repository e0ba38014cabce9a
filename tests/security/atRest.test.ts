import { chmod, mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createMemberAccounts, openDatabase, openToOthers, startApi } from '@fabpool/api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/** Secrets at rest: file modes, the embedded database's door, and the authenticator secrets. */
describe('the data directory at rest', () => {
  let dir: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'fabpool-rest-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('keeps every file its user’s alone, serves the database on no port, and seals authenticator secrets', async () => {
    const api = await startApi({ dataDir: dir });
    const accounts = await createMemberAccounts(api.database.pool, api.ledger, 'at-rest-password-2026');
    try {
      await api.ledger.submit('factory-a-user', 'Member', 'UpdateMyProfile', ['written at rest']);
      // Ledger (with the private data), database, keys and secrets: nobody else may read or enter.
      expect(await openToOthers(dir)).toEqual([]);
      // The embedded database listens on a Unix socket in a directory only its user may enter.
      expect(api.database.url).toMatch(/^postgres:\/\/postgres@\/postgres\?host=/);
      const socketDir = decodeURIComponent(api.database.url.split('host=')[1] ?? '');
      expect((await stat(socketDir)).mode & 0o777).toBe(0o700);
      const { rows } = await api.database.pool.query<{ username: string; totp_secret: string }>(
        'SELECT username, totp_secret FROM app_user WHERE totp_secret IS NOT NULL',
      );
      expect(rows.length).toBeGreaterThan(0);
      for (const row of rows) {
        const plain = accounts.find((a) => a.username === row.username)?.totpSecret ?? '';
        expect(row.totp_secret.startsWith('v1.')).toBe(true);
        expect(row.totp_secret).not.toContain(plain);
      }
    } finally {
      await api.close();
    }
  });

  it('seals secrets an earlier version stored in the clear, when it starts', async () => {
    const database = await openDatabase({ dir: join(dir, 'pgdata') });
    await database.pool.query(
      "UPDATE app_user SET totp_secret = 'JBSWY3DPEHPK3PXP' WHERE username = 'auditor'",
    );
    await database.close();
    const api = await startApi({ dataDir: dir });
    try {
      const { rows } = await api.database.pool.query<{ totp_secret: string }>(
        "SELECT totp_secret FROM app_user WHERE username = 'auditor'",
      );
      expect(rows[0]?.totp_secret.startsWith('v1.')).toBe(true);
    } finally {
      await api.close();
    }
  });

  it('refuses to start, saying what to do, on a data directory others can read', async () => {
    await chmod(dir, 0o755);
    await chmod(join(dir, 'jwt-secret'), 0o644);
    await expect(startApi({ dataDir: dir })).rejects.toThrow(
      /can be read or changed by other users.*chmod -R go-rwx/s,
    );
    await chmod(dir, 0o700);
    await chmod(join(dir, 'jwt-secret'), 0o600);
    const api = await startApi({ dataDir: dir });
    await api.close();
  });
});
