import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { memberFromJson, memberIdOf } from '@fabpool/chaincode/model';
import { migrate, openDatabase, Projector } from '@fabpool/api';
import { decodeUtf8, openLedger, startPeerAgain, stopPeer, type Ledger } from '@fabpool/network';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/**
 * A peer going down and coming back on the live network: the callers of that organisation get a
 * clear UNAVAILABLE while it is down, the others carry on, and afterwards the same client and the
 * read model (which follows events through that very peer) carry on with nothing lost.
 */
describe('a peer outage on the live network', () => {
  let ledger: Ledger;
  let dir: string;
  let database: Awaited<ReturnType<typeof openDatabase>>;
  let projector: Projector;

  beforeAll(async () => {
    ledger = await openLedger({ engine: 'fabric' });
    dir = await mkdtemp(join(tmpdir(), 'fabpool-outage-'));
    database = await openDatabase({ dir: join(dir, 'pg') });
    await migrate(database.pool);
    // The projector follows the channel's events as the auditor, through the Audit peer.
    projector = new Projector(ledger, database.pool);
    await projector.start();
  });

  afterAll(async () => {
    await startPeerAgain('AuditMSP').catch(() => undefined);
    await projector.stop();
    await database.close();
    await ledger.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('refuses clearly while the peer is down, then reconnects and projects what happened meanwhile', async () => {
    const before = await ledger.submit('factory-a-user', 'Member', 'UpdateMyProfile', ['before the outage']);
    await projector.caughtUp(before, 90_000);
    const author = ledger.members().find((m) => m.name === 'factory-a-user');
    const authorId = memberIdOf(author?.mspId ?? '', author?.clientId ?? '');

    await stopPeer('AuditMSP');
    let during;
    try {
      const failure = (await ledger.evaluate('auditor', 'Member', 'GetMember', [authorId]).then(
        () => undefined,
        (error: unknown) => error,
      )) as { kind?: string } | undefined;
      expect(failure?.kind).toBe('UNAVAILABLE');
      // The other organisations endorse and commit without it.
      during = await ledger.submit('factory-a-user', 'Member', 'UpdateMyProfile', ['during the outage']);
    } finally {
      await startPeerAgain('AuditMSP');
    }

    // The auditor's next call reconnects; its peer caught up on the block it missed.
    await expect
      .poll(
        async () =>
          memberFromJson(decodeUtf8(await ledger.evaluate('auditor', 'Member', 'GetMember', [authorId])))
            .displayName,
        { timeout: 60_000, interval: 1_000 },
      )
      .toBe('during the outage');
    // The read model followed again from its checkpoint and has the write made while it was cut off.
    await projector.caughtUp(during, 90_000);
    const { rows } = await database.pool.query<{ name: string; events: number }>(
      `SELECT (SELECT record->>'displayName' FROM record WHERE kind = 'Member' AND id = $1) AS name,
              (SELECT count(*)::int FROM ledger_event WHERE transaction_id = $2) AS events`,
      [authorId, during.transactionId],
    );
    expect(rows[0]).toEqual({ name: 'during the outage', events: 1 });
  });
});
