import type { Capacity, Process } from '@fabpool/chaincode/model';
import type { Queryable } from './queryable.js';

/** Capacity an organisation's factories declared, by shift from `fromBucket` on (all when null). */
export async function capacityOfOrganisation(
  db: Queryable,
  mspId: string,
  fromBucket: string | null,
): Promise<Capacity[]> {
  const { rows } = await db.query<{ record: Capacity }>(
    `SELECT c.record FROM record c JOIN record f ON f.kind = 'Factory' AND f.id = c.record->>'factoryId'
      WHERE c.kind = 'Capacity' AND f.record->>'mspId' = $1 AND ($2::text IS NULL OR c.record->>'bucket' >= $2)
      ORDER BY c.record->>'bucket', c.id`,
    [mspId, fromBucket],
  );
  return rows.map((r) => r.record);
}

/** One cell of the load heat map: a factory's process in one shift. */
export interface LoadCell {
  factoryId: string;
  process: Process;
  bucket: string;
  declaredMinutes: number;
  assignedMinutes: number;
  /** What the factory last reported as its live load there (0 when it reported none). */
  loadMinutes: number;
}

/** The heat map from `from` on: of one organisation's factories, or all when null. */
export async function loadGrid(db: Queryable, from: Date, mspId: string | null): Promise<LoadCell[]> {
  const { rows } = await db.query<LoadCell>(
    `SELECT c.record->>'factoryId' AS "factoryId", c.record->>'process' AS process, c.record->>'bucket' AS bucket,
            (c.record->>'declaredMinutes')::int AS "declaredMinutes", (c.record->>'assignedMinutes')::int AS "assignedMinutes",
            coalesce(l.load_minutes, 0) AS "loadMinutes"
       FROM record c
       JOIN record f ON f.kind = 'Factory' AND f.id = c.record->>'factoryId'
       LEFT JOIN factory_load l ON l.factory_id = c.record->>'factoryId' AND l.process = c.record->>'process'
                               AND l.bucket = (c.record->>'bucket')::timestamptz
      WHERE c.kind = 'Capacity' AND (c.record->>'bucket')::timestamptz >= $1
        AND ($2::text IS NULL OR f.record->>'mspId' = $2)
      ORDER BY 1, 2, 3`,
    [from, mspId],
  );
  return rows;
}

/** Every shift's declared capacity of every factory. */
export async function allCapacity(db: Queryable): Promise<Capacity[]> {
  const { rows } = await db.query<{ record: Capacity }>(
    "SELECT record FROM record WHERE kind = 'Capacity' ORDER BY id",
  );
  return rows.map((r) => r.record);
}
