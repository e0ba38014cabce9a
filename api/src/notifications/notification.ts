import { createHmac } from 'node:crypto';

/** What a member may subscribe to, outside the app. */
export const NOTIFICATION_KINDS = ['ALERT', 'ESCALATION', 'ASSIGNMENT', 'SETTLEMENT'] as const;
export type NotificationKind = (typeof NOTIFICATION_KINDS)[number];

export const CHANNELS = ['WEBHOOK', 'EMAIL'] as const;
export type Channel = (typeof CHANNELS)[number];

/** A delivery is tried this many times at most, then kept as FAILED in the log. */
export const MAX_ATTEMPTS = 8;

/** Wait before the next attempt: doubling from `baseMs` after each failure, at most an hour. */
export function backoffMs(attempts: number, baseMs: number): number {
  return Math.min(3_600_000, baseMs * 2 ** Math.max(0, attempts - 1));
}

/** The header a receiver checks: HMAC-SHA256 of the exact body with the subscription's secret. */
export function signatureOf(secret: string, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
}

/** Something that happened, and whom it concerns. */
export interface Notice {
  kind: NotificationKind;
  /** One delivery per subscription and subject: a replay sends nothing twice. */
  subject: string;
  title: string;
  payload: Record<string, unknown>;
  /** The factory organisation it concerns, if any. */
  factoryMspId?: string | null;
  /** The customer (member) it concerns, if any. */
  customerMemberId?: string | null;
}

/** Who subscribed: what it may see decides what it is sent. */
export interface Subscriber {
  memberId: string;
  role: string;
  mspId: string;
}

/** The same rule as the app's: overseers everything, a factory its own lots', a customer its own orders'. */
export function reaches(notice: Notice, subscriber: Subscriber): boolean {
  if (subscriber.role === 'operator' || subscriber.role === 'auditor') return true;
  if (subscriber.role === 'factory') return notice.factoryMspId === subscriber.mspId;
  if (subscriber.role === 'customer') return notice.customerMemberId === subscriber.memberId;
  return false;
}

/** A webhook goes to an http(s) address; an e-mail to one address. */
export function checkTarget(channel: Channel, target: string): string | undefined {
  if (channel === 'EMAIL')
    return /^[^\s@<>]+@[^\s@<>]+\.[^\s@<>]+$/.test(target) ? undefined : `${target} is not an e-mail address`;
  try {
    const url = new URL(target);
    return url.protocol === 'http:' || url.protocol === 'https:'
      ? undefined
      : `${target}: a webhook is an http or https address`;
  } catch {
    return `${target} is not an address`;
  }
}
