import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EmbeddedLedger, FabricLedger, type Ledger, type LedgerEngine } from '@fabpool/network';

/**
 * A ledger for one test file: a fresh embedded ledger in a temporary directory, or a connection to
 * the running Fabric network (started by the integration project's global setup).
 */
export async function openTestLedger(
  engine: LedgerEngine,
): Promise<{ ledger: Ledger; dispose(): Promise<void> }> {
  if (engine === 'fabric') {
    const ledger = await FabricLedger.open();
    return { ledger, dispose: () => ledger.close() };
  }
  const dir = await mkdtemp(join(tmpdir(), 'fabpool-ledger-'));
  const ledger = await EmbeddedLedger.open({ dir });
  return {
    ledger,
    dispose: async () => {
      await ledger.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
