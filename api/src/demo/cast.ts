import type { LedgerMember } from '@fabpool/network';
import type { Queryable } from '../repositories/queryable.js';
import { peopleLogins } from '../repositories/accounts.js';
import { isPlayedByPerson } from './simulator.js';
import { companyName, partyNames } from '../graphql/partyNames.js';

/** One demo login as the login page lists it: who it is, and whether the simulator plays it now. */
export interface CastEntry {
  username: string;
  displayName: string;
  role: string;
  organisation: string;
  /** The organisation as people know it (a factory by its plants). */
  organisationName: string;
  /** A person is at work as it; or the simulator plays it (factories, customers); or nobody does. */
  playedBy: 'PERSON' | 'SIMULATOR' | 'NOBODY';
}

/** The roles the simulator plays: factories' planners and operators, customers. */
const SIMULATED_ROLES = new Set(['factory', 'customer']);

/**
 * The demo's cast: every login of this node, and who plays it now. A member someone is at work as
 * (or, for a factory, anyone of its organisation) is a person's; the other factories and customers
 * are the simulator's; operators, auditors and suppliers nobody's until someone logs in.
 */
export async function demoCast(
  db: Queryable,
  members: readonly LedgerMember[],
  people: ReadonlySet<string>,
): Promise<CastEntry[]> {
  const logins = await peopleLogins(db);
  const names = await partyNames(db);
  return logins.map((row) => {
    const organisation = members.find((m) => m.name === row.memberName)?.mspId ?? '';
    return {
      username: row.username,
      displayName: row.displayName,
      role: row.role,
      organisation,
      organisationName: companyName(names, organisation),
      playedBy: isPlayedByPerson(members, people, row.memberName)
        ? 'PERSON'
        : SIMULATED_ROLES.has(row.role)
          ? 'SIMULATOR'
          : 'NOBODY',
    };
  });
}
