import { reactionToEvent } from '../ledger/reactions.js';
import type pg from 'pg';
import {
  alertsFor,
  exceptionsByIds,
  exceptionsOpenSince,
  insertAlert,
  type ExceptionConcerning,
} from '../repositories/alerts.js';
import { customersOfWorkOrders } from '../repositories/workOrders.js';
import type { Alert, AlertAudience, AlertKind } from './alert.js';
import type { PoolChange } from '../readModel/changes.js';
import type { Page } from '../repositories/queryable.js';

export { ALERT_KINDS, concerns, type Alert, type AlertAudience, type AlertKind } from './alert.js';

export interface AlertSettings {
  /** An exception nobody answered (closed with cause and first action) for this long escalates. */
  escalateAfterMinutes: number;
  now: () => number;
}

/**
 * Raises alerts from what the read model shows: an operation more than 15% over its standard time
 * (and the next operation frozen by it), an exception nobody answered within 15 minutes
 * (escalation), a supplier's delay over 8 hours. Each is stored once per subject — a replay, a
 * restart, a second look raise nothing twice — and handed to `publish` for live subscribers.
 */
export class AlertService {
  readonly settings: AlertSettings;
  private noticing: Promise<void> = Promise.resolve();
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly pool: pg.Pool,
    private readonly publish: (alert: Alert) => void,
    settings: Partial<AlertSettings> = {},
    private readonly log: (line: string) => void = () => undefined,
  ) {
    this.settings = { escalateAfterMinutes: 15, now: () => Date.now(), ...settings };
  }

  notice(change: PoolChange): void {
    if (reactionToEvent(change.type).alerts !== true) return;
    const ids = change.changes.filter((c) => c.kind === 'OperationException').map((c) => c.id);
    if (ids.length === 0) return;
    this.noticing = this.noticing
      .then(async () => {
        for (const exception of await exceptionsByIds(this.pool, ids)) {
          if (exception.record.status !== 'OPEN') continue;
          const { lotId, seq, actualMinutes, allowedMinutes } = exception.record;
          const over = Math.round((actualMinutes / allowedMinutes - 1) * 100);
          await this.raise(
            exception,
            'OVERRUN',
            `operation ${seq} of lot ${lotId} took ${actualMinutes} min, ${over}% over the ${allowedMinutes} allowed`,
          );
          await this.raise(
            exception,
            'FROZEN_OPERATION',
            `lot ${lotId} may not go on (its next operation, or its hand-over) until the exception of operation ${seq} is closed`,
          );
        }
      })
      .catch((error: unknown) => {
        this.log(`alerts: ${String(error)}`);
      });
  }

  /** Escalates every exception still open past the response time; returns the alerts it raised. */
  async tick(): Promise<Alert[]> {
    const cutoff = new Date(this.settings.now() - this.settings.escalateAfterMinutes * 60_000);
    const raised: Alert[] = [];
    for (const exception of await exceptionsOpenSince(this.pool, cutoff)) {
      const alert = await this.raise(
        exception,
        'ESCALATION',
        `the exception of operation ${exception.record.seq} of lot ${exception.record.lotId} has had no answer for ${this.settings.escalateAfterMinutes} minutes`,
      );
      if (alert !== undefined) raised.push(alert);
    }
    return raised;
  }

  async supplierDelay(report: {
    id: number;
    workOrderId: string;
    materialCode: string;
    delayHours: number;
  }): Promise<Alert | undefined> {
    const customers = await customersOfWorkOrders(this.pool, [report.workOrderId]);
    return this.insert({
      kind: 'SUPPLIER_DELAY',
      subject: `delay-${report.id}`,
      workOrderId: report.workOrderId,
      lotId: null,
      factoryMspId: null,
      customerMemberId: customers.get(report.workOrderId) ?? null,
      message: `${report.materialCode} for ${report.workOrderId} comes ${report.delayHours} h late`,
      detail: { materialCode: report.materialCode, delayHours: report.delayHours },
    });
  }

  async list(audience: AlertAudience, page: Page): Promise<Alert[]> {
    return alertsFor(this.pool, audience, page);
  }

  start(everySeconds = 60): void {
    this.timer ??= setInterval(() => {
      this.tick().catch((error: unknown) => {
        this.log(`alerts: ${String(error)}`);
      });
    }, everySeconds * 1000);
  }

  async stop(): Promise<void> {
    if (this.timer !== undefined) clearInterval(this.timer);
    this.timer = undefined;
    await this.noticing;
  }

  /** Resolves once every noticed change has been looked at. */
  async idle(): Promise<void> {
    let seen: Promise<void> | undefined;
    while (seen !== this.noticing) {
      seen = this.noticing;
      await seen;
    }
  }

  private raise(
    exception: ExceptionConcerning,
    kind: AlertKind,
    message: string,
  ): Promise<Alert | undefined> {
    return this.insert({
      kind,
      subject: exception.id,
      workOrderId: exception.record.workOrderId,
      lotId: exception.record.lotId,
      factoryMspId: exception.factoryMspId,
      customerMemberId: exception.customerMemberId,
      message,
      detail: {
        seq: exception.record.seq,
        actualMinutes: exception.record.actualMinutes,
        allowedMinutes: exception.record.allowedMinutes,
        openedAt: exception.record.openedAt,
      },
    });
  }

  private async insert(alert: Omit<Alert, 'id' | 'raisedAt'>): Promise<Alert | undefined> {
    const raised = await insertAlert(this.pool, alert, new Date(this.settings.now()));
    if (raised === undefined) return undefined;
    this.publish(raised);
    return raised;
  }
}
