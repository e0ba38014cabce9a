import { EventName, type Lot, type Settlement } from '@fabpool/chaincode/model';
import nodemailer, { type Transporter } from 'nodemailer';
import type pg from 'pg';
import type { Alert } from '../alerts/alert.js';
import type { PoolChange } from '../readModel/changes.js';
import {
  dueDeliveries,
  queueDelivery,
  recordAttempt,
  subscriptionsTo,
  type Delivery,
} from '../repositories/notifications.js';
import { recordsByIds } from '../repositories/records.js';
import { secretBoxOf } from '../secrets/secretBox.js';
import { backoffMs, MAX_ATTEMPTS, reaches, signatureOf, type Notice } from './notification.js';

export interface NotificationSettings {
  /** smtp://user:pass@host:port of the SMTP server e-mail goes through; none: no e-mail. */
  smtpUrl?: string;
  /** The sender of the e-mails. */
  from: string;
  /** Wait after a first failed attempt (doubling after each). */
  backoffBaseMs: number;
  /** How long a webhook may take to answer. */
  timeoutMs: number;
  now: () => number;
}

const assignmentNotice = (lot: Lot): Notice => ({
  kind: 'ASSIGNMENT',
  subject: `lot-${lot.lotId}`,
  title: `[fabpool] lot ${lot.lotId} assigned to ${lot.factoryId}`,
  payload: {
    lotId: lot.lotId,
    workOrderId: lot.workOrderId,
    factoryId: lot.factoryId,
    bucket: lot.bucket,
    quantity: lot.quantity,
    acceptBy: lot.acceptBy,
  },
  factoryMspId: lot.factoryMspId,
});

const settlementNotice = (settlement: Settlement): Notice => ({
  kind: 'SETTLEMENT',
  subject: `settlement-${settlement.settlementId}-${settlement.status}`,
  title: `[fabpool] settlement ${settlement.settlementId} ${settlement.status}`,
  payload: { ...settlement },
  factoryMspId: settlement.payeeMspId,
  customerMemberId: settlement.payerMemberId,
});

/**
 * Notifications outside the app: turns what happens (alerts and escalations, lots assigned,
 * settlements due or paid) into one delivery per subscription that may see it, and delivers them —
 * webhooks signed with HMAC-SHA256 (X-Fabpool-Signature), e-mail through SMTP — retrying with
 * back-off, every attempt in the delivery log, nothing sent twice.
 */
export class NotificationService {
  readonly settings: NotificationSettings;
  private readonly mail: Transporter | undefined;
  private queueing: Promise<void> = Promise.resolve();
  private delivering: Promise<number> | undefined;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly pool: pg.Pool,
    settings: Partial<NotificationSettings> = {},
    private readonly log: (line: string) => void = () => undefined,
  ) {
    this.settings = {
      from: 'fabpool <notifications@fabpool.local>',
      backoffBaseMs: 5_000,
      timeoutMs: 10_000,
      now: () => Date.now(),
      ...settings,
    };
    this.mail =
      this.settings.smtpUrl === undefined ? undefined : nodemailer.createTransport(this.settings.smtpUrl);
  }

  /** Whether this node can send e-mail (an SMTP server is configured). */
  get sendsEmail(): boolean {
    return this.mail !== undefined;
  }

  /** An alert raised on this node (an escalation is its own kind). */
  alertRaised(alert: Alert): void {
    this.queue({
      kind: alert.kind === 'ESCALATION' ? 'ESCALATION' : 'ALERT',
      subject: `alert-${alert.id}`,
      title: `[fabpool] ${alert.kind} ${alert.lotId ?? alert.workOrderId ?? ''}`.trim(),
      payload: { ...alert },
      factoryMspId: alert.factoryMspId,
      customerMemberId: alert.customerMemberId,
    });
  }

  /** A change of the pool: new lots tell their factory, settlements their payer and payee. */
  noticeChange(change: PoolChange): void {
    const ids = (kind: string) => change.changes.filter((c) => c.kind === kind).map((c) => c.id);
    const lotIds = change.type === EventName.ASSIGNMENT_RECORDED ? ids('Lot') : [];
    const settlementIds = ids('Settlement');
    if (lotIds.length === 0 && settlementIds.length === 0) return;
    this.queueing = this.queueing
      .then(async () => {
        for (const lot of await recordsByIds(this.pool, 'Lot', lotIds))
          if (lot.status === 'ASSIGNED') await this.deliver(assignmentNotice(lot));
        for (const settlement of await recordsByIds(this.pool, 'Settlement', settlementIds))
          await this.deliver(settlementNotice(settlement));
      })
      .catch((error: unknown) => {
        this.log(`notifications: ${String(error)}`);
      });
  }

  private queue(notice: Notice): void {
    this.queueing = this.queueing
      .then(() => this.deliver(notice))
      .catch((error: unknown) => {
        this.log(`notifications: ${String(error)}`);
      });
  }

  /** One delivery for each subscription to its kind that may see it. */
  private async deliver(notice: Notice): Promise<void> {
    for (const subscription of await subscriptionsTo(this.pool, notice.kind))
      if (reaches(notice, subscription))
        await queueDelivery(this.pool, subscription.id, notice.kind, notice.subject, {
          kind: notice.kind,
          subject: notice.subject,
          title: notice.title,
          data: notice.payload,
        });
  }

  /** Sends every delivery due now; returns how many it attempted. */
  async deliverDue(): Promise<number> {
    await this.queueing;
    const due = await dueDeliveries(this.pool, new Date(this.settings.now()), 100);
    for (const delivery of due) {
      try {
        await this.send(delivery);
        await recordAttempt(this.pool, delivery.id, { delivered: true, at: new Date(this.settings.now()) });
      } catch (error) {
        const attempts = delivery.attempts + 1;
        await recordAttempt(this.pool, delivery.id, {
          delivered: false,
          error: error instanceof Error ? error.message : String(error),
          ...(attempts >= MAX_ATTEMPTS
            ? {}
            : { retryAt: new Date(this.settings.now() + backoffMs(attempts, this.settings.backoffBaseMs)) }),
        });
      }
    }
    return due.length;
  }

  private async send(delivery: Delivery): Promise<void> {
    const body = JSON.stringify({ id: delivery.id, ...delivery.payload });
    if (delivery.channel === 'EMAIL') {
      if (this.mail === undefined) throw new Error('this node has no SMTP server configured');
      const title = typeof delivery.payload.title === 'string' ? delivery.payload.title : delivery.eventKind;
      await this.mail.sendMail({
        from: this.settings.from,
        to: delivery.target,
        subject: title,
        text: `${title}\n\n${JSON.stringify(delivery.payload.data, null, 2)}\n`,
      });
      return;
    }
    const secret = delivery.secret === null ? '' : secretBoxOf(this.pool).open(delivery.secret);
    const response = await fetch(delivery.target, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-fabpool-event': delivery.eventKind,
        'x-fabpool-delivery': String(delivery.id),
        'x-fabpool-signature': signatureOf(secret, body),
      },
      body,
      signal: AbortSignal.timeout(this.settings.timeoutMs),
    });
    if (!response.ok) throw new Error(`${delivery.target} answered ${response.status}`);
  }

  start(everyMs = 2_000): void {
    this.timer ??= setInterval(() => {
      this.delivering ??= this.deliverDue()
        .catch((error: unknown) => {
          this.log(`notifications: ${String(error)}`);
          return 0;
        })
        .finally(() => {
          this.delivering = undefined;
        });
    }, everyMs);
  }

  async stop(): Promise<void> {
    if (this.timer !== undefined) clearInterval(this.timer);
    this.timer = undefined;
    await this.delivering;
    await this.queueing;
    this.mail?.close();
  }

  /** Resolves once every notice so far is queued. */
  async idle(): Promise<void> {
    let seen: Promise<void> | undefined;
    while (seen !== this.queueing) {
      seen = this.queueing;
      await seen;
    }
  }
}
