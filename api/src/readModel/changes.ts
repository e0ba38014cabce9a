import { createPubSub, type PubSub } from 'graphql-yoga';

/** What subscribers hear once a ledger event is in the read model (never private values). */
export interface PoolChange {
  type: string;
  blockNumber: number;
  transactionId: string;
  changes: { kind: string; id: string; factoryMspId?: string; workOrderId?: string }[];
}

export type ChangeFeed = PubSub<{ 'pool:changed': [PoolChange] }>;

export function createChangeFeed(): ChangeFeed {
  return createPubSub<{ 'pool:changed': [PoolChange] }>();
}
