import type { MessageKey } from './i18n';
import { enumLabel, processLabel } from './labels';
import { shiftLabel } from './session';

/** An alert as the alerts page has it: its kind, what it is about, and the facts it was raised with. */
export interface AlertFacts {
  kind: string;
  workOrderId: string | null;
  lotId: string | null;
  message: string;
  detail: unknown;
}

const fill = (template: string, values: Record<string, string | number>): string =>
  template.replace(/\{\{(\w+)\}\}/g, (whole, name: string) => String(values[name] ?? whole));

const KINDS = new Set([
  'STANDARD_TIME_REACHED',
  'OVERRUN',
  'FROZEN_OPERATION',
  'ESCALATION',
  'SUPPLIER_DELAY',
  'UNITS_UNPLACED',
  'PLANT_OVERLOADED',
  'DECISION_DUE',
]);

/**
 * An alert in the chosen language, written from the facts it was raised with (its `detail`); an
 * alert of a kind this page does not know yet reads as the api wrote it.
 */
export function alertText(t: (key: MessageKey) => string, alert: AlertFacts): string {
  if (!KINDS.has(alert.kind) || typeof alert.detail !== 'object' || alert.detail === null)
    return alert.message;
  const d = alert.detail as Record<string, unknown>;
  const text = (name: string) => (typeof d[name] === 'string' || typeof d[name] === 'number' ? d[name] : '');
  const list = (name: string) =>
    Array.isArray(d[name]) ? (d[name] as unknown[]).map(String).join('、') : '';
  const values: Record<string, string | number> = {
    order: alert.workOrderId ?? '',
    lot: alert.lotId ?? '',
    seq: text('seq'),
    standardMinutes: text('standardMinutes'),
    actualMinutes: text('actualMinutes'),
    allowedMinutes: text('allowedMinutes'),
    level: text('level'),
    openedAt: typeof d.openedAt === 'string' ? d.openedAt.slice(5, 16).replace('T', ' ') : '',
    notified: Array.isArray(d.notified)
      ? (d.notified as { party?: string }[]).map((n) => enumLabel(t, 'Party', n.party ?? '')).join('、')
      : '',
    materialCode: text('materialCode'),
    delayHours: text('delayHours'),
    alternatives: text('alternatives'),
    unplaced: text('unplaced'),
    minutesWaiting: text('minutesWaiting'),
    refusedBy: list('refusedBy'),
    factoryId: text('factoryId'),
    process: typeof d.process === 'string' ? processLabel(t, d.process) : '',
    bucket: typeof d.bucket === 'string' ? shiftLabel(d.bucket) : '',
    percent: text('percent'),
    assignedMinutes: text('assignedMinutes'),
    loadMinutes: text('loadMinutes'),
    declaredMinutes: text('declaredMinutes'),
    minutesLeft: text('minutesLeft'),
    acceptBy: typeof d.acceptBy === 'string' ? d.acceptBy.slice(5, 16).replace('T', ' ') : '',
  };
  let template = t(`alertText.${alert.kind}` as MessageKey);
  if (alert.kind === 'UNITS_UNPLACED') {
    const capable = Array.isArray(d.capablePlants) ? d.capablePlants.length : 0;
    template +=
      capable === 0
        ? t('alertText.noPlantOffers')
        : d.allRefused === true
          ? t('alertText.allRefused')
          : values.refusedBy !== ''
            ? t('alertText.refusedBy')
            : '';
  }
  return fill(template, values);
}
