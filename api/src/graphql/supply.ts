import { PROCESSES, type Process } from '@fabpool/chaincode/model';
import { schemaTypesOf } from './schemaTypes.js';
import { materialNeedsOf } from '../repositories/supplyDelays.js';
import type { MaterialDemand } from '../repositories/supplyDelays.js';
import { allRecordsOf } from '../repositories/records.js';
import { demandForecast, processDemandOf } from '../supply/forecast.js';
import { memberOf, mspOf } from './context.js';
import type { ApiBuilder } from './builder.js';

/**
 * A supplier's slice: of the work orders using its materials, only material code, quantity and
 * due date (never the customer, part, price or routing); and the pool's demand by process and day,
 * desensitised (delayed a day, cells of fewer than k orders left out, hours rounded).
 */
export function addSupplyFields(builder: ApiBuilder): void {
  const NeedType = builder.objectRef<MaterialDemand>('MaterialNeed').implement({
    description: 'Material a work order needs from the caller: all a supplier sees of the order.',
    fields: (t) => ({
      workOrderId: t.exposeString('workOrderId'),
      materialCode: t.exposeString('materialCode'),
      quantity: t.exposeFloat('quantity'),
      dueBucket: t.exposeString('dueBucket'),
      expectedAt: t.string({
        nullable: true,
        description:
          'When the supplier now expects to deliver, after the latest delay it reported (none: on time).',
        resolve: (n) => n.expectedAt ?? null,
      }),
      delayReason: t.string({ nullable: true, resolve: (n) => n.delayReason ?? null }),
    }),
  });
  const ForecastType = builder
    .objectRef<{ process: Process; day: string; hours: number }>('DemandForecast')
    .implement({
      description:
        "The pool's demand for one process on one due day, in standard hours: only from work orders published before the start of the day a day ago, only where at least k (3 by default) work orders make it up, rounded to 10 hours — no single order shows through.",
      fields: (t) => ({
        process: t.field({
          type: schemaTypesOf(builder).enumOf('ProcessOffer', 'process', PROCESSES) as never,
          resolve: (c) => c.process,
        }),
        day: t.exposeString('day'),
        hours: t.exposeInt('hours'),
      }),
    });

  builder.queryFields((t) => ({
    myMaterialNeeds: t.field({
      type: [NeedType],
      description: "Open work orders' needs of the caller's materials.",
      authScopes: { role: ['supplier'] },
      resolve: (_r, _a, context) => {
        memberOf(context);
        return materialNeedsOf(context.pool, mspOf(context));
      },
    }),
    demandForecast: t.field({
      type: [ForecastType],
      description: `The pool's demand forecast by process and due day, desensitised for members outside the pool's work (suppliers): delayed, aggregated, small cells left out, rounded.`,
      authScopes: { role: ['supplier'] },
      resolve: async (_r, _a, context) =>
        demandForecast(
          processDemandOf((await allRecordsOf(context.pool, 'WorkOrder')).map((r) => r.record)),
          context.matcher.now(),
          context.forecast,
        ),
    }),
  }));
}
