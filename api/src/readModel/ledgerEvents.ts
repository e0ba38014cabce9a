import type pg from 'pg';

/** The block of a transaction whose event the read model holds; undefined when it holds none. */
export async function blockOfTransaction(pool: pg.Pool, transactionId: string): Promise<number | undefined> {
  const { rows } = await pool.query<{ block_number: string }>(
    'SELECT block_number FROM ledger_event WHERE transaction_id = $1 LIMIT 1',
    [transactionId],
  );
  const row = rows[0];
  return row === undefined ? undefined : Number(row.block_number);
}

/** How many events the read model holds apart (see `Projector.quarantined`). */
export async function quarantinedCount(pool: pg.Pool): Promise<number> {
  const { rows } = await pool.query<{ n: number }>('SELECT count(*)::int AS n FROM quarantined_event');
  return rows[0]?.n ?? 0;
}
