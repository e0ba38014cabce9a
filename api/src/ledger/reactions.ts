import { EventName } from '@fabpool/chaincode/model';
import type { RecordKind } from '@fabpool/chaincode/model';
import type { TriggerKind } from '../matching/runs.js';
import { LEDGER_COMMANDS, type CommandName } from './commands.js';

/** What a ledger event sets off on this node once the read model holds it. */
export interface Reaction {
  /** The matcher re-plans, for this reason, naming the records of this kind the event changed. */
  replan?: { trigger: TriggerKind; of: RecordKind };
  /** The alert service looks for overruns and frozen operations. */
  alerts?: true;
}

/** Which ledger events set off what: declared here only. */
export const EVENT_REACTIONS: Partial<Record<EventName, Reaction>> = {
  // A rush order (插单) re-plans at once; a normal one waits for the next scheduled run.
  [EventName.WORK_ORDER_PUBLISHED]: { replan: { trigger: 'RUSH_ORDER', of: 'WorkOrder' } },
  [EventName.WORK_ORDER_CANCELLED]: { replan: { trigger: 'CANCELLATION', of: 'WorkOrder' } },
  // An amendment released lots (or took effect): the order is planned again under its new terms.
  [EventName.WORK_ORDER_AMENDED]: { replan: { trigger: 'AMENDMENT', of: 'WorkOrder' } },
  [EventName.AMENDMENT_ANSWERED]: { replan: { trigger: 'AMENDMENT', of: 'WorkOrder' } },
  [EventName.LOT_REJECTED]: { replan: { trigger: 'REJECTION', of: 'Lot' } },
  // An award places the order at its winner, at the bid's price, at once.
  [EventName.BID_AWARDED]: { replan: { trigger: 'BID_AWARDED', of: 'WorkOrder' } },
  // Whichever node the supplier or the customer signed on: the operator's matcher re-plans (a
  // delay only over the threshold), and every node alerts its own customer.
  [EventName.SUPPLY_DELAY_REPORTED]: {
    replan: { trigger: 'SUPPLIER_DELAY', of: 'SupplyDelay' },
    alerts: true,
  },
  [EventName.SUPPLY_ALTERNATIVE_CHOSEN]: { replan: { trigger: 'SUPPLIER_DELAY', of: 'SupplyChoice' } },
  [EventName.OPERATION_REPORTED]: { alerts: true },
  // The watch opened an exception on a running operation, or it climbed a level.
  [EventName.EXCEPTION_OPENED]: { alerts: true },
  [EventName.EXCEPTION_ESCALATED]: { alerts: true },
};

/** What an event of this name sets off (nothing for most). */
export function reactionToEvent(eventName: string): Reaction {
  return (EVENT_REACTIONS as Partial<Record<string, Reaction>>)[eventName] ?? {};
}

/** What a command's event sets off (so its writer can answer after it). */
export function reactionTo(name: CommandName): Reaction {
  return reactionToEvent(LEDGER_COMMANDS[name].emits);
}
