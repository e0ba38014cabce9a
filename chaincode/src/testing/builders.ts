/** Small named builders for the rules' tests: each returns a valid record, overrides on top. */
import type { Capacity } from '../model/capacity.js';
import type { Custody } from '../model/custody.js';
import type { Factory } from '../model/factory.js';
import type { Lot } from '../model/lot.js';
import { memberIdOf, type Member, type MemberRole } from '../model/member.js';
import type { CapacityQuota } from '../model/quota.js';
import type { ProposedLot, RecordAssignmentRequest } from '../model/requests.js';
import type { WorkOrder } from '../model/workOrder.js';
import type { AssignmentView } from '../rules/assignment.js';
import { capacityId } from '../rules/factory.js';

export const NOW = '2026-11-24T08:00:00.000Z';
export const BUCKET = '2026-11-25T00:00:00Z';
export const NEXT_BUCKET = '2026-11-25T08:00:00Z';

export function aMember(role: MemberRole, mspId = 'FactoryAMSP', name = `${role}-${mspId}`): Member {
  const clientId = `x509::/CN=${name}::/CN=ca`;
  return {
    memberId: memberIdOf(mspId, clientId),
    mspId,
    clientId,
    displayName: name,
    role,
    status: 'ACTIVE',
    createdAt: NOW,
    createdBy: 'operator',
  };
}

export function aFactory(overrides: Partial<Factory> = {}): Factory {
  return {
    factoryId: 'F-A1',
    mspId: 'FactoryAMSP',
    name: 'Plant A1',
    location: 'Dongguan',
    processes: [
      { process: 'CNC', pricePerMinute: 100 },
      { process: 'PAINTING', pricePerMinute: 50 },
    ],
    registeredBy: 'x',
    createdAt: NOW,
    updatedAt: NOW,
    ...overrides,
  };
}

export function aCapacity(overrides: Partial<Capacity> = {}): Capacity {
  return {
    factoryId: 'F-A1',
    process: 'CNC',
    bucket: BUCKET,
    declaredMinutes: 480,
    assignedMinutes: 0,
    updatedAt: NOW,
    ...overrides,
  };
}

export function aWorkOrder(customer: Member, overrides: Partial<WorkOrder> = {}): WorkOrder {
  return {
    workOrderId: 'WO-1',
    customerMemberId: customer.memberId,
    customerMspId: customer.mspId,
    partNumber: 'HOUSING-7',
    quantity: 100,
    routing: [
      { seq: 1, process: 'CNC', standardMinutes: 2 },
      { seq: 2, process: 'PAINTING', standardMinutes: 1 },
    ],
    dueBucket: NEXT_BUCKET,
    priority: 'NORMAL',
    maxUnitPrice: 1000,
    latePenaltyPerUnitPerBucket: 0,
    status: 'OPEN',
    publishedAt: NOW,
    updatedAt: NOW,
    ...overrides,
  };
}

export function aQuota(buyer: Member | undefined, overrides: Partial<CapacityQuota> = {}): CapacityQuota {
  return {
    quotaId: 'Q-1',
    factoryId: 'F-A1',
    process: 'CNC',
    windowStart: BUCKET,
    windowEnd: NEXT_BUCKET,
    minutes: 200,
    pricePerMinute: 80,
    status: buyer === undefined ? 'LISTED' : 'SOLD',
    consumedMinutes: 0,
    ...(buyer === undefined ? {} : { buyerMemberId: buyer.memberId, buyerMspId: buyer.mspId, soldAt: NOW }),
    listedAt: NOW,
    updatedAt: NOW,
    ...overrides,
  };
}

export function aProposedLot(overrides: Partial<ProposedLot> = {}): ProposedLot {
  return {
    workOrderId: 'WO-1',
    factoryId: 'F-A1',
    fromSeq: 1,
    toSeq: 1,
    bucket: BUCKET,
    quantity: 100,
    unitPrices: [200],
    ...overrides,
  };
}

export function aRun(
  lots: ProposedLot[],
  overrides: Partial<RecordAssignmentRequest> = {},
): RecordAssignmentRequest {
  return {
    requestId: 'req-run-0001',
    runId: 'RUN-1',
    inputHash: 'a'.repeat(64),
    objective: 0,
    acceptWithinHours: 4,
    lots,
    ...overrides,
  };
}

export function aView(parts: {
  workOrders: WorkOrder[];
  factories?: Factory[];
  capacities?: Capacity[];
  quotas?: CapacityQuota[];
  /** Lots already on the ledger (a run may withdraw them). */
  lots?: Lot[];
  /** Bids revealed per work order. */
  revealedBids?: Record<string, number>;
}): AssignmentView {
  const lots = parts.lots ?? [];
  return {
    runExists: false,
    workOrders: new Map(parts.workOrders.map((w) => [w.workOrderId, w])),
    factories: new Map((parts.factories ?? [aFactory()]).map((f) => [f.factoryId, f])),
    capacities: new Map((parts.capacities ?? []).map((c) => [capacityId(c), c])),
    quotas: new Map((parts.quotas ?? []).map((q) => [q.quotaId, q])),
    lotsByWorkOrder: new Map(
      [...new Set(lots.map((l) => l.workOrderId))].map((id) => [
        id,
        lots.filter((l) => l.workOrderId === id),
      ]),
    ),
    withdrawn: new Map(lots.map((l) => [l.lotId, l])),
    revealedBids: new Map(Object.entries(parts.revealedBids ?? {})),
  };
}

export function aLot(overrides: Partial<Lot> = {}): Lot {
  return {
    lotId: 'RUN-1/1',
    workOrderId: 'WO-1',
    runId: 'RUN-1',
    factoryId: 'F-A1',
    factoryMspId: 'FactoryAMSP',
    fromSeq: 1,
    toSeq: 2,
    bucket: BUCKET,
    quantity: 100,
    unitPrices: [200, 50],
    unitPrice: 250,
    minutes: 300,
    status: 'ACCEPTED',
    acceptBy: '2026-11-24T12:00:00.000Z',
    assignedAt: NOW,
    updatedAt: NOW,
    ...overrides,
  };
}

export function aCustody(overrides: Partial<Custody> = {}): Custody {
  return {
    lotId: 'RUN-1/1',
    workOrderId: 'WO-1',
    holderMspId: 'FactoryAMSP',
    quantity: 100,
    handOvers: 1,
    updatedAt: NOW,
    ...overrides,
  };
}

/** An instant `minutes` after NOW. */
export const minutesAfterNow = (minutes: number): string =>
  new Date(Date.parse(NOW) + minutes * 60_000).toISOString();
