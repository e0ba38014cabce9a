import { periodStatement } from '@fabpool/chaincode/rules/settlement';
import { allRecordsOf } from '../repositories/records.js';
import {
  capacitySchema,
  custodySchema,
  EventName,
  handOverSchema,
  lotSchema,
  sealedBidSchema,
  settlementParser,
  type PeriodStatement,
} from '@fabpool/chaincode/model';
import { capacityOfOrganisation } from '../repositories/capacity.js';
import { confirmedHandOvers, custodyPositions } from '../repositories/custody.js';
import { ledgerEventsOfBlocks, type LedgerEventRow } from '../repositories/ledgerEvents.js';
import { lotsAtFactoriesOf } from '../repositories/lots.js';
import type { Page, ReadScope } from '../repositories/queryable.js';
import { settlementsOf, settlementsPaidBy } from '../repositories/settlements.js';
import { coded, ledgerQuery, memberIdOfCaller, mspOf, type ApiContext } from './context.js';
import type { ApiBuilder } from './builder.js';
import { schemaTypesOf, withFields, type RequestSchema } from './schemaTypes.js';
import { pagedList } from './connections.js';
import { recordVersionType, type RecordVersion } from './history.js';
import { partyNames } from './partyNames.js';

/** Operators and auditors see every organisation's records; a member only those it is party to. */
const SEES_ALL = new Set(['operator', 'auditor']);

function scopeOf(context: ApiContext): string | null {
  const role = context.viewer?.role ?? '';
  return SEES_ALL.has(role) ? null : mspOf(context);
}

/**
 * The customer whose records a caller sees, when it is one: customers may share an organisation
 * (with each other, the operator and a supplier), so what is theirs is checked per member.
 */
function customerOf(context: ApiContext): string | null {
  return context.viewer?.role === 'customer' ? memberIdOfCaller(context) : null;
}

/** What the caller may read of records between organisations. */
function readScopeOf(context: ApiContext): ReadScope {
  return { organisation: scopeOf(context), customerMemberId: customerOf(context) };
}

/** Blocks carry every transaction: a page of them is kept smaller than other lists'. */
const BLOCK_PAGE = { defaultSize: 20, maxSize: 100 };

interface LedgerBlock {
  blockNumber: number;
  transactions: Omit<LedgerEventRow, 'blockNumber'>[];
}

/** One page of the ledger's blocks, newest first, each with its transactions in order. */
async function blocksOf(context: ApiContext, page: Page): Promise<LedgerBlock[]> {
  const blocks = new Map<number, LedgerBlock>();
  for (const { blockNumber: block, ...transaction } of await ledgerEventsOfBlocks(context.pool, page)) {
    const blockNumber = Number(block);
    const entry = blocks.get(blockNumber) ?? { blockNumber, transactions: [] };
    entry.transactions.push(transaction);
    blocks.set(blockNumber, entry);
  }
  return [...blocks.values()];
}

/**
 * The desks of the people who act on records: a factory's capacity and lots in progress, the
 * custody hand-overs waiting on each side, settlements and their statements, and the auditor's
 * ledger explorer (blocks, transactions, a key's history).
 */
export function addDeskFields(builder: ApiBuilder): void {
  const types = schemaTypesOf(builder);
  const PeriodStatementType = builder.objectRef<PeriodStatement>('PeriodStatement').implement({
    description:
      'What two organisations owe each other over a period [from, to), netted from their settlements; amounts in fen.',
    fields: (t) => ({
      memberA: t.exposeString('memberA'),
      memberB: t.exposeString('memberB'),
      from: t.exposeString('from'),
      to: t.exposeString('to'),
      settlementIds: t.exposeStringList('settlementIds'),
      owedByA: t.field({ type: 'SafeInt', description: 'Due or paid.', resolve: (s) => s.owedByA }),
      owedByB: t.field({ type: 'SafeInt', description: 'Due or paid.', resolve: (s) => s.owedByB }),
      netAPaysB: t.field({
        type: 'SafeInt',
        description: 'owedByA − owedByB: positive means A pays B on balance.',
        resolve: (s) => s.netAPaysB,
      }),
      outstandingByA: t.field({
        type: 'SafeInt',
        description: 'Still due.',
        resolve: (s) => s.outstandingByA,
      }),
      outstandingByB: t.field({
        type: 'SafeInt',
        description: 'Still due.',
        resolve: (s) => s.outstandingByB,
      }),
      quotaIds: t.stringList({
        description: 'Quotas between the two bought or closed in the period.',
        resolve: (s) => s.quotaIds,
      }),
      quotaPrepaidByA: t.field({
        type: 'SafeInt',
        description: 'Prepayments for quotas A bought from B in the period.',
        resolve: (s) => s.quotaPrepaidByA,
      }),
      quotaPrepaidByB: t.field({ type: 'SafeInt', resolve: (s) => s.quotaPrepaidByB }),
      quotaRefundedToA: t.field({
        type: 'SafeInt',
        description: "Refunds of A's quotas that closed in the period, by their terms.",
        resolve: (s) => s.quotaRefundedToA,
      }),
      quotaRefundedToB: t.field({ type: 'SafeInt', resolve: (s) => s.quotaRefundedToB }),
      quotaForfeitedByA: t.field({
        type: 'SafeInt',
        description: 'What A forfeited of its quotas that closed in the period unused.',
        resolve: (s) => s.quotaForfeitedByA,
      }),
      quotaForfeitedByB: t.field({ type: 'SafeInt', resolve: (s) => s.quotaForfeitedByB }),
    }),
  });
  const SettlementType = types.objectOf(
    'Settlement',
    withFields(
      settlementParser.schema as RequestSchema,
      {
        payerName: { type: 'string', description: "The paying customer's display name." },
        payeeName: { type: 'string', description: "The paid factory organisation's plants' names." },
      },
      ['payerName', 'payeeName'],
    ),
  );
  // The chaincode's records as its JSON Schemas define them; the desk's views add what they join.
  const CapacityType = types.objectOf('Capacity', capacitySchema as RequestSchema);
  const HandOverType = types.objectOf('HandOver', handOverSchema as RequestSchema);
  const FactoryLotType = types.objectOf(
    'FactoryLot',
    withFields(lotSchema as RequestSchema, {
      partNumber: { type: 'string', nullable: true, description: "Its work order's part number." },
    }),
  );
  const CustodyPositionType = types.objectOf(
    'CustodyPosition',
    withFields(
      custodySchema as RequestSchema,
      {
        lotStatus: { type: 'string', description: "The lot's status." },
        factoryMspId: { type: 'string', description: "The lot's factory's organisation." },
        customerMspId: { type: 'string', description: "The lot's customer's organisation." },
        lotQuantity: { type: 'integer', minimum: 0, maximum: 1_000_000, description: 'Units in the lot.' },
        doneQuantity: {
          type: 'integer',
          nullable: true,
          minimum: 0,
          maximum: 1_000_000,
          description: 'Good units out of its last operation, once reported.',
        },
        lastOperation: {
          type: 'boolean',
          description: 'Whether the lot ends the routing: its finished goods go back to the customer.',
        },
        nextLots: {
          type: 'array',
          description:
            'Accepted lots of the next operation, not yet started, that its good units feed (handOverWithin for your own, offerHandOver with intoLotId for another organisation’s).',
          items: {
            type: 'object',
            required: ['lotId', 'factoryId', 'factoryMspId', 'room'],
            properties: {
              lotId: { type: 'string', description: 'The downstream lot.' },
              factoryId: { type: 'string', description: 'The plant that works it.' },
              factoryMspId: { type: 'string', description: "The plant's organisation." },
              room: {
                type: 'integer',
                minimum: 0,
                maximum: 1_000_000,
                description: 'Units it still takes.',
              },
            },
          },
        },
      },
      ['lotStatus', 'factoryMspId', 'customerMspId', 'lotQuantity', 'lastOperation', 'nextLots'],
    ),
  );
  const LedgerChangeType = builder.objectRef<{ kind: string; id: string }>('LedgerChange').implement({
    description: 'A record a transaction changed: its kind and id.',
    fields: (t) => ({ kind: t.exposeString('kind'), id: t.exposeString('id') }),
  });
  const LedgerTransactionType = builder
    .objectRef<Omit<LedgerEventRow, 'blockNumber'>>('LedgerTransaction')
    .implement({
      description: 'A transaction of a block: its event, who acted, when, and the records it changed.',
      fields: (t) => ({
        transactionId: t.exposeString('transactionId'),
        eventName: t.field({
          type: types.enumOf('Ledger', 'eventName', Object.values(EventName)) as never,
          description: 'The chaincode event the transaction emitted.',
          resolve: (x) => x.eventName as never,
        }),
        actorMemberId: t.exposeString('actorMemberId', { nullable: true }),
        at: t.exposeString('at', { nullable: true }),
        changes: t.field({ type: [LedgerChangeType], resolve: (x) => x.changes }),
      }),
    });
  const LedgerBlockType = builder
    .objectRef<{ blockNumber: number; transactions: Omit<LedgerEventRow, 'blockNumber'>[] }>('LedgerBlock')
    .implement({
      fields: (t) => ({
        blockNumber: t.exposeInt('blockNumber'),
        transactions: t.field({ type: [LedgerTransactionType], resolve: (b) => b.transactions }),
      }),
    });

  builder.queryFields((t) => ({
    myCapacity: t.field({
      type: [CapacityType],
      description:
        "Capacity the caller's factories declared, by process and shift from `fromBucket` on: declared and held minutes.",
      authScopes: { role: ['factory'] },
      args: { fromBucket: t.arg.string() },
      resolve: (_r, { fromBucket }, context) =>
        capacityOfOrganisation(context.pool, mspOf(context), fromBucket ?? null),
    }),
    myLots: t.connection({
      type: FactoryLotType,
      description:
        "Lots at the caller's factories in the given statuses (all when none is given), by shift, each with its work order's part number.",
      authScopes: { role: ['factory'] },
      args: { statuses: t.arg.stringList() },
      resolve: (_r, args, context) =>
        pagedList(args, (page) =>
          lotsAtFactoriesOf(context.pool, mspOf(context), args.statuses ?? null, page),
        ),
    }),
    custody: t.connection({
      type: CustodyPositionType,
      description:
        "Who holds each lot's goods and the hand-overs waiting: the lots the caller holds (to send on) and those offered to it (to confirm), with the lot's status, factory and customer. Operators and auditors see all.",
      authScopes: { role: ['factory', 'customer', 'operator', 'auditor'] },
      resolve: (_r, args, context) =>
        pagedList(args, (page) => custodyPositions(context.pool, readScopeOf(context), page)),
    }),
    handOvers: t.connection({
      type: HandOverType,
      description:
        'Confirmed hand-overs the caller sent or received (all for operators and auditors), newest first.',
      authScopes: { role: ['factory', 'customer', 'operator', 'auditor'] },
      resolve: (_r, args, context) =>
        pagedList(args, (page) => confirmedHandOvers(context.pool, readScopeOf(context), page)),
    }),
    settlements: t.connection({
      type: SettlementType,
      description:
        "Settlements the caller pays or is paid (all for operators and auditors, or one customer company's with customerMspId), newest first, optionally of one status (DUE, DECLARED, PAID).",
      authScopes: { role: ['factory', 'customer', 'operator', 'auditor'] },
      args: { status: t.arg.string(), customerMspId: t.arg.string() },
      resolve: (_r, args, context) => {
        const scope = readScopeOf(context);
        if (args.customerMspId != null && scope.organisation !== null)
          throw coded('ACCESS.NOT_PARTY', "another company's settlements are for operators and auditors");
        return pagedList(args, async (page) => {
          const names = await partyNames(context.pool);
          return (
            await settlementsOf(
              context.pool,
              args.customerMspId == null
                ? scope
                : { organisation: args.customerMspId, customerMemberId: null },
              args.status ?? null,
              page,
            )
          ).map((s) => ({
            ...s,
            payerName: names.member(s.payerMemberId),
            payeeName: names.organisation(s.payeeMspId),
          }));
        });
      },
    }),
    settlementStatement: t.field({
      type: PeriodStatementType,
      description:
        'The netted statement between two organisations over a period [from, to), computed by the chaincode from the settlements on the ledger.',
      authScopes: { role: ['factory', 'customer', 'operator', 'auditor'] },
      args: {
        mspA: t.arg.string({ required: true }),
        mspB: t.arg.string({ required: true }),
        from: t.arg.string({ required: true }),
        to: t.arg.string({ required: true }),
      },
      resolve: async (_r, { mspA, mspB, from, to }, context) => {
        const own = scopeOf(context);
        if (own !== null && own !== mspA && own !== mspB)
          throw coded('ACCESS.NOT_PARTY', 'a statement is for the two organisations it is between');
        const customer = customerOf(context);
        if (customer === null)
          // The chaincode's GetPeriodStatement answers with periodStatement's own result.
          return ledgerQuery(context, 'Settlement', 'GetPeriodStatement', [
            mspA,
            mspB,
            from,
            to,
          ]) as Promise<PeriodStatement>;
        // A customer's statement nets its own settlements only, by the chaincode's own rule: its
        // organisation's other members' are not its business.
        const mine = await settlementsPaidBy(context.pool, customer);
        const quotaPayments = (await allRecordsOf(context.pool, 'QuotaPayment'))
          .map((r) => r.record)
          .filter((q) => q.payerMemberId === customer);
        return periodStatement(
          mine.map((r) => settlementParser.check(r)),
          mspA,
          mspB,
          from,
          to,
          quotaPayments,
        );
      },
    }),
    ledgerBlocks: t.connection({
      type: LedgerBlockType,
      description: `The ledger explorer: blocks newest first (${BLOCK_PAGE.defaultSize} a page unless asked, at most ${BLOCK_PAGE.maxSize}), each with its transactions, their event, actor, time and the records they changed.`,
      authScopes: { role: ['auditor', 'operator'] },
      resolve: (_r, args, context) => pagedList(args, (page) => blocksOf(context, page), BLOCK_PAGE),
    }),
    ownSealedBid: t.field({
      type: types.objectOf('SealedBid', sealedBidSchema as RequestSchema),
      description:
        "The caller's own sealed bid on a work order, salt included, from its organisation's private collection: what it reveals once the window closes.",
      authScopes: { role: ['factory'] },
      args: { workOrderId: t.arg.string({ required: true }), factoryId: t.arg.string({ required: true }) },
      resolve: (_r, { workOrderId, factoryId }, context) =>
        ledgerQuery(context, 'Bid', 'GetOwnSealedBid', [workOrderId, factoryId]),
    }),
    keyHistory: t.field({
      type: [recordVersionType(builder)],
      description:
        "Every committed version of one record (kind such as Lot, Custody, Settlement; id, `a/b` for multi-part ids), read from the ledger's history database as the caller.",
      authScopes: { role: ['auditor', 'operator'] },
      args: { kind: t.arg.string({ required: true }), id: t.arg.string({ required: true }) },
      resolve: (_r, { kind, id }, context) =>
        ledgerQuery(context, 'Trace', 'GetHistory', [kind, id]) as Promise<RecordVersion[]>,
    }),
  }));
}
