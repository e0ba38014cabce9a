/**
 * Scans made on the shop floor wait on the device until they reach the api, in order, each
 * exactly once. Every scan gets its ledger request id when it is made: sending it again (the
 * answer was lost, the page reloaded mid-send) is answered with the first result by the chaincode
 * and changes nothing, so "send, then forget" can never count a scan twice or lose one.
 */
export interface QueuedScan {
  /** The ledger request id, made at scan time. */
  requestId: string;
  mutation: 'startOperation' | 'reportOperation';
  request: Record<string, unknown>;
  scannedAt: string;
}

export interface KeyValueStore {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
}

/** What sending a scan came to: done (sent, or refused for good), or not sent (try again later). */
export type SendOutcome = { sent: true } | { sent: false; refused?: string };

const KEY = 'fabpool.scanQueue';

export class ScanQueue {
  private flushing: Promise<number> | undefined;

  constructor(
    private readonly store: KeyValueStore,
    private readonly send: (scan: QueuedScan) => Promise<SendOutcome>,
  ) {}

  pending(): QueuedScan[] {
    return JSON.parse(this.store.getItem(KEY) ?? '[]') as QueuedScan[];
  }

  add(scan: Omit<QueuedScan, 'requestId' | 'scannedAt'>, requestId: string, scannedAt: string): QueuedScan {
    const queued: QueuedScan = { ...scan, requestId, scannedAt, request: { ...scan.request, requestId } };
    this.store.setItem(KEY, JSON.stringify([...this.pending(), queued]));
    return queued;
  }

  /**
   * Sends what is waiting, oldest first, one at a time; stops at the first that could not be sent
   * (offline), so order is kept. A scan the ledger refuses for good is dropped and reported.
   * Returns how many left the queue.
   */
  flush(onRefused: (scan: QueuedScan, reason: string) => void = () => undefined): Promise<number> {
    this.flushing ??= (async () => {
      let done = 0;
      for (;;) {
        const [next] = this.pending();
        if (next === undefined) return done;
        const outcome = await this.send(next);
        if (!outcome.sent && outcome.refused === undefined) return done;
        if (!outcome.sent && outcome.refused !== undefined) onRefused(next, outcome.refused);
        this.store.setItem(KEY, JSON.stringify(this.pending().filter((s) => s.requestId !== next.requestId)));
        done++;
      }
    })().finally(() => {
      this.flushing = undefined;
    });
    return this.flushing;
  }
}
