import { describe, expect, it } from 'vitest';
import { ScanQueue, type KeyValueStore, type QueuedScan, type SendOutcome } from './offlineQueue';

function memoryStore(): KeyValueStore {
  const data = new Map<string, string>();
  return { getItem: (k) => data.get(k) ?? null, setItem: (k, v) => void data.set(k, v) };
}

describe('the shop-floor scan queue', () => {
  const scan = (seq: number) => ({ mutation: 'startOperation' as const, request: { lotId: 'L-1', seq } });

  it('keeps scans while offline and sends them in order, each once, when the network returns', async () => {
    let online = false;
    const sent: QueuedScan[] = [];
    const queue = new ScanQueue(memoryStore(), (s): Promise<SendOutcome> => {
      if (!online) return Promise.resolve({ sent: false });
      sent.push(s);
      return Promise.resolve({ sent: true });
    });
    queue.add(scan(1), 'r-1', '2026-11-25T08:00:00Z');
    queue.add(scan(2), 'r-2', '2026-11-25T08:01:00Z');
    expect(await queue.flush()).toBe(0);
    expect(queue.pending()).toHaveLength(2);
    online = true;
    expect(await queue.flush()).toBe(2);
    expect(await queue.flush()).toBe(0);
    expect(sent.map((s) => [s.requestId, s.request.requestId, s.request.seq])).toEqual([
      ['r-1', 'r-1', 1],
      ['r-2', 'r-2', 2],
    ]);
  });

  it('survives a reload: a second queue on the same storage sends what the first left', async () => {
    const store = memoryStore();
    new ScanQueue(store, () => Promise.resolve({ sent: false })).add(scan(1), 'r-1', 'now');
    const sent: string[] = [];
    await new ScanQueue(store, (s) => {
      sent.push(s.requestId);
      return Promise.resolve({ sent: true });
    }).flush();
    expect(sent).toEqual(['r-1']);
  });

  it('drops a scan the ledger refuses for good, says why, and goes on; two flushes at once send once', async () => {
    const refused: string[] = [];
    const sent: string[] = [];
    const queue = new ScanQueue(memoryStore(), (s) => {
      sent.push(s.requestId);
      return Promise.resolve(
        s.requestId === 'r-1' ? { sent: false, refused: 'LOT.WRONG_STATUS' } : { sent: true },
      );
    });
    queue.add(scan(1), 'r-1', 'now');
    queue.add(scan(2), 'r-2', 'now');
    await Promise.all([queue.flush((s, why) => refused.push(`${s.requestId} ${why}`)), queue.flush()]);
    expect(refused).toEqual(['r-1 LOT.WRONG_STATUS']);
    expect(sent).toEqual(['r-1', 'r-2']);
    expect(queue.pending()).toEqual([]);
  });
});
