import type { MaterialAlternatives, SupplyAlternative } from '../matching/supplyAlternatives.js';
import { supplyDelaysByIds } from '../repositories/supplyDelays.js';
import { loadGrid } from '../repositories/capacity.js';
import { allRecordsOf } from '../repositories/records.js';
import { decisionsDue, overloadedShifts, unplacedOrders } from './watchRules.js';
import { reactionToEvent } from '../ledger/reactions.js';
import type pg from 'pg';
import { isOverrun, nextEscalationDue } from '@fabpool/chaincode/rules/progress';
import {
  alertsFor,
  exceptionsByIds,
  insertAlert,
  openExceptions,
  runningOperations,
  type ExceptionConcerning,
} from '../repositories/alerts.js';
import type { LedgerCommands } from '../ledger/commands.js';
import { customersOfWorkOrders } from '../repositories/workOrders.js';
import type { Alert, AlertAudience, AlertKind } from './alert.js';
import type { PoolChange } from '../readModel/changes.js';
import type { Page } from '../repositories/queryable.js';

export { ALERT_KINDS, concerns, type Alert, type AlertAudience, type AlertKind } from './alert.js';

/** A lot waiting for its factory's decision raises an alert this long before its deadline. */
export const DECISION_DUE_MINUTES = 60;

export interface AlertSettings {
  /** The watch's clock (the system clock unless a test moves it). */
  now: () => number;
  /** Units of an order still unplaced this long after it was published raise an alert (minutes). */
  unplacedAfterMinutes: number;
}

/**
 * What a customer is told of a supplier's delay over the threshold: the threshold, and its
 * alternatives weighed against the current plan (api/src/matching/supplyAlternatives.ts).
 */
export interface SupplyDelayWatch {
  thresholdHours: number;
  alternativesOf(workOrderId: string): Promise<MaterialAlternatives[]>;
}

/**
 * Who signs the watch's ledger transactions on this node, and for which lots: the operator's node
 * watches every lot; a factory's node its own organisation's; a node with neither watches none.
 */
export interface OverrunWatch {
  commands: LedgerCommands;
  member: string;
  /** Only lots of this organisation's plants (a factory's own watch); every lot when absent. */
  factoryMspId?: string;
}

/** What one look of the watch did. */
export interface WatchOutcome {
  alerts: Alert[];
  /** Operations (lotId/seq) whose overrun it put on the ledger while they ran. */
  flagged: string[];
  /** Exceptions (lotId/seq) it escalated one level on the ledger. */
  escalated: string[];
}

const PARTY_NAMES: Record<string, string> = {
  FACTORY_LEAD: 'team lead',
  FACTORY_MANAGER: 'factory manager',
  CUSTOMER: 'customer',
  OPERATOR: 'alliance operator',
};

/**
 * Raises alerts from what the read model shows: an operation still running at its standard time,
 * one more than 15% over it (and the next operation frozen by it), each level an unanswered
 * exception climbs (the ledger records it), a supplier's delay over 8 hours. Each is stored once
 * per subject — a replay, a restart, a second look raise nothing twice — and handed to `publish`
 * for live subscribers. Its watch puts on the ledger what it sees due: the overrun of an operation
 * still running, and each escalation; the chaincode checks both against the ledger's own records.
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
    private readonly watch?: OverrunWatch,
    private readonly supply?: SupplyDelayWatch,
  ) {
    this.settings = { now: () => Date.now(), unplacedAfterMinutes: 15, ...settings };
  }

  notice(change: PoolChange): void {
    if (reactionToEvent(change.type).alerts !== true) return;
    const ids = change.changes.filter((c) => c.kind === 'OperationException').map((c) => c.id);
    const delayIds = change.changes.filter((c) => c.kind === 'SupplyDelay').map((c) => c.id);
    if (ids.length === 0 && delayIds.length === 0) return;
    this.noticing = this.noticing
      .then(async () => {
        for (const exception of await exceptionsByIds(this.pool, ids)) await this.raiseFor(exception);
        const supply = this.supply;
        if (supply === undefined || delayIds.length === 0) return;
        for (const delay of await supplyDelaysByIds(this.pool, delayIds)) {
          if (delay.delayHours <= supply.thresholdHours) continue;
          const material = (await supply.alternativesOf(delay.workOrderId)).find(
            (m) => m.delay.materialCode === delay.materialCode,
          );
          await this.supplierDelay({
            id: `${delay.workOrderId}/${delay.materialCode}/${String(delay.seq)}`,
            workOrderId: delay.workOrderId,
            materialCode: delay.materialCode,
            delayHours: delay.delayHours,
            alternatives: material?.alternatives ?? [],
          });
        }
      })
      .catch((error: unknown) => {
        this.log(`alerts: ${String(error)}`);
      });
  }

  /**
   * One look of the watch: warns of operations running at their standard time, puts on the ledger
   * the overrun of those past 115% of it and the next level of unanswered exceptions that are due.
   * A refusal (the ledger sees it otherwise, another node's watch was first) is logged and left
   * for the next look.
   */
  async tick(): Promise<WatchOutcome> {
    const now = this.settings.now();
    const outcome: WatchOutcome = { alerts: [], flagged: [], escalated: [] };
    for (const running of await runningOperations(this.pool)) {
      const { lotId, seq, startedAt, standardMinutes } = running.record;
      const minutes = (now - Date.parse(startedAt)) / 60_000;
      if (minutes < standardMinutes) continue;
      const alert = await this.insert({
        kind: 'STANDARD_TIME_REACHED',
        subject: running.id,
        workOrderId: running.record.workOrderId,
        lotId,
        factoryMspId: running.factoryMspId,
        customerMemberId: running.customerMemberId,
        message: `operation ${seq} of lot ${lotId} has run ${Math.round(minutes)} min, its standard time (${standardMinutes} min); at 115% its next operation freezes`,
        detail: { seq, startedAt, standardMinutes },
      });
      if (alert !== undefined) outcome.alerts.push(alert);
      if (
        !running.hasException &&
        isOverrun(minutes, standardMinutes) &&
        this.watches(running.factoryMspId)
      ) {
        if (await this.sign('flagOverrun', lotId, seq)) outcome.flagged.push(running.id);
      }
    }
    for (const exception of await openExceptions(this.pool)) {
      const due = nextEscalationDue(exception.record);
      if (due === undefined || due > now || !this.watches(exception.factoryMspId)) continue;
      if (await this.sign('escalateException', exception.record.lotId, exception.record.seq))
        outcome.escalated.push(exception.id);
    }
    outcome.alerts.push(...(await this.planProblems(now)));
    await this.idle();
    return outcome;
  }

  /**
   * Problems of the plan nobody reports: units of an order left unplaced past the stated time (all
   * the capable plants refused it, said so) — to its customer; a lot whose decision is due within
   * the hour — to its factory; a plant whose lots and live load exceed what it declared for a
   * shift — to that factory. Operators and auditors see them all.
   */
  private async planProblems(now: number): Promise<Alert[]> {
    const raised: Alert[] = [];
    const factories = (await allRecordsOf(this.pool, 'Factory')).map((r) => r.record);
    const unplaced = unplacedOrders(
      (await allRecordsOf(this.pool, 'WorkOrder')).map((r) => r.record),
      (await allRecordsOf(this.pool, 'Lot')).map((r) => r.record),
      factories,
      now,
      this.settings.unplacedAfterMinutes,
    );
    for (const order of unplaced) {
      const allRefused =
        order.capablePlants.length > 0 && order.capablePlants.every((p) => order.refusedBy.includes(p));
      const alert = await this.insert({
        kind: 'UNITS_UNPLACED',
        subject: `unplaced/${order.workOrderId}`,
        workOrderId: order.workOrderId,
        lotId: null,
        factoryMspId: null,
        customerMemberId: order.customerMemberId,
        message:
          `${order.unplaced} units of ${order.workOrderId} (operation ${order.seq}) are still unplaced ${order.minutesWaiting} min after publishing` +
          (order.capablePlants.length === 0
            ? ': no plant offers its process'
            : allRefused
              ? `: every plant that offers its process refused it (${order.refusedBy.join(', ')})`
              : order.refusedBy.length > 0
                ? `; refused by ${order.refusedBy.join(', ')}`
                : ''),
        detail: { ...order, allRefused },
      });
      if (alert !== undefined) raised.push(alert);
    }
    for (const due of decisionsDue(
      (await allRecordsOf(this.pool, 'Lot')).map((r) => r.record),
      now,
      DECISION_DUE_MINUTES,
    )) {
      const alert = await this.insert({
        kind: 'DECISION_DUE',
        subject: `decision/${due.lotId}`,
        workOrderId: due.workOrderId,
        lotId: due.lotId,
        factoryMspId: due.factoryMspId,
        customerMemberId: null,
        message: `lot ${due.lotId} at ${due.factoryId} waits for your decision: accept or turn it down within ${due.minutesLeft} min (by ${due.acceptBy}), or the matcher places its units elsewhere`,
        detail: { ...due },
      });
      if (alert !== undefined) raised.push(alert);
    }
    const mspOf = new Map(factories.map((f) => [f.factoryId, f.mspId]));
    const current = new Date(Math.floor(now / 28_800_000) * 28_800_000);
    for (const cell of overloadedShifts(await loadGrid(this.pool, current, null), current.toISOString())) {
      const alert = await this.insert({
        kind: 'PLANT_OVERLOADED',
        subject: `overload/${cell.factoryId}/${cell.process}/${cell.bucket}`,
        workOrderId: null,
        lotId: null,
        factoryMspId: mspOf.get(cell.factoryId) ?? null,
        customerMemberId: null,
        message: `${cell.factoryId} is at ${cell.percent}% of its declared ${cell.process} minutes in the shift of ${cell.bucket} (${cell.assignedMinutes} held by lots + ${cell.loadMinutes} live load > ${cell.declaredMinutes} declared)`,
        detail: { ...cell },
      });
      if (alert !== undefined) raised.push(alert);
    }
    return raised;
  }

  private watches(factoryMspId: string | null): boolean {
    if (this.watch === undefined) return false;
    return this.watch.factoryMspId === undefined || this.watch.factoryMspId === factoryMspId;
  }

  private async sign(
    command: 'flagOverrun' | 'escalateException',
    lotId: string,
    seq: number,
  ): Promise<boolean> {
    if (this.watch === undefined) return false;
    try {
      await this.watch.commands.send(this.watch.member, command, { lotId, seq });
      return true;
    } catch (error) {
      this.log(
        `alerts: ${command} ${lotId}/${seq}: ${error instanceof Error ? error.message : String(error)}`,
      );
      return false;
    }
  }

  /**
   * The alerts an exception calls for: its overrun and the frozen next operation, once, then one
   * per level it climbed, each to whom that level tells.
   */
  private async raiseFor(exception: ExceptionConcerning): Promise<void> {
    if (exception.record.status !== 'OPEN') return;
    const { lotId, seq, actualMinutes, allowedMinutes, whileRunning } = exception.record;
    const over = Math.round((actualMinutes / allowedMinutes - 1) * 100);
    await this.raise(
      exception,
      'OVERRUN',
      whileRunning === true
        ? `operation ${seq} of lot ${lotId} is still running after ${actualMinutes} min, ${over}% over the ${allowedMinutes} allowed`
        : `operation ${seq} of lot ${lotId} took ${actualMinutes} min, ${over}% over the ${allowedMinutes} allowed`,
    );
    await this.raise(
      exception,
      'FROZEN_OPERATION',
      `lot ${lotId} may not go on (its next operation, or its hand-over) until the exception of operation ${seq} is closed`,
    );
    for (const step of exception.record.escalations ?? []) {
      if (step.level < 2) continue;
      const told = step.notified.map((n) => PARTY_NAMES[n.party] ?? n.party).join(' and ');
      const reachesCustomer = step.notified.some((n) => n.party === 'CUSTOMER');
      await this.insert({
        kind: 'ESCALATION',
        subject: `${exception.id}#${step.level}`,
        workOrderId: exception.record.workOrderId,
        lotId,
        factoryMspId: exception.factoryMspId,
        customerMemberId: reachesCustomer ? exception.customerMemberId : null,
        message: `level ${step.level}: the exception of operation ${seq} of lot ${lotId} is unanswered since ${exception.record.openedAt}; ${told} told`,
        detail: {
          seq,
          level: step.level,
          at: step.at,
          notified: step.notified,
          openedAt: exception.record.openedAt,
        },
      });
    }
  }

  async supplierDelay(report: {
    /** The delay record's id on the ledger: workOrderId/materialCode/seq. */
    id: string;
    workOrderId: string;
    materialCode: string;
    delayHours: number;
    /** What the customer may do about it, evaluated at once (supplyAlternatives). */
    alternatives: readonly SupplyAlternative[];
  }): Promise<Alert | undefined> {
    const customers = await customersOfWorkOrders(this.pool, [report.workOrderId]);
    const soonest = report.alternatives
      .filter((a) => a.finishBucket !== null)
      .sort(
        (a, b) => (a.finishBucket ?? '').localeCompare(b.finishBucket ?? '') || a.totalCost - b.totalCost,
      )[0];
    return this.insert({
      kind: 'SUPPLIER_DELAY',
      subject: `delay-${report.id}`,
      workOrderId: report.workOrderId,
      lotId: null,
      factoryMspId: null,
      customerMemberId: customers.get(report.workOrderId) ?? null,
      message:
        `${report.materialCode} for ${report.workOrderId} comes ${report.delayHours} h late: ` +
        `${report.alternatives.length} alternatives to choose from` +
        (soonest === undefined ? '' : `, the soonest (${soonest.choice}) done by ${soonest.finishBucket}`),
      detail: {
        materialCode: report.materialCode,
        delayHours: report.delayHours,
        alternatives: report.alternatives.length,
        ...(soonest === undefined ? {} : { soonest: soonest.choice, soonestFinish: soonest.finishBucket }),
      },
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
