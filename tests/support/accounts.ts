import { totpNow, type MemberAccount } from '@fabpool/api';

/** The login mutation with the one-time code an account's authenticator would show now. */
export const LOGIN_MUTATION =
  'mutation($u: String!, $p: String!, $t: String) { login(username: $u, password: $p, totp: $t) { accessToken refreshToken } }';

export function loginVariables(
  accounts: readonly MemberAccount[],
  username: string,
  password: string,
): { u: string; p: string; t: string | null } {
  const secret = accounts.find((a) => a.username === username)?.totpSecret;
  return { u: username, p: password, t: secret === undefined ? null : totpNow(secret) };
}
