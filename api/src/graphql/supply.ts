import { demandForecast, type MaterialDemand } from '../supply/forecast.js';
import { memberOf, mspOf, type ApiContext } from './context.js';
import type { ApiBuilder } from './schema.js';

/** The material needs of open work orders that name the caller's organisation as their supplier. */
async function demandOf(context: ApiContext): Promise<MaterialDemand[]> {
  const { rows } = await context.pool.query<MaterialDemand>(
    `SELECT w.id AS "workOrderId", m->>'materialCode' AS "materialCode", (m->>'quantity')::float8 AS quantity,
            m->>'dueBucket' AS "dueBucket", w.record->>'publishedAt' AS "publishedAt",
            to_json(d.expected_at)#>>'{}' AS "expectedAt", d.reason AS "delayReason"
       FROM record w
      CROSS JOIN LATERAL jsonb_array_elements(coalesce(w.record->'materials', '[]'::jsonb)) m
       LEFT JOIN LATERAL (
              SELECT expected_at, reason FROM supply_delay
               WHERE work_order_id = w.id AND material_code = m->>'materialCode'
               ORDER BY reported_at DESC LIMIT 1) d ON true
      WHERE w.kind = 'WorkOrder' AND w.record->>'status' = 'OPEN' AND m->>'supplierMspId' = $1
      ORDER BY m->>'dueBucket', w.id, m->>'materialCode'`,
    [mspOf(context)],
  );
  return rows;
}

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
        return demandOf(context);
      },
    }),
    demandForecast: t.field({
      type: [ForecastType],
      description: `The caller's demand forecast by material and day, time-desensitised.`,
      authScopes: { role: ['supplier'] },
      resolve: async (_r, _a, context) =>
        demandForecast(await demandOf(context), context.matcher.now(), context.forecast),
    }),
  }));
}
