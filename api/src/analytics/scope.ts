import type {
  Capacity,
  Factory,
  HandOver,
  Lot,
  OperationException,
  OperationProgress,
  WorkOrder,
} from '@fabpool/chaincode/model';

/** The records the analytics are computed from. */
export interface AnalyticsRecords {
  workOrders: WorkOrder[];
  lots: Lot[];
  progress: OperationProgress[];
  exceptions: OperationException[];
  handOvers: HandOver[];
  capacities: Capacity[];
  factories: Factory[];
}

/**
 * Whose figures: the whole alliance (overseers), one customer's orders (a customer member, or a
 * customer company for the overseers' per-customer figures), or one factory organisation's plants.
 */
export type AnalyticsScope =
  | { kind: 'alliance' }
  | { kind: 'customer'; customerMemberId: string }
  | { kind: 'customerCompany'; customerMspId: string }
  | { kind: 'factory'; factoryMspId: string };

/**
 * The records a scope's figures come from. A customer's: its own work orders, their lots and what
 * happened to them, and the plants that worked them — but no plant's declared capacity, which is
 * the factory's own (their health shows no utilisation). A factory's: the lots at its own plants,
 * their work orders and what happened to them, its own plants and capacity.
 */
export function recordsInScope(scope: AnalyticsScope, all: AnalyticsRecords): AnalyticsRecords {
  if (scope.kind === 'alliance') return all;
  if (scope.kind === 'factory') {
    const plants = new Set(
      all.factories.filter((f) => f.mspId === scope.factoryMspId).map((f) => f.factoryId),
    );
    const lots = all.lots.filter((l) => plants.has(l.factoryId));
    return withLots(all, lots, {
      workOrders: all.workOrders.filter((w) => lots.some((l) => l.workOrderId === w.workOrderId)),
      capacities: all.capacities.filter((c) => plants.has(c.factoryId)),
      factories: all.factories.filter((f) => plants.has(f.factoryId)),
    });
  }
  const workOrders = all.workOrders.filter((w) =>
    scope.kind === 'customer'
      ? w.customerMemberId === scope.customerMemberId
      : w.customerMspId === scope.customerMspId,
  );
  const ids = new Set(workOrders.map((w) => w.workOrderId));
  const lots = all.lots.filter((l) => ids.has(l.workOrderId));
  const plants = new Set(lots.map((l) => l.factoryId));
  return withLots(all, lots, {
    workOrders,
    // The overseers' per-customer figures keep the plants' capacity; a customer does not see it.
    capacities: scope.kind === 'customerCompany' ? all.capacities.filter((c) => plants.has(c.factoryId)) : [],
    factories: all.factories.filter((f) => plants.has(f.factoryId)),
  });
}

function withLots(
  all: AnalyticsRecords,
  lots: Lot[],
  rest: Pick<AnalyticsRecords, 'workOrders' | 'capacities' | 'factories'>,
): AnalyticsRecords {
  const lotIds = new Set(lots.map((l) => l.lotId));
  return {
    ...rest,
    lots,
    progress: all.progress.filter((p) => lotIds.has(p.lotId)),
    exceptions: all.exceptions.filter((e) => lotIds.has(e.lotId)),
    handOvers: all.handOvers.filter((h) => lotIds.has(h.lotId)),
  };
}
