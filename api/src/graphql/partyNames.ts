import type { PartyNames } from '../documents/statementDocument.js';
import { everyMember } from '../repositories/members.js';
import { allRecordsOf } from '../repositories/records.js';
import type { Queryable } from '../repositories/queryable.js';

/** Members by display name, organisations by the names of their plants, from the read model. */
export async function partyNames(db: Queryable): Promise<PartyNames> {
  const members = new Map((await everyMember(db)).map((m) => [m.memberId, m.displayName]));
  const plants = new Map<string, string[]>();
  for (const { record } of await allRecordsOf(db, 'Factory'))
    plants.set(record.mspId, [...(plants.get(record.mspId) ?? []), record.name]);
  return {
    member: (memberId) => members.get(memberId) ?? memberId,
    organisation: (mspId) => plants.get(mspId)?.join('、') ?? mspId,
  };
}

/** A company as people know it: a factory by its plants; any other by its id without the MSP suffix. */
export function companyName(names: PartyNames, mspId: string): string {
  const name = names.organisation(mspId);
  return name === mspId ? mspId.replace(/MSP$/, '') : name;
}
