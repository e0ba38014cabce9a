import { oncePerBuilder, type ApiBuilder } from './builder.js';

/** One committed version of a ledger record, as the chaincode's history answers it. */
export interface RecordVersion {
  kind: string;
  id: string;
  txId: string;
  at: string;
  isDelete: boolean;
  record: unknown;
}

/** The `RecordVersion` type: a record's key history, and a work order's trace steps. */
export const recordVersionType = oncePerBuilder((builder: ApiBuilder) =>
  builder.objectRef<RecordVersion>('RecordVersion').implement({
    description: 'One committed version of a ledger record, and the transaction that wrote it.',
    fields: (t) => ({
      kind: t.exposeString('kind', { description: 'The record kind: WorkOrder, Lot, Custody, …' }),
      id: t.exposeString('id', { description: 'Its id (parts joined by /).' }),
      txId: t.exposeString('txId'),
      at: t.exposeString('at'),
      isDelete: t.exposeBoolean('isDelete'),
      record: t.field({
        type: 'JSON',
        nullable: true,
        description:
          'The value as written then: any kind of record, and an older version may predate today’s schema, so it is served as written.',
        resolve: (v) => v.record ?? null,
      }),
    }),
  }),
);
