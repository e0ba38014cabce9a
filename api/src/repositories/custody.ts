import type { Custody, HandOver } from '@fabpool/chaincode/model';
import { firstRows, type Page, type Queryable, type ReadScope } from './queryable.js';

/** Who holds a live lot's goods, with the lot's state and parties beside it, and where its goods go next. */
export type CustodyPosition = Custody & {
  lotStatus: string;
  factoryMspId: string;
  customerMspId: string;
  lotQuantity: number;
  doneQuantity: number | null;
  /** Whether the lot's last operation is the routing's last: its goods go back to the customer. */
  lastOperation: boolean;
  /** Accepted, not yet started lots of the next operation, which this lot's good units feed. */
  nextLots: NextLot[];
};

/** A downstream lot and the units it still takes. */
export interface NextLot {
  lotId: string;
  factoryId: string;
  factoryMspId: string;
  room: number;
}

/**
 * The live lots' custody the scope is party to (as holder, or as receiver of an offer), latest
 * change first.
 */
export async function custodyPositions(
  db: Queryable,
  scope: ReadScope,
  page: Page = firstRows(500),
): Promise<CustodyPosition[]> {
  const { rows } = await db.query<{ record: CustodyPosition }>(
    `SELECT c.record || jsonb_build_object(
              'lotStatus', l.record->>'status', 'factoryMspId', l.record->>'factoryMspId',
              'customerMspId', w.record->>'customerMspId', 'lotQuantity', (l.record->>'quantity')::int,
              'doneQuantity', (l.record->>'doneQuantity')::int,
              'lastOperation', (l.record->>'toSeq')::int >= (
                SELECT max((op->>'seq')::int) FROM jsonb_array_elements(w.record->'routing') op),
              'nextLots', COALESCE((
                SELECT jsonb_agg(jsonb_build_object(
                         'lotId', n.id, 'factoryId', n.record->>'factoryId',
                         'factoryMspId', n.record->>'factoryMspId',
                         'room', (n.record->>'quantity')::int - COALESCE((nc.record->>'quantity')::int, 0))
                         ORDER BY n.id)
                  FROM record n
                  LEFT JOIN record nc ON nc.kind = 'Custody' AND nc.id = n.id
                 WHERE n.kind = 'Lot' AND n.record->>'workOrderId' = l.record->>'workOrderId'
                   AND (n.record->>'fromSeq')::int = (l.record->>'toSeq')::int + 1
                   AND n.record->>'status' = 'ACCEPTED'), '[]'::jsonb)) AS record
         FROM record c
         JOIN record l ON l.kind = 'Lot' AND l.id = c.id
         JOIN record w ON w.kind = 'WorkOrder' AND w.id = l.record->>'workOrderId'
        WHERE c.kind = 'Custody' AND l.record->>'status' NOT IN ('REJECTED', 'REASSIGNED', 'CANCELLED')
          AND ($1::text IS NULL OR c.record->>'holderMspId' = $1 OR c.record->'offer'->>'toMspId' = $1)
          AND ($2::text IS NULL OR w.record->>'customerMemberId' = $2)
        ORDER BY c.record->>'updatedAt' DESC, c.id LIMIT $3 OFFSET $4`,
    [scope.organisation, scope.customerMemberId, page.limit, page.offset],
  );
  return rows.map((r) => r.record);
}

/** Confirmed hand-overs the scope sent or received, newest first. */
export async function confirmedHandOvers(
  db: Queryable,
  scope: ReadScope,
  page: Page = firstRows(200),
): Promise<HandOver[]> {
  const { rows } = await db.query<{ record: HandOver }>(
    `SELECT h.record FROM record h
      WHERE h.kind = 'HandOver' AND ($1::text IS NULL OR h.record->>'fromMspId' = $1 OR h.record->>'toMspId' = $1)
        AND ($2::text IS NULL OR EXISTS (
          SELECT 1 FROM record w WHERE w.kind = 'WorkOrder' AND w.id = h.record->>'workOrderId'
             AND w.record->>'customerMemberId' = $2))
      ORDER BY h.record->>'confirmedAt' DESC, h.id LIMIT $3 OFFSET $4`,
    [scope.organisation, scope.customerMemberId, page.limit, page.offset],
  );
  return rows.map((r) => r.record);
}
