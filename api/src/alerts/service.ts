import { EventName } from '@fabpool/chaincode/model';
import type pg from 'pg';
import type { PoolChange } from '../readModel/changes.js';

export const ALERT_KINDS = ['OVERRUN', 'FROZEN_OPERATION', 'ESCALATION', 'SUPPLIER_DELAY'] as const;
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

export interface AlertSettings {
  /** An exception nobody answered (closed with cause and first action) for this long escalates. */
  escalateAfterMinutes: number;
  now: () => number;
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

interface ExceptionRow {
  id: string;
  record: {
    lotId: string;
    workOrderId: string;
    seq: number;
    status: string;
    actualMinutes: number;
    allowedMinutes: number;
    openedAt: string;
  };
  factory_msp_id: string | null;
  customer_member_id: string | null;
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
    if (change.type !== EventName.OPERATION_REPORTED) return;
    const ids = change.changes.filter((c) => c.kind === 'OperationException').map((c) => c.id);
    if (ids.length === 0) return;
    this.noticing = this.noticing
      .then(async () => {
        for (const exception of await this.exceptions('e.id = ANY($1)', [ids])) {
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
    const cutoff = new Date(this.settings.now() - this.settings.escalateAfterMinutes * 60_000).toISOString();
    const raised: Alert[] = [];
    for (const exception of await this.exceptions(
      "e.record->>'status' = 'OPEN' AND (e.record->>'openedAt')::timestamptz < $1::timestamptz",
      [cutoff],
    )) {
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
    const { rows } = await this.pool.query<{ customer_member_id: string | null }>(
      "SELECT record->>'customerMemberId' AS customer_member_id FROM record WHERE kind = 'WorkOrder' AND id = $1",
      [report.workOrderId],
    );
    return this.insert({
      kind: 'SUPPLIER_DELAY',
      subject: `delay-${report.id}`,
      workOrderId: report.workOrderId,
      lotId: null,
      factoryMspId: null,
      customerMemberId: rows[0]?.customer_member_id ?? null,
      message: `${report.materialCode} for ${report.workOrderId} comes ${report.delayHours} h late`,
      detail: { materialCode: report.materialCode, delayHours: report.delayHours },
    });
  }

  async list(audience: AlertAudience, limit: number): Promise<Alert[]> {
    const { rows } = await this.pool.query<Record<string, unknown>>(
      `SELECT * FROM alert
        WHERE $1 IN ('operator', 'auditor') OR ($1 = 'factory' AND factory_msp_id = $2) OR ($1 = 'customer' AND customer_member_id = $3)
        ORDER BY id DESC LIMIT $4`,
      [audience.role, audience.mspId, audience.memberId, limit],
    );
    return rows.map(alertOf);
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

  /** Exceptions matching a condition on `e` (the exception's record row), with who they concern. */
  private async exceptions(where: string, params: unknown[]): Promise<ExceptionRow[]> {
    const { rows } = await this.pool.query<ExceptionRow>(
      `SELECT e.id, e.record, l.record->>'factoryMspId' AS factory_msp_id, w.record->>'customerMemberId' AS customer_member_id
         FROM record e
         LEFT JOIN record l ON l.kind = 'Lot' AND l.id = e.record->>'lotId'
         LEFT JOIN record w ON w.kind = 'WorkOrder' AND w.id = e.record->>'workOrderId'
        WHERE e.kind = 'OperationException' AND ${where}
        ORDER BY e.id`,
      params,
    );
    return rows;
  }

  private raise(exception: ExceptionRow, kind: AlertKind, message: string): Promise<Alert | undefined> {
    return this.insert({
      kind,
      subject: exception.id,
      workOrderId: exception.record.workOrderId,
      lotId: exception.record.lotId,
      factoryMspId: exception.factory_msp_id,
      customerMemberId: exception.customer_member_id,
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
    const { rows } = await this.pool.query<Record<string, unknown>>(
      `INSERT INTO alert (kind, subject, raised_at, work_order_id, lot_id, factory_msp_id, customer_member_id, message, detail)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT (kind, subject) DO NOTHING RETURNING *`,
      [
        alert.kind,
        alert.subject,
        new Date(this.settings.now()),
        alert.workOrderId,
        alert.lotId,
        alert.factoryMspId,
        alert.customerMemberId,
        alert.message,
        JSON.stringify(alert.detail),
      ],
    );
    const row = rows[0];
    if (row === undefined) return undefined;
    const raised = alertOf(row);
    this.publish(raised);
    return raised;
  }
}

function alertOf(row: Record<string, unknown>): Alert {
  return {
    id: Number(row.id),
    kind: row.kind as AlertKind,
    subject: String(row.subject),
    raisedAt: (row.raised_at as Date).toISOString(),
    workOrderId: (row.work_order_id as string | null) ?? null,
    lotId: (row.lot_id as string | null) ?? null,
    factoryMspId: (row.factory_msp_id as string | null) ?? null,
    customerMemberId: (row.customer_member_id as string | null) ?? null,
    message: String(row.message),
    detail: row.detail as Record<string, unknown>,
  };
}
