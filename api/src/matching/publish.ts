import { randomUUID } from 'node:crypto';
import { solve, type MatchPlan } from '@fabpool/matcher';
import type { Ledger } from '@fabpool/network';
import type pg from 'pg';
import type { Projector } from '../readModel/projector.js';
import { bucketClock, matchSnapshot } from './snapshot.js';

/**
 * One re-plan: reads the snapshot, solves it, and records the new lots as one assignment run
 * (signed by the matcher's identity, with the input hash and the objective). Only work not yet
 * assigned is in the snapshot, so only the difference is published. Returns the plan.
 */
export async function replan(
  ledger: Ledger,
  pool: pg.Pool,
  projector: Projector,
  nowMs = Date.now(),
): Promise<{ plan: MatchPlan; runId?: string }> {
  const input = await matchSnapshot(pool, nowMs);
  const plan = await solve(input, 'engine');
  const lots = plan.lots.filter((l) => !l.frozen && l.quantity > 0);
  if (lots.length === 0) return { plan };
  const clock = bucketClock(nowMs);
  const runId = `RUN-${new Date(nowMs).toISOString().slice(0, 16).replace(/[-:T]/g, '')}-${randomUUID().slice(0, 6)}`;
  const committed = await ledger.submit('matcher', 'Assignment', 'RecordAssignment', [
    JSON.stringify({
      requestId: `replan-${runId}`,
      runId,
      inputHash: plan.inputHash,
      objective: plan.cost.total,
      acceptWithinHours: 4,
      lots: lots.map((l) => ({
        workOrderId: l.workOrderId,
        factoryId: l.factoryId,
        fromSeq: l.seq,
        toSeq: l.seq,
        bucket: clock.nameOf(l.bucket),
        quantity: l.quantity,
        unitPrices: [l.unitPrice],
        ...(l.quotaId === undefined ? {} : { quotaId: l.quotaId }),
      })),
    }),
  ]);
  await projector.caughtUp(committed.blockNumber);
  return { plan, runId };
}
