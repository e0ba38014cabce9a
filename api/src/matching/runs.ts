/** The matcher service's runs as it keeps them: why each ran, and what it changed. */

/** Why the matcher ran. */
export const TRIGGER_KINDS = [
  'STARTUP',
  'SCHEDULE',
  'MANUAL',
  'RUSH_ORDER',
  'FACTORY_OUTAGE',
  'FACTORY_SILENT',
  'SUPPLIER_DELAY',
  'CANCELLATION',
  'REJECTION',
  'BID_AWARDED',
  'AMENDMENT',
  'IMPROVEMENT',
] as const;
export type TriggerKind = (typeof TRIGGER_KINDS)[number];

export interface Trigger {
  kind: TriggerKind;
  detail: string;
}

/** A lot a run added or withdrew. */
export interface MovedLot {
  lotId?: string;
  workOrderId: string;
  seq: number;
  factoryId: string;
  bucket: string;
  quantity: number;
  change: 'ADDED' | 'WITHDRAWN';
  why?: { costPerUnit: number; nextBest?: { factoryId: string; bucket: string; costPerUnit: number } };
}

export interface MatcherRun {
  id: number;
  startedAt: string;
  millis: number;
  triggers: Trigger[];
  ledgerRunIds: string[];
  inputHash: string | null;
  solver: string | null;
  lotsAdded: number;
  lotsWithdrawn: number;
  lotsKept: number;
  unplacedUnits: number;
  cost: Record<string, number> | null;
  /** Present when read with the run; see movedOf. */
  moved?: MovedLot[];
  error: string | null;
}
