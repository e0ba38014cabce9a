import type { Role } from '../auth/tokens.js';

/**
 * What a member may see of other members' commercial data. This is the one statement of the rule;
 * every resolver that serves such data applies it through these functions.
 *
 * | data | who sees it (besides the operator and the auditor, who see all) |
 * | --- | --- |
 * | a factory's declared capacity and live load | the factory's own organisation |
 * | a factory's list prices (price per minute of each process) | its own organisation and customers, to whom they are offered; not competing factories |
 * | a lot's prices (`unitPrice`, `unitPrices`) | the lot's factory organisation and its work order's customer |
 * | the price of an awarded bid | the work order's customer and the awarded factory's organisation |
 * | the matcher's reasoning for a lot (its cost per unit, the next-best slot) | the lot's factory organisation; the next-best slot only when it is one of that organisation's own factories |
 *
 * Open demand (work orders with their routing, due shift and maximum price) and the quota market
 * stay visible to every pool reader: they are offers made to all of them.
 */
export interface Viewpoint {
  role: Role;
  /** The viewer's organisation. */
  mspId: string;
  /** The viewer as a member (customers share organisations, so what is a customer's is per member). */
  memberId: string;
}

const OVERSEERS: ReadonlySet<Role> = new Set(['operator', 'auditor']);

/** The operator and the auditor see every member's commercial data: it is their job. */
export const overseesAll = (viewer: Viewpoint): boolean => OVERSEERS.has(viewer.role);

const ownFactory = (viewer: Viewpoint, factoryMspId: string | undefined): boolean =>
  viewer.role === 'factory' && factoryMspId !== undefined && viewer.mspId === factoryMspId;

/** A factory's declared capacity and live load. */
export function seesCapacityOf(viewer: Viewpoint, factoryMspId: string | undefined): boolean {
  return overseesAll(viewer) || ownFactory(viewer, factoryMspId);
}

/** A factory's list prices. */
export function seesListPricesOf(viewer: Viewpoint, factoryMspId: string | undefined): boolean {
  return overseesAll(viewer) || viewer.role === 'customer' || ownFactory(viewer, factoryMspId);
}

/** The prices of a lot, or of an award: its factory's organisation and its work order's customer. */
export function seesPricesOf(
  viewer: Viewpoint,
  factoryMspId: string | undefined,
  customerMemberId: string | undefined,
): boolean {
  return (
    overseesAll(viewer) ||
    ownFactory(viewer, factoryMspId) ||
    (viewer.role === 'customer' && customerMemberId !== undefined && viewer.memberId === customerMemberId)
  );
}

/**
 * A work order's materials (who supplies what): its customer, the factories holding a lot of it
 * (they receive the material) and overseers.
 */
export function seesMaterialsOf(
  viewer: Viewpoint,
  customerMemberId: string,
  lotFactoryMspIds: readonly string[],
): boolean {
  return (
    overseesAll(viewer) ||
    (viewer.role === 'customer' && viewer.memberId === customerMemberId) ||
    (viewer.role === 'factory' && lotFactoryMspIds.includes(viewer.mspId))
  );
}

/** The matcher's reason for a lot (see LotPlacement), inside whatever record carries it. */
export interface Explanation {
  why?: { costPerUnit: number; nextBest?: { factoryId: string; bucket: string; costPerUnit: number } };
}

/**
 * The matcher's reasoning for a lot as the viewer may see it: all of it for overseers; for the
 * lot's own factory organisation, without a next-best slot at another organisation's factory
 * (that slot's cost is a competitor's); nothing for anyone else.
 */
export function explanationFor<T extends Explanation>(
  viewer: Viewpoint,
  lotFactoryMspId: string | undefined,
  explanation: T | null,
  ownFactoryIds: ReadonlySet<string>,
): T | null {
  if (explanation === null || overseesAll(viewer)) return explanation;
  if (!ownFactory(viewer, lotFactoryMspId)) return null;
  const nextBest = explanation.why?.nextBest;
  if (nextBest === undefined || ownFactoryIds.has(nextBest.factoryId) || explanation.why === undefined)
    return explanation;
  const why = { ...explanation.why };
  delete why.nextBest;
  return { ...explanation, why };
}

/** The fields of a lot that are its prices: only its factory, its customer and overseers see them. */
export const PRICE_FIELDS: ReadonlySet<string> = new Set(['unitPrice', 'unitPrices']);

/** A record with its price fields taken out. */
export function withoutPrices(record: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(record).filter(([key]) => !PRICE_FIELDS.has(key)));
}
