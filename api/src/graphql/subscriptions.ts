import type { PoolChange } from '../readModel/changes.js';
import { callerOf, coded, memberOf } from './context.js';
import type { ApiBuilder } from './builder.js';

/** The pool's changes as server-sent events: all of them, or a factory's own assignments. */
export function addSubscriptionFields(builder: ApiBuilder): void {
  const ChangedRecord = builder.objectRef<PoolChange['changes'][number]>('ChangedRecord').implement({
    fields: (t) => ({
      kind: t.exposeString('kind'),
      id: t.exposeString('id'),
      workOrderId: t.string({ nullable: true, resolve: (c) => c.workOrderId ?? null }),
      factoryMspId: t.string({ nullable: true, resolve: (c) => c.factoryMspId ?? null }),
    }),
  });
  const PoolChangeType = builder.objectRef<PoolChange>('PoolChange').implement({
    description:
      'A ledger transaction now in the read model: its event type and the records it changed (ids only).',
    fields: (t) => ({
      type: t.exposeString('type'),
      blockNumber: t.exposeInt('blockNumber'),
      transactionId: t.exposeString('transactionId'),
      changes: t.field({ type: [ChangedRecord], resolve: (c) => c.changes }),
    }),
  });

  builder.subscriptionFields((t) => ({
    poolChanges: t.field({
      type: PoolChangeType,
      description: 'Every change of the pool as it reaches the read model (served as server-sent events).',
      // Checked here, where the stream starts (scope checks on a subscription field never answer a refused one).
      subscribe: (_r, _a, context) => {
        memberOf(context);
        return context.changes.subscribe('pool:changed');
      },
      resolve: (change) => change,
    }),
    myAssignments: t.field({
      type: PoolChangeType,
      description: "Changes of lots assigned to the caller's own organisation (a factory's incoming work).",
      subscribe: (_r, _a, context) => {
        const caller = callerOf(context);
        if (caller.role !== 'factory') throw coded('ACCESS.WRONG_ROLE', 'your role may not do this');
        return ofOrganisation(context.changes.subscribe('pool:changed'), caller.member.mspId);
      },
      resolve: (change) => change,
    }),
  }));
}

/** Only the changes touching lots of one organisation, trimmed to those lots. */
async function* ofOrganisation(
  changes: AsyncIterable<PoolChange>,
  mspId: string,
): AsyncGenerator<PoolChange> {
  for await (const change of changes) {
    const lots = change.changes.filter((c) => c.kind === 'Lot' && c.factoryMspId === mspId);
    if (lots.length > 0) yield { ...change, changes: lots };
  }
}
