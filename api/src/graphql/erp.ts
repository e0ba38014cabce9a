import { randomUUID } from 'node:crypto';
import { checkRows, ImportFileError, rowsOf, type RowReport } from '../erp/workOrderImport.js';
import { workOrdersByIds } from '../repositories/workOrders.js';
import { coded, submitRequest } from './context.js';
import type { ApiBuilder } from './builder.js';

interface ImportResult {
  imported: boolean;
  rows: RowReport[];
  transactionId: string | null;
}

/** Batch import of work orders from a customer's ERP: every row checked, all published or none. */
export function addErpFields(builder: ApiBuilder): void {
  const RowReportType = builder.objectRef<RowReport>('ImportRowReport').implement({
    fields: (t) => ({
      row: t.exposeInt('row'),
      workOrderId: t.exposeString('workOrderId', { nullable: true }),
      errors: t.exposeStringList('errors'),
    }),
  });
  const ImportResultType = builder.objectRef<ImportResult>('WorkOrderImport').implement({
    fields: (t) => ({
      imported: t.exposeBoolean('imported'),
      rows: t.field({ type: [RowReportType], resolve: (r) => r.rows }),
      transactionId: t.exposeString('transactionId', { nullable: true }),
    }),
  });

  builder.mutationFields((t) => ({
    importWorkOrders: t.field({
      type: ImportResultType,
      description:
        'Work orders from an ERP export (format CSV or JSON, at most 500): every row is checked and reported; if any row is wrong nothing is published, otherwise all are, in one ledger transaction.',
      authScopes: { role: ['customer'] },
      args: { format: t.arg.string({ required: true }), content: t.arg.string({ required: true }) },
      resolve: async (_r, { format, content }, context) => {
        const kind = format.toUpperCase();
        if (kind !== 'CSV' && kind !== 'JSON')
          throw coded('REQUEST.INVALID_ARGUMENT', 'format must be CSV or JSON');
        let rows: ReturnType<typeof rowsOf>;
        try {
          rows = rowsOf(kind, content);
        } catch (error) {
          if (error instanceof ImportFileError) throw coded('IMPORT.UNREADABLE_FILE', error.message);
          throw error;
        }
        const ids = rows.flatMap(({ value }) => {
          const id = (value as { workOrderId?: unknown } | null)?.workOrderId;
          return typeof id === 'string' ? [id] : [];
        });
        const existing = await workOrdersByIds(context.pool, ids);
        const { items, report } = checkRows(
          rows,
          new Set(existing.map((r) => r.id)),
          new Date().toISOString(),
        );
        if (report.some((r) => r.errors.length > 0))
          return { imported: false, rows: report, transactionId: null };
        const committed = await submitRequest(context, 'publishWorkOrders', {
          requestId: `import-${randomUUID()}`,
          workOrders: items,
        });
        // A rush order among them re-plans at once: answer after it.
        await context.matcher.idle();
        return { imported: true, rows: report, transactionId: committed.transactionId };
      },
    }),
  }));
}
