import { createHash } from 'node:crypto';
import { copyFile, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { NetworkError } from './errors.js';
import { exists } from './files.js';
import { CommandError, run } from './exec.js';
import { BIN_DIR, CA_GO_MODULE_DIR, GO_MODULE_DIR } from './paths.js';

/** The Fabric release the Go module pins (network/fabric/go.mod): v2.5.9, the 2.5 LTS line. */
export const FABRIC_VERSION = '2.5.9';
const FABRIC_MODULE = 'github.com/hyperledger/fabric';
export const FABRIC_COMMANDS = [
  'peer',
  'orderer',
  'configtxgen',
  'cryptogen',
  'osnadmin',
  'configtxlator',
] as const;
export type FabricCommand = (typeof FABRIC_COMMANDS)[number];
/** Bump when the way binaries are built changes, so that a warm machine rebuilds them. */
const RECIPE = 'fabpool-fabric-build-1';
const MIN_GO = [1, 24] as const;

export function fabricBinary(command: FabricCommand): string {
  return join(BIN_DIR, command);
}

/** Fabric's own default core.yaml/orderer.yaml, copied from the pinned module at build time. */
export const SAMPLE_CONFIG_DIR = join(BIN_DIR, 'sampleconfig');

async function currentPin(moduleDir = GO_MODULE_DIR): Promise<string> {
  const hash = createHash('sha256').update(RECIPE);
  for (const file of ['go.mod', 'go.sum']) hash.update(await readFile(join(moduleDir, file)));
  return hash.digest('hex');
}

/** Go's module settings for this build: only the module proxy, and go.sum as the source of truth. */
function goEnv(): NodeJS.ProcessEnv {
  return {
    ...process.env,
    // sum.golang.org does not answer for Fabric's pseudo-versions here; the committed go.sum pins every hash.
    GONOSUMDB: 'github.com/hyperledger/*',
    GOFLAGS: '-mod=readonly -buildvcs=false',
  };
}

export async function checkGo(): Promise<string> {
  let version: string;
  try {
    version = (await run('go', ['env', 'GOVERSION'], { timeoutMs: 30_000 })).stdout.trim();
  } catch (error) {
    if (error instanceof NetworkError) {
      throw new NetworkError(
        'Go is not installed, and the Fabric binaries are built from source with it',
        `install Go ${MIN_GO.join('.')} or newer (https://go.dev/doc/install, or Debian's golang package if new enough) and put it on PATH`,
      );
    }
    throw error;
  }
  const match = /^go(\d+)\.(\d+)/.exec(version);
  const major = Number(match?.[1] ?? 0);
  const minor = Number(match?.[2] ?? 0);
  if (major < MIN_GO[0] || (major === MIN_GO[0] && minor < MIN_GO[1])) {
    throw new NetworkError(
      `Go ${version} is too old to build Fabric ${FABRIC_VERSION}`,
      `install Go ${MIN_GO.join('.')} or newer`,
    );
  }
  return version;
}

export async function binariesAreCurrent(): Promise<boolean> {
  const pinFile = join(BIN_DIR, '.pin');
  if (!(await exists(pinFile))) return false;
  if ((await readFile(pinFile, 'utf8')).trim() !== (await currentPin())) return false;
  for (const command of FABRIC_COMMANDS) if (!(await exists(fabricBinary(command)))) return false;
  return exists(join(SAMPLE_CONFIG_DIR, 'core.yaml'));
}

/**
 * Builds the Fabric commands from the pinned module, unless the binaries already match the pin.
 * Prints what it does: a cold build downloads Fabric's modules and compiles for a few minutes.
 */
export async function ensureBinaries(log: (line: string) => void = console.log): Promise<void> {
  if (await binariesAreCurrent()) return;
  const goVersion = await checkGo();
  log(
    `Building Hyperledger Fabric ${FABRIC_VERSION} (${FABRIC_COMMANDS.join(', ')}) with ${goVersion} into ${BIN_DIR}`,
  );
  log(
    '  first build: downloads Fabric and its modules from the Go module proxy, then compiles (a few minutes on 2 cores)',
  );
  await rm(join(BIN_DIR, '.pin'), { force: true });
  await mkdir(BIN_DIR, { recursive: true });
  const started = Date.now();
  const ldflags = [
    `-X ${FABRIC_MODULE}/common/metadata.Version=${FABRIC_VERSION}`,
    `-X ${FABRIC_MODULE}/common/metadata.CommitSHA=${await pinnedCommit()}`,
  ].join(' ');
  try {
    await run(
      'go',
      [
        'build',
        '-trimpath',
        '-ldflags',
        ldflags,
        '-o',
        `${BIN_DIR}/`,
        ...FABRIC_COMMANDS.map((c) => `${FABRIC_MODULE}/cmd/${c}`),
      ],
      { cwd: GO_MODULE_DIR, env: goEnv(), timeoutMs: 40 * 60_000, stream: true },
    );
  } catch (error) {
    if (error instanceof CommandError) {
      throw new NetworkError(
        `building the Fabric binaries failed:\n${error.stderr.trim().split('\n').slice(-20).join('\n')}`,
        'check that the Go module proxy is reachable (go env GOPROXY) and that network/fabric/go.sum is unchanged, then run npm run network:build',
      );
    }
    throw error;
  }
  const moduleDir = (
    await run('go', ['list', '-m', '-f', '{{.Dir}}', FABRIC_MODULE], { cwd: GO_MODULE_DIR, env: goEnv() })
  ).stdout.trim();
  await mkdir(SAMPLE_CONFIG_DIR, { recursive: true });
  for (const file of ['core.yaml', 'orderer.yaml']) {
    await copyFile(join(moduleDir, 'sampleconfig', file), join(SAMPLE_CONFIG_DIR, file));
  }
  await writeFile(join(BIN_DIR, '.pin'), `${await currentPin()}\n`);
  log(`Built Fabric ${FABRIC_VERSION} in ${((Date.now() - started) / 1000).toFixed(0)} s`);
}

async function pinnedCommit(): Promise<string> {
  const goMod = await readFile(join(GO_MODULE_DIR, 'go.mod'), 'utf8');
  const match = /github\.com\/hyperledger\/fabric v0\.0\.0-\d{14}-([0-9a-f]{12})/.exec(goMod);
  return match?.[1] ?? 'unknown';
}

/** Fabric CA, pinned by network/fabric-ca/go.mod: each organisation's own certificate authority. */
export const FABRIC_CA_VERSION = '1.5.15';
const FABRIC_CA_MODULE = 'github.com/hyperledger/fabric-ca';
export const FABRIC_CA_COMMANDS = ['fabric-ca-server', 'fabric-ca-client'] as const;
export type FabricCaCommand = (typeof FABRIC_CA_COMMANDS)[number];
const CA_PIN_FILE = join(BIN_DIR, '.pin-ca');

export function fabricCaBinary(command: FabricCaCommand): string {
  return join(BIN_DIR, command);
}

export async function caBinariesAreCurrent(): Promise<boolean> {
  if (!(await exists(CA_PIN_FILE))) return false;
  if ((await readFile(CA_PIN_FILE, 'utf8')).trim() !== (await currentPin(CA_GO_MODULE_DIR))) return false;
  for (const command of FABRIC_CA_COMMANDS) if (!(await exists(fabricCaBinary(command)))) return false;
  return true;
}

/**
 * Builds fabric-ca-server and fabric-ca-client from their pinned module (a tagged v1 release, so
 * a plain module version), unless they already match the pin. The server needs cgo (SQLite).
 */
export async function ensureCaBinaries(log: (line: string) => void = console.log): Promise<void> {
  if (await caBinariesAreCurrent()) return;
  const goVersion = await checkGo();
  log(`Building Hyperledger Fabric CA ${FABRIC_CA_VERSION} with ${goVersion} into ${BIN_DIR}`);
  await rm(CA_PIN_FILE, { force: true });
  await mkdir(BIN_DIR, { recursive: true });
  const started = Date.now();
  try {
    await run(
      'go',
      [
        'build',
        '-trimpath',
        '-o',
        `${BIN_DIR}/`,
        ...FABRIC_CA_COMMANDS.map((c) => `${FABRIC_CA_MODULE}/cmd/${c}`),
      ],
      { cwd: CA_GO_MODULE_DIR, env: goEnv(), timeoutMs: 30 * 60_000, stream: true },
    );
  } catch (error) {
    if (error instanceof CommandError) {
      throw new NetworkError(
        `building Fabric CA failed:\n${error.stderr.trim().split('\n').slice(-20).join('\n')}`,
        'fabric-ca-server needs a C compiler for SQLite (apt-get install gcc); check that the Go module proxy is reachable and network/fabric-ca/go.sum is unchanged',
      );
    }
    throw error;
  }
  await writeFile(CA_PIN_FILE, `${await currentPin(CA_GO_MODULE_DIR)}\n`);
  log(`Built Fabric CA ${FABRIC_CA_VERSION} in ${((Date.now() - started) / 1000).toFixed(0)} s`);
}
