import { materialNeedsOf } from '../repositories/supplyDelays.js';
import { demandForecast, type MaterialDemand } from '../supply/forecast.js';
import { memberOf, mspOf } from './context.js';
import type { ApiBuilder } from './builder.js';

/**
 * A supplier's slice: of the work orders using its materials, only material code, quantity and
 * due date (never the customer, part, price or routing); and a demand forecast delayed and blurred.
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
    .objectRef<{ materialCode: string; day: string; quantity: number }>('DemandForecast')
    .implement({
      description: 'Daily demand for one material, delayed and blurred so no single order shows through.',
      fields: (t) => ({
        materialCode: t.exposeString('materialCode'),
        day: t.exposeString('day'),
        quantity: t.exposeInt('quantity'),
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
      description: `The caller's demand forecast by material and day, time-desensitised.`,
      authScopes: { role: ['supplier'] },
      resolve: async (_r, _a, context) =>
        demandForecast(
          await materialNeedsOf(context.pool, mspOf(context)),
          context.matcher.now(),
          context.forecast,
        ),
    }),
  }));
}
