/** An alert as kept and shown: what it is about, whom it concerns. */

export const ALERT_KINDS = [
  'STANDARD_TIME_REACHED',
  'OVERRUN',
  'FROZEN_OPERATION',
  'ESCALATION',
  'SUPPLIER_DELAY',
  'UNITS_UNPLACED',
  'PLANT_OVERLOADED',
  'DECISION_DUE',
] as const;
export type AlertKind = (typeof ALERT_KINDS)[number];

export interface Alert {
  id: number;
  kind: AlertKind;
  /** What it is about (an exception, a delay report): one alert per kind and subject. */
  subject: string;
  raisedAt: string;
  workOrderId: string | null;
  lotId: string | null;
  factoryMspId: string | null;
  customerMemberId: string | null;
  message: string;
  detail: Record<string, unknown>;
}

/** Who may see an alert: operators and auditors all, a factory its own lots', a customer its own orders'. */
export interface AlertAudience {
  role: string;
  mspId: string;
  /** Customers share organisations: a customer's alerts are its own orders'. */
  memberId: string;
}

export function concerns(alert: Alert, audience: AlertAudience): boolean {
  if (audience.role === 'operator' || audience.role === 'auditor') return true;
  if (audience.role === 'factory') return alert.factoryMspId === audience.mspId;
  if (audience.role === 'customer') return alert.customerMemberId === audience.memberId;
  return false;
}
