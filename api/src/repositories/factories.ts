import type { Factory } from '@fabpool/chaincode/model';
import type { Queryable, Stored } from './queryable.js';

export async function allFactories(db: Queryable): Promise<Stored<Factory>[]> {
  const { rows } = await db.query<Stored<Factory>>(
    "SELECT id, record FROM record WHERE kind = 'Factory' ORDER BY id",
  );
  return rows;
}

export async function factoryById(db: Queryable, id: string): Promise<Stored<Factory> | undefined> {
  const { rows } = await db.query<Stored<Factory>>(
    "SELECT id, record FROM record WHERE kind = 'Factory' AND id = $1",
    [id],
  );
  return rows[0];
}

/** The ids of each organisation's factories. */
export async function factoryIdsOfOrganisations(
  db: Queryable,
  mspIds: readonly string[],
): Promise<Map<string, Set<string>>> {
  const { rows } = await db.query<{ id: string; msp: string }>(
    "SELECT id, record->>'mspId' AS msp FROM record WHERE kind = 'Factory' AND record->>'mspId' = ANY($1)",
    [mspIds],
  );
  const byOrganisation = new Map<string, Set<string>>();
  for (const { id, msp } of rows) byOrganisation.set(msp, (byOrganisation.get(msp) ?? new Set()).add(id));
  return byOrganisation;
}
