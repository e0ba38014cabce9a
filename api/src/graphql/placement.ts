import type { MovedLot } from '../matching/runs.js';
import { oncePerBuilder, type ApiBuilder } from './builder.js';

/** What the matcher placed or withdrew, with its reason. */
function placementType(builder: ApiBuilder) {
  const NextBestType = builder
    .objectRef<{ factoryId: string; bucket: string; costPerUnit: number }>('NextBestSlot')
    .implement({
      description: 'The cheapest other slot the units could have gone to when the matcher chose.',
      fields: (t) => ({
        factoryId: t.exposeString('factoryId'),
        bucket: t.exposeString('bucket'),
        costPerUnit: t.exposeFloat('costPerUnit', { description: 'In fen.' }),
      }),
    });
  const ReasonType = builder.objectRef<NonNullable<MovedLot['why']>>('PlacementReason').implement({
    description: "The matcher's reason for a slot: its cost per unit, and the next-best slot.",
    fields: (t) => ({
      costPerUnit: t.exposeFloat('costPerUnit', { description: 'In fen.' }),
      nextBest: t.field({
        type: NextBestType,
        nullable: true,
        description: "Only when the viewer may see it (a competitor's slot is left out).",
        resolve: (w) => w.nextBest ?? null,
      }),
    }),
  });
  const ChangeType = builder.enumType('PlacementChange', {
    description: 'Whether a run added the lot or withdrew it.',
    values: ['ADDED', 'WITHDRAWN'] as const,
  });
  const PlacementType = builder.objectRef<MovedLot>('LotPlacement').implement({
    description: 'A lot a matcher run added or withdrew: where, how many, and why.',
    fields: (t) => ({
      lotId: t.exposeString('lotId', { nullable: true }),
      workOrderId: t.exposeString('workOrderId'),
      seq: t.exposeInt('seq'),
      factoryId: t.exposeString('factoryId'),
      bucket: t.exposeString('bucket'),
      quantity: t.exposeInt('quantity'),
      change: t.field({ type: ChangeType, resolve: (m) => m.change }),
      why: t.field({
        type: ReasonType,
        nullable: true,
        description: "For overseers and the lot's own factory.",
        resolve: (m) => m.why ?? null,
      }),
    }),
  });
  return PlacementType;
}

/** The `LotPlacement` type: a lot's explanation, and a matcher run's moves. */
export const lotPlacementType = oncePerBuilder(placementType);
