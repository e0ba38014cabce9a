import type { PoolEvent } from '@fabpool/chaincode/model';
import type { Checkpoint, LedgerEngine, LedgerEvent } from '@fabpool/network';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestLedger } from '../support/engines.js';
import { decode, PoolClient, request, unique } from '../support/poolClient.js';

/**
 * Chaincode events in commit order, and a consumer that stops mid-way and resumes from its last
 * checkpoint: every event arrives exactly once.
 */
export function eventScenarios(engine: LedgerEngine): void {
  describe(`chaincode events and checkpoints (${engine})`, () => {
    let testLedger: Awaited<ReturnType<typeof openTestLedger>>;
    let pool: PoolClient;
    const committed: { transactionId: string; blockNumber: number }[] = [];
    const workOrderIds = Array.from({ length: 8 }, () => `WO-${unique()}`);

    beforeAll(async () => {
      testLedger = await openTestLedger(engine);
      pool = new PoolClient(testLedger.ledger);
      for (const workOrderId of workOrderIds) {
        const commit = await pool.submitWith(
          'customer-1',
          'WorkOrder',
          'PublishWorkOrder',
          [
            request({
              workOrderId,
              partNumber: 'EVT-1',
              quantity: 5,
              routing: [{ seq: 1, process: 'CNC', standardMinutes: 1 }],
              dueBucket: '2099-01-01T00:00:00Z',
              priority: 'NORMAL',
              maxUnitPrice: 100,
            }),
          ],
          {},
        );
        committed.push({ transactionId: commit.transactionId, blockNumber: commit.blockNumber });
      }
    });

    afterAll(async () => {
      await testLedger.dispose();
    });

    /** Reads events after `after` until `count` of ours arrived, then closes the stream. */
    async function readOurs(after: Checkpoint, count: number): Promise<LedgerEvent[]> {
      const ours = new Set(committed.map((c) => c.transactionId));
      const seen: LedgerEvent[] = [];
      const stream = testLedger.ledger.events({ after });
      try {
        for await (const event of stream) {
          if (!ours.has(event.transactionId)) continue;
          seen.push(event);
          if (seen.length === count) break;
        }
      } finally {
        stream.close();
      }
      return seen;
    }

    it('delivers each transaction’s one event in commit order', async () => {
      const first = committed[0];
      if (first === undefined) throw new Error('nothing committed');
      const events = await readOurs({ blockNumber: first.blockNumber, transactionId: '' }, committed.length);
      expect(events.map((e) => e.transactionId)).toEqual(committed.map((c) => c.transactionId));
      const payloads = events.map((e) => JSON.parse(decode(e.payload)) as PoolEvent);
      expect(payloads.map((p) => p.changes[0]?.id)).toEqual(workOrderIds);
    });

    it('resumes a stream closed mid-way from its checkpoint, missing and repeating nothing', async () => {
      const first = committed[0];
      if (first === undefined) throw new Error('nothing committed');
      const before = await readOurs({ blockNumber: first.blockNumber, transactionId: '' }, 3);
      const last = before[before.length - 1];
      if (last === undefined) throw new Error('no event read');
      // The consumer stopped (stream closed, as on a crash); it kept only its checkpoint.
      const after = await readOurs(
        { blockNumber: last.blockNumber, transactionId: last.transactionId },
        committed.length - 3,
      );
      expect([...before, ...after].map((e) => e.transactionId)).toEqual(
        committed.map((c) => c.transactionId),
      );
    });

    it('commits concurrent writes of one key: read conflicts are retried, none is lost', async () => {
      const key = `k-${unique()}`;
      const results = await Promise.all(
        Array.from({ length: 5 }, (_, i) =>
          testLedger.ledger.submit('factory-a-user', 'Probe', 'PutGet', [key, `v${i}`]),
        ),
      );
      expect(results).toHaveLength(5);
      // Each write read the one committed before it: the previous values form one chain.
      const previous = results.map((r) => decode(r.payload)).sort();
      expect(previous).toContain('');
      expect(new Set(previous).size).toBe(5);
    });

    it('refuses an identity from a CA outside the alliance', async () => {
      const refused = await pool.evaluate('outsider', 'Member', 'WhoAmI').then(
        () => 'accepted',
        (error: unknown) => String(error),
      );
      expect(refused).toContain('creator org unknown');
    });
  });
}
