import { statementSchema, type Statement } from '@fabpool/chaincode/model';
import { overseesAll } from '../access/commercialData.js';
import { auditReportDocument } from '../documents/auditReport.js';
import {
  DOCUMENT_FORMATS,
  fileNameOf,
  MEDIA_TYPES,
  type DocumentFormat,
  type TabularDocument,
} from '../documents/document.js';
import { NoCjkFontError } from '../documents/pdf.js';
import { renderDocument } from '../documents/render.js';
import { statementDocument } from '../documents/statementDocument.js';
import { partyNames } from './partyNames.js';
import { allRecordsOf, recordsByIds } from '../repositories/records.js';
import type { ReadScope } from '../repositories/queryable.js';
import { statementsOf } from '../repositories/statements.js';
import type { ApiBuilder } from './builder.js';
import { pagedList } from './connections.js';
import { coded, viewpointOf, type ApiContext } from './context.js';
import { schemaTypesOf, withFields, type RequestSchema } from './schemaTypes.js';

interface RenderedDocument {
  fileName: string;
  mediaType: string;
  content: Buffer;
}

/** What a caller sees of statements: a customer its own, a factory organisation those with it, overseers all. */
function statementScope(context: ApiContext): ReadScope {
  const viewer = viewpointOf(context);
  if (overseesAll(viewer)) return { organisation: null, customerMemberId: null };
  if (viewer.role === 'customer') return { organisation: viewer.mspId, customerMemberId: viewer.memberId };
  return { organisation: viewer.mspId, customerMemberId: null };
}

async function rendered(
  document: TabularDocument,
  stem: string,
  format: DocumentFormat,
): Promise<RenderedDocument> {
  try {
    return {
      fileName: fileNameOf(stem, format),
      mediaType: MEDIA_TYPES[format],
      content: await renderDocument(document, format, new Date()),
    };
  } catch (error) {
    if (error instanceof NoCjkFontError) throw coded('DOCUMENT.NO_FONT', error.message);
    throw error;
  }
}

/**
 * Period statements both sides sign (closed, acknowledged and disputed through the ledger
 * mutations closeStatement, acknowledgeStatement, disputeStatement), and the documents finance
 * and the auditors take away: a statement, and the audit report, as CSV, Excel or PDF.
 */
export function addStatementFields(builder: ApiBuilder): void {
  const types = schemaTypesOf(builder);
  const StatementType = types.objectOf(
    'Statement',
    withFields(
      statementSchema as RequestSchema,
      {
        customerName: { type: 'string', description: "The customer's display name." },
        factoryName: { type: 'string', description: "The names of the factory organisation's plants." },
      },
      ['customerName', 'factoryName'],
    ),
  );
  const CounterpartyType = builder
    .objectRef<{ id: string; name: string; mspId: string }>('StatementCounterparty')
    .implement({
      description:
        'Whom the caller may close a statement with: for a customer a factory organisation (id = its MSP id), for a factory a customer (id = its member id).',
      fields: (t) => ({
        id: t.exposeString('id'),
        name: t.exposeString('name'),
        mspId: t.exposeString('mspId'),
      }),
    });
  const named = async (context: ApiContext, statements: Statement[]) => {
    const names = await partyNames(context.pool);
    return statements.map((s) => ({
      ...s,
      customerName: names.member(s.customerMemberId),
      factoryName: names.organisation(s.factoryMspId),
    }));
  };
  const FormatType = builder.enumType('DocumentFormat', {
    values: DOCUMENT_FORMATS,
    description: 'CSV (UTF-8, money in yuan), XLSX (Excel) or PDF (Chinese text embedded in the file).',
  });
  const DocumentType = builder.objectRef<RenderedDocument>('Document').implement({
    description: 'A document to save: its file name, media type and content (base64).',
    fields: (t) => ({
      fileName: t.exposeString('fileName'),
      mediaType: t.exposeString('mediaType'),
      bytes: t.int({ resolve: (d) => d.content.length }),
      base64: t.string({ resolve: (d) => d.content.toString('base64') }),
    }),
  });
  const readable = async (context: ApiContext, statementId: string): Promise<Statement> => {
    const [statement] = await recordsByIds(context.pool, 'Statement', [statementId]);
    const scope = statementScope(context);
    const mine =
      statement !== undefined &&
      (scope.customerMemberId === null || statement.customerMemberId === scope.customerMemberId) &&
      (scope.organisation === null ||
        scope.customerMemberId !== null ||
        statement.factoryMspId === scope.organisation);
    // Someone else's statement is answered as if it did not exist: its id tells nothing.
    if (!mine) throw coded('STATEMENT.NOT_FOUND', `no statement ${statementId} of yours`);
    return statement;
  };

  builder.queryFields((t) => ({
    statements: t.connection({
      type: StatementType,
      description:
        'Closed period statements the caller is a side of (a customer its own, a factory organisation those with it; all for operators and auditors), newest period first.',
      authScopes: { role: ['factory', 'customer', 'operator', 'auditor'] },
      resolve: (_r, args, context) =>
        pagedList(args, async (page) =>
          named(context, await statementsOf(context.pool, statementScope(context), page)),
        ),
    }),
    statementCounterparties: t.field({
      type: [CounterpartyType],
      description:
        'The parties the caller has settlements or quota payments with: a customer’s factory organisations, a factory’s customers.',
      authScopes: { role: ['factory', 'customer'] },
      resolve: async (_r, _a, context) => {
        const viewer = viewpointOf(context);
        const names = await partyNames(context.pool);
        const found = new Map<string, { id: string; name: string; mspId: string }>();
        const lines = [
          ...(await allRecordsOf(context.pool, 'Settlement')).map((r) => ({
            payerMemberId: r.record.payerMemberId,
            payerMspId: r.record.payerMspId,
            payeeMspId: r.record.payeeMspId,
          })),
          ...(await allRecordsOf(context.pool, 'QuotaPayment')).map((r) => r.record),
        ];
        for (const line of lines) {
          if (viewer.role === 'customer' && line.payerMemberId === viewer.memberId)
            found.set(line.payeeMspId, {
              id: line.payeeMspId,
              name: names.organisation(line.payeeMspId),
              mspId: line.payeeMspId,
            });
          if (viewer.role === 'factory' && line.payeeMspId === viewer.mspId)
            found.set(line.payerMemberId, {
              id: line.payerMemberId,
              name: names.member(line.payerMemberId),
              mspId: line.payerMspId,
            });
        }
        return [...found.values()].sort((a, b) => a.name.localeCompare(b.name));
      },
    }),
    statementDocument: t.field({
      type: DocumentType,
      description:
        'One statement as a document: parties, period, signatures or dispute, content hash, every line and the totals as closed.',
      authScopes: { role: ['factory', 'customer', 'operator', 'auditor'] },
      args: {
        statementId: t.arg.string({ required: true }),
        format: t.arg({ type: FormatType, required: true }),
      },
      resolve: async (_r, { statementId, format }, context) => {
        const statement = await readable(context, statementId);
        const document = statementDocument(
          statement,
          await recordsByIds(context.pool, 'Settlement', statement.figures.settlementIds),
          await recordsByIds(context.pool, 'QuotaPayment', statement.figures.quotaIds),
          await partyNames(context.pool),
        );
        return rendered(document, `statement-${statement.statementId}`, format);
      },
    }),
    auditReport: t.field({
      type: DocumentType,
      description:
        "The auditor's report: the chain's verification (hashes and signatures, checked incrementally), every statement and its status, and the money between each customer and factory organisation.",
      authScopes: { role: ['auditor', 'operator'] },
      args: { format: t.arg({ type: FormatType, required: true }) },
      resolve: async (_r, { format }, context) => {
        if (context.verifyLedger === undefined)
          throw coded('LEDGER.VERIFY_UNSUPPORTED', 'this ledger engine has no chain to re-verify here');
        const generatedAt = new Date().toISOString();
        const document = auditReportDocument(
          await context.verifyLedger(),
          (await allRecordsOf(context.pool, 'Statement')).map((r) => r.record),
          (await allRecordsOf(context.pool, 'Settlement')).map((r) => r.record),
          (await allRecordsOf(context.pool, 'QuotaPayment')).map((r) => r.record),
          await partyNames(context.pool),
          generatedAt,
        );
        return rendered(document, `audit-report-${generatedAt.slice(0, 10)}`, format);
      },
    }),
  }));
}
