import type { MessageKey } from './i18n';

/**
 * The api's enums by their names in the chosen language: each value of each enum of its schema
 * has a key `enum.<Type>.<VALUE>` in both catalogues (labels.test.ts fails when one is missing).
 * A value the catalogues do not know yet (an api newer than the page) reads as itself.
 */
export function enumLabel(t: (key: MessageKey) => string, type: string, value: string): string {
  const key = `enum.${type}.${value}` as MessageKey;
  const label = t(key);
  return label === key ? value : label;
}

type T = (key: MessageKey) => string;
export const processLabel = (t: T, process: string): string => enumLabel(t, 'Process', process);
export const lotStatusLabel = (t: T, status: string): string => enumLabel(t, 'FactoryLotStatus', status);
export const triggerLabel = (t: T, kind: string): string => enumLabel(t, 'MatcherTriggerKind', kind);
export const eventLabel = (t: T, event: string): string => enumLabel(t, 'EventName', event);

/** A ledger record's kind (WorkOrder, Lot, Custody…) in the reader's language; unknown ones as written. */
export const recordKindLabel = (t: T, kind: string): string => {
  const key = `recordKind.${kind}` as MessageKey;
  const label = t(key);
  return label === key ? kind : label;
};
