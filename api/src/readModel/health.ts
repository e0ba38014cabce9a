import type { Ledger } from '@fabpool/network';
import type pg from 'pg';
import { quarantinedCount } from '../repositories/ledgerEvents.js';
import type { Projector, ProjectorState } from './projector.js';

/** Blocks the read model may trail the ledger by before the api calls itself unhealthy. */
export const DEFAULT_MAX_LAG_BLOCKS = 500;

export interface ReadModelHealth {
  ok: boolean;
  projector: ProjectorState;
  ledgerHeight?: number;
  /** Blocks committed on the ledger past the last one the read model holds an event of. */
  lagBlocks?: number;
  maxLagBlocks: number;
  /** Events set aside because the database refused them (they do not make the api unhealthy). */
  quarantined?: number;
  /** What is wrong, when something is. */
  problems: string[];
}

/**
 * The api's health as a load balancer or an operator needs it: unhealthy when the projector has
 * stopped, the ledger or the database cannot be reached, or the read model trails the ledger by
 * more than `maxLagBlocks`; quarantined events are counted, for the operator to look at.
 */
export async function readModelHealth(
  ledger: Ledger,
  pool: pg.Pool,
  projector: Projector,
  maxLagBlocks = DEFAULT_MAX_LAG_BLOCKS,
): Promise<ReadModelHealth> {
  const state = projector.state;
  const problems: string[] = [];
  if (state.state === 'stopped')
    problems.push(`the projector has stopped${state.error === undefined ? '' : `: ${state.error}`}`);
  if (state.state === 'reconnecting')
    problems.push(`the ledger has been unreachable since ${state.since ?? '?'}`);
  const health: ReadModelHealth = { ok: false, projector: state, maxLagBlocks, problems };
  try {
    health.ledgerHeight = await ledger.height();
    health.lagBlocks = Math.max(0, health.ledgerHeight - 1 - (state.checkpoint ?? -1));
    if (health.lagBlocks > maxLagBlocks)
      problems.push(
        `the read model trails the ledger by ${health.lagBlocks} blocks (at most ${maxLagBlocks})`,
      );
  } catch (error) {
    problems.push(`the ledger cannot be reached: ${(error as Error).message}`);
  }
  try {
    health.quarantined = await quarantinedCount(pool);
  } catch (error) {
    problems.push(`the database cannot be reached: ${(error as Error).message}`);
  }
  health.ok = problems.length === 0;
  return health;
}
