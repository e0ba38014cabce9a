import type { PartyNames } from '../documents/statementDocument.js';
import { everyMember } from '../repositories/members.js';
import { allRecordsOf } from '../repositories/records.js';
import type { ApiContext } from './context.js';

/** Members by display name, organisations by the names of their plants, from the read model. */
export async function partyNames(context: ApiContext): Promise<PartyNames> {
  const members = new Map((await everyMember(context.pool)).map((m) => [m.memberId, m.displayName]));
  const plants = new Map<string, string[]>();
  for (const { record } of await allRecordsOf(context.pool, 'Factory'))
    plants.set(record.mspId, [...(plants.get(record.mspId) ?? []), record.name]);
  return {
    member: (memberId) => members.get(memberId) ?? memberId,
    organisation: (mspId) => plants.get(mspId)?.join('、') ?? mspId,
  };
}
