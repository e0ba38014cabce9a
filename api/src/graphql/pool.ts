import { resolveCursorConnection, type ResolveCursorConnectionArgs } from '@pothos/plugin-relay';
import { bidParser } from './imports.js';
import { type Role } from '../auth/tokens.js';
import {
  explanationFor,
  overseesAll,
  seesListPricesOf,
  seesPricesOf,
  seesMaterialsOf,
  withoutPrices,
} from '../access/commercialData.js';
import {
  coded,
  ledgerQuery,
  memberIdOfCaller,
  mspOf,
  viewpointOf,
  type ApiContext,
  type Json,
} from './context.js';
import {
  amendmentSchema,
  custodySchema,
  exceptionSchema,
  handOverSchema,
  lotSchema,
  operationSchema,
  progressSchema,
  settlementParser,
  type Custody,
  type HandOver,
  type OperationException,
  type OperationProgress,
  type ProcessParameters,
  type Settlement,
  PROCESSES,
  quotaSchema,
  workOrderSchema,
  type Process,
  type BidAward,
  type CapacityQuota,
  type Factory,
  type Lot,
  type QuotaPayment,
  type QuotaTerms,
  type WorkOrder,
  DEFAULT_QUOTA_TERMS,
} from '@fabpool/chaincode/model';
import { recordsByIds } from '../repositories/records.js';
import { allFactories } from '../repositories/factories.js';
import { lotsAwaitingDecision, lotsInShifts } from '../repositories/lots.js';
import type { Stored } from '../repositories/queryable.js';
import { quotas } from '../repositories/quotas.js';
import { amendmentsAwaiting, workOrderById, workOrderPage } from '../repositories/workOrders.js';
import { propertyOf, schemaTypesOf, type RequestSchema } from './schemaTypes.js';
import { LOT_RECORD_SCHEMA } from './lotRecord.js';
import { lotPlacementType } from './placement.js';
import { processParameterTypes } from './processParameters.js';
import { recordVersionType, type RecordVersion } from './history.js';
import type { MovedLot } from '../matching/runs.js';
import type { ApiBuilder } from './builder.js';
import { pagedList } from './connections.js';

/** A lot of a traced work order, as the chaincode's TraceWorkOrder answers it. */
interface LotTrace {
  lot: Lot;
  custody?: Custody;
  handOvers: HandOver[];
  progress: OperationProgress[];
  exceptions: OperationException[];
  settlement?: Settlement;
}

/** The chaincode's TraceWorkOrder answer. */
interface WorkOrderTrace {
  workOrder: WorkOrder;
  lots: LotTrace[];
  steps: RecordVersion[];
}

/** Who reads the pool itself; a supplier sees only its own slice (see supply.ts). */
const POOL_READERS: Role[] = ['operator', 'factory', 'customer', 'auditor'];
/** Shifts a Gantt chart may ask for at once: a week. */
const MAX_SHIFTS = 21;

/**
 * The shared pool: work orders, their lots, factories, the quota market, and the reads about them
 * (a Gantt chart's shifts, a factory's incoming lots, a work order's trace, bids, process parameters).
 */
export function addPoolFields(builder: ApiBuilder) {
  const seesLotPrices = async ({ record: lot }: Stored<Lot>, context: ApiContext): Promise<boolean> =>
    seesPricesOf(
      viewpointOf(context),
      lot.factoryMspId,
      await context.loaders.customerOfWorkOrder(lot.workOrderId),
    );

  const LotType = builder.objectRef<Stored<Lot>>('Lot').implement({
    fields: (t) => ({
      id: t.string({ resolve: (r) => r.id }),
      workOrderId: t.string({ resolve: (r) => r.record.workOrderId }),
      factoryId: t.string({ resolve: (r) => r.record.factoryId }),
      status: t.field({
        type: enumOfField('FactoryLot', lotSchema, 'status'),
        resolve: (r) => r.record.status as never,
      }),
      bucket: t.string({ resolve: (r) => r.record.bucket }),
      fromSeq: t.int({ resolve: (r) => r.record.fromSeq }),
      toSeq: t.int({ resolve: (r) => r.record.toSeq }),
      quantity: t.int({ resolve: (r) => r.record.quantity }),
      unitPrice: t.field({
        type: 'SafeInt',
        nullable: true,
        description:
          "Per unit, in fen; only for the lot's factory and its work order's customer (and overseers).",
        resolve: async (r, _a, context) => ((await seesLotPrices(r, context)) ? r.record.unitPrice : null),
      }),
      record: t.field({
        type: schemaTypesOf(builder).objectOf('LotRecord', LOT_RECORD_SCHEMA),
        description:
          'The lot as the ledger holds it; its prices only for those who see them (see unitPrice).',
        resolve: async (r, _a, context) =>
          (await seesLotPrices(r, context)) ? r.record : withoutPrices(r.record as unknown as Json),
      }),
      explanation: t.field({
        type: lotPlacementType(builder),
        nullable: true,
        description:
          "The matcher's reason for this lot: its cost per unit and the next-best slot when it was chosen. For the lot's factory (the next-best slot only when it is its own) and overseers.",
        resolve: async (r, _a, context) => {
          const viewer = viewpointOf(context);
          return explanationFor(
            viewer,
            r.record.factoryMspId,
            (await context.loaders.explanationOfLot(r.id)) as MovedLot | null,
            await context.loaders.factoriesOfOrganisation(viewer.mspId),
          );
        },
      }),
    }),
  });

  const BidAwardType = builder
    .objectRef<Omit<BidAward, 'unitPrice'> & { unitPrice: number | null }>('BidAward')
    .implement({
      description: 'The bid a work order was awarded to.',
      fields: (t) => ({
        factoryId: t.exposeString('factoryId'),
        factoryMspId: t.exposeString('factoryMspId'),
        unitPrice: t.field({
          type: 'SafeInt',
          nullable: true,
          description: 'Per unit, in fen; only for the customer and the awarded factory (and overseers).',
          resolve: (a) => a.unitPrice,
        }),
        quantity: t.exposeInt('quantity'),
        finishBy: t.exposeString('finishBy'),
        awardedAt: t.exposeString('awardedAt'),
      }),
    });
  const ProcessOfferType = builder
    .objectRef<{ process: Process; pricePerMinute: number | null }>('ProcessOffer')
    .implement({
      description: 'A process a factory offers, and its list price per minute (in fen) for those who see it.',
      fields: (t) => ({
        process: t.field({
          type: schemaTypesOf(builder).enumOf('ProcessOffer', 'process', PROCESSES) as never,
          resolve: (o) => o.process as never,
        }),
        pricePerMinute: t.expose('pricePerMinute', {
          type: 'SafeInt',
          nullable: true,
          description: "Only for customers, overseers and the factory's own organisation.",
        }),
      }),
    });

  const types = schemaTypesOf(builder);
  /** The enum of a record's field, from the values its JSON Schema allows. */
  const enumOfField = (base: string, schema: unknown, field: string): never =>
    types.enumOf(base, field, (schema as RequestSchema).properties?.[field]?.enum ?? []) as never;

  // Made when the schema is built, after the work order's own enums (its priority names Priority).
  const amendmentType = () => types.objectOf('Amendment', amendmentSchema as RequestSchema);
  const WorkOrderType = builder.objectRef<Stored<WorkOrder>>('WorkOrder').implement({
    fields: (t) => ({
      id: t.string({ resolve: (r) => r.id }),
      partNumber: t.string({ resolve: (r) => r.record.partNumber }),
      quantity: t.int({ resolve: (r) => r.record.quantity }),
      status: t.field({
        type: enumOfField('WorkOrder', workOrderSchema, 'status'),
        resolve: (r) => r.record.status as never,
      }),
      priority: t.field({
        type: enumOfField('WorkOrder', workOrderSchema, 'priority'),
        resolve: (r) => r.record.priority as never,
      }),
      dueBucket: t.string({ resolve: (r) => r.record.dueBucket }),
      maxUnitPrice: t.field({ type: 'SafeInt', resolve: (r) => r.record.maxUnitPrice }),
      latePenaltyPerUnitPerBucket: t.field({
        type: 'SafeInt',
        description: 'What each unit delivered late costs the factory per shift late, in fen.',
        resolve: (r) => r.record.latePenaltyPerUnitPerBucket,
      }),
      customerMspId: t.string({ resolve: (r) => r.record.customerMspId }),
      materials: t.field({
        type: [types.objectOf('WorkOrderMaterial', propertyOf(workOrderSchema, 'materials'))],
        nullable: true,
        description:
          "What the customer's suppliers deliver for it: for its customer, the factories holding a lot of it and overseers.",
        resolve: async (r, _a, context) => {
          const lots = await context.loaders.lotsOfWorkOrder(r.id);
          return seesMaterialsOf(
            viewpointOf(context),
            r.record.customerMemberId,
            lots.map((l) => l.record.factoryMspId),
          )
            ? (r.record.materials ?? [])
            : null;
        },
      }),
      materialsAwaitingChoice: t.stringList({
        description:
          'Materials whose supplier reported a delay the customer has not answered yet (supplyAlternatives shows its choices): for its customer and overseers.',
        resolve: async (r, _a, context) => {
          const viewer = viewpointOf(context);
          return viewer.memberId === r.record.customerMemberId || overseesAll(viewer)
            ? context.loaders.materialsAwaitingChoice(r.id)
            : [];
        },
      }),
      publishedAt: t.string({ resolve: (r) => r.record.publishedAt }),
      updatedAt: t.string({ resolve: (r) => r.record.updatedAt }),
      routing: t.field({
        type: [schemaTypesOf(builder).objectOf('RoutingOperation', operationSchema as RequestSchema)],
        resolve: (r) => r.record.routing,
      }),
      bidWindowEnd: t.string({
        nullable: true,
        description: 'When set, factories may seal bids until this instant.',
        resolve: (r) => r.record.bidWindowEnd ?? null,
      }),
      award: t.field({
        type: BidAwardType,
        nullable: true,
        description:
          'The bid the customer awarded the work order to, once awarded; its price only for the customer and the awarded factory (and overseers).',
        resolve: (r, _a, context) => {
          const { award } = r.record;
          if (award === undefined) return null;
          return seesPricesOf(viewpointOf(context), award.factoryMspId, r.record.customerMemberId)
            ? award
            : { ...award, unitPrice: null };
        },
      }),
      lots: t.field({
        type: [LotType],
        resolve: (r, _args, context) => context.loaders.lotsOfWorkOrder(r.id),
      }),
      amendments: t.field({
        type: [amendmentType()],
        description:
          'Every change the customer made to the order, oldest first: applied, waiting for the consent of the factories whose accepted lots it touches, or declined.',
        resolve: (r, _args, context) => context.loaders.amendmentsOfWorkOrder(r.id) as never,
      }),
      amendmentCount: t.int({
        description: 'How many amendments the customer made (applied, waiting or declined).',
        resolve: (r) => r.record.amendments ?? 0,
      }),
      pendingAmendment: t.int({
        nullable: true,
        description: 'The amendment waiting for factories’ consent, if any.',
        resolve: (r) => r.record.pendingAmendment ?? null,
      }),
    }),
  });

  const QuotaTermsType = builder.objectRef<QuotaTerms>('QuotaTerms').implement({
    description:
      'What becomes of the unused part of a quota’s prepayment: refunded on release with enough notice, refunded in part at expiry; the rest is forfeited to the factory.',
    fields: (t) => ({
      releaseRefundPercent: t.exposeInt('releaseRefundPercent'),
      releaseNoticeHours: t.exposeInt('releaseNoticeHours'),
      expiryRefundPercent: t.exposeInt('expiryRefundPercent'),
    }),
  });
  const QuotaPaymentType = builder.objectRef<QuotaPayment>('QuotaPayment').implement({
    description:
      'The prepayment a bought quota created, in fen: due at once to the selling factory, declared paid by the buyer, confirmed received by the factory; split for good when the quota closes (used + refunded + forfeited = amount).',
    fields: (t) => ({
      amount: t.expose('amount', { type: 'SafeInt' }),
      status: t.exposeString('status', { description: 'DUE, DECLARED or CONFIRMED.' }),
      payeeMspId: t.exposeString('payeeMspId'),
      paymentReference: t.string({ nullable: true, resolve: (p) => p.paymentReference ?? null }),
      declaredAt: t.string({ nullable: true, resolve: (p) => p.declaredAt ?? null }),
      confirmedAt: t.string({ nullable: true, resolve: (p) => p.confirmedAt ?? null }),
      closedBy: t.string({ nullable: true, resolve: (p) => p.closed?.by ?? null }),
      usedValue: t.int({ nullable: true, resolve: (p) => p.closed?.usedValue ?? null }),
      refunded: t.field({ type: 'SafeInt', nullable: true, resolve: (p) => p.closed?.refunded ?? null }),
      forfeited: t.field({ type: 'SafeInt', nullable: true, resolve: (p) => p.closed?.forfeited ?? null }),
    }),
  });

  const QuotaType = builder.objectRef<Stored<CapacityQuota>>('CapacityQuota').implement({
    fields: (t) => ({
      terms: t.field({
        type: QuotaTermsType,
        resolve: (r) => r.record.terms ?? DEFAULT_QUOTA_TERMS,
      }),
      payment: t.field({
        type: QuotaPaymentType,
        nullable: true,
        description:
          'Its prepayment, once bought: for its buyer, the selling factory’s organisation and the overseers.',
        resolve: async (r, _a, context) => {
          const [payment] = await recordsByIds(context.pool, 'QuotaPayment', [r.id]);
          if (payment === undefined) return null;
          const viewer = viewpointOf(context);
          const party =
            viewer.memberId === payment.payerMemberId ||
            (viewer.role === 'factory' && viewer.mspId === payment.payeeMspId);
          return party || overseesAll(viewer) ? payment : null;
        },
      }),
      id: t.string({ resolve: (r) => r.id }),
      factoryId: t.string({ resolve: (r) => r.record.factoryId }),
      process: t.field({
        type: enumOfField('CapacityQuota', quotaSchema, 'process'),
        resolve: (r) => r.record.process as never,
      }),
      windowStart: t.string({ resolve: (r) => r.record.windowStart }),
      windowEnd: t.string({ resolve: (r) => r.record.windowEnd }),
      minutes: t.int({ resolve: (r) => r.record.minutes }),
      consumedMinutes: t.int({ resolve: (r) => r.record.consumedMinutes }),
      returnedMinutes: t.int({
        nullable: true,
        description: 'Minutes handed back when the quota was released.',
        resolve: (r) => r.record.returnedMinutes ?? null,
      }),
      pricePerMinute: t.field({ type: 'SafeInt', resolve: (r) => r.record.pricePerMinute }),
      status: t.field({
        type: enumOfField('CapacityQuota', quotaSchema, 'status'),
        resolve: (r) => r.record.status as never,
      }),
      listedAt: t.string({ resolve: (r) => r.record.listedAt }),
      soldAt: t.string({ nullable: true, resolve: (r) => r.record.soldAt ?? null }),
      updatedAt: t.string({ resolve: (r) => r.record.updatedAt }),
    }),
  });

  const FactoryType = builder.objectRef<Stored<Factory>>('Factory').implement({
    fields: (t) => ({
      id: t.string({ resolve: (r) => r.id }),
      name: t.string({ resolve: (r) => r.record.name }),
      location: t.string({ resolve: (r) => r.record.location }),
      mspId: t.string({ resolve: (r) => r.record.mspId }),
      createdAt: t.string({ resolve: (r) => r.record.createdAt }),
      updatedAt: t.string({ resolve: (r) => r.record.updatedAt }),
      processes: t.field({
        type: [ProcessOfferType],
        description:
          "Processes offered; their prices per minute for customers and the factory's own organisation.",
        resolve: (r, _a, context) =>
          seesListPricesOf(viewpointOf(context), r.record.mspId)
            ? r.record.processes
            : r.record.processes.map(({ process }) => ({ process, pricePerMinute: null })),
      }),
    }),
  });

  const poolPage = async (
    context: ApiContext,
    status: string | null | undefined,
    page: ResolveCursorConnectionArgs,
    customerMemberId: string | null = null,
  ) => {
    const query = {
      status: status ?? null,
      customerMemberId,
      after: page.after ?? null,
      before: page.before ?? null,
      limit: page.limit,
      descending: page.inverted,
    };
    return context.readCache.get(`pool\u0000${JSON.stringify(query)}`, () =>
      workOrderPage(context.pool, query),
    );
  };

  const LotTraceType = builder.objectRef<LotTrace>('LotTrace').implement({
    description: 'One lot of a traced work order: the lot and everything that happened to its goods.',
    fields: (t) => ({
      lot: t.field({ type: types.objectOf('LotRecord', LOT_RECORD_SCHEMA), resolve: (l) => l.lot }),
      custody: t.field({
        type: types.objectOf('Custody', custodySchema as RequestSchema),
        nullable: true,
        resolve: (l) => l.custody ?? null,
      }),
      handOvers: t.field({
        type: [types.objectOf('HandOver', handOverSchema as RequestSchema)],
        resolve: (l) => l.handOvers,
      }),
      progress: t.field({
        type: [types.objectOf('OperationProgress', progressSchema as RequestSchema)],
        resolve: (l) => l.progress,
      }),
      exceptions: t.field({
        type: [types.objectOf('OperationException', exceptionSchema as RequestSchema)],
        resolve: (l) => l.exceptions,
      }),
      settlement: t.field({
        type: types.objectOf('Settlement', settlementParser.schema as RequestSchema),
        nullable: true,
        resolve: (l) => l.settlement ?? null,
      }),
    }),
  });
  const TraceType = builder.objectRef<WorkOrderTrace>('WorkOrderTrace').implement({
    description:
      'A work order through every factory: its lots as they stand, and every committed step in time order with the transaction that made it.',
    fields: (t) => ({
      workOrder: t.field({
        type: WorkOrderType,
        resolve: (w) => ({ id: w.workOrder.workOrderId, record: w.workOrder }),
      }),
      lots: t.field({ type: [LotTraceType], resolve: (w) => w.lots }),
      steps: t.field({ type: [recordVersionType(builder)], resolve: (w) => w.steps }),
    }),
  });

  builder.queryFields((t) => ({
    pool: t.connection({
      type: WorkOrderType,
      description:
        'The shared pool of work orders, by id, optionally of one status. Factories and overseers read the whole pool (open demand is offered to every factory); a customer reads its own orders only (`mine` is kept for older clients and changes nothing for it).',
      authScopes: { role: [...POOL_READERS] },
      args: { status: t.arg.string(), mine: t.arg.boolean() },
      resolve: (_r, args, context) =>
        resolveCursorConnection<Promise<Stored<WorkOrder>[]>>(
          { args, toCursor: (row: Stored<WorkOrder>) => row.id },
          (page) =>
            poolPage(
              context,
              args.status,
              page,
              args.mine === true || viewpointOf(context).role === 'customer'
                ? memberIdOfCaller(context)
                : null,
            ),
        ),
    }),
    workOrder: t.field({
      type: WorkOrderType,
      nullable: true,
      description:
        "One work order: for factories and overseers any in the pool, for a customer only its own (another's is answered as not found, like the ledger's NOT_PARTY but without saying it exists).",
      authScopes: { role: [...POOL_READERS] },
      args: { id: t.arg.string({ required: true }) },
      resolve: async (_r, { id }, context) => {
        const found = await workOrderById(context.pool, id);
        if (found === undefined) return null;
        const viewer = viewpointOf(context);
        return viewer.role === 'customer' && found.record.customerMemberId !== viewer.memberId ? null : found;
      },
    }),
    amendmentsAwaitingMe: t.field({
      type: [amendmentType()],
      description:
        "Amendments that touch the caller's organisation's accepted lots and wait for its consent, oldest first.",
      authScopes: { role: ['factory'] },
      resolve: (_r, _a, context) => amendmentsAwaiting(context.pool, mspOf(context)) as never,
    }),
    incomingLots: t.connection({
      type: LotType,
      description:
        "Lots the matcher assigned to the caller's factories that wait for them to accept or turn down, most urgent first; of one work order when given. A lot past its deadline is left out: the ledger no longer takes a decision on it.",
      authScopes: { role: ['factory'] },
      args: { workOrderId: t.arg.string() },
      resolve: (_r, args, context) =>
        pagedList(args, (page) =>
          lotsAwaitingDecision(context.pool, mspOf(context), args.workOrderId ?? null, page),
        ),
    }),
    lotsInShifts: t.field({
      type: [LotType],
      description: `The lots placed in the given shifts (at most ${MAX_SHIFTS}), not turned down, moved or cancelled: a Gantt chart's rows, by shift and factory (at most 2,000). A factory sees its own organisation's lots (another plant's schedule is its load), a customer its own orders'; overseers all.`,
      authScopes: { role: [...POOL_READERS] },
      args: { buckets: t.arg.stringList({ required: true }) },
      resolve: async (_r, { buckets }, context) => {
        if (buckets.length > MAX_SHIFTS)
          throw coded('REQUEST.TOO_MANY_SHIFTS', `at most ${MAX_SHIFTS} shifts at a time`);
        const viewer = viewpointOf(context);
        const all = overseesAll(viewer);
        return lotsInShifts(
          context.pool,
          buckets,
          !all && viewer.role === 'factory' ? viewer.mspId : null,
          !all && viewer.role === 'customer' ? viewer.memberId : null,
        );
      },
    }),
    factories: t.field({
      type: [FactoryType],
      authScopes: { role: [...POOL_READERS] },
      resolve: (_r, _a, context) => allFactories(context.pool),
    }),
    quotaMarket: t.connection({
      type: QuotaType,
      description:
        "Capacity quotas (工单额度), listed and sold: every one for customers and overseers, a factory's own organisation's only (not its rivals' offers).",
      authScopes: { role: [...POOL_READERS] },
      args: { status: t.arg.string() },
      resolve: (_r, args, context) => {
        const viewer = viewpointOf(context);
        return pagedList(args, (page) =>
          quotas(context.pool, args.status ?? null, page, viewer.role === 'factory' ? viewer.mspId : null),
        );
      },
    }),
    trace: t.field({
      type: TraceType,
      description:
        'A work order through every factory and ledger transaction, read from the ledger as the caller.',
      authScopes: { role: [...POOL_READERS] },
      args: { workOrderId: t.arg.string({ required: true }) },
      resolve: async (_r, { workOrderId }, context) => {
        // Every lot's prices and settlements are in it: for overseers and the order's own customer.
        const viewer = viewpointOf(context);
        if (
          !overseesAll(viewer) &&
          (await context.loaders.customerOfWorkOrder(workOrderId)) !== viewer.memberId
        )
          throw coded(
            'ACCESS.NOT_PARTY',
            "a work order's trace is for its customer, the operator and auditors",
          );
        return ledgerQuery(context, 'Trace', 'TraceWorkOrder', [workOrderId]) as Promise<WorkOrderTrace>;
      },
    }),
    processParameters: t.field({
      type: processParameterTypes(builder).record,
      description:
        "A work order's process parameters: for its customer and the factories holding its lots, from their own organisation's private collection (an operator or auditor has no need of a customer's process know-how).",
      authScopes: { role: ['factory', 'customer'] },
      args: { workOrderId: t.arg.string({ required: true }) },
      resolve: (_r, { workOrderId }, context) =>
        ledgerQuery(context, 'ProcessParameters', 'GetProcessParameters', [
          workOrderId,
        ]) as Promise<ProcessParameters>,
    }),
    bids: t.field({
      type: [schemaTypesOf(builder).objectOf('Bid', bidParser.schema as RequestSchema)],
      description:
        "Revealed bids on a work order: a sealed bid is nobody else's to see until it is revealed; then the order's customer and overseers see them all, a factory its own organisation's.",
      authScopes: { role: [...POOL_READERS] },
      args: { workOrderId: t.arg.string({ required: true }) },
      resolve: async (_r, { workOrderId }, context) => {
        const bids = (await ledgerQuery(context, 'Bid', 'GetBids', [workOrderId])) as {
          factoryMspId?: string;
        }[];
        const viewer = viewpointOf(context);
        const customer = await context.loaders.customerOfWorkOrder(workOrderId);
        return bids.filter((bid) => seesPricesOf(viewer, bid.factoryMspId, customer));
      },
    }),
  }));
  return { LotType, WorkOrderType };
}
