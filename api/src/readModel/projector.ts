import type { PoolEvent } from '@fabpool/chaincode/model';
import {
  decodeUtf8,
  type Checkpoint,
  type EventStream,
  type Ledger,
  type LedgerEvent,
} from '@fabpool/network';
import type pg from 'pg';
import type { PoolChange } from './changes.js';

/** The public outline of an event: its type and which records changed (ids, never values). */
function changeOf(event: LedgerEvent, payload: Partial<PoolEvent>): PoolChange {
  return {
    type: event.name,
    blockNumber: event.blockNumber,
    transactionId: event.transactionId,
    changes: (payload.changes ?? []).map((c) => {
      const record = (c.record ?? {}) as { factoryMspId?: unknown; workOrderId?: unknown };
      return {
        kind: c.kind,
        id: c.id,
        ...(typeof record.factoryMspId === 'string' ? { factoryMspId: record.factoryMspId } : {}),
        ...(typeof record.workOrderId === 'string' ? { workOrderId: record.workOrderId } : {}),
      };
    }),
  };
}

interface ParsedEvent {
  event: LedgerEvent;
  text: string;
  payload: Partial<PoolEvent> & Record<string, unknown>;
}
interface PreparedBatch {
  events: LedgerEvent[];
  parsed: ParsedEvent[];
  eventsJson: string;
  /** The records of the batch if every event is fresh; undefined when it changes none. */
  recordsJson: string | undefined;
}

/**
 * Every record as the batch's last (fresh) event left it, one row per record (a statement may not
 * update a row twice), as the JSON array the record upsert unpacks.
 */
function recordsJsonOf(parsed: ParsedEvent[], fresh: (event: LedgerEvent) => boolean): string | undefined {
  const latest = new Map<string, { k: string; i: string; r: unknown; b: number; t: string; w: string }>();
  for (const { event, payload } of parsed) {
    if (!fresh(event)) continue;
    const at = typeof payload.at === 'string' ? payload.at : new Date().toISOString();
    for (const change of payload.changes ?? [])
      latest.set(`${change.kind}\u0000${change.id}`, {
        k: change.kind,
        i: change.id,
        r: change.record,
        b: event.blockNumber,
        t: event.transactionId,
        w: at,
      });
    // Member registry events carry the member record itself.
    if (payload.changes === undefined && typeof payload.memberId === 'string')
      latest.set(`Member\u0000${payload.memberId}`, {
        k: 'Member',
        i: payload.memberId,
        r: payload,
        b: event.blockNumber,
        t: event.transactionId,
        w: new Date().toISOString(),
      });
  }
  return latest.size === 0 ? undefined : JSON.stringify([...latest.values()]);
}

/** Waits before following an unreachable ledger again: doubling from the first to the most. */
const RECONNECT_FIRST_MS = 500;
const RECONNECT_MAX_MS = 10_000;

/** How many events one database transaction takes at most. */
const BATCH = 2_000;

/**
 * Projects the ledger's chaincode events into the read model, exactly once: each batch of events,
 * the records they carry and the checkpoint of the last one are written in one database
 * transaction, so a crash between batches resumes after the last committed event and a batch is
 * never half applied. Events are the only input (every pool transaction's one event lists every
 * record it wrote).
 */
export class Projector {
  private stream: EventStream | undefined;
  private running: Promise<void> | undefined;
  private projected: Checkpoint | undefined;
  private readonly waiters: {
    blockNumber: number;
    transactionId?: string;
    resolve: () => void;
    reject: (error: Error) => void;
  }[] = [];
  /** Transactions of the last projected block seen so far (a block's events may span two batches). */
  private readonly lastBlockTransactions = new Set<string>();
  private failure: unknown;
  private stopping = false;

  constructor(
    private readonly ledger: Ledger,
    private readonly pool: pg.Pool,
    /** Told of each event once its batch is committed (subscriptions listen here). */
    private readonly onProjected: (change: PoolChange) => void = () => undefined,
    /** Stop after this event (or block): a rebuild to a known checkpoint takes nothing past it. */
    private readonly until?: number | Checkpoint,
  ) {}

  /** True for the first event past `until`, which the projector then does not take. */
  private pastUntil(event: LedgerEvent, state: { reached: boolean }): boolean {
    const until = this.until;
    if (until === undefined) return false;
    const block = typeof until === 'number' ? until : until.blockNumber;
    if (event.blockNumber > block || state.reached) return true;
    if (typeof until !== 'number' && event.transactionId === until.transactionId) state.reached = true;
    return false;
  }

  async checkpoint(): Promise<Checkpoint | undefined> {
    const { rows } = await this.pool.query<{ block_number: string; transaction_id: string }>(
      'SELECT block_number, transaction_id FROM ledger_checkpoint WHERE id = 1',
    );
    const row = rows[0];
    return row === undefined
      ? undefined
      : { blockNumber: Number(row.block_number), transactionId: row.transaction_id };
  }

  /** The checkpoint the read model is at, as a string that changes whenever it moves ('' before the first). */
  get version(): string {
    return this.projected === undefined
      ? ''
      : `${this.projected.blockNumber}:${this.projected.transactionId}`;
  }

  /**
   * Starts following the ledger from the stored checkpoint. When the ledger becomes unreachable
   * (its peer restarts, the network drops), it waits and follows again from the last checkpoint
   * written, so no event is lost or applied twice; any other failure stops it.
   */
  async start(): Promise<void> {
    this.projected = await this.checkpoint();
    if (this.projected !== undefined) this.lastBlockTransactions.add(this.projected.transactionId);
    this.running = this.followUntilStopped().catch((error: unknown) => {
      this.fail(error);
    });
  }

  private async followUntilStopped(): Promise<void> {
    let pause = RECONNECT_FIRST_MS;
    for (;;) {
      const stream = this.ledger.events(this.projected === undefined ? {} : { after: this.projected });
      this.stream = stream;
      const opened = Date.now();
      try {
        await this.follow(stream);
        return;
      } catch (error) {
        if (this.stopping || (error as { kind?: unknown }).kind !== 'UNAVAILABLE') throw error;
        // A stream that had been up a while starts the waits over.
        if (Date.now() - opened > RECONNECT_MAX_MS) pause = RECONNECT_FIRST_MS;
        console.error(
          `[projector] ledger unreachable, following again in ${pause} ms:`,
          (error as Error).message,
        );
      }
      await new Promise((resolve) => setTimeout(resolve, pause));
      // stop() may have been called while waiting.
      // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition
      if (this.stopping) return;
      pause = Math.min(pause * 2, RECONNECT_MAX_MS);
    }
  }

  async stop(): Promise<void> {
    this.stopping = true;
    this.stream?.close();
    await this.running;
  }

  /**
   * Resolves once the read model holds a transaction's event (read-your-writes for the api): given
   * a committed transaction, once its event or a later block's is projected — a Fabric block holds
   * many transactions, and a batch may end inside one; given a block number only, once that block
   * has been reached.
   */
  async caughtUp(target: number | Checkpoint, timeoutMs = 10_000): Promise<void> {
    if (this.failure !== undefined)
      throw new Error(
        `the projector stopped: ${this.failure instanceof Error ? this.failure.message : JSON.stringify(this.failure)}`,
      );
    const blockNumber = typeof target === 'number' ? target : target.blockNumber;
    const transactionId = typeof target === 'number' ? undefined : target.transactionId;
    if (this.reached(blockNumber, transactionId)) return;
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        reject(new Error(`read model did not reach block ${blockNumber} within ${timeoutMs} ms`));
      }, timeoutMs);
      this.waiters.push({
        blockNumber,
        ...(transactionId === undefined ? {} : { transactionId }),
        resolve: () => {
          clearTimeout(timer);
          resolve();
        },
        reject: (error) => {
          clearTimeout(timer);
          reject(error);
        },
      });
    });
  }

  private reached(blockNumber: number, transactionId: string | undefined): boolean {
    const at = this.projected?.blockNumber ?? -1;
    if (at > blockNumber) return true;
    if (at < blockNumber) return false;
    return transactionId === undefined || this.lastBlockTransactions.has(transactionId);
  }

  private fail(error: unknown): void {
    this.failure ??= error;
    console.error('[projector] stopped:', error);
    for (const w of this.waiters.splice(0))
      w.reject(
        new Error(`the projector stopped: ${error instanceof Error ? error.message : JSON.stringify(error)}`),
      );
  }

  private async follow(stream: EventStream): Promise<void> {
    let batch: LedgerEvent[] = [];
    let flushing: Promise<void> = Promise.resolve();
    let timer: NodeJS.Timeout | undefined;
    const flush = (): Promise<void> => {
      const events = batch;
      batch = [];
      if (timer !== undefined) clearTimeout(timer);
      timer = undefined;
      if (events.length === 0) return flushing;
      // Prepared at once (while the batch before is written); an unreadable event fails like a write.
      const prepared = Promise.resolve().then(() => this.prepare(events));
      prepared.catch(() => undefined);
      // A failed write stops the projector (nothing after it may be applied out of order): the
      // checkpoint still names the last batch written, so a restart resumes exactly there.
      flushing = flushing
        .then(() => prepared)
        .then((batch) => this.write(batch))
        .catch((error: unknown) => {
          this.fail(error);
          stream.close();
        });
      return flushing;
    };
    const untilState = { reached: false };
    try {
      await this.take(stream, untilState, (event) => {
        batch.push(event);
        if (batch.length >= BATCH) {
          // One batch is written while the next is read and prepared; no more wait behind it.
          const previous = flushing;
          void flush();
          return previous;
        }
        // Events arrive in bursts: write a batch when the burst pauses.
        timer ??= setTimeout(() => void flush(), 5);
        return undefined;
      });
    } catch (error) {
      // The stream broke: what was read but not written is read again after the checkpoint.
      if (timer !== undefined) clearTimeout(timer);
      timer = undefined;
      batch = [];
      await flushing;
      throw error;
    }
    await flush();
  }

  private async take(
    stream: EventStream,
    untilState: { reached: boolean },
    each: (event: LedgerEvent) => Promise<void> | undefined,
  ): Promise<void> {
    for await (const event of stream) {
      if (this.pastUntil(event, untilState)) break;
      const waitFor = each(event);
      if (waitFor !== undefined) await waitFor;
    }
  }

  /**
   * A batch made ready to write, with no database work: done while the batch before it is being
   * written, so parsing and serialising here overlap PostgreSQL's work there.
   */
  private prepare(events: LedgerEvent[]): PreparedBatch {
    const parsed = events.map((event) => {
      const text = decodeUtf8(event.payload);
      return { event, text, payload: JSON.parse(text) as Partial<PoolEvent> & Record<string, unknown> };
    });
    // The event log keeps who did what when and which records it changed; their values are in
    // `record` (as they stand) and on the ledger (every version), so they are not copied here.
    const eventsJson = `[${parsed
      .map(
        (p) =>
          `{"b":${p.event.blockNumber},"t":${JSON.stringify(p.event.transactionId)},"n":${JSON.stringify(p.event.name)},"a":${
            typeof p.payload.actorMemberId === 'string' ? JSON.stringify(p.payload.actorMemberId) : 'null'
          },"w":${typeof p.payload.at === 'string' ? JSON.stringify(p.payload.at) : 'null'},"p":${
            p.payload.changes === undefined
              ? p.text
              : JSON.stringify({
                  ...p.payload,
                  changes: p.payload.changes.map((c) => ({ kind: c.kind, id: c.id })),
                })
          }}`,
      )
      .join(',')}]`;
    return { events, parsed, eventsJson, recordsJson: recordsJsonOf(parsed, () => true) };
  }

  private async write({ events, parsed, eventsJson, recordsJson: allFresh }: PreparedBatch): Promise<void> {
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      // Not waiting for the WAL flush is safe here: the checkpoint commits with the records, so a
      // crash can only lose whole batches, which the projector then replays from the checkpoint.
      await client.query('SET LOCAL synchronous_commit TO OFF');
      // The batch's events in one statement, as one JSON parameter PostgreSQL unpacks itself (far
      // cheaper than thousands of parameters or array literals); those already there change nothing.
      const inserted = await client.query<{ block_number: string; transaction_id: string }>(
        `INSERT INTO ledger_event (block_number, transaction_id, event_name, actor_member_id, at, payload)
         SELECT b, t, n, a, w, p FROM json_to_recordset($1::json) AS e(b bigint, t text, n text, a text, w timestamptz, p json)
         ON CONFLICT DO NOTHING RETURNING block_number, transaction_id`,
        [eventsJson],
      );
      // Every record as the batch's last fresh event left it, in one statement. Usually every
      // event is fresh; after a restart, those already projected are left out.
      const recordsJson =
        inserted.rows.length === events.length
          ? allFresh
          : recordsJsonOf(
              parsed,
              (() => {
                const fresh = new Set(inserted.rows.map((r) => `${r.block_number}/${r.transaction_id}`));
                return (event: LedgerEvent) => fresh.has(`${event.blockNumber}/${event.transactionId}`);
              })(),
            );
      if (recordsJson !== undefined)
        await client.query(
          `INSERT INTO record (kind, id, record, block_number, transaction_id, updated_at)
           SELECT k, i, r, b, t, w FROM jsonb_to_recordset($1::jsonb) AS x(k text, i text, r jsonb, b bigint, t text, w timestamptz)
           ON CONFLICT (kind, id) DO UPDATE SET record = EXCLUDED.record, block_number = EXCLUDED.block_number,
             transaction_id = EXCLUDED.transaction_id, updated_at = EXCLUDED.updated_at`,
          [recordsJson],
        );
      const last = events[events.length - 1];
      if (last !== undefined) {
        await client.query(
          `INSERT INTO ledger_checkpoint (id, block_number, transaction_id, updated_at) VALUES (1, $1, $2, now())
           ON CONFLICT (id) DO UPDATE SET block_number = EXCLUDED.block_number, transaction_id = EXCLUDED.transaction_id, updated_at = now()`,
          [last.blockNumber, last.transactionId],
        );
      }
      await client.query('COMMIT');
      for (const { event, payload } of parsed) this.onProjected(changeOf(event, payload));
      if (last !== undefined) {
        for (const { event } of parsed) {
          if (event.blockNumber !== this.projected?.blockNumber) this.lastBlockTransactions.clear();
          this.projected = { blockNumber: event.blockNumber, transactionId: event.transactionId };
          this.lastBlockTransactions.add(event.transactionId);
        }
        for (const w of this.waiters.filter((x) => this.reached(x.blockNumber, x.transactionId))) {
          this.waiters.splice(this.waiters.indexOf(w), 1);
          w.resolve();
        }
      }
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  }
}
