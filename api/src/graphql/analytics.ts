import type { allianceAnalytics } from '../analytics/read.js';
import type { Health } from '../analytics/metrics.js';
import type { ApiBuilder } from './builder.js';

type Analytics = Awaited<ReturnType<typeof allianceAnalytics>>;

/** The alliance's figures as GraphQL types (api/src/analytics computes them). */
export function analyticsType(builder: ApiBuilder) {
  const HealthType = builder.interfaceRef<Health>('Health').implement({
    description: 'The health index: on-time rate × first-pass yield × utilisation.',
    fields: (t) => ({
      onTimeRate: t.exposeFloat('onTimeRate', { description: 'Share of lots delivered within their shift.' }),
      firstPassYield: t.exposeFloat('firstPassYield', { description: 'Good units out of units put in.' }),
      utilisation: t.exposeFloat('utilisation'),
      index: t.exposeFloat('index'),
    }),
  });
  const FactoryHealthType = builder.objectRef<Analytics['factoryHealth'][number]>('FactoryHealth').implement({
    interfaces: [HealthType],
    fields: (t) => ({ factoryId: t.exposeString('factoryId') }),
  });
  const WorkOrderHealthType = builder
    .objectRef<Analytics['workOrderHealth'][number]>('WorkOrderHealth')
    .implement({
      interfaces: [HealthType],
      fields: (t) => ({ workOrderId: t.exposeString('workOrderId') }),
    });
  const CycleBinType = builder
    .objectRef<Analytics['cycleTimes']['histogram'][number]>('CycleTimeBin')
    .implement({
      fields: (t) => ({
        fromHours: t.exposeFloat('fromHours'),
        toHours: t.exposeFloat('toHours'),
        count: t.exposeInt('count'),
      }),
    });
  const CycleTimesType = builder.objectRef<Analytics['cycleTimes']>('CycleTimes').implement({
    description: 'Hours from publishing to the last delivery of each delivered work order.',
    fields: (t) => ({
      hours: t.exposeFloatList('hours'),
      histogram: t.field({ type: [CycleBinType], resolve: (c) => c.histogram }),
    }),
  });
  const WaitingType = builder
    .objectRef<Analytics['waitingByOperation'][number]>('OperationWaiting')
    .implement({
      description:
        "Mean minutes lots waited before an operation, from the previous one's report to its start.",
      fields: (t) => ({
        process: t.exposeString('process'),
        seq: t.exposeInt('seq'),
        meanMinutes: t.exposeFloat('meanMinutes'),
        samples: t.exposeInt('samples'),
      }),
    });
  const ParetoType = builder.objectRef<Analytics['exceptionPareto'][number]>('ExceptionCause').implement({
    description: 'Exceptions by cause, most frequent first, with the running share.',
    fields: (t) => ({
      cause: t.exposeString('cause'),
      count: t.exposeInt('count'),
      cumulativeShare: t.exposeFloat('cumulativeShare'),
    }),
  });
  const ScrapType = builder
    .objectRef<Analytics['materialVariance']['byProcess'][number]>('ProcessScrap')
    .implement({
      fields: (t) => ({
        process: t.exposeString('process'),
        input: t.exposeInt('input'),
        scrap: t.exposeInt('scrap'),
        scrapRate: t.exposeFloat('scrapRate'),
      }),
    });
  const LossType = builder
    .objectRef<Analytics['materialVariance']['handOverLoss']>('HandOverLoss')
    .implement({
      description: 'Units missing at hand-overs against units held.',
      fields: (t) => ({
        held: t.exposeInt('held'),
        received: t.exposeInt('received'),
        lossRate: t.exposeFloat('lossRate'),
      }),
    });
  const ConsumptionType = builder
    .objectRef<Analytics['materialVariance']['byMaterial'][number]>('MaterialConsumption')
    .implement({
      description:
        "One plant's use of one material in one process against the standard consumption of the units it put in.",
      fields: (t) => ({
        materialCode: t.exposeString('materialCode'),
        unit: t.exposeString('unit', { description: 'The unit the routing counts the material in.' }),
        process: t.exposeString('process'),
        factoryId: t.exposeString('factoryId'),
        operations: t.exposeInt('operations', { description: 'Reported operations it rests on.' }),
        pieces: t.exposeInt('pieces', { description: 'Units put into those operations.' }),
        standard: t.exposeFloat('standard', { description: 'Standard consumption × units put in.' }),
        used: t.exposeFloat('used', { description: 'Material the reports say was used.' }),
        variance: t.exposeFloat('variance', { description: 'Used − standard: above 0 is lost material.' }),
        varianceRate: t.exposeFloat('varianceRate', { description: 'Variance ÷ standard.' }),
      }),
    });
  const VarianceType = builder.objectRef<Analytics['materialVariance']>('MaterialVariance').implement({
    fields: (t) => ({
      byProcess: t.field({ type: [ScrapType], resolve: (v) => v.byProcess }),
      byMaterial: t.field({
        type: [ConsumptionType],
        description: 'Material used against standard consumption, per material, process and plant.',
        resolve: (v) => v.byMaterial,
      }),
      handOverLoss: t.field({ type: LossType, resolve: (v) => v.handOverLoss }),
    }),
  });
  const PointType = builder
    .objectRef<Analytics['controlChart']['points'][number]>('ControlChartPoint')
    .implement({
      fields: (t) => ({
        lotId: t.exposeString('lotId'),
        at: t.exposeString('at'),
        minutesPerUnit: t.exposeFloat('minutesPerUnit'),
      }),
    });
  const ChartType = builder.objectRef<Analytics['controlChart']>('ControlChart').implement({
    description:
      "An individuals chart of one process's actual minutes per unit, limits at three standard deviations.",
    fields: (t) => ({
      process: t.exposeString('process'),
      points: t.field({ type: [PointType], resolve: (c) => c.points }),
      mean: t.exposeFloat('mean'),
      upperControlLimit: t.exposeFloat('upperControlLimit'),
      lowerControlLimit: t.exposeFloat('lowerControlLimit'),
      outOfControl: t.exposeStringList('outOfControl', { description: 'Lots outside the limits.' }),
    }),
  });
  const ComparisonType = builder.objectRef<Analytics['comparison'][number]>('PlantTeamComparison').implement({
    description:
      "One plant's team on one kind of work (a part number's operation of one process): its reported operations, minutes per piece against the standard, first-pass yield.",
    fields: (t) => ({
      partNumber: t.exposeString('partNumber'),
      process: t.exposeString('process'),
      factoryId: t.exposeString('factoryId'),
      team: t.exposeString('team', { description: 'The operator id its scans carried.' }),
      operations: t.exposeInt('operations'),
      pieces: t.exposeInt('pieces'),
      minutesPerPiece: t.exposeFloat('minutesPerPiece'),
      standardMinutesPerPiece: t.exposeFloat('standardMinutesPerPiece'),
      firstPassYield: t.exposeFloat('firstPassYield'),
    }),
  });
  return builder.objectRef<Analytics>('Analytics').implement({
    description: "The alliance's figures, from the read model.",
    fields: (t) => ({
      cycleTimes: t.field({ type: CycleTimesType, resolve: (a) => a.cycleTimes }),
      waitingByOperation: t.field({ type: [WaitingType], resolve: (a) => a.waitingByOperation }),
      exceptionPareto: t.field({ type: [ParetoType], resolve: (a) => a.exceptionPareto }),
      materialVariance: t.field({ type: VarianceType, resolve: (a) => a.materialVariance }),
      controlChart: t.field({ type: ChartType, resolve: (a) => a.controlChart }),
      factoryHealth: t.field({ type: [FactoryHealthType], resolve: (a) => a.factoryHealth }),
      workOrderHealth: t.field({ type: [WorkOrderHealthType], resolve: (a) => a.workOrderHealth }),
      comparison: t.field({
        type: [ComparisonType],
        description: 'Plants and teams side by side on the same work, quickest first within each.',
        resolve: (a) => a.comparison,
      }),
    }),
  });
}
