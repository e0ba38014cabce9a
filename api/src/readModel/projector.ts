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
import { recordIdsIn } from './recordIds.js';

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

interface PreparedBatch {
  /** Where each event is on the ledger, in order. */
  positions: Checkpoint[];
  /** What subscribers are told of each event once the batch is committed (when any listen). */
  changes: PoolChange[] | undefined;
  /** The batch as four columns of lines (block, transaction, event name, payload text). */
  columns: [string, string, string, string];
  /** Ids of the records the batch may write (a superset: see `recordIdsIn`). */
  recordKeys: ReadonlySet<string>;
  /** True when some record may be written by more than one of the batch's events. */
  rewritesARecord: boolean;
  /** True when the batch may hold events already written (see `writeBatch`). */
  mayRepeat: boolean;
  /** True when none of the batch's records is in the read model yet (see `writeBatch`). */
  recordsNew: boolean;
}

/** A batch handed to the database and not yet known to be committed. */
interface InFlight {
  /** Settles once the batch is committed (and its events announced), or fails. */
  committed: Promise<void>;
  /** Resolves once the batch holds its database connection (or will not take one). */
  connected: Promise<void>;
  recordKeys: ReadonlySet<string>;
}
const NOTHING_IN_FLIGHT: InFlight = {
  committed: Promise.resolve(),
  connected: Promise.resolve(),
  recordKeys: new Set(),
};

function shareARecord(a: ReadonlySet<string>, b: ReadonlySet<string>): boolean {
  const [small, large] = a.size <= b.size ? [a, b] : [b, a];
  for (const key of small) if (large.has(key)) return true;
  return false;
}

/** A value as one line of a column; a line break inside would shift every row after it. */
function asLine(value: string, what: string): string {
  if (value.includes('\n'))
    throw new Error(`an event's ${what} holds a line break: ${JSON.stringify(value)}`);
  return value;
}

/**
 * The statement that writes a batch's events and the records they carry. PostgreSQL gets each
 * event's payload as the text it came as and parses it once: the event keeps it whole, and each
 * record is taken out of it as the batch's last event left it. Member registry events carry the
 * member record itself.
 * - `mayRepeat`: the batch may hold events already written (a stream opened again starts at the
 *   checkpoint's block); those are skipped, and so are their records. Elsewhere a stream never
 *   repeats an event, and the check is left out.
 * - `rewritesARecord`: some record is written by two of the batch's events; the last one is
 *   picked (a statement may not update a row twice). Otherwise the sort that picks it is left out.
 * - `recordsNew`: none of the batch's records is in the read model yet; they are inserted without
 *   the upsert's conflict probe (the primary key still refuses a record that was there after all).
 */
function writeBatch({ mayRepeat, rewritesARecord, recordsNew }: WriteShape): string {
  // Which of the batch's events are written now: those not already there, or all of them.
  const [events, source] = mayRepeat
    ? [
        `fresh AS (
  INSERT INTO ledger_event (block_number, transaction_id, event_name, actor_member_id, at, payload)
  SELECT b, t, n, p->>'actorMemberId', (p->>'at')::timestamptz, p FROM incoming
  ON CONFLICT DO NOTHING RETURNING block_number, transaction_id
), fresh_events AS (
  SELECT i.* FROM incoming i JOIN fresh f ON f.block_number = i.b AND f.transaction_id = i.t
)`,
        'fresh_events',
      ]
    : [
        `all_events AS (
  INSERT INTO ledger_event (block_number, transaction_id, event_name, actor_member_id, at, payload)
  SELECT b, t, n, p->>'actorMemberId', (p->>'at')::timestamptz, p FROM incoming
)`,
        'incoming',
      ];
  return `
WITH incoming AS (
  SELECT x.b::bigint AS b, x.t, x.n, x.p::jsonb AS p, x.o
    FROM unnest(string_to_array($1, E'\\n'), string_to_array($2, E'\\n'), string_to_array($3, E'\\n'),
                string_to_array($4, E'\\n')) WITH ORDINALITY AS x(b, t, n, p, o)
), ${events}, written AS (
  SELECT e.o, c.n AS co, c.change->>'kind' AS kind, c.change->>'id' AS id, c.change->'record' AS record,
         e.b, e.t, coalesce((e.p->>'at')::timestamptz, now()) AS at
    FROM ${source} e CROSS JOIN LATERAL jsonb_array_elements(e.p->'changes') WITH ORDINALITY AS c(change, n)
  UNION ALL
  SELECT e.o, 0, 'Member', e.p->>'memberId', e.p, e.b, e.t, now()
    FROM ${source} e WHERE NOT e.p ? 'changes' AND jsonb_typeof(e.p->'memberId') = 'string'
)
INSERT INTO record (kind, id, record, block_number, transaction_id, updated_at)
SELECT ${rewritesARecord ? 'DISTINCT ON (kind, id)' : ''} kind, id, record, b, t, at FROM written
${rewritesARecord ? 'ORDER BY kind, id, o DESC, co DESC' : ''}
${
  recordsNew
    ? ''
    : `ON CONFLICT (kind, id) DO UPDATE SET record = EXCLUDED.record, block_number = EXCLUDED.block_number,
  transaction_id = EXCLUDED.transaction_id, updated_at = EXCLUDED.updated_at`
}`;
}
/** The shape of a batch that picks its write statement (see `writeBatch`). */
interface WriteShape {
  mayRepeat: boolean;
  rewritesARecord: boolean;
  recordsNew: boolean;
}
/**
 * The write statement for a batch of that shape, named: each connection prepares and plans it once
 * (planning it took some 4 ms a batch), instead of once per batch.
 */
const WRITE_BATCH = new Map<string, { name: string; text: string }>();
function writeStatementFor({ mayRepeat, rewritesARecord, recordsNew }: WriteShape): {
  name: string;
  text: string;
} {
  const name = `fabpool-projector-write-${[mayRepeat, rewritesARecord, recordsNew].map(Number).join('')}`;
  let statement = WRITE_BATCH.get(name);
  if (statement === undefined) {
    statement = { name, text: writeBatch({ mayRepeat, rewritesARecord, recordsNew }) };
    WRITE_BATCH.set(name, statement);
  }
  return statement;
}

/** Waits before following an unreachable ledger again: doubling from the first to the most. */
const RECONNECT_FIRST_MS = 500;
const RECONNECT_MAX_MS = 10_000;

/** How many events one database transaction takes at most. */
const BATCH = 2_000;

/** How many record ids the projector remembers (see `Projector.recordsWritten`): some 100 bytes each. */
const REMEMBERED_RECORDS = 500_000;

export interface ProjectorOptions {
  /** Stop after this event (or block): a rebuild to a known checkpoint takes nothing past it. */
  until?: number | Checkpoint;
  /** Events per database transaction at most. */
  batchSize?: number;
}

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
  /**
   * Every record the projector has written since it started on an empty read model (no
   * checkpoint: the projector is the only writer of records, and every batch commits its
   * checkpoint with them), so a batch of records it never wrote can skip the upsert's conflict
   * probe: a rebuild, or a new database following a long ledger. Records of batches not yet
   * committed are in it too, which only costs them the probe. Undefined when started from a
   * checkpoint, or once it would hold more than REMEMBERED_RECORDS.
   */
  private recordsWritten: Set<string> | undefined;

  constructor(
    private readonly ledger: Ledger,
    private readonly pool: pg.Pool,
    /** Told of each event once its batch is committed (subscriptions listen here); none for a rebuild. */
    private readonly onProjected?: (change: PoolChange) => void,
    private readonly options: ProjectorOptions = {},
  ) {}

  /** True for the first event past `until`, which the projector then does not take. */
  private pastUntil(event: LedgerEvent, state: { reached: boolean }): boolean {
    const until = this.options.until;
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
    this.recordsWritten = this.projected === undefined ? new Set() : undefined;
    this.running = this.followUntilStopped().catch((error: unknown) => {
      this.fail(error);
    });
  }

  private async followUntilStopped(): Promise<void> {
    let pause = RECONNECT_FIRST_MS;
    for (;;) {
      const from = this.projected;
      const stream = this.ledger.events(from === undefined ? {} : { after: from });
      this.stream = stream;
      const opened = Date.now();
      try {
        await this.follow(stream, from?.blockNumber ?? -1);
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

  /**
   * Reads the stream in batches and writes them two at a time on two database connections, so
   * PostgreSQL works on one batch while it commits the other; commits still go in ledger order
   * (see `write`), so the checkpoint only ever names a point with everything before it written.
   */
  private async follow(stream: EventStream, checkpointBlock: number): Promise<void> {
    let batch: LedgerEvent[] = [];
    let timer: NodeJS.Timeout | undefined;
    let last = NOTHING_IN_FLIGHT;
    let beforeLast = NOTHING_IN_FLIGHT;
    const settled = (p: Promise<void>): Promise<void> => p.catch(() => undefined);
    const flush = (): Promise<void> => {
      const events = batch;
      batch = [];
      if (timer !== undefined) clearTimeout(timer);
      timer = undefined;
      if (events.length === 0) return settled(last.committed);
      const previous = last;
      const twoBack = beforeLast;
      let prepared: PreparedBatch | undefined;
      let unreadable: unknown;
      try {
        // Prepared now, while the batches before it are being written.
        prepared = this.prepare(events, checkpointBlock);
      } catch (error) {
        unreadable = error;
      }
      let markConnected = (): void => undefined;
      const connected = new Promise<void>((resolve) => {
        markConnected = resolve;
      });
      const committed = (async () => {
        try {
          // An unreadable event fails like a write, in its place.
          if (prepared === undefined) {
            await previous.committed;
            throw unreadable;
          }
          // At most two batches in the database at once.
          await twoBack.committed;
          // A batch writing a record the one before it writes waits for that one's commit: its
          // upsert would otherwise wait on a row lock the earlier batch keeps until it commits.
          if (shareARecord(prepared.recordKeys, previous.recordKeys)) await previous.committed;
          // Connections are taken in ledger order: a batch holding the pool's last connection
          // while it waits for the commit of one still waiting for a connection would wait forever.
          await previous.connected;
          await this.write(prepared, previous.committed, markConnected);
        } finally {
          markConnected();
        }
      })();
      // A failed batch stops the projector, and every batch after it rolls back (nothing may be
      // applied out of order): the checkpoint still names the last batch committed, so a restart
      // resumes exactly there.
      committed.catch((error: unknown) => {
        this.fail(error);
        stream.close();
      });
      beforeLast = previous;
      last = { committed, connected, recordKeys: prepared?.recordKeys ?? new Set() };
      return settled(committed);
    };
    const untilState = { reached: false };
    try {
      await this.take(stream, untilState, (event) => {
        batch.push(event);
        if (batch.length >= (this.options.batchSize ?? BATCH)) {
          // One batch is written while the next is read, prepared and written; no more than that.
          const previous = settled(last.committed);
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
      await settled(last.committed);
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
   * A batch made ready to write, with no database work: done while the batches before it are
   * being written. PostgreSQL parses each payload for itself; node reads only which records it
   * may change, and parses it only when someone listens for the outline of each event. Events of
   * the checkpoint's block or before may already be written.
   */
  private prepare(events: LedgerEvent[], checkpointBlock: number): PreparedBatch {
    const blocks: string[] = [];
    const transactions: string[] = [];
    const names: string[] = [];
    const texts: string[] = [];
    const positions: Checkpoint[] = [];
    const recordKeys = new Set<string>();
    let recordWrites = 0;
    const changes = this.onProjected === undefined ? undefined : ([] as PoolChange[]);
    for (const event of events) {
      // JSON has a raw line break only between tokens, where a space means the same.
      const text = decodeUtf8(event.payload).replaceAll('\n', ' ');
      blocks.push(String(event.blockNumber));
      transactions.push(asLine(event.transactionId, 'transaction id'));
      names.push(asLine(event.name, 'name'));
      texts.push(text);
      positions.push({ blockNumber: event.blockNumber, transactionId: event.transactionId });
      for (const id of recordIdsIn(text)) {
        recordKeys.add(id);
        recordWrites++;
      }
      // Only the outline is kept: the parsed payload dies young, which keeps the collector cheap
      // while the batch waits for the database.
      changes?.push(changeOf(event, JSON.parse(text) as Partial<PoolEvent>));
    }
    return {
      positions,
      changes,
      columns: [blocks.join('\n'), transactions.join('\n'), names.join('\n'), texts.join('\n')],
      recordKeys,
      rewritesARecord: recordWrites > recordKeys.size,
      mayRepeat: (events[0]?.blockNumber ?? Infinity) <= checkpointBlock,
      recordsNew: this.rememberWritten(recordKeys),
    };
  }

  /** Remembers a batch's records as written; true when none of them had been (see `recordsWritten`). */
  private rememberWritten(recordKeys: ReadonlySet<string>): boolean {
    const written = this.recordsWritten;
    if (written === undefined) return false;
    let allNew = true;
    for (const key of recordKeys) {
      if (written.has(key)) allNew = false;
      else written.add(key);
    }
    if (written.size > REMEMBERED_RECORDS) this.recordsWritten = undefined;
    return allNew;
  }

  /**
   * Writes a batch in one transaction: its events, its records and, once `previous` (the batch
   * before it) is committed, the checkpoint of its last event; then it commits. If the batch
   * before it failed, this one rolls back. `connected` is called once it holds its connection.
   */
  private async write(batch: PreparedBatch, previous: Promise<void>, connected: () => void): Promise<void> {
    const { positions, changes, columns } = batch;
    const client = await this.pool.connect();
    connected();
    try {
      // Not waiting for the WAL flush is safe here: the checkpoint commits with the records, so a
      // crash can only lose whole batches, which the projector then replays from the checkpoint.
      // A generic plan: the batch's columns are text whatever they hold, and a custom plan would
      // split them all while planning.
      await client.query(
        'BEGIN; SET LOCAL synchronous_commit TO OFF; SET LOCAL plan_cache_mode TO force_generic_plan',
      );
      await client.query({ ...writeStatementFor(batch), values: columns });
      // Commits go in ledger order: the checkpoint only ever names a point with everything before it written.
      await previous;
      const last = positions[positions.length - 1];
      if (last !== undefined) {
        await client.query(
          `INSERT INTO ledger_checkpoint (id, block_number, transaction_id, updated_at) VALUES (1, $1, $2, now())
           ON CONFLICT (id) DO UPDATE SET block_number = EXCLUDED.block_number, transaction_id = EXCLUDED.transaction_id, updated_at = now()
           WHERE ledger_checkpoint.block_number <= EXCLUDED.block_number`,
          [last.blockNumber, last.transactionId],
        );
      }
      await client.query('COMMIT');
      if (changes !== undefined) for (const change of changes) this.onProjected?.(change);
      if (last !== undefined) {
        for (const event of positions) {
          // Events handed out again (see `writeBatch`) never move the checkpoint back.
          if (this.projected !== undefined && event.blockNumber < this.projected.blockNumber) continue;
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
