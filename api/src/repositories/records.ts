import type {
  AssignmentRun,
  Bid,
  Capacity,
  CapacityQuota,
  Custody,
  Factory,
  HandOver,
  Lot,
  OperationException,
  OperationProgress,
  QuotaPayment,
  Settlement,
  Statement,
  WorkOrder,
} from '@fabpool/chaincode/model';
import type { Queryable, Stored } from './queryable.js';

/** The chaincode's record type of each kind the read model keeps whole. */
export interface RecordOfKind {
  Factory: Factory;
  Capacity: Capacity;
  CapacityQuota: CapacityQuota;
  QuotaPayment: QuotaPayment;
  WorkOrder: WorkOrder;
  Lot: Lot;
  AssignmentRun: AssignmentRun;
  Custody: Custody;
  HandOver: HandOver;
  OperationProgress: OperationProgress;
  OperationException: OperationException;
  Settlement: Settlement;
  Statement: Statement;
  Bid: Bid;
}

/**
 * Every record of one kind, by id: for readers that go over all of them (the analytics page, the
 * demo's simulated people). A reader of a few asks the kind's own repository.
 */
export async function allRecordsOf<K extends keyof RecordOfKind>(
  db: Queryable,
  kind: K,
): Promise<Stored<RecordOfKind[K]>[]> {
  const { rows } = await db.query<Stored<RecordOfKind[K]>>(
    'SELECT id, record FROM record WHERE kind = $1 ORDER BY id',
    [kind],
  );
  return rows;
}

/** How many records of one kind the read model holds. */
export async function countOf(db: Queryable, kind: keyof RecordOfKind): Promise<number> {
  const { rows } = await db.query<{ n: string }>('SELECT count(*) AS n FROM record WHERE kind = $1', [kind]);
  return Number(rows[0]?.n ?? 0);
}

/** The records of one kind with these ids (those the read model holds), by id. */
export async function recordsByIds<K extends keyof RecordOfKind>(
  db: Queryable,
  kind: K,
  ids: readonly string[],
): Promise<RecordOfKind[K][]> {
  const { rows } = await db.query<{ record: RecordOfKind[K] }>(
    'SELECT record FROM record WHERE kind = $1 AND id = ANY($2) ORDER BY id',
    [kind, ids],
  );
  return rows.map((r) => r.record);
}

/** The latest assignment runs on the ledger, newest first: what an auditor picks one to replay from. */
export async function latestAssignmentRuns(db: Queryable, limit: number): Promise<AssignmentRun[]> {
  const { rows } = await db.query<{ record: AssignmentRun }>(
    "SELECT record FROM record WHERE kind = 'AssignmentRun' ORDER BY record->>'recordedAt' DESC, id DESC LIMIT $1",
    [limit],
  );
  return rows.map((r) => r.record);
}
