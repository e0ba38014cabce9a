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

/** How many events one database transaction takes at most. */
const BATCH = 500;

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
  private readonly waiters: { blockNumber: number; resolve: () => void; reject: (error: Error) => void }[] =
    [];
  private failure: unknown;

  constructor(
    private readonly ledger: Ledger,
    private readonly pool: pg.Pool,
    /** Told of each event once its batch is committed (subscriptions listen here). */
    private readonly onProjected: (change: PoolChange) => void = () => undefined,
  ) {}

  async checkpoint(): Promise<Checkpoint | undefined> {
    const { rows } = await this.pool.query<{ block_number: string; transaction_id: string }>(
      'SELECT block_number, transaction_id FROM ledger_checkpoint WHERE id = 1',
    );
    const row = rows[0];
    return row === undefined
      ? undefined
      : { blockNumber: Number(row.block_number), transactionId: row.transaction_id };
  }

  /** Starts following the ledger from the stored checkpoint. */
  async start(): Promise<void> {
    this.projected = await this.checkpoint();
    const stream = this.ledger.events(this.projected === undefined ? {} : { after: this.projected });
    this.stream = stream;
    this.running = this.follow(stream).catch((error: unknown) => {
      this.fail(error);
    });
  }

  async stop(): Promise<void> {
    this.stream?.close();
    await this.running;
  }

  /** Resolves once every event up to `blockNumber` is in the read model (read-your-writes for the api). */
  async caughtUp(blockNumber: number, timeoutMs = 10_000): Promise<void> {
    if (this.failure !== undefined)
      throw new Error(
        `the projector stopped: ${this.failure instanceof Error ? this.failure.message : JSON.stringify(this.failure)}`,
      );
    if ((this.projected?.blockNumber ?? -1) >= blockNumber) return;
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        reject(new Error(`read model did not reach block ${blockNumber} within ${timeoutMs} ms`));
      }, timeoutMs);
      this.waiters.push({
        blockNumber,
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
      // A failed write stops the projector (nothing after it may be applied out of order): the
      // checkpoint still names the last batch written, so a restart resumes exactly there.
      flushing = flushing
        .then(() => this.write(events))
        .catch((error: unknown) => {
          this.fail(error);
          stream.close();
        });
      return flushing;
    };
    for await (const event of stream) {
      batch.push(event);
      if (batch.length >= BATCH) await flush();
      // Events arrive in bursts: write a batch when the burst pauses.
      else timer ??= setTimeout(() => void flush(), 5);
    }
    await flush();
  }

  private async write(events: LedgerEvent[]): Promise<void> {
    const parsed = events.map((event) => ({
      event,
      payload: JSON.parse(decodeUtf8(event.payload)) as Partial<PoolEvent> & Record<string, unknown>,
    }));
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      // The batch's events in one statement; those already there (a replay after a crash) change nothing.
      const inserted = await client.query<{ block_number: string; transaction_id: string }>(
        `INSERT INTO ledger_event (block_number, transaction_id, event_name, actor_member_id, at, payload)
         SELECT b, t, n, a, w, p::jsonb
           FROM unnest($1::bigint[], $2::text[], $3::text[], $4::text[], $5::timestamptz[], $6::text[]) AS u(b, t, n, a, w, p)
         ON CONFLICT DO NOTHING RETURNING block_number, transaction_id`,
        [
          parsed.map((p) => p.event.blockNumber),
          parsed.map((p) => p.event.transactionId),
          parsed.map((p) => p.event.name),
          parsed.map((p) => (typeof p.payload.actorMemberId === 'string' ? p.payload.actorMemberId : null)),
          parsed.map((p) => (typeof p.payload.at === 'string' ? p.payload.at : null)),
          parsed.map((p) => JSON.stringify(p.payload)),
        ],
      );
      const fresh = new Set(inserted.rows.map((r) => `${r.block_number}/${r.transaction_id}`));
      // Every record as the batch's last event left it (one row per record: a statement may not
      // update a row twice), in one statement.
      const latest = new Map<string, [string, string, string, number, string, string]>();
      for (const { event, payload } of parsed) {
        if (!fresh.has(`${event.blockNumber}/${event.transactionId}`)) continue;
        const at = typeof payload.at === 'string' ? payload.at : new Date().toISOString();
        for (const change of payload.changes ?? [])
          latest.set(`${change.kind}\u0000${change.id}`, [
            change.kind,
            change.id,
            JSON.stringify(change.record),
            event.blockNumber,
            event.transactionId,
            at,
          ]);
        // Member registry events carry the member record itself.
        if (payload.changes === undefined && typeof payload.memberId === 'string')
          latest.set(`Member\u0000${payload.memberId}`, [
            'Member',
            payload.memberId,
            JSON.stringify(payload),
            event.blockNumber,
            event.transactionId,
            new Date().toISOString(),
          ]);
      }
      if (latest.size > 0) {
        const rows = [...latest.values()];
        await client.query(
          `INSERT INTO record (kind, id, record, block_number, transaction_id, updated_at)
           SELECT k, i, r::jsonb, b, t, w
             FROM unnest($1::text[], $2::text[], $3::text[], $4::bigint[], $5::text[], $6::timestamptz[]) AS u(k, i, r, b, t, w)
           ON CONFLICT (kind, id) DO UPDATE SET record = EXCLUDED.record, block_number = EXCLUDED.block_number,
             transaction_id = EXCLUDED.transaction_id, updated_at = EXCLUDED.updated_at`,
          [0, 1, 2, 3, 4, 5].map((c) => rows.map((row) => row[c])),
        );
      }
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
        this.projected = { blockNumber: last.blockNumber, transactionId: last.transactionId };
        for (const w of this.waiters.filter((x) => x.blockNumber <= last.blockNumber)) {
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
