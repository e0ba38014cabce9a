import type { QuarantinedEvent } from '../readModel/projector.js';
import type { ApiBuilder } from './builder.js';

/**
 * The read model's own state for those who answer for it: events the database could not hold
 * (quarantined with their place on the ledger and the reason), and trying them again after a fix.
 */
export function addReadModelFields(builder: ApiBuilder): void {
  const Quarantined = builder.objectRef<QuarantinedEvent>('QuarantinedEvent').implement({
    description: 'A ledger event the read model could not hold; the ledger still has it.',
    fields: (t) => ({
      blockNumber: t.exposeInt('blockNumber'),
      transactionId: t.exposeString('transactionId'),
      eventName: t.exposeString('eventName'),
      error: t.exposeString('error', { description: "The database's reason." }),
      errorCode: t.exposeString('errorCode', { nullable: true, description: 'The SQLSTATE.' }),
      attempts: t.exposeInt('attempts'),
      quarantinedAt: t.exposeString('quarantinedAt'),
      lastTriedAt: t.exposeString('lastTriedAt'),
    }),
  });
  const RetryOutcome = builder
    .objectRef<{ written: number; stillQuarantined: number }>('QuarantineRetry')
    .implement({
      fields: (t) => ({
        written: t.exposeInt('written', { description: 'Events now in the read model.' }),
        stillQuarantined: t.exposeInt('stillQuarantined'),
      }),
    });
  builder.queryField('quarantinedEvents', (t) =>
    t.field({
      type: [Quarantined],
      description: 'Ledger events the read model set aside because its database refused them, oldest first.',
      authScopes: { role: ['operator', 'auditor'] },
      resolve: (_r, _a, context) => context.projector.quarantined(),
    }),
  );
  builder.mutationField('retryQuarantinedEvents', (t) =>
    t.field({
      type: RetryOutcome,
      description:
        'Writes the quarantined events again (after a fix); those that now fit leave the quarantine.',
      authScopes: { role: ['operator'] },
      resolve: (_r, _a, context) => context.projector.retryQuarantined(),
    }),
  );
}
