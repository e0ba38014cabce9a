import type { Ledger } from '@fabpool/network';
import type pg from 'pg';
import { createUser } from '../auth/users.js';

/** One login per ledger identity, named after it (`customer-1`, `factory-a-user`, …), with one password. */
export async function createMemberAccounts(
  pool: pg.Pool,
  ledger: Ledger,
  password: string,
): Promise<string[]> {
  const names: string[] = [];
  for (const member of ledger.members()) {
    await createUser(pool, {
      username: member.name,
      password,
      memberName: member.name,
      role: member.role,
      displayName: member.displayName,
    });
    names.push(member.name);
  }
  return names;
}
