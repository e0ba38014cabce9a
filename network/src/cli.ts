import { readFile } from 'node:fs/promises';
import { addFactory } from './addFactory.js';
import { ensureBinaries, ensureCaBinaries } from './binaries.js';
import { NetworkError } from './errors.js';
import { down, status, up } from './network.js';
import { runtimePaths } from './paths.js';

const USAGE = `usage: node network/dist/cli.js <command>
  build                 build the Fabric and Fabric CA binaries from their pinned Go modules (if a pin changed)
  up [--orderers 1|3] [--namespaces]
                        start the network, or reuse/recover it; --namespaces (root) runs each
                        organisation's node in its own network namespace on a private link
  down [--clean]        stop what up started; --clean also deletes all network data
  add-factory <Name>    add a factory organisation (e.g. FactoryC) to the running network
  status                list the network's processes
  info                  print how to reach the running network`;

async function upCommand(rest: string[]): Promise<void> {
  const flag = rest.indexOf('--orderers');
  const value = flag >= 0 ? rest[flag + 1] : undefined;
  if (value !== undefined && value !== '1' && value !== '3')
    throw new NetworkError(`--orderers ${value}`, 'use --orderers 1 or --orderers 3');
  await up({
    ...(value === undefined ? {} : { orderers: value === '3' ? 3 : 1 }),
    ...(rest.includes('--namespaces') ? { namespaces: true } : {}),
  });
}

async function addFactoryCommand(rest: string[]): Promise<void> {
  const name = rest[0];
  if (name === undefined)
    throw new NetworkError(
      'add-factory needs the organisation name',
      'npm run network:add-factory -- FactoryC',
    );
  await addFactory(name);
}

async function statusCommand(): Promise<void> {
  const processes = await status();
  if (processes.length === 0) console.log('No network has been created (npm run network:up).');
  for (const p of processes)
    console.log(`${p.pid === undefined ? 'stopped' : `running (pid ${p.pid})`}\t${p.name}`);
}

async function infoCommand(): Promise<void> {
  const description = JSON.parse(await readFile(runtimePaths.connection, 'utf8')) as {
    channel: string;
    peers: { org: string; endpoint: string }[];
    members: { name: string; role: string }[];
  };
  console.log(`\nfabpool's Fabric network is running (channel '${description.channel}').`);
  for (const p of description.peers) console.log(`  peer of ${p.org.padEnd(9)} ${p.endpoint}`);
  console.log(`  identities: ${description.members.map((m) => `${m.name} (${m.role})`).join(', ')}`);
  console.log(`  connection description: ${runtimePaths.connection}`);
  console.log('  stop it with: npm run network:down   (add -- --clean to delete its data)');
}

const COMMANDS: Record<string, (rest: string[]) => Promise<void>> = {
  build: async () => {
    await ensureBinaries();
    await ensureCaBinaries();
    console.log('Fabric and Fabric CA binaries are current.');
  },
  up: upCommand,
  'add-factory': addFactoryCommand,
  down: (rest) => down({ clean: rest.includes('--clean') }),
  status: statusCommand,
  info: infoCommand,
};

async function main(argv: string[]): Promise<void> {
  const [command, ...rest] = argv;
  const run = command === undefined ? undefined : COMMANDS[command];
  if (run !== undefined) {
    await run(rest);
    return;
  }
  console.log(USAGE);
  if (command !== undefined && command !== 'help') process.exitCode = 2;
}

main(process.argv.slice(2)).catch((error: unknown) => {
  console.error(error instanceof NetworkError ? `fabpool network: ${error.message}` : error);
  process.exitCode = 1;
});
