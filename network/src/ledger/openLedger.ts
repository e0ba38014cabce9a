import { join } from 'node:path';
import { REPO_DIR } from '../paths.js';
import { EmbeddedLedger } from './embedded/embeddedLedger.js';
import { readConnectionDescription } from '../connection.js';
import { FabricLedger } from './fabricLedger.js';
import type { Ledger, LedgerEngine } from './ledger.js';

/** Where the embedded ledger keeps its file and identities unless told otherwise. */
export const DEFAULT_EMBEDDED_DIR = process.env.FABPOOL_LEDGER_DIR ?? join(REPO_DIR, '.fabpool', 'ledger');

/**
 * Opens the ledger the caller asks for: the embedded one (the default: no Fabric binaries, no
 * set-up) or the running Fabric network described by network/.runtime/connection.json, or by one
 * organisation's node description (network/.runtime/nodes/<Organisation>/connection.json).
 */
export async function openLedger(
  options: {
    engine?: LedgerEngine;
    dir?: string;
    /** For Fabric: one node's connection description (its own members only); the merged one by default. */
    connection?: string;
    log?: (line: string) => void;
    /** For the embedded ledger: the clock that stamps transactions (see EmbeddedLedgerOptions). */
    clock?: () => number;
    /** For the embedded ledger: read beside the process that runs it, never write. */
    readOnly?: boolean;
  } = {},
): Promise<Ledger> {
  if (options.engine === 'fabric')
    return FabricLedger.open(
      options.connection === undefined ? undefined : await readConnectionDescription(options.connection),
    );
  return EmbeddedLedger.open({
    dir: options.dir ?? DEFAULT_EMBEDDED_DIR,
    ...(options.log === undefined ? {} : { log: options.log }),
    ...(options.clock === undefined ? {} : { clock: options.clock }),
    ...(options.readOnly === true ? { readOnly: true } : {}),
  });
}
