import type { Page, Queryable } from './queryable.js';

/** The block of a transaction whose event the read model holds; undefined when it holds none. */
export async function blockOfTransaction(
  pool: Queryable,
  transactionId: string,
): Promise<number | undefined> {
  const { rows } = await pool.query<{ block_number: string }>(
    'SELECT block_number FROM ledger_event WHERE transaction_id = $1 LIMIT 1',
    [transactionId],
  );
  const row = rows[0];
  return row === undefined ? undefined : Number(row.block_number);
}

/** How many events the read model holds apart (see `Projector.quarantined`). */
export async function quarantinedCount(pool: Queryable): Promise<number> {
  const { rows } = await pool.query<{ n: number }>('SELECT count(*)::int AS n FROM quarantined_event');
  return rows[0]?.n ?? 0;
}

/** A ledger event as the explorer shows it: its transaction, actor, time and the records it changed. */
export interface LedgerEventRow {
  blockNumber: string;
  transactionId: string;
  eventName: string;
  actorMemberId: string | null;
  at: string | null;
  changes: { kind: string; id: string }[];
}

/** The events of one page of blocks, newest first. */
export async function ledgerEventsOfBlocks(db: Queryable, page: Page): Promise<LedgerEventRow[]> {
  const { rows } = await db.query<LedgerEventRow>(
    `WITH blocks AS (
       SELECT DISTINCT block_number FROM ledger_event
        ORDER BY block_number DESC LIMIT $1 OFFSET $2)
     SELECT e.block_number::text AS "blockNumber", e.transaction_id AS "transactionId",
            e.event_name AS "eventName", e.actor_member_id AS "actorMemberId", to_json(e.at)#>>'{}' AS at,
            coalesce((SELECT json_agg(json_build_object('kind', c->>'kind', 'id', c->>'id'))
                        FROM jsonb_array_elements(e.payload->'changes') c), '[]') AS changes
       FROM ledger_event e JOIN blocks b USING (block_number)
      ORDER BY e.block_number DESC, e.transaction_id`,
    [page.limit, page.offset],
  );
  return rows;
}

/**
 * The work orders among `ids` on which some factory sealed a bid: the read model holds each
 * `BidSealed` event, whose change names the private key `…/sealedbid/<work order>/<factory>` (the
 * bid itself stays in the bidder's collection).
 */
export async function workOrdersWithSealedBids(db: Queryable, ids: readonly string[]): Promise<Set<string>> {
  if (ids.length === 0) return new Set();
  const { rows } = await db.query<{ id: string }>(
    `SELECT w.id FROM unnest($1::text[]) AS w(id)
      WHERE EXISTS (
        SELECT 1 FROM ledger_event e, jsonb_array_elements(e.payload->'changes') c
         WHERE e.event_name = 'BidSealed' AND position('/sealedbid/' || w.id || '/' IN c->>'id') > 0)`,
    [ids],
  );
  return new Set(rows.map((r) => r.id));
}
