import { createPubSub, type PubSub } from 'graphql-yoga';
import type { Alert } from '../alerts/service.js';

/** What subscribers hear once a ledger event is in the read model (never private values). */
export interface PoolChange {
  type: string;
  blockNumber: number;
  transactionId: string;
  changes: { kind: string; id: string; factoryMspId?: string; workOrderId?: string }[];
}

// A type, not an interface: the pub-sub's constraint needs the index signature a type alias has.
// eslint-disable-next-line @typescript-eslint/consistent-type-definitions
type Topics = {
  'pool:changed': [PoolChange];
  'alert:raised': [Alert];
};

export type ChangeFeed = PubSub<Topics>;

export function createChangeFeed(): ChangeFeed {
  return createPubSub<Topics>();
}
