import * as grpc from '@grpc/grpc-js';
import { GatewayError } from '@hyperledger/fabric-gateway';
import { gatewayErrorText } from '../gateway.js';

/**
 * How long a submit waits for its gateway peer to learn the other organisations' peers. Just after
 * the network starts, a peer knows the others only once gossip has reached them through the anchor
 * peers; until then its discovery service finds no set of peers that meets the endorsement policy
 * (or a key's own policy) and the gateway refuses before asking anyone to endorse.
 */
export const DISCOVERY_WAIT_MS = 45_000;

const FAILED_PRECONDITION: number = grpc.status.FAILED_PRECONDITION;

/** The gateway's refusal while discovery is incomplete: nothing was endorsed, so asking again is safe. */
export function isDiscoveryPending(error: unknown): boolean {
  return (
    error instanceof GatewayError &&
    error.code === FAILED_PRECONDITION &&
    gatewayErrorText(error).includes('no combination of peers can be derived')
  );
}

/**
 * Runs `attempt` again, a second apart, while the gateway says discovery cannot yet meet the
 * policy, until `waitMs` have passed; any other outcome is returned or thrown at once.
 */
export async function whileDiscoveryPending<T>(
  attempt: () => Promise<T>,
  waitMs = DISCOVERY_WAIT_MS,
  pause: (ms: number) => Promise<void> = (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  now: () => number = Date.now,
): Promise<T> {
  const deadline = now() + waitMs;
  for (;;) {
    try {
      return await attempt();
    } catch (error) {
      if (!isDiscoveryPending(error) || now() >= deadline) throw error;
      await pause(1_000);
    }
  }
}
