import type { MatcherRun, MovedLot, Trigger, TriggerKind } from './runs.js';

/**
 * What a factory or a customer sees of one of the matcher's runs. A run is the whole pool's: its
 * cost weighs every factory's prices, its counts measure everyone's orders, and its triggers name
 * other customers' rush orders, other plants' outages and silences, suppliers' delays and who
 * asked. A member who does not oversee the pool sees when the matcher ran and why (the kinds), the
 * ids among the reasons that are its own, and the lots that moved of its own; the pool's totals
 * (cost, units left unplaced, lots kept) are not told.
 */
export interface RunReader {
  /** Whether the id (of the record the trigger kind is about) is the reader's own. */
  owns(record: TriggerRecord, id: string): Promise<boolean>;
}

/** A run as one reader sees it: the pool's totals are null for those who are not told them. */
export type RunSeen = Omit<MatcherRun, 'lotsKept' | 'unplacedUnits'> & {
  lotsKept: number | null;
  unplacedUnits: number | null;
};

export type TriggerRecord = 'WorkOrder' | 'Lot' | 'Factory';

/** The record each kind of trigger names in its detail; undefined: the detail is about nobody. */
const NAMES: Record<TriggerKind, TriggerRecord | 'hidden' | undefined> = {
  STARTUP: undefined,
  SCHEDULE: undefined,
  // "run <id>": the run it improves, which everyone who sees runs sees.
  IMPROVEMENT: undefined,
  RUSH_ORDER: 'WorkOrder',
  CANCELLATION: 'WorkOrder',
  AMENDMENT: 'WorkOrder',
  BID_AWARDED: 'WorkOrder',
  REJECTION: 'Lot',
  FACTORY_OUTAGE: 'Factory',
  FACTORY_SILENT: 'Factory',
  // Who asked, and which supplier is late, are nobody else's business.
  MANUAL: 'hidden',
  SUPPLIER_DELAY: 'hidden',
};

/** A trigger as the reader may see it: its kind, and of its detail only the reader's own ids. */
export async function triggerSeenBy(trigger: Trigger, reader: RunReader): Promise<Trigger> {
  const record = NAMES[trigger.kind];
  if (record === undefined) return trigger;
  if (record === 'hidden') return { kind: trigger.kind, detail: '' };
  if (trigger.kind === 'FACTORY_OUTAGE') {
    // "<factoryId> <from> – <until>: <reason>": the plant's own people see it whole.
    const factoryId = trigger.detail.split(' ')[0] ?? '';
    return (await reader.owns('Factory', factoryId)) ? trigger : { kind: trigger.kind, detail: '' };
  }
  const listed = trigger.detail.replace(/^silent: /, '');
  const own: string[] = [];
  for (const id of listed.split(', ').filter((part) => part !== '')) {
    if (await reader.owns(record, id)) own.push(id);
  }
  const detail = own.join(', ');
  return {
    kind: trigger.kind,
    detail: trigger.kind === 'FACTORY_SILENT' && detail !== '' ? `silent: ${detail}` : detail,
  };
}

/** The run's figures for a reader who sees only its own lots of it. */
export function figuresSeenBy(
  ownMoved: readonly MovedLot[],
): Pick<RunSeen, 'lotsAdded' | 'lotsWithdrawn' | 'cost' | 'lotsKept' | 'unplacedUnits'> {
  return {
    lotsAdded: ownMoved.filter((lot) => lot.change === 'ADDED').length,
    lotsWithdrawn: ownMoved.filter((lot) => lot.change === 'WITHDRAWN').length,
    lotsKept: null,
    unplacedUnits: null,
    cost: null,
  };
}
