import type pg from 'pg';

/** What a repository reads and writes through: the pool, or one client inside a transaction. */
export type Queryable = Pick<pg.Pool, 'query'>;

/** A record as the read model keeps it: its ledger id and the chaincode's record. */
export interface Stored<T> {
  id: string;
  record: T;
}

/**
 * Who a read is for: `organisation` limits it to records that organisation is party to, and
 * `customerMemberId` to one customer's own orders (customers may share an organisation). Null
 * means no limit (operators and auditors).
 */
export interface ReadScope {
  organisation: string | null;
  customerMemberId: string | null;
}

/**
 * One page of a list that can grow: `limit` rows after the first `offset` (what a Relay
 * connection's offset cursors ask for). Every list is ordered with a unique last key, so pages do
 * not overlap.
 */
export interface Page {
  offset: number;
  limit: number;
}

/** The first `limit` rows: what callers outside the GraphQL connections read. */
export function firstRows(limit: number): Page {
  return { offset: 0, limit };
}
