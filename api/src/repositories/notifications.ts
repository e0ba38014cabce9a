import type { Channel, NotificationKind, Subscriber } from '../notifications/notification.js';
import type { Page, Queryable } from './queryable.js';

export interface Subscription extends Subscriber {
  id: number;
  channel: Channel;
  target: string;
  eventKinds: NotificationKind[];
  /** Sealed. */
  secret: string | null;
  createdAt: string;
}

export interface Delivery {
  id: number;
  subscriptionId: number;
  channel: Channel;
  target: string;
  eventKind: NotificationKind;
  subject: string;
  payload: Record<string, unknown>;
  status: 'PENDING' | 'DELIVERED' | 'FAILED';
  attempts: number;
  nextAttemptAt: string;
  lastError: string | null;
  deliveredAt: string | null;
  createdAt: string;
  /** Sealed, for signing. */
  secret: string | null;
}

/** An instant as the api speaks it (ISO 8601, UTC, milliseconds). */
const iso = (column: string): string =>
  `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

const SUBSCRIPTION = `id::int, member_id AS "memberId", role, msp_id AS "mspId", channel, target,
  event_kinds AS "eventKinds", secret, ${iso('created_at')} AS "createdAt"`;
const DELIVERY = `d.id::int, d.subscription_id::int AS "subscriptionId", s.channel, s.target, d.event_kind AS "eventKind",
  d.subject, d.payload, d.status, d.attempts, ${iso('d.next_attempt_at')} AS "nextAttemptAt", d.last_error AS "lastError",
  ${iso('d.delivered_at')} AS "deliveredAt", ${iso('d.created_at')} AS "createdAt", s.secret`;

export async function insertSubscription(
  db: Queryable,
  s: Omit<Subscription, 'id' | 'createdAt'>,
): Promise<Subscription> {
  const { rows } = await db.query<Subscription>(
    `INSERT INTO notification_subscription (member_id, role, msp_id, channel, target, event_kinds, secret)
     VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING ${SUBSCRIPTION}`,
    [s.memberId, s.role, s.mspId, s.channel, s.target, s.eventKinds, s.secret],
  );
  const row = rows[0];
  if (row === undefined) throw new Error('the subscription was not stored');
  return row;
}

/** A member's subscriptions still in force, oldest first. */
export async function subscriptionsOf(db: Queryable, memberId: string): Promise<Subscription[]> {
  const { rows } = await db.query<Subscription>(
    `SELECT ${SUBSCRIPTION} FROM notification_subscription WHERE member_id = $1 AND revoked_at IS NULL ORDER BY id`,
    [memberId],
  );
  return rows;
}

/** Subscriptions in force to a kind of event. */
export async function subscriptionsTo(db: Queryable, kind: NotificationKind): Promise<Subscription[]> {
  const { rows } = await db.query<Subscription>(
    `SELECT ${SUBSCRIPTION} FROM notification_subscription WHERE $1 = ANY(event_kinds) AND revoked_at IS NULL ORDER BY id`,
    [kind],
  );
  return rows;
}

/** Ends a member's own subscription; false when it has none of that id in force. */
export async function revokeSubscription(db: Queryable, id: number, memberId: string): Promise<boolean> {
  const { rowCount } = await db.query(
    'UPDATE notification_subscription SET revoked_at = now() WHERE id = $1 AND member_id = $2 AND revoked_at IS NULL',
    [id, memberId],
  );
  return (rowCount ?? 0) > 0;
}

/** Queues one delivery per subscription and subject (a second notice of it queues nothing). */
export async function queueDelivery(
  db: Queryable,
  subscriptionId: number,
  kind: NotificationKind,
  subject: string,
  payload: Record<string, unknown>,
): Promise<boolean> {
  const { rowCount } = await db.query(
    `INSERT INTO notification_delivery (subscription_id, event_kind, subject, payload) VALUES ($1, $2, $3, $4)
     ON CONFLICT (subscription_id, event_kind, subject) DO NOTHING`,
    [subscriptionId, kind, subject, JSON.stringify(payload)],
  );
  return (rowCount ?? 0) > 0;
}

/** Deliveries whose next attempt is due, oldest first. */
export async function dueDeliveries(db: Queryable, now: Date, limit: number): Promise<Delivery[]> {
  const { rows } = await db.query<Delivery>(
    `SELECT ${DELIVERY} FROM notification_delivery d JOIN notification_subscription s ON s.id = d.subscription_id
      WHERE d.status = 'PENDING' AND d.next_attempt_at <= $1 AND s.revoked_at IS NULL
      ORDER BY d.next_attempt_at, d.id LIMIT $2`,
    [now, limit],
  );
  return rows;
}

/** Records an attempt: delivered, to be tried again at `retryAt`, or failed for good (no `retryAt`). */
export async function recordAttempt(
  db: Queryable,
  id: number,
  outcome: { delivered: true; at: Date } | { delivered: false; error: string; retryAt?: Date },
): Promise<void> {
  if (outcome.delivered)
    await db.query(
      "UPDATE notification_delivery SET status = 'DELIVERED', attempts = attempts + 1, delivered_at = $2, last_error = NULL WHERE id = $1",
      [id, outcome.at],
    );
  else
    await db.query(
      `UPDATE notification_delivery SET attempts = attempts + 1, last_error = $2,
              status = CASE WHEN $3::timestamptz IS NULL THEN 'FAILED' ELSE 'PENDING' END,
              next_attempt_at = COALESCE($3::timestamptz, next_attempt_at)
        WHERE id = $1`,
      [id, outcome.error.slice(0, 1000), outcome.retryAt ?? null],
    );
}

/** The delivery log of a member's subscriptions, newest first. */
export async function deliveriesOf(db: Queryable, memberId: string, page: Page): Promise<Delivery[]> {
  const { rows } = await db.query<Delivery>(
    `SELECT ${DELIVERY} FROM notification_delivery d JOIN notification_subscription s ON s.id = d.subscription_id
      WHERE s.member_id = $1 ORDER BY d.id DESC LIMIT $2 OFFSET $3`,
    [memberId, page.limit, page.offset],
  );
  return rows;
}
