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
function changeOf(event: LedgerEvent): PoolChange {
  const payload = JSON.parse(decodeUtf8(event.payload)) as Partial<PoolEvent>;
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
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      for (const event of events) {
        const payload = JSON.parse(decodeUtf8(event.payload)) as Partial<PoolEvent> & Record<string, unknown>;
        const inserted = await client.query(
          `INSERT INTO ledger_event (block_number, transaction_id, event_name, actor_member_id, at, payload)
           VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT DO NOTHING`,
          [
            event.blockNumber,
            event.transactionId,
            event.name,
            payload.actorMemberId ?? null,
            payload.at ?? null,
            payload,
          ],
        );
        // An event already projected (a replay after a crash) changes nothing.
        if (inserted.rowCount === 0) continue;
        for (const change of payload.changes ?? []) {
          await client.query(
            `INSERT INTO record (kind, id, record, block_number, transaction_id, updated_at)
             VALUES ($1, $2, $3, $4, $5, $6)
             ON CONFLICT (kind, id) DO UPDATE SET record = EXCLUDED.record, block_number = EXCLUDED.block_number,
               transaction_id = EXCLUDED.transaction_id, updated_at = EXCLUDED.updated_at`,
            [
              change.kind,
              change.id,
              change.record,
              event.blockNumber,
              event.transactionId,
              payload.at ?? new Date().toISOString(),
            ],
          );
        }
        // Member registry events carry the member record itself.
        if (payload.changes === undefined && typeof payload.memberId === 'string') {
          await client.query(
            `INSERT INTO record (kind, id, record, block_number, transaction_id, updated_at) VALUES ('Member', $1, $2, $3, $4, now())
             ON CONFLICT (kind, id) DO UPDATE SET record = EXCLUDED.record, block_number = EXCLUDED.block_number, transaction_id = EXCLUDED.transaction_id, updated_at = now()`,
            [payload.memberId, payload, event.blockNumber, event.transactionId],
          );
        }
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
      for (const event of events) this.onProjected(changeOf(event));
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
