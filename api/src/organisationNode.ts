import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { readOrganisationNodeFile, type OrganisationNodeFile } from '@fabpool/network';
import { otpauthUri } from './auth/totp.js';
import { createMemberAccounts, type MemberAccount } from './demo/accounts.js';
import { startApi, type RunningApi, type StartOptions } from './server.js';
import { accountCount } from './repositories/accounts.js';

export interface RunningNode {
  node: OrganisationNodeFile;
  api: RunningApi;
  /** Whether this node runs the alliance's matcher (only the operator's node holds its identity). */
  runsMatcher: boolean;
  /** Its members' accounts, with the one-time-code secrets of those who need one. */
  accounts: MemberAccount[];
  close(): Promise<void>;
}

/**
 * One organisation's node (`fabpool node`): its api and its own read model, on the Fabric network,
 * holding only its own organisation's keys (its node directory's connection description lists its
 * members alone, so it can sign for nobody else). Its members log in here; the matcher runs only on
 * the node that holds the operator's matcher identity. On first start it creates its members'
 * accounts with `password` (their one-time-code secrets in its data directory).
 */
export async function startOrganisationNode(
  nodePath: string,
  options: {
    password: string;
    port?: number;
    /** Another place for its read model and accounts than its node directory's (tests use a scratch one). */
    dataDir?: string;
    /**
     * Another address than its node file's: a node started in a process on the host (the demo's
     * `npm start -- --fabric`, the tests) cannot listen on its namespace's address.
     */
    host?: string;
  } & Pick<StartOptions, 'log' | 'matcher' | 'alerts'>,
): Promise<RunningNode> {
  const read = await readOrganisationNodeFile(nodePath);
  const node = options.dataDir === undefined ? read : { ...read, dataDir: options.dataDir };
  const api = await startApi({
    engine: 'fabric',
    connection: node.connection,
    nodeDirectory: node.directory,
    dataDir: node.dataDir,
    host: options.host ?? node.api.host,
    port: options.port ?? node.api.port,
    graphiql: true,
    ...(options.log === undefined ? {} : { log: options.log }),
    ...(options.matcher === undefined ? {} : { matcher: options.matcher }),
    ...(options.alerts === undefined ? {} : { alerts: options.alerts }),
  });
  try {
    const authenticators = join(node.dataDir, 'authenticators.tsv');
    if ((await accountCount(api.database.pool)) === 0) {
      const created = await createMemberAccounts(api.database.pool, api.ledger, options.password);
      const secrets = created
        .filter((a) => a.totpSecret !== undefined)
        .map((a) => `${a.username}\t${a.totpSecret ?? ''}\t${otpauthUri(a.totpSecret ?? '', a.username)}`);
      await writeFile(authenticators, `${secrets.join('\n')}\n`, { mode: 0o600 });
    }
    const secrets = new Map(
      (await readFile(authenticators, 'utf8'))
        .split('\n')
        .map((line) => line.split('\t'))
        .filter((fields) => fields.length >= 2)
        .map(([username, secret]) => [username, secret]),
    );
    const accounts = api.ledger.members().map((m) => {
      const totpSecret = secrets.get(m.name);
      return totpSecret === undefined
        ? { username: m.name, role: m.role }
        : { username: m.name, role: m.role, totpSecret };
    });
    const runsMatcher = api.ledger.members().some((m) => m.name === 'matcher');
    if (runsMatcher) api.matcher.start();
    api.alerts.start();
    api.notifications.start();
    return { node, api, runsMatcher, accounts, close: () => api.close() };
  } catch (error) {
    await api.close();
    throw error;
  }
}
