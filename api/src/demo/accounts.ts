import type { Ledger } from '@fabpool/network';
import type pg from 'pg';
import { SECOND_FACTOR_ROLES, type Role } from '../auth/tokens.js';
import { newTotpSecret } from '../auth/totp.js';
import { createUser, enrolTotp } from '../auth/users.js';

export interface MemberAccount {
  username: string;
  role: Role;
  /** For roles that need a second factor: the authenticator secret (base32) it was enrolled with. */
  totpSecret?: string;
}

/**
 * One login per ledger identity, named after it (`customer-1`, `factory-a-user`, …), with one
 * password; operator and auditor accounts are enrolled with an authenticator secret at once.
 */
export async function createMemberAccounts(
  pool: pg.Pool,
  ledger: Ledger,
  password: string,
): Promise<MemberAccount[]> {
  const accounts: MemberAccount[] = [];
  for (const member of ledger.members()) {
    await createUser(pool, {
      username: member.name,
      password,
      memberName: member.name,
      role: member.role,
      displayName: member.displayName,
    });
    if (SECOND_FACTOR_ROLES.includes(member.role)) {
      const totpSecret = newTotpSecret();
      await enrolTotp(pool, member.name, totpSecret);
      accounts.push({ username: member.name, role: member.role, totpSecret });
    } else accounts.push({ username: member.name, role: member.role });
  }
  return accounts;
}
