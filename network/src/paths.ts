import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** network/ (this file is network/src/paths.ts or network/dist/paths.js). */
export const NETWORK_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const REPO_DIR = resolve(NETWORK_DIR, '..');
export const CHAINCODE_DIR = join(REPO_DIR, 'chaincode');
export const GO_MODULE_DIR = join(NETWORK_DIR, 'fabric');
/** The pinned Go module that builds Fabric CA (its own: its dependencies differ from Fabric's). */
export const CA_GO_MODULE_DIR = join(NETWORK_DIR, 'fabric-ca');
export const BUILDERS_DIR = join(NETWORK_DIR, 'builders');

/** Fabric binaries and Fabric's sample config, built from the pinned Go module (git-ignored). */
export const BIN_DIR = process.env.FABPOOL_FABRIC_BIN_DIR ?? join(NETWORK_DIR, '.bin');

/** Everything a running network owns: one directory per organisation's node, and the network's state (git-ignored). */
export const RUNTIME_DIR = process.env.FABPOOL_NETWORK_DIR ?? join(NETWORK_DIR, '.runtime');

export const runtimePaths = {
  /** One directory per organisation: its CA, identities and keys (see nodeLayout.ts). */
  nodes: join(RUNTIME_DIR, 'nodes'),
  /** Where a network made by fabpool before node directories kept every organisation's keys. */
  legacyCrypto: join(RUNTIME_DIR, 'crypto'),
  state: join(RUNTIME_DIR, 'state.json'),
  connection: join(RUNTIME_DIR, 'connection.json'),
  lock: join(RUNTIME_DIR, 'network.lock'),
};
