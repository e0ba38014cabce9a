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

/** Logs each member in to the api at `url` and keeps its access token, by member name. */
export async function accessTokens(
  url: string,
  accounts: readonly MemberAccount[],
  members: readonly string[],
  password: string,
): Promise<Map<string, string>> {
  const tokens = new Map<string, string>();
  for (const member of members) {
    const response = await fetch(`${url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: LOGIN_MUTATION, variables: loginVariables(accounts, member, password) }),
    });
    const body = (await response.json()) as { data: { login: { accessToken: string } } };
    tokens.set(member, body.data.login.accessToken);
  }
  return tokens;
}
