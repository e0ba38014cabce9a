import { firstRows } from '../repositories/queryable.js';
import {
  operationSchema,
  PROCESSES,
  supplyDelayParser,
  type AssignmentRun,
  type Process,
} from '@fabpool/chaincode/model';
import { reportParsers } from '../matching/reports.js';
import { decodeUtf8 } from './imports.js';
import { plainJson, requestArgument, schemaTypesOf, type RequestSchema } from './schemaTypes.js';
import { sandbox, type SandboxChange, type SandboxImpact, type SandboxLot } from '../matching/sandbox.js';
import { impactSeenBy, type ImpactSeen } from '../matching/sandboxView.js';
import type { MatcherRun } from '../matching/service.js';
import { TRIGGER_KINDS, type MovedLot, type Trigger } from '../matching/runs.js';
import { figuresSeenBy, triggerSeenBy, type RunReader, type RunSeen } from '../matching/runView.js';
import { lotById } from '../repositories/lots.js';
import { explanationFor, overseesAll } from '../access/commercialData.js';
import { loadGrid, type LoadCell } from '../repositories/capacity.js';
import { saveLoadReport, saveOutage } from '../repositories/factoryReports.js';
import { factoryById } from '../repositories/factories.js';
import { workOrderById } from '../repositories/workOrders.js';
import {
  checked,
  coded,
  ledgerCall,
  memberOf,
  mspOf,
  submitRequest,
  viewpointOf,
  type ApiContext,
} from './context.js';
import { replayAssignmentRun, type ReplayReport } from '../matching/replay.js';
import { allRecordsOf, latestAssignmentRuns } from '../repositories/records.js';
import type { ApiBuilder } from './builder.js';
import { pagedList } from './connections.js';
import { lotPlacementType } from './placement.js';

interface Operation {
  seq: number;
  process: Process;
  standardMinutes: number;
}

/** A factory the caller's organisation runs (operators may speak for any). */
async function ownFactory(context: ApiContext, factoryId: string): Promise<void> {
  const factory = await factoryById(context.pool, factoryId);
  if (factory === undefined) throw coded('FACTORY.NOT_FOUND', `no factory ${factoryId}`);
  if (context.viewer?.role !== 'operator' && factory.record.mspId !== mspOf(context))
    throw coded('ACCESS.NOT_OWNER', `factory ${factoryId} is not your organisation's`);
}

/** The matcher service through the api: runs, triggers, live load, outages, supplier delays, the sandbox. */
/** The lots of a run a factory (its own plants', with the reasoning) or a customer (its orders') sees. */
async function movedSeenBy(context: ApiContext, moved: readonly MovedLot[]): Promise<MovedLot[]> {
  const viewer = viewpointOf(context);
  const own = await context.loaders.factoriesOfOrganisation(viewer.mspId);
  const visible: MovedLot[] = [];
  for (const lot of moved) {
    if (viewer.role === 'factory' && own.has(lot.factoryId))
      visible.push(explanationFor(viewer, viewer.mspId, lot, own) ?? lot);
    else if (
      viewer.role === 'customer' &&
      (await context.loaders.customerOfWorkOrder(lot.workOrderId)) === viewer.memberId
    )
      visible.push({ ...lot, why: undefined });
  }
  return visible;
}

/** A run as a member who does not oversee the pool sees it (see runView). */
async function runSeenBy(context: ApiContext, run: MatcherRun): Promise<RunSeen> {
  const viewer = viewpointOf(context);
  const ownFactories = await context.loaders.factoriesOfOrganisation(viewer.mspId);
  const ownsWorkOrder = async (id: string) =>
    viewer.role === 'customer' && (await context.loaders.customerOfWorkOrder(id)) === viewer.memberId;
  const reader: RunReader = {
    owns: async (record, id) => {
      if (record === 'WorkOrder') return ownsWorkOrder(id);
      if (record === 'Factory') return viewer.role === 'factory' && ownFactories.has(id);
      const lot = await lotById(context.pool, id);
      if (lot === undefined) return false;
      return viewer.role === 'factory'
        ? ownFactories.has(lot.record.factoryId)
        : ownsWorkOrder(lot.record.workOrderId);
    },
  };
  const moved = await movedSeenBy(context, run.moved ?? (await context.matcher.movedOf(run.id)));
  return {
    ...run,
    ...figuresSeenBy(moved),
    triggers: await Promise.all(run.triggers.map((trigger) => triggerSeenBy(trigger, reader))),
    moved,
    // The solver's input is the whole pool's (its hash is for the overseers' replay).
    inputHash: null,
  };
}

export function addMatchingFields(builder: ApiBuilder): void {
  const TriggerKindType = builder.enumType('MatcherTriggerKind', {
    description:
      'Why the matcher ran: a schedule, a start, a person, an event of the pool, or the background improvement of a first plan.',
    values: TRIGGER_KINDS,
  });
  const TriggerType = builder.objectRef<Trigger>('MatcherTrigger').implement({
    description: 'One reason a run of the matcher happened.',
    fields: (t) => ({
      kind: t.field({ type: TriggerKindType, resolve: (r) => r.kind }),
      detail: t.exposeString('detail'),
    }),
  });
  const PlanCostType = builder.objectRef<Record<string, number>>('PlanCost').implement({
    description: "A plan's cost, in fen, term by term as the matcher weighs it.",
    fields: (t) => ({
      processing: t.float({ resolve: (c) => c.processing ?? 0 }),
      lateness: t.float({ resolve: (c) => c.lateness ?? 0 }),
      unplaced: t.float({ resolve: (c) => c.unplaced ?? 0 }),
      moves: t.float({ resolve: (c) => c.moves ?? 0 }),
      total: t.float({ resolve: (c) => c.total ?? 0 }),
    }),
  });
  const LoadReportType = builder
    .objectRef<{ factoryId: string; entries: number; reportedAt: string }>('LoadReport')
    .implement({
      description: "A factory's live load as the api kept it.",
      fields: (t) => ({
        factoryId: t.exposeString('factoryId'),
        entries: t.exposeInt('entries', { description: 'Process × shift entries kept.' }),
        reportedAt: t.exposeString('reportedAt'),
      }),
    });
  const MatcherRunType = builder.objectRef<RunSeen>('MatcherRun').implement({
    description: 'One run of the matcher service: why it ran and what it changed on the ledger.',
    fields: (t) => ({
      id: t.exposeInt('id'),
      startedAt: t.exposeString('startedAt'),
      millis: t.exposeInt('millis'),
      triggers: t.field({ type: [TriggerType], resolve: (r) => r.triggers }),
      ledgerRunIds: t.exposeStringList('ledgerRunIds'),
      inputHash: t.exposeString('inputHash', { nullable: true }),
      solver: t.exposeString('solver', { nullable: true }),
      lotsAdded: t.exposeInt('lotsAdded'),
      lotsWithdrawn: t.exposeInt('lotsWithdrawn'),
      lotsKept: t.int({
        nullable: true,
        description:
          'Lots the run left where they were: told to the overseers only (a figure of the whole pool).',
        resolve: (r) => r.lotsKept,
      }),
      unplacedUnits: t.int({
        nullable: true,
        description: 'Units the run found no room for, in the whole pool: told to the overseers only.',
        resolve: (r) => r.unplacedUnits,
      }),
      cost: t.field({ type: PlanCostType, nullable: true, resolve: (r) => r.cost }),
      moved: t.field({
        type: [lotPlacementType(builder)],
        description:
          "Lots the run added or withdrew: all for overseers; a factory's own (with the matcher's reasoning), a customer's own orders' (without it).",
        resolve: async (r, _a, context) => {
          const moved = r.moved ?? (await context.matcher.movedOf(r.id));
          return overseesAll(viewpointOf(context)) ? moved : movedSeenBy(context, moved);
        },
      }),
      error: t.exposeString('error', { nullable: true }),
    }),
  });
  const SandboxLotType = builder.objectRef<SandboxLot>('SandboxLot').implement({
    description: 'A lot of a what-if plan.',
    fields: (t) => ({
      workOrderId: t.exposeString('workOrderId'),
      seq: t.exposeInt('seq'),
      factoryId: t.exposeString('factoryId'),
      bucket: t.exposeString('bucket'),
      quantity: t.exposeInt('quantity'),
      quotaId: t.string({ nullable: true, resolve: (l) => l.quotaId ?? null }),
      committed: t.boolean({
        description: 'Accepted or running: the matcher does not move it.',
        resolve: (l) => l.committed === true,
      }),
      unitPrice: t.field({
        type: 'SafeInt',
        nullable: true,
        description: 'Per unit, in fen.',
        resolve: (l) => l.unitPrice ?? null,
      }),
    }),
  });
  const SandboxMoveType = builder.objectRef<SandboxImpact['moved'][number]>('SandboxMove').implement({
    description: "A lot of today's plan that would move or go, and where its units would go instead.",
    fields: (t) => ({
      before: t.field({ type: SandboxLotType, resolve: (m) => m.before }),
      after: t.field({ type: [SandboxLotType], resolve: (m) => m.after }),
    }),
  });
  const SandboxSlipType = builder.objectRef<SandboxImpact['slipped'][number]>('SandboxSlip').implement({
    description:
      'A work order that would finish later: its last shift before and after (null: not in the horizon).',
    fields: (t) => ({
      workOrderId: t.exposeString('workOrderId'),
      fromBucket: t.exposeString('fromBucket'),
      toBucket: t.exposeString('toBucket', { nullable: true }),
    }),
  });
  const SandboxUnplacedType = builder
    .objectRef<SandboxImpact['unplaced'][number]>('SandboxUnplaced')
    .implement({
      description: 'Units of an operation the plan could not place, and why.',
      fields: (t) => ({
        workOrderId: t.exposeString('workOrderId'),
        seq: t.exposeInt('seq'),
        quantity: t.exposeInt('quantity'),
        reason: t.exposeString('reason', {
          description: 'NO_CAPABLE_FACTORY, NO_CAPACITY_IN_HORIZON or PRICE_ABOVE_MAX.',
        }),
      }),
    });
  const SandboxImpactType = builder.objectRef<ImpactSeen>('SandboxImpact').implement({
    description: 'What a change would do to the current plan.',
    fields: (t) => ({
      moved: t.field({ type: [SandboxMoveType], resolve: (i) => i.moved }),
      slipped: t.field({ type: [SandboxSlipType], resolve: (i) => i.slipped }),
      rushLots: t.field({
        type: [SandboxLotType],
        description: 'For a rush order: how it would be split into lots.',
        resolve: (i) => i.rushLots,
      }),
      affectedLots: t.field({
        type: [SandboxLotType],
        description: 'Lots of every work order the change touches, as they would be.',
        resolve: (i) => i.affectedLots,
      }),
      unplaced: t.field({ type: [SandboxUnplacedType], resolve: (i) => i.unplaced }),
      movedOthers: t.int({
        description:
          "Lots of orders the caller may not see (other customers', other factories') that would move: counted only.",
        resolve: (i) => i.movedOthers,
      }),
      slippedOthers: t.int({
        description: 'Orders the caller may not see that would slip: counted only.',
        resolve: (i) => i.slippedOthers,
      }),
      costDelta: t.exposeFloat('costDelta', { description: "The plan's cost after minus before, in fen." }),
      millis: t.exposeInt('millis'),
    }),
  });
  const WhatIfType = builder
    .objectRef<{ impact: ImpactSeen; basePlanCost: number; millis: number }>('WhatIf')
    .implement({
      description: 'A what-if answer: the impact, what the current plan costs, and how long it took.',
      fields: (t) => ({
        impact: t.field({ type: SandboxImpactType, resolve: (w) => w.impact }),
        basePlanCost: t.exposeFloat('basePlanCost', { description: 'In fen.' }),
        millis: t.exposeInt('millis'),
      }),
    });
  const SupplyDelayType = builder
    .objectRef<{ workOrderId: string; expectedAt: string; matcherRun: MatcherRun | null }>('SupplyDelay')
    .implement({
      description: "A supplier's delay as the api kept it, and the re-plan it caused (over the threshold).",
      fields: (t) => ({
        workOrderId: t.exposeString('workOrderId'),
        expectedAt: t.exposeString('expectedAt', { description: 'When the material is now expected.' }),
        matcherRun: t.field({ type: MatcherRunType, nullable: true, resolve: (d) => d.matcherRun }),
      }),
    });

  const LoadCellType = builder.objectRef<LoadCell>('LoadCell').implement({
    description: "One cell of the load heat map: a factory's process in one shift.",
    fields: (t) => ({
      factoryId: t.exposeString('factoryId'),
      process: t.exposeString('process'),
      bucket: t.exposeString('bucket', { description: 'The shift, by its start.' }),
      declaredMinutes: t.exposeInt('declaredMinutes'),
      assignedMinutes: t.exposeInt('assignedMinutes', { description: 'Minutes held by lots.' }),
      loadMinutes: t.exposeInt('loadMinutes', {
        description: 'Minutes the factory reported taken by work outside the pool (0 when it reported none).',
      }),
    }),
  });

  const ReplayType = builder.objectRef<ReplayReport>('AssignmentRunReplay').implement({
    description:
      "An auditor's replay of one assignment run: the input fetched from the ledger by the run's hash, its hash checked, the matcher re-run on it, and its result compared with the lots recorded.",
    fields: (t) => ({
      runId: t.exposeString('runId'),
      inputHash: t.exposeString('inputHash'),
      inputFound: t.exposeBoolean('inputFound', { description: 'The ledger holds an input under the hash.' }),
      hashMatches: t.exposeBoolean('hashMatches', { description: "The input's SHA-256 is the run's hash." }),
      inputBytes: t.exposeInt('inputBytes', { description: 'Size of the input, inflated.' }),
      lotsRecorded: t.exposeInt('lotsRecorded'),
      lotsReplayed: t.exposeInt('lotsReplayed'),
      withdrawnRecorded: t.exposeInt('withdrawnRecorded'),
      withdrawnReplayed: t.exposeInt('withdrawnReplayed'),
      differences: t.exposeStringList('differences', {
        description: 'Each way the recorded run differs from the replay; empty when identical.',
      }),
      identical: t.exposeBoolean('identical', {
        description: 'The run is exactly what the matcher computes from its input, byte for byte.',
      }),
    }),
  });

  const AssignmentRunType = builder.objectRef<AssignmentRun>('AssignmentRun').implement({
    description:
      'One run of the matcher as the ledger recorded it: the hash of its complete input, and the lots it placed and withdrew.',
    fields: (t) => ({
      runId: t.exposeString('runId'),
      inputHash: t.exposeString('inputHash'),
      objective: t.exposeFloat('objective', {
        description: "The plan's cost, in fen, as the matcher weighed it.",
      }),
      lots: t.int({ resolve: (r) => r.lotIds.length }),
      withdrawn: t.int({ resolve: (r) => r.withdrawnLotIds?.length ?? 0 }),
      recordedAt: t.exposeString('recordedAt'),
    }),
  });

  builder.queryFields((t) => ({
    assignmentRuns: t.field({
      type: [AssignmentRunType],
      description:
        'The latest assignment runs on the ledger, newest first (at most 200): operators and auditors.',
      authScopes: { role: ['operator', 'auditor'] },
      args: { first: t.arg.int({ defaultValue: 20 }) },
      resolve: (_r, args, context) =>
        latestAssignmentRuns(context.pool, Math.min(Math.max(args.first ?? 20, 1), 200)),
    }),
    replayAssignmentRun: t.field({
      type: ReplayType,
      description:
        "Replays an assignment run (its id on the ledger, e.g. RUN-202612041100-ab12cd): fetches its input by hash from the ledger, checks it, re-runs the matcher and compares. Read with the caller's own identity: operators and auditors.",
      authScopes: { role: ['operator', 'auditor'] },
      args: { runId: t.arg.string({ required: true }) },
      resolve: (_r, args, context) =>
        ledgerCall(() => replayAssignmentRun(context.ledger, memberOf(context), args.runId)),
    }),
    capacityGrid: t.field({
      type: [LoadCellType],
      description:
        "Load by factory, process and shift from now on: declared minutes, minutes held by lots, live load the factory reported (the heat map). A factory sees its own organisation's factories; the operator and auditors see all.",
      authScopes: { role: ['operator', 'auditor', 'factory', 'customer'] },
      resolve: async (_r, _a, context) => {
        // Declared minutes and live load are a factory's own commercial data.
        const viewer = viewpointOf(context);
        return loadGrid(
          context.pool,
          new Date(Math.floor(context.matcher.now() / 28_800_000) * 28_800_000),
          overseesAll(viewer) ? null : viewer.mspId,
        );
      },
    }),
    matcherRuns: t.connection({
      type: MatcherRunType,
      description:
        "The matcher service's runs, newest first. Overseers see them whole; a factory or a customer sees why each ran (of the reasons' ids only its own), the lots of its own that moved and their counts, and none of the pool's totals.",
      authScopes: { role: ['operator', 'auditor', 'factory', 'customer'] },
      resolve: (_r, args, context) =>
        pagedList(args, async (page) => {
          const runs = await context.matcher.runs(page);
          return overseesAll(viewpointOf(context))
            ? runs
            : Promise.all(runs.map((run) => runSeenBy(context, run)));
        }),
    }),
    whatIf: t.field({
      type: WhatIfType,
      description:
        'Sandbox: what a rush order, a factory outage or a late material would do to the current plan — lots that move, deliveries that slip, the cost delta, the rush order’s lots. Nothing is published.',
      authScopes: { role: ['operator', 'customer', 'factory'] },
      args: {
        kind: t.arg.string({ required: true }),
        quantity: t.arg.int(),
        routing: t.arg({
          type: [schemaTypesOf(builder).inputOf('OperationInput', operationSchema as RequestSchema) as never],
          description: 'For RUSH_ORDER: the operations 1, 2, 3… with their process and standard minutes.',
        }),
        dueBucket: t.arg.string(),
        maxUnitPrice: t.arg({ type: 'SafeInt' }),
        factoryId: t.arg.string(),
        from: t.arg.string(),
        workOrderId: t.arg.string(),
        delayHours: t.arg.float(),
        priority: t.arg.string({
          description:
            'For RUSH_ORDER: NORMAL foresees an ordinary new order (what the publish form shows); RUSH by default.',
        }),
      },
      resolve: async (_r, args, context) => {
        const need = <T>(value: T | null | undefined, name: string): T => {
          if (value === null || value === undefined)
            throw coded('REQUEST.INVALID_ARGUMENT', `${args.kind} needs ${name}`);
          return value;
        };
        let change: SandboxChange;
        if (args.kind === 'RUSH_ORDER') {
          const routing = plainJson(need(args.routing, 'routing')) as unknown as {
            seq?: unknown;
            process?: unknown;
            standardMinutes?: unknown;
          }[];
          if (
            !Array.isArray(routing) ||
            routing.length === 0 ||
            routing.length > 20 ||
            !routing.every(
              (op: { seq?: unknown; process?: unknown; standardMinutes?: unknown }, i) =>
                op.seq === i + 1 &&
                PROCESSES.includes(op.process as (typeof PROCESSES)[number]) &&
                typeof op.standardMinutes === 'number' &&
                op.standardMinutes > 0,
            )
          )
            throw coded(
              'REQUEST.INVALID_ARGUMENT',
              'routing: operations 1, 2, 3… each with a process and standard minutes above 0',
            );
          const quantity = need(args.quantity, 'quantity');
          if (quantity < 1 || quantity > 1_000_000)
            throw coded('REQUEST.INVALID_ARGUMENT', 'quantity must be 1 to 1,000,000');
          change = {
            kind: 'RUSH_ORDER',
            customerId: memberOf(context),
            quantity,
            routing: routing as Operation[],
            dueBucket: need(args.dueBucket, 'dueBucket'),
            maxUnitPrice: need(args.maxUnitPrice, 'maxUnitPrice'),
            priority: args.priority === 'NORMAL' ? 'NORMAL' : 'RUSH',
          };
          if (args.priority != null && args.priority !== 'NORMAL' && args.priority !== 'RUSH')
            throw coded('REQUEST.INVALID_ARGUMENT', 'priority must be RUSH or NORMAL');
          if (Number.isNaN(Date.parse(change.dueBucket)))
            throw coded('REQUEST.INVALID_ARGUMENT', 'dueBucket must be a shift, like 2026-11-26T08:00:00Z');
        } else if (args.kind === 'FACTORY_OUTAGE') {
          change = {
            kind: 'FACTORY_OUTAGE',
            factoryId: need(args.factoryId, 'factoryId'),
            from: need(args.from, 'from'),
          };
          if (Number.isNaN(Date.parse(change.from)))
            throw coded('REQUEST.INVALID_ARGUMENT', 'from must be an instant, like 2026-11-26T10:00:00Z');
        } else if (args.kind === 'MATERIAL_DELAY') {
          const delayHours = need(args.delayHours, 'delayHours');
          if (!(delayHours > 0 && delayHours <= 24 * 60))
            throw coded('REQUEST.INVALID_ARGUMENT', 'delayHours must be above 0 and at most 1440');
          change = { kind: 'MATERIAL_DELAY', workOrderId: need(args.workOrderId, 'workOrderId'), delayHours };
        } else {
          throw coded(
            'REQUEST.INVALID_ARGUMENT',
            'kind must be RUSH_ORDER, FACTORY_OUTAGE or MATERIAL_DELAY',
          );
        }
        const answer = await sandbox(context.pool, context.matcher.now(), context.matcher.settings, change);
        // Other customers' orders and other factories' lots are only counted (impactSeenBy).
        const viewer = viewpointOf(context);
        if (overseesAll(viewer)) return { ...answer, impact: impactSeenBy(answer.impact, () => true) };
        if (viewer.role === 'customer') {
          const own = new Set(
            (await allRecordsOf(context.pool, 'WorkOrder'))
              .filter((w) => w.record.customerMemberId === viewer.memberId)
              .map((w) => w.id),
          );
          return { ...answer, impact: impactSeenBy(answer.impact, (s) => own.has(s.workOrderId)) };
        }
        const plants = await context.loaders.factoriesOfOrganisation(viewer.mspId);
        return {
          ...answer,
          impact: impactSeenBy(answer.impact, (s) => s.factoryId !== undefined && plants.has(s.factoryId)),
        };
      },
    }),
  }));

  builder.mutationFields((t) => ({
    replan: t.field({
      type: MatcherRunType,
      description:
        'Runs the matcher now, and records on the ledger only what changed (new lots, moved lots withdrawn).',
      authScopes: { role: ['operator'] },
      resolve: (_r, _a, context) =>
        context.matcher.request({ kind: 'MANUAL', detail: `asked by ${memberOf(context)}` }),
    }),
    reportLoad: t.field({
      type: LoadReportType,
      description:
        "A factory's live load by process and shift (work outside the pool), from its own systems; also says the factory is alive.",
      authScopes: { role: ['factory', 'operator'] },
      args: {
        report: t.arg({
          type: requestArgument(builder, 'ReportLoadInput', reportParsers.load),
          required: true,
        }),
      },
      resolve: async (_r, args, context) => {
        const report = checked(reportParsers.load, plainJson(args.report));
        await ownFactory(context, report.factoryId);
        const at = new Date(context.matcher.now());
        await saveLoadReport(context.pool, report.factoryId, report.loads, memberOf(context), at);
        return { factoryId: report.factoryId, entries: report.loads.length, reportedAt: at.toISOString() };
      },
    }),
    declareOutage: t.field({
      type: MatcherRunType,
      description:
        'A factory out of service from one instant until another: the matcher re-plans at once, moving the lots it had not had accepted.',
      authScopes: { role: ['factory', 'operator'] },
      args: {
        report: t.arg({
          type: requestArgument(builder, 'DeclareOutageInput', reportParsers.outage),
          required: true,
        }),
      },
      resolve: async (_r, args, context) => {
        const report = checked(reportParsers.outage, plainJson(args.report));
        if (Date.parse(report.until) <= Date.parse(report.from))
          throw coded('REQUEST.INVALID_ARGUMENT', 'until must be after from');
        await ownFactory(context, report.factoryId);
        await saveOutage(context.pool, {
          factoryId: report.factoryId,
          from: new Date(report.from),
          until: new Date(report.until),
          reason: report.reason,
          declaredBy: memberOf(context),
          declaredAt: new Date(context.matcher.now()),
        });
        return context.matcher.request({
          kind: 'FACTORY_OUTAGE',
          detail: `${report.factoryId} ${report.from} – ${report.until}: ${report.reason}`,
        });
      },
    }),
    reportSupplyDelay: t.field({
      type: SupplyDelayType,
      description:
        "A supplier's word that a work order's material comes later, signed with its own organisation's keys (Supply.ReportDelay): over the threshold (8 h by default) the matcher re-plans at once.",
      authScopes: { role: ['supplier'] },
      args: {
        report: t.arg({
          type: requestArgument(builder, 'ReportSupplyDelayInput', reportParsers.supplyDelay),
          required: true,
        }),
      },
      resolve: async (_r, args, context) => {
        const report = checked(reportParsers.supplyDelay, plainJson(args.report));
        const workOrder = await workOrderById(context.pool, report.workOrderId);
        if (workOrder?.record.status !== 'OPEN')
          throw coded('WORK_ORDER.NOT_FOUND', `no open work order ${report.workOrderId}`);
        // A supplier speaks only for material it supplies to the order (the chaincode checks it too).
        const materials = workOrder.record.materials ?? [];
        if (
          !materials.some((m) => m.materialCode === report.materialCode && m.supplierMspId === mspOf(context))
        )
          throw coded(
            'ACCESS.NOT_OWNER',
            `${report.workOrderId} needs no ${report.materialCode} from your organisation`,
          );
        // A ledger fact the supplier signs with its own keys: nobody else can report it for it.
        // Its event sets off, on every node, the re-plan (the operator's node, over the threshold)
        // and the customer's alert with its alternatives; this node's part is done before the answer.
        const before = (await context.matcher.runs(firstRows(1)))[0]?.id ?? 0;
        const committed = await submitRequest(context, 'reportSupplyDelay', report);
        const recorded = supplyDelayParser.fromJson(decodeUtf8(committed.payload));
        await context.matcher.idle();
        await context.alerts.idle();
        const replanned = (await context.matcher.runs(firstRows(5))).find(
          (run) => run.id > before && run.triggers.some((t) => t.kind === 'SUPPLIER_DELAY'),
        );
        return {
          workOrderId: report.workOrderId,
          expectedAt: recorded.expectedAt,
          matcherRun: replanned ?? null,
        };
      },
    }),
  }));
}
