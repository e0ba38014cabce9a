import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startOrganisationNode, type MemberAccount, type RunningNode } from '@fabpool/api';
import { RUNTIME_DIR } from '@fabpool/network';
import { LOGIN_MUTATION, loginVariables } from './accounts.js';
import { graphqlClient, requestInputOf } from './graphqlClient.js';

/** GraphQL as members logged in to an api: `ok` fails on any error, `mutate` answers a write's result. */
export interface Members {
  gql: (
    member: string,
    query: string,
    variables?: object,
  ) => ReturnType<ReturnType<typeof graphqlClient>['gql']>;
  ok: (member: string, query: string, variables?: object) => Promise<Record<string, unknown>>;
  mutate: (member: string, name: string, request: object) => Promise<Record<string, unknown>>;
}

/** Logs each member in to the api at `urlOf(member)` with its account's password (and one-time code). */
export async function logIn(
  logins: { member: string; url: string; accounts: readonly MemberAccount[] }[],
  password: string,
): Promise<Members> {
  const tokens = new Map<string, string>();
  const clients = new Map<string, ReturnType<typeof graphqlClient>>();
  for (const { member, url, accounts } of logins) {
    const client = graphqlClient(() => url, tokens);
    const login = await client.gql(LOGIN_MUTATION, loginVariables(accounts, member, password), member);
    const token = (login.data?.login as { accessToken?: string } | null)?.accessToken;
    if (token === undefined)
      throw new Error(`${member} could not log in at ${url}: ${JSON.stringify(login.errors)}`);
    tokens.set(member, token);
    clients.set(member, client);
  }
  const as = (member: string) => {
    const client = clients.get(member);
    if (client === undefined) throw new Error(`${member} is not logged in`);
    return client;
  };
  const ok = (member: string, query: string, variables: object = {}) =>
    as(member).ok(query, variables, member);
  return {
    gql: (member, query, variables = {}) => as(member).gql(query, variables, member),
    ok,
    mutate: async (member, name, request) =>
      (
        (await ok(
          member,
          `mutation($r: ${requestInputOf(name)}!) { ${name}(request: $r) { receipt { result } userErrors { code message } } }`,
          {
            r: request,
          },
        )) as Record<string, { receipt: { result: Record<string, unknown> } | null } | undefined>
      )[name]?.receipt?.result ?? {},
  };
}

/**
 * The nodes of the organisations `home` names, each started from its node directory on the running
 * network with its read model and accounts in a scratch directory (the nodes' own stay as
 * `npm start -- --fabric` left them), and each member logged in to its own organisation's node.
 */
export async function openOrganisationNodes(
  home: Record<string, string>,
  password: string,
): Promise<{ nodes: Map<string, RunningNode>; members: Members; close: () => Promise<void> }> {
  const scratch = await mkdtemp(join(tmpdir(), 'fabpool-nodes-'));
  const nodes = new Map<string, RunningNode>();
  const close = async () => {
    for (const node of nodes.values()) await node.close();
    await rm(scratch, { recursive: true, force: true });
  };
  try {
    for (const organisation of new Set(Object.values(home)))
      nodes.set(
        organisation,
        await startOrganisationNode(join(RUNTIME_DIR, 'nodes', organisation), {
          password,
          // In this test process, on the host: `npm run node` runs a node in its own namespace
          // (tests/integration/nodeProcess.test.ts).
          host: '127.0.0.1',
          port: 0,
          dataDir: join(scratch, organisation),
        }),
      );
    const logins = Object.entries(home).map(([member, organisation]) => {
      const node = nodes.get(organisation);
      if (node === undefined) throw new Error(`no node ${organisation}`);
      return { member, url: node.api.url, accounts: node.accounts };
    });
    return { nodes, members: await logIn(logins, password), close };
  } catch (error) {
    await close();
    throw error;
  }
}
