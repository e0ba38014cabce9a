import { down, ensureCaBinaries, isUp, up } from '@fabpool/network';

/**
 * Vitest global setup for tests against the live Fabric network: builds the Fabric and Fabric CA
 * binaries if they are missing, brings the network up (or reuses a running one) and, if it started the
 * network, stops it again when the tests are done. Set FABPOOL_KEEP_NETWORK=1 to leave it running.
 */
export default async function setup(): Promise<() => Promise<void>> {
  const wasUp = await isUp();
  const log = (line: string): void => {
    process.stdout.write(`[network] ${line}\n`);
  };
  // Three Raft orderers: the fault suite takes one, then two of them down. As root (CI), each
  // organisation's node runs in its own network namespace with its own address, as separate hosts.
  await up({ orderers: 3, namespaces: process.getuid?.() === 0, log });
  // Each organisation's own certificate authority (tests/integration/organisationCa.test.ts).
  await ensureCaBinaries(log);
  return async () => {
    if (!wasUp && process.env.FABPOOL_KEEP_NETWORK !== '1') await down({ log });
  };
}
