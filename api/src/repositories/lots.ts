import type {
  Custody,
  Lot,
  OperationException,
  OperationProgress,
  WorkOrder,
} from '@fabpool/chaincode/model';
import { firstRows, type Page, type Queryable, type Stored } from './queryable.js';

/** Statuses of a lot that no longer holds a place: turned down, moved, or cancelled. */
const GONE = ['REJECTED', 'REASSIGNED', 'CANCELLED'];

export async function lotById(db: Queryable, id: string): Promise<Stored<Lot> | undefined> {
  const { rows } = await db.query<Stored<Lot>>(
    "SELECT id, record FROM record WHERE kind = 'Lot' AND id = $1",
    [id],
  );
  return rows[0];
}

/** The lots of each of the work orders, by id. */
export async function lotsOfWorkOrders(
  db: Queryable,
  workOrderIds: readonly string[],
): Promise<Map<string, Stored<Lot>[]>> {
  const { rows } = await db.query<Stored<Lot>>(
    "SELECT id, record FROM record WHERE kind = 'Lot' AND record->>'workOrderId' = ANY($1) ORDER BY id",
    [workOrderIds],
  );
  const byOrder = new Map<string, Stored<Lot>[]>();
  for (const row of rows)
    byOrder.set(row.record.workOrderId, [...(byOrder.get(row.record.workOrderId) ?? []), row]);
  return byOrder;
}

/**
 * Lots assigned to an organisation's factories that still wait for its decision (deadline not
 * passed): rush orders' first (插单 is decided before anything else), then the most urgent; of one
 * work order when given.
 */
export async function lotsAwaitingDecision(
  db: Queryable,
  factoryMspId: string,
  workOrderId: string | null,
  page: Page = firstRows(500),
): Promise<Stored<Lot>[]> {
  const { rows } = await db.query<Stored<Lot>>(
    `SELECT l.id, l.record FROM record l
       LEFT JOIN record w ON w.kind = 'WorkOrder' AND w.id = l.record->>'workOrderId'
      WHERE l.kind = 'Lot' AND l.record->>'status' = 'ASSIGNED' AND l.record->>'factoryMspId' = $1
        AND (l.record->>'acceptBy')::timestamptz > now()
        AND ($2::text IS NULL OR l.record->>'workOrderId' = $2)
      ORDER BY COALESCE(w.record->>'priority' = 'RUSH', false) DESC, l.record->>'acceptBy', l.id LIMIT $3 OFFSET $4`,
    [factoryMspId, workOrderId, page.limit, page.offset],
  );
  return rows;
}

/**
 * The lots holding a place in the shifts, by shift and factory, at most 2,000: of one
 * organisation's factories, or one customer's orders, when given.
 */
export async function lotsInShifts(
  db: Queryable,
  buckets: readonly string[],
  factoryMspId: string | null,
  customerMemberId: string | null,
): Promise<Stored<Lot>[]> {
  const { rows } = await db.query<Stored<Lot>>(
    `SELECT l.id, l.record FROM record l
      WHERE l.kind = 'Lot' AND l.record->>'bucket' = ANY($1) AND NOT (l.record->>'status' = ANY($4))
        AND ($2::text IS NULL OR l.record->>'factoryMspId' = $2)
        AND ($3::text IS NULL OR EXISTS (
          SELECT 1 FROM record w WHERE w.kind = 'WorkOrder' AND w.id = l.record->>'workOrderId'
             AND w.record->>'customerMemberId' = $3))
      ORDER BY l.record->>'bucket', l.record->>'factoryId', l.id LIMIT 2000`,
    [buckets, factoryMspId, customerMemberId, GONE],
  );
  return rows;
}

/** A lot at a factory's desk: the lot and its work order's part number. */
export type DeskLot = Lot & { partNumber: string | null };

/** Lots at an organisation's factories in the statuses (all when null), by shift. */
export async function lotsAtFactoriesOf(
  db: Queryable,
  factoryMspId: string,
  statuses: readonly string[] | null,
  page: Page = firstRows(500),
): Promise<DeskLot[]> {
  const { rows } = await db.query<{ record: DeskLot }>(
    `SELECT l.record || jsonb_build_object('partNumber', w.record->>'partNumber') AS record
       FROM record l LEFT JOIN record w ON w.kind = 'WorkOrder' AND w.id = l.record->>'workOrderId'
      WHERE l.kind = 'Lot' AND l.record->>'factoryMspId' = $1 AND ($2::text[] IS NULL OR l.record->>'status' = ANY($2))
      ORDER BY l.record->>'bucket', l.id LIMIT $3 OFFSET $4`,
    [factoryMspId, statuses, page.limit, page.offset],
  );
  return rows.map((r) => r.record);
}

/** What the shop floor reads about one lot: the lot, its work order, its progress and exceptions. */
export interface LotOnTheFloor {
  lot: Lot;
  workOrder: WorkOrder | undefined;
  progress: OperationProgress[];
  exceptions: OperationException[];
  /** Who holds the lot's units, and any hand-over on its way. */
  custody: Custody | undefined;
}

export async function lotOnTheFloor(db: Queryable, lotId: string): Promise<LotOnTheFloor | undefined> {
  const { rows } = await db.query<{ kind: string; record: unknown }>(
    `SELECT kind, record FROM record
      WHERE (kind IN ('Lot', 'Custody') AND id = $1)
         OR (kind IN ('OperationProgress', 'OperationException') AND record->>'lotId' = $1)
         OR (kind = 'WorkOrder' AND id = (SELECT record->>'workOrderId' FROM record WHERE kind = 'Lot' AND id = $1))
      ORDER BY kind, id`,
    [lotId],
  );
  const ofKind = <T>(kind: string): T[] => rows.filter((r) => r.kind === kind).map((r) => r.record as T);
  const lot = ofKind<Lot>('Lot')[0];
  if (lot === undefined) return undefined;
  return {
    lot,
    workOrder: ofKind<WorkOrder>('WorkOrder')[0],
    progress: ofKind<OperationProgress>('OperationProgress'),
    exceptions: ofKind<OperationException>('OperationException'),
    custody: ofKind<Custody>('Custody')[0],
  };
}

/** Lots that hold minutes at their factory: assigned and not turned down, moved or cancelled; by id. */
export async function lotsHoldingCapacity(db: Queryable): Promise<Stored<Lot>[]> {
  const { rows } = await db.query<Stored<Lot>>(
    `SELECT id, record FROM record WHERE kind = 'Lot'
       AND record->>'status' IN ('ASSIGNED', 'ACCEPTED', 'IN_PROGRESS', 'DONE', 'DELIVERED', 'SETTLED') ORDER BY id`,
  );
  return rows;
}

/** The factories that turned down a lot of each work order (the matcher avoids them for it). */
export async function factoriesThatRefused(db: Queryable): Promise<Map<string, string[]>> {
  const { rows } = await db.query<{ wo: string; factory: string }>(
    `SELECT DISTINCT record->>'workOrderId' AS wo, record->>'factoryId' AS factory FROM record
      WHERE kind = 'Lot' AND record->>'status' = 'REJECTED' ORDER BY 1, 2`,
  );
  const refusedBy = new Map<string, string[]>();
  for (const r of rows) refusedBy.set(r.wo, [...(refusedBy.get(r.wo) ?? []), r.factory]);
  return refusedBy;
}
