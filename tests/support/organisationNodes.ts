import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { MemberAccount } from '@fabpool/api';
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

/** One organisation's node as its members reach it: its address, its logins, whether it plans. */
export interface NodeProcess {
  organisation: string;
  url: string;
  accounts: MemberAccount[];
  runsMatcher: boolean;
  /** Where its read model and accounts are (its one-time-code secrets among them). */
  dataDir: string;
}

/**
 * Starts one organisation's node as a company runs it, `npm run node` in a process of its own
 * (inside its organisation's network namespace, on its own address, when the network has them),
 * its read model and accounts in `dataDir`; resolves once it listens, with what it printed.
 */
export async function startNodeProcess(
  organisation: string,
  dataDir: string,
  password: string,
): Promise<NodeProcess & { close: () => Promise<number | null> }> {
  const child = spawn(
    process.execPath,
    ['api/dist/nodeMain.js', join(RUNTIME_DIR, 'nodes', organisation), '--data-dir', dataDir],
    { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, FABPOOL_DEMO_PASSWORD: password } },
  );
  const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
  /** Stops it as Ctrl-C would; resolves with its exit code. */
  const close = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    return exited;
  };
  let output = '';
  const printed = await new Promise<RegExpExecArray>((resolve, reject) => {
    const seen = (chunk: Buffer) => {
      output += chunk.toString();
      const done = /: (http:\/\/\S+?)\/?\n.*members who log in here \(password [^)]*\): ([^\n]*)\n/s.exec(
        output,
      );
      if (done !== null) resolve(done);
    };
    child.stdout.on('data', seen);
    child.stderr.on('data', seen);
    void exited.then((code) => {
      reject(new Error(`${organisation}'s node exited (${String(code)}) before it listened:\n${output}`));
    });
  });
  const [, url = '', logins = ''] = printed;
  const secrets = new Map(
    (await readFile(join(dataDir, 'authenticators.tsv'), 'utf8'))
      .split('\n')
      .map((line) => line.split('\t'))
      .filter((fields) => fields.length >= 2)
      .map(([username, secret]) => [username, secret]),
  );
  const accounts = [...logins.matchAll(/([\w-]+) \((\w+)\)/g)].map(([, username = '', role = '']) => {
    const totpSecret = secrets.get(username);
    return {
      username,
      role: role as MemberAccount['role'],
      ...(totpSecret === undefined ? {} : { totpSecret }),
    };
  });
  return {
    organisation,
    url,
    accounts,
    runsMatcher: logins.includes('this node runs the matcher'),
    dataDir,
    close,
  };
}

/**
 * The nodes of the organisations `home` names, each started from its node directory on the running
 * network as its own process (startNodeProcess) with its read model and accounts in a scratch
 * directory (the nodes' own stay as `npm start -- --fabric` left them), and each member logged in
 * to its own organisation's node.
 */
export async function openOrganisationNodes(
  home: Record<string, string>,
  password: string,
): Promise<{ nodes: Map<string, NodeProcess>; members: Members; close: () => Promise<void> }> {
  const scratch = await mkdtemp(join(tmpdir(), 'fabpool-nodes-'));
  const nodes = new Map<string, NodeProcess & { close: () => Promise<unknown> }>();
  const close = async () => {
    for (const node of nodes.values()) await node.close();
    await rm(scratch, { recursive: true, force: true });
  };
  try {
    for (const organisation of new Set(Object.values(home)))
      nodes.set(organisation, await startNodeProcess(organisation, join(scratch, organisation), password));
    const logins = Object.entries(home).map(([member, organisation]) => {
      const node = nodes.get(organisation);
      if (node === undefined) throw new Error(`no node ${organisation}`);
      return { member, url: node.url, accounts: node.accounts };
    });
    return { nodes, members: await logIn(logins, password), close };
  } catch (error) {
    await close();
    throw error;
  }
}
