import type { PoolEvent } from '@fabpool/chaincode/model';
import {
  decodeUtf8,
  type Checkpoint,
  type EventStream,
  type Ledger,
  type LedgerEvent,
} from '@fabpool/network';
import type pg from 'pg';
import {
  batchConnection,
  beginBatch,
  commit,
  countQuarantineRetry,
  moveCheckpoint,
  ONE_EVENT,
  quarantinedEvents,
  quarantinedPayloads,
  quarantineEvent,
  readCheckpoint,
  releaseQuarantined,
  RETRIED_EVENT,
  rollback,
  underSavepoint,
  writeEvents,
} from '../repositories/readModelWrites.js';
import type { PoolChange } from './changes.js';
import { recordIdsIn } from './recordIds.js';

export interface ProjectorState {
  state: 'following' | 'reconnecting' | 'stopped';
  /** The block of the last event written. */
  checkpoint?: number;
  /** Why it stopped. */
  error?: string;
  /** Since when the ledger has been unreachable. */
  since?: string;
}

/** An event the read model could not hold, kept apart (see `Projector.quarantined`). */
export interface QuarantinedEvent {
  blockNumber: number;
  transactionId: string;
  eventName: string;
  error: string;
  errorCode?: string;
  attempts: number;
  quarantinedAt: string;
  lastTriedAt: string;
}

/** A write refused because the read model has stopped (see `Projector.requireFollowing`). */
export class ProjectorStoppedError extends Error {
  readonly code = 'READ_MODEL.STOPPED';
}

const reasonOf = (error: unknown): string => (error instanceof Error ? error.message : JSON.stringify(error));

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

/** The outline of an event whose payload is JSON; none otherwise (the database refuses it too). */
function outlineOf(event: LedgerEvent, text: string): PoolChange | undefined {
  let payload: unknown;
  try {
    payload = JSON.parse(text);
  } catch {
    return undefined;
  }
  return typeof payload === 'object' && payload !== null ? changeOf(event, payload) : undefined;
}

interface PreparedBatch {
  /** Where each event is on the ledger, in order. */
  positions: Checkpoint[];
  /**
   * What subscribers are told of each event once the batch is committed (when any listen); none
   * for an event whose payload is not JSON (the database refuses it: see `quarantine`).
   */
  changes: (PoolChange | undefined)[] | undefined;
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
 * True for a database refusal of the data itself (SQLSTATE class 22: a character jsonb cannot
 * hold, text that is not JSON, a number out of range): writing the same event again fails the
 * same way, so it is set aside (see `quarantine`) instead of stopping the read model. Anything
 * else (a lost connection, a full disk, a trigger) stops the projector, and nothing is skipped.
 */
function cannotHold(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && code.startsWith('22');
}

/**
 * True when the database went away rather than refused (a restart, a dropped connection): the
 * projector follows again from its checkpoint once it is back, as it does when the ledger goes away.
 */
export function databaseWentAway(error: unknown): boolean {
  const { code, message } = (error ?? {}) as { code?: unknown; message?: unknown };
  if (typeof code === 'string')
    return (
      code.startsWith('08') ||
      ['57P01', '57P02', '57P03', 'ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT'].includes(code)
    );
  return (
    typeof message === 'string' &&
    /Connection terminated|connection timeout|Client has encountered a connection error/i.test(message)
  );
}

/** Text PostgreSQL stores whatever it held (an error message may quote the refused bytes). */
const storable = (text: string): string => text.replaceAll('\u0000', '\\u0000');

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
  /** Set while the ledger or the database is unreachable and the projector waits to follow again. */
  private unreachableSince: number | undefined;
  /** A batch that failed because the database went away: the stream is given up and followed again. */
  private interrupted: unknown;
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
    return readCheckpoint(this.pool);
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
    // A new version may hold what an earlier one could not.
    await this.retryQuarantined();
    this.projected = await this.checkpoint();
    if (this.projected !== undefined) this.lastBlockTransactions.add(this.projected.transactionId);
    this.recordsWritten = this.projected === undefined ? new Set() : undefined;
    this.running = this.followUntilStopped().catch((error: unknown) => {
      this.fail(error);
    });
  }

  private async followUntilStopped(): Promise<void> {
    let pause = RECONNECT_FIRST_MS;
    // Set when the database went away: it may have lost its last commits (they are not waited
    // for on disk), so the projector follows again from the checkpoint the database holds once it
    // is back, never from the one remembered here.
    let fromStoredCheckpoint = false;
    for (;;) {
      let error: unknown;
      const opened = Date.now();
      try {
        if (fromStoredCheckpoint) {
          await this.resumeFromStoredCheckpoint();
          fromStoredCheckpoint = false;
        }
        const from = this.projected;
        const stream = this.ledger.events(from === undefined ? {} : { after: from });
        this.stream = stream;
        await this.follow(stream, from?.blockNumber ?? -1);
        return;
      } catch (caught) {
        error = caught;
      }
      const databaseAway = databaseWentAway(error);
      if (this.stopping || !(databaseAway || (error as { kind?: unknown }).kind === 'UNAVAILABLE'))
        throw error;
      if (databaseAway) fromStoredCheckpoint = true;
      this.unreachableSince ??= Date.now();
      // A stream that had been up a while starts the waits over.
      if (Date.now() - opened > RECONNECT_MAX_MS) pause = RECONNECT_FIRST_MS;
      console.error(
        `[projector] ${databaseAway ? 'database' : 'ledger'} unreachable, following again in ${pause} ms:`,
        (error as Error).message,
      );
      await new Promise((resolve) => setTimeout(resolve, pause));
      // stop() may have been called while waiting.
      // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition
      if (this.stopping) return;
      pause = Math.min(pause * 2, RECONNECT_MAX_MS);
    }
  }

  /**
   * Where the projector is, for `/health` and for writers: `following` the ledger, `reconnecting`
   * to an unreachable one, or `stopped` by a failure (`error`) or by `stop()`.
   */
  get state(): ProjectorState {
    const checkpoint = this.projected?.blockNumber;
    const at = checkpoint === undefined ? {} : { checkpoint };
    if (this.failure !== undefined) return { state: 'stopped', ...at, error: reasonOf(this.failure) };
    if (this.stopping || this.running === undefined) return { state: 'stopped', ...at };
    if (this.unreachableSince !== undefined)
      return { state: 'reconnecting', ...at, since: new Date(this.unreachableSince).toISOString() };
    return { state: 'following', ...at };
  }

  /**
   * Refuses a write while the read model cannot follow it: the transaction would commit on the
   * ledger, and its caller would never see it answered (and retry it).
   */
  requireFollowing(): void {
    const { state, error } = this.state;
    if (state === 'stopped')
      throw new ProjectorStoppedError(
        `the read model has stopped${error === undefined ? '' : `: ${error}`}; nothing was submitted`,
      );
  }

  /** Events set aside because the database refused them (see `quarantine`), oldest first. */
  async quarantined(): Promise<QuarantinedEvent[]> {
    return (await quarantinedEvents(this.pool)).map((r) => ({
      blockNumber: Number(r.blockNumber),
      transactionId: r.transactionId,
      eventName: r.eventName,
      error: r.error,
      ...(r.errorCode === null ? {} : { errorCode: r.errorCode }),
      attempts: r.attempts,
      quarantinedAt: r.quarantinedAt.toISOString(),
      lastTriedAt: r.lastTriedAt.toISOString(),
    }));
  }

  /**
   * Writes the quarantined events again (after a fix: the projector does it when it starts, the
   * operator when asked). One that now fits leaves the quarantine; its records replace only older
   * versions, as the events after it are already written. One still refused stays, its attempt counted.
   */
  async retryQuarantined(): Promise<{ written: number; stillQuarantined: number }> {
    const rows = await quarantinedPayloads(this.pool);
    let written = 0;
    for (const row of rows) {
      const client = await batchConnection(this.pool);
      try {
        await beginBatch(client);
        try {
          await writeEvents(client, RETRIED_EVENT, [
            row.blockNumber,
            row.transactionId,
            row.eventName,
            decodeUtf8(row.payload),
          ]);
          await releaseQuarantined(client, row.blockNumber, row.transactionId);
          await commit(client);
          written++;
        } catch (error) {
          await rollback(client);
          if (!cannotHold(error)) throw error;
          await countQuarantineRetry(
            client,
            row.blockNumber,
            row.transactionId,
            storable(reasonOf(error)),
            (error as { code: string }).code,
          );
        }
      } finally {
        client.release();
      }
    }
    return { written, stillQuarantined: rows.length - written };
  }

  /** Takes the database's checkpoint as where the read model is (it may be behind the one in memory). */
  private async resumeFromStoredCheckpoint(): Promise<void> {
    const stored = await this.checkpoint();
    const memory = this.projected;
    if (stored === undefined || memory === undefined) {
      this.projected = stored;
    } else if (stored.blockNumber < memory.blockNumber || stored.transactionId !== memory.transactionId) {
      this.projected = stored;
      this.lastBlockTransactions.clear();
      this.lastBlockTransactions.add(stored.transactionId);
    }
    // What the lost batches wrote is written again: no record may skip its conflict probe.
    this.recordsWritten = undefined;
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
    if (this.failure !== undefined) throw new Error(`the projector stopped: ${reasonOf(this.failure)}`);
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
    for (const w of this.waiters.splice(0)) w.reject(new Error(`the projector stopped: ${reasonOf(error)}`));
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
        // The database going away is waited out (see followUntilStopped); anything else stops.
        if (databaseWentAway(error) && !this.stopping) this.interrupted ??= error;
        else this.fail(error);
        stream.close();
      });
      beforeLast = previous;
      last = { committed, connected, recordKeys: prepared?.recordKeys ?? new Set() };
      return settled(committed);
    };
    const untilState = { reached: false };
    try {
      await this.take(stream, untilState, (event) => {
        this.unreachableSince = undefined;
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
      throw this.takeInterruption() ?? error;
    }
    await flush();
    const interruption = this.takeInterruption();
    if (interruption !== undefined) throw interruption;
  }

  /** The database failure that ended the stream, if one did (once). */
  private takeInterruption(): Error | undefined {
    const interruption = this.interrupted;
    this.interrupted = undefined;
    return interruption === undefined || interruption instanceof Error
      ? interruption
      : new Error(reasonOf(interruption));
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
    const changes = this.onProjected === undefined ? undefined : ([] as (PoolChange | undefined)[]);
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
      changes?.push(outlineOf(event, text));
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
   * Writes a batch's events one at a time inside its transaction, each under a savepoint; an event
   * the database refuses is quarantined with its block, transaction and the error. Returns the
   * positions (in the batch) of the events quarantined.
   */
  private async writeEachApart(client: pg.PoolClient, batch: PreparedBatch): Promise<Set<number>> {
    const [blocks, transactions, names, texts] = batch.columns.map((column) => column.split('\n')) as [
      string[],
      string[],
      string[],
      string[],
    ];
    const quarantined = new Set<number>();
    for (let i = 0; i < batch.positions.length; i++) {
      const row = [blocks[i] ?? '', transactions[i] ?? '', names[i] ?? '', texts[i] ?? ''];
      try {
        await underSavepoint(client, () => writeEvents(client, ONE_EVENT, row));
      } catch (error) {
        if (!cannotHold(error)) throw error;
        await this.quarantine(client, row, error);
        quarantined.add(i);
      }
    }
    return quarantined;
  }

  /** Sets an event aside: its place, name, the payload's bytes as they came, and why it was refused. */
  private async quarantine(
    client: pg.PoolClient,
    [block, transaction, name, text]: string[],
    error: unknown,
  ) {
    const reason = reasonOf(error);
    console.error(
      `[projector] quarantined the event of transaction ${transaction} (block ${block}): ${reason}`,
    );
    await quarantineEvent(
      client,
      {
        blockNumber: block ?? '',
        transactionId: transaction ?? '',
        eventName: name ?? '',
        payload: text ?? '',
      },
      storable(reason),
      (error as { code: string }).code,
    );
  }

  /**
   * Writes a batch in one transaction: its events, its records and, once `previous` (the batch
   * before it) is committed, the checkpoint of its last event; then it commits. If the batch
   * before it failed, this one rolls back. `connected` is called once it holds its connection.
   */
  private async write(batch: PreparedBatch, previous: Promise<void>, connected: () => void): Promise<void> {
    const { positions, changes, columns } = batch;
    const client = await batchConnection(this.pool);
    connected();
    try {
      // A batch's commit waits for its WAL: without that, a database that crashed just after
      // acknowledging a batch, while the projector sat idle, came back without it and nothing told
      // the projector (3 events lost in a fault-suite run). A generic plan: the batch's columns are text whatever they hold, and a custom plan would
      // split them all while planning.
      await beginBatch(client);
      let quarantined: ReadonlySet<number> = new Set();
      try {
        await writeEvents(client, batch, columns);
      } catch (error) {
        if (!cannotHold(error)) throw error;
        // Some event holds what the database refuses: the batch again, one event at a time, each
        // refused one set aside with its place and reason; the others are written as usual.
        await rollback(client);
        await beginBatch(client);
        quarantined = await this.writeEachApart(client, batch);
      }
      // Commits go in ledger order: the checkpoint only ever names a point with everything before it written.
      await previous;
      const last = positions[positions.length - 1];
      if (last !== undefined) {
        await moveCheckpoint(client, last.blockNumber, last.transactionId);
      }
      await commit(client);
      if (changes !== undefined)
        changes.forEach((change, i) => {
          if (change !== undefined && !quarantined.has(i)) this.onProjected?.(change);
        });
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
      await rollback(client).catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  }
}
