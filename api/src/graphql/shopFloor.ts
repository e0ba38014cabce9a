import { allianceAnalytics } from '../analytics/read.js';
import type { AnalyticsScope } from '../analytics/scope.js';
import { periodProblem } from '../analytics/period.js';
import { overseesAll } from '../access/commercialData.js';
import { concerns, type Alert, type AlertAudience } from '../alerts/service.js';
import { lotOnTheFloor } from '../repositories/lots.js';
import { allRecordsOf } from '../repositories/records.js';
import { partFamilyHistory } from '../repositories/workOrders.js';
import {
  learnTemplate,
  type BestFactory,
  type LearnedOperation,
  type LearnedTemplate,
} from '../templates/learn.js';
import { coded, memberIdOfCaller, mspOf, viewpointOf, type ApiContext } from './context.js';
import type { ApiBuilder } from './builder.js';
import { pagedList } from './connections.js';
import { schemaTypesOf, type RequestSchema } from './schemaTypes.js';
import { LOT_RECORD_SCHEMA } from './lotRecord.js';
import { analyticsType } from './analytics.js';
import {
  exceptionSchema,
  operationSchema,
  PROCESSES,
  progressSchema,
  standardConsumptionSchema,
} from '@fabpool/chaincode/model';
import { FLOOR_NEXT_KINDS, nextOnTheFloor, type FloorNext } from '@fabpool/chaincode/rules/progress';

const ALERT_ROLES = ['operator', 'auditor', 'factory', 'customer'] as const;

function audienceOf(context: ApiContext) {
  const viewpoint = viewpointOf(context);
  if (!(ALERT_ROLES as readonly string[]).includes(viewpoint.role))
    throw coded('ACCESS.WRONG_ROLE', 'your role may not do this');
  return viewpoint;
}

/** Only the alerts of one audience, as they are raised. */
async function* concerning(alerts: AsyncIterable<Alert>, audience: AlertAudience): AsyncGenerator<Alert> {
  for await (const alert of alerts) if (concerns(alert, audience)) yield alert;
}

/** Alerts to the people concerned, and the alliance's shop-floor figures: overruns, frozen operations, escalations, supplier delays. */
export function addAlertFields(builder: ApiBuilder): void {
  // One lot as the shop floor reads it: the chaincode's records, as their JSON Schemas define them.
  const types = schemaTypesOf(builder);
  const FloorNextType = builder.objectRef<FloorNext>('FloorNext').implement({
    description:
      "What a lot waits for (its factory's decision, material, a count, an exception's answer) or the scan it is ready for (start or report an operation, with the units to count), by the rules the ledger applies to the scan.",
    fields: (t) => ({
      kind: t.field({
        type: builder.enumType('FloorNextKind', { values: FLOOR_NEXT_KINDS }),
        resolve: (n) => n.kind,
      }),
      seq: t.int({ nullable: true, resolve: (n) => n.seq ?? null }),
      quantity: t.int({ nullable: true, resolve: (n) => n.quantity ?? null }),
    }),
  });
  const LotOnTheFloorType = builder
    .objectRef<{
      lot: object;
      partNumber: string | null;
      routing: object[];
      progress: object[];
      exceptions: object[];
      next: FloorNext;
    }>('LotOnTheFloor')
    .implement({
      description:
        "One lot on the shop floor: the lot, its work order's part and routing, each operation's progress and its exceptions, and what it waits for or the scan it is ready for.",
      fields: (t) => ({
        lot: t.field({
          type: types.objectOf('LotRecord', LOT_RECORD_SCHEMA),
          resolve: (v) => v.lot,
        }),
        partNumber: t.string({ nullable: true, resolve: (v) => v.partNumber }),
        routing: t.field({
          type: [types.objectOf('RoutingOperation', operationSchema as RequestSchema)],
          resolve: (v) => v.routing,
        }),
        progress: t.field({
          type: [types.objectOf('OperationProgress', progressSchema as RequestSchema)],
          resolve: (v) => v.progress,
        }),
        exceptions: t.field({
          type: [types.objectOf('OperationException', exceptionSchema as RequestSchema)],
          resolve: (v) => v.exceptions,
        }),
        next: t.field({ type: FloorNextType, resolve: (v) => v.next }),
      }),
    });
  const AlertType = builder.objectRef<Alert>('Alert').implement({
    fields: (t) => ({
      id: t.exposeInt('id'),
      kind: t.exposeString('kind'),
      raisedAt: t.exposeString('raisedAt'),
      workOrderId: t.exposeString('workOrderId', { nullable: true }),
      lotId: t.exposeString('lotId', { nullable: true }),
      message: t.exposeString('message'),
      detail: t.field({ type: 'JSON', resolve: (a) => a.detail }),
    }),
  });
  const BestFactoryType = builder.objectRef<BestFactory>('TemplateBestFactory').implement({
    description: 'The plant that did an operation best for the part family: least time per good unit.',
    fields: (t) => ({
      factoryId: t.exposeString('factoryId'),
      minutesPerUnit: t.exposeFloat('minutesPerUnit', { description: 'Median over its lots.' }),
      firstPassYield: t.exposeFloat('firstPassYield', { description: 'Good units out of units in.' }),
      lots: t.exposeInt('lots'),
    }),
  });
  // Where a proposed figure comes from: its time's and its consumption's alike.
  const sourceType = types.enumOf(
    'TemplateOperation',
    'source',
    ['MEASURED_MEDIAN', 'LAST_ORDER'],
    'StandardTimeSource',
  ) as never;
  const TemplateOperationType = builder.objectRef<LearnedOperation>('TemplateOperation').implement({
    description: 'One operation of a template, with where its standard time comes from.',
    fields: (t) => ({
      seq: t.exposeInt('seq'),
      process: t.field({
        type: types.enumOf('Routing', 'process', PROCESSES) as never,
        resolve: (o) => o.process as never,
      }),
      standardMinutes: t.exposeFloat('standardMinutes', { description: 'Minutes per unit proposed.' }),
      source: t.field({
        type: sourceType,
        resolve: (o) => o.source as never,
        description:
          'MEASURED_MEDIAN: the median of the minutes per unit its lots’ scans measured; LAST_ORDER: nothing measured yet, the latest order’s figure.',
      }),
      measuredLots: t.exposeInt('measuredLots', { description: 'Lots the standard time rests on.' }),
      lastOrderMinutes: t.exposeFloat('lastOrderMinutes', {
        description: 'What the latest order of this routing said.',
      }),
      bestFactory: t.field({ type: BestFactoryType, nullable: true, resolve: (o) => o.bestFactory ?? null }),
      material: t.field({
        type: types.objectOf('RoutingOperationMaterial', standardConsumptionSchema as RequestSchema),
        nullable: true,
        description: 'The standard consumption proposed, when the operation has one.',
        resolve: (o) => o.material ?? null,
      }),
      materialSource: t.field({
        type: sourceType,
        nullable: true,
        resolve: (o) => (o.materialSource ?? null) as never,
        description:
          'MEASURED_MEDIAN: the median of the material per piece its lots reported; LAST_ORDER: fewer than three reported, the latest order’s figure.',
      }),
      materialMeasuredLots: t.int({
        nullable: true,
        description: 'Lots the standard consumption rests on.',
        resolve: (o) => o.materialMeasuredLots ?? null,
      }),
      lastOrderPerUnit: t.float({
        nullable: true,
        description: 'The standard consumption the latest order of this routing said.',
        resolve: (o) => o.lastOrderPerUnit ?? null,
      }),
    }),
  });
  const TemplateType = builder
    .objectRef<LearnedTemplate & { factoryIds: string[] }>('WorkOrderTemplate')
    .implement({
      description:
        "What the part family's history teaches a new order: the routing most used, standard times from measured scans, the plants that did each operation best.",
      fields: (t) => ({
        family: t.exposeString('family'),
        fromWorkOrderId: t.exposeString('fromWorkOrderId', {
          description: 'The latest order of the routing proposed.',
        }),
        partNumber: t.exposeString('partNumber'),
        ordersInFamily: t.exposeInt('ordersInFamily'),
        routingUsedBy: t.exposeInt('routingUsedBy', {
          description: 'Orders of the family that used this routing.',
        }),
        operations: t.field({ type: [TemplateOperationType], resolve: (v) => v.operations }),
        routing: t.field({
          type: [types.objectOf('RoutingOperation', operationSchema as RequestSchema)],
          description: 'The operations as a publish request takes them.',
          resolve: (v) =>
            v.operations.map(({ seq, process, standardMinutes, material }) => ({
              seq,
              process,
              standardMinutes,
              ...(material === undefined ? {} : { material }),
            })),
        }),
        // Money in fen reaches 10^12 (the schemas' bound): beyond a GraphQL Int.
        maxUnitPrice: t.field({ type: 'SafeInt', resolve: (v) => v.maxUnitPrice }),
        latePenaltyPerUnitPerBucket: t.field({
          type: 'SafeInt',
          resolve: (v) => v.latePenaltyPerUnitPerBucket,
        }),
        factoryIds: t.exposeStringList('factoryIds', { description: 'The plants that made that order.' }),
      }),
    });
  const AnalyticsType = analyticsType(builder);
  builder.queryFields((t) => ({
    workOrderTemplate: t.field({
      type: TemplateType,
      nullable: true,
      description:
        "The work-order template the caller's history of the part family (the part number before its first '-' or space) teaches: the routing most used, each standard time the median of what the scans measured, the plants that did each operation best, and the latest such order's price terms.",
      authScopes: { role: ['customer'] },
      args: { partNumber: t.arg.string({ required: true }) },
      resolve: async (_r, { partNumber }, context) => {
        const family = partNumber.trim().split(/[-\s]/)[0] ?? '';
        if (family === '') return null;
        const { orders, measured } = await partFamilyHistory(context.pool, memberIdOfCaller(context), family);
        const learned = learnTemplate(family, orders, measured);
        if (learned === undefined) return null;
        const lots = await context.loaders.lotsOfWorkOrder(learned.fromWorkOrderId);
        return { ...learned, factoryIds: [...new Set(lots.map((l) => l.record.factoryId))].sort() };
      },
    }),
    lotStatus: t.field({
      type: LotOnTheFloorType,
      nullable: true,
      description:
        "What the shop floor needs of one lot: its work order's part and routing, each operation's progress, and any open exception (which freezes the next step).",
      authScopes: { role: ['operator', 'auditor', 'factory'] },
      args: { lotId: t.arg.string({ required: true }) },
      resolve: async (_r, { lotId }, context) => {
        const found = await lotOnTheFloor(context.pool, lotId);
        if (found === undefined) return null;
        if (context.viewer?.role === 'factory' && found.lot.factoryMspId !== mspOf(context))
          throw coded('ACCESS.NOT_OWNER', `lot ${lotId} is not your organisation's`);
        return {
          lot: found.lot,
          partNumber: found.workOrder?.partNumber ?? null,
          routing: found.workOrder?.routing ?? [],
          progress: found.progress,
          exceptions: found.exceptions,
          next: nextOnTheFloor(found.lot, found.custody, found.progress, found.exceptions),
        };
      },
    }),
    analytics: t.field({
      type: AnalyticsType,
      description:
        'Cycle-time distribution, waiting time per operation, exception Pareto, material variance, an SPC chart of one process (CNC by default) and the health index (on-time rate × first-pass yield × utilisation) per factory and per open work order.',
      authScopes: { role: [...ALERT_ROLES] },
      args: {
        process: t.arg.string({ defaultValue: 'CNC' }),
        customerMspId: t.arg.string({
          description:
            "Operators and auditors: one customer company's figures (its work orders, their lots and the plants that worked them).",
        }),
        from: t.arg.string({
          description:
            'With `to`: the figures of a period only (ISO-8601, from inclusive, to exclusive, at most a year): work orders by due shift, lots and capacity by shift, operations by start, exceptions by opening, hand-overs by confirmation.',
        }),
        to: t.arg.string(),
      },
      resolve: (_r, { process, customerMspId, from, to }, context) => {
        if ((from == null) !== (to == null))
          throw coded('REQUEST.INVALID_ARGUMENT', 'a period needs both from and to');
        const period = from == null || to == null ? undefined : { from, to };
        const problem = period === undefined ? undefined : periodProblem(period);
        if (problem !== undefined) throw coded('REQUEST.INVALID_ARGUMENT', problem);
        // A factory's figures are its own plants', a customer's its own orders'.
        const viewer = viewpointOf(context);
        if (customerMspId != null && !overseesAll(viewer))
          throw coded('ACCESS.NOT_PARTY', "another company's figures are for operators and auditors");
        const scope: AnalyticsScope =
          viewer.role === 'factory'
            ? { kind: 'factory', factoryMspId: viewer.mspId }
            : viewer.role === 'customer'
              ? { kind: 'customer', customerMemberId: viewer.memberId }
              : customerMspId == null
                ? { kind: 'alliance' }
                : { kind: 'customerCompany', customerMspId };
        return allianceAnalytics(context.pool, process ?? 'CNC', scope, period);
      },
    }),
    customerCompanies: t.stringList({
      description:
        'The customer companies (organisations) with work orders in the pool: whose figures an overseer may ask for.',
      authScopes: { role: ['operator', 'auditor'] },
      resolve: async (_r, _a, context) =>
        [
          ...new Set((await allRecordsOf(context.pool, 'WorkOrder')).map((w) => w.record.customerMspId)),
        ].sort(),
    }),
    alerts: t.connection({
      type: AlertType,
      description:
        "The latest alerts concerning the caller: operators and auditors see all, a factory its lots', a customer its orders'.",
      authScopes: { role: [...ALERT_ROLES] },
      resolve: (_r, args, context) =>
        pagedList(args, (page) => context.alerts.list(audienceOf(context), page)),
    }),
  }));
  builder.subscriptionFields((t) => ({
    alerts: t.field({
      type: AlertType,
      description: 'Alerts concerning the caller as they are raised (server-sent events).',
      // Checked here, where the stream starts.
      subscribe: (_r, _a, context) =>
        concerning(context.changes.subscribe('alert:raised'), audienceOf(context)),
      resolve: (alert) => alert,
    }),
  }));
}
