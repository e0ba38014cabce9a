import { randomUUID } from 'node:crypto';
import { BUCKET_HOURS, memberIdOf, type Custody, type Lot } from '@fabpool/chaincode/model';
import type { Ledger, LedgerMember } from '@fabpool/network';
import type pg from 'pg';
import type { Stored } from '../repositories/queryable.js';
import { allRecordsOf } from '../repositories/records.js';
import { saveLoadReport } from '../repositories/factoryReports.js';
import { LedgerCommands, type CommandInput, type CommandName } from '../ledger/commands.js';

const BUCKET_MS = BUCKET_HOURS * 3_600_000;
const CAUSES: [string, string][] = [
  ['刀具磨损 tool wear', '换刀并首件复检 tool changed, first piece re-inspected'],
  ['夹具松动 fixture loose', '重新装夹 fixture re-clamped'],
  ['来料尺寸偏差 incoming material off-size', '隔离来料并通知供应商 material quarantined, supplier told'],
  ['程序参数错误 wrong program parameter', '参数更正并复核 parameter corrected and checked'],
];

export interface SimulatorOptions {
  /** Transactions one step may send at most (keeps the demo light). */
  budget: number;
  /** How long an operation runs on the simulated floor before it is reported. */
  reportAfterMs: number;
  /** Publish a small first-article trial (tight standard time: it overruns) every this many steps. */
  trialEvery: number;
  now: () => number;
  log: (line: string) => void;
}

/**
 * The demo's shop floor: each step, the factories' own systems report their live load, factories
 * accept (now and then reject) the lots offered to them, customers send material and factories
 * count it in, operators scan operations in and out, the occasional first-article trial overruns
 * and its exception is answered, finished lots go on to the next factory or back to the customer,
 * who accepts them. Everything goes through the ledger as the member concerned, like real clients.
 */
export class ShopFloorSimulator {
  private steps = 0;
  private readonly options: SimulatorOptions;
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private readonly commands: LedgerCommands;

  constructor(
    private readonly ledger: Ledger,
    private readonly pool: pg.Pool,
    options: Partial<SimulatorOptions> = {},
  ) {
    this.commands = new LedgerCommands(ledger, () => `sim-${randomUUID()}`);
    this.options = {
      budget: 12,
      reportAfterMs: 20_000,
      trialEvery: 15,
      now: () => Date.now(),
      log: () => undefined,
      ...options,
    };
  }

  start(everySeconds = 10): void {
    this.timer ??= setInterval(() => {
      this.running ??= this.step()
        .then(() => undefined)
        .catch((error: unknown) => {
          this.options.log(`simulator: ${error instanceof Error ? error.message : String(error)}`);
        })
        .finally(() => {
          this.running = undefined;
        });
    }, everySeconds * 1000);
  }

  async stop(): Promise<void> {
    if (this.timer !== undefined) clearInterval(this.timer);
    this.timer = undefined;
    await this.running;
  }

  /** One step of the floor; returns what it did, by kind. */
  async step(): Promise<Record<string, number>> {
    this.steps++;
    const done: Record<string, number> = {};
    let budget = this.options.budget;
    const act = async <N extends CommandName>(
      kind: string,
      member: string,
      command: N,
      body: CommandInput<N>,
    ) => {
      if (budget <= 0) return;
      budget--;
      try {
        await this.commands.send(member, command, body);
        done[kind] = (done[kind] ?? 0) + 1;
      } catch (error) {
        // The floor moved on meanwhile (a re-plan, a deadline): the next step looks again.
        this.options.log(
          `simulator: ${kind} ${JSON.stringify(body)}: ${error instanceof Error ? error.message : String(error)}`,
        );
      }
    };
    done.loadReports = await this.reportLoads();

    const lots = await allRecordsOf(this.pool, 'Lot');
    const custody = new Map(
      (await allRecordsOf(this.pool, 'Custody')).map((c) => [c.record.lotId, c.record]),
    );
    const progress = await allRecordsOf(this.pool, 'OperationProgress');
    const exceptions = await allRecordsOf(this.pool, 'OperationException');
    const customers = await this.customersOf();
    const lastSeq = new Map(
      (await allRecordsOf(this.pool, 'WorkOrder')).map(({ id, record }) => [
        id,
        Math.max(...record.routing.map((op) => op.seq)),
      ]),
    );
    const now = this.options.now();

    for (const { record: lot } of lots) {
      const factory = this.factoryMember(lot.factoryMspId);
      if (factory === undefined) continue;
      const held = custody.get(lot.lotId);
      const customer = customers.get(lot.workOrderId);
      if (lot.status === 'ASSIGNED') {
        if (this.chance(lot.lotId, 15))
          await act('rejected', factory.name, 'rejectLot', {
            lotId: lot.lotId,
            reason: '设备保养 scheduled maintenance',
          });
        else await act('accepted', factory.name, 'acceptLot', { lotId: lot.lotId });
        continue;
      }
      if (held === undefined) continue;
      // Material waiting for a count: the receiver counts it in.
      if (held.offer !== undefined) {
        const receiver =
          held.offer.toMspId === customer?.mspId ? customer : this.factoryMember(held.offer.toMspId);
        if (receiver === undefined) continue;
        const short = this.chance(`${lot.lotId}-count`, 12) && held.offer.quantity > 1;
        await act('counted', receiver.name, 'confirmHandOver', {
          lotId: lot.lotId,
          receivedQuantity: held.offer.quantity - (short ? 1 : 0),
          ...(short ? { note: '点数少一件 one piece short at receiving' } : {}),
        });
        continue;
      }
      // The customer's material for a first operation goes to the factory.
      if (
        lot.status === 'ACCEPTED' &&
        lot.fromSeq === 1 &&
        customer !== undefined &&
        held.holderMspId === customer.mspId
      ) {
        await act('sent', customer.name, 'offerHandOver', {
          lotId: lot.lotId,
          toMspId: lot.factoryMspId,
          quantity: held.quantity,
        });
        continue;
      }
      if (held.holderMspId !== lot.factoryMspId) continue;
      // An open exception is answered first (after a minute): until then the lot may not go on.
      const open = exceptions.find((e) => e.record.lotId === lot.lotId && e.record.status === 'OPEN');
      if (open !== undefined) {
        if (now - Date.parse(open.record.openedAt) > 60_000) {
          const [cause, firstAction] = CAUSES[this.pick(lot.lotId, CAUSES.length)] ?? CAUSES[0] ?? ['', ''];
          await act('answered', factory.name, 'closeException', {
            lotId: lot.lotId,
            seq: open.record.seq,
            cause,
            firstAction,
            confirmedBy: '班组长 team lead Zhang',
          });
        }
        continue;
      }
      if (lot.status === 'ACCEPTED' || lot.status === 'IN_PROGRESS') {
        const steps = progress.filter((p) => p.record.lotId === lot.lotId).map((p) => p.record);
        const running = steps.find((p) => p.status === 'STARTED');
        const scan = {
          operatorId: `OP-${(lot.lotId.length % 7) + 1}`,
          machineId: `M-${(lot.lotId.length % 5) + 1}`,
        };
        if (running !== undefined) {
          if (now - Date.parse(running.startedAt) >= this.options.reportAfterMs) {
            const scrap = this.chance(`${lot.lotId}-${running.seq}`, 5) ? 1 : 0;
            await act('reported', factory.name, 'reportOperation', {
              lotId: lot.lotId,
              seq: running.seq,
              goodQuantity: running.inputQuantity - scrap,
              scrapQuantity: scrap,
              ...scan,
            });
          }
        } else if (!this.awaitsMoreMaterial(lot, held, lots, custody)) {
          const next = lot.fromSeq + steps.length;
          if (next <= lot.toSeq)
            await act('started', factory.name, 'startOperation', {
              lotId: lot.lotId,
              seq: next,
              ...scan,
            });
        }
        continue;
      }
      if (lot.status === 'DONE') {
        const next = this.handOn(lot, held, lots, custody);
        if (next === undefined) continue;
        if (next.kind === 'within') await act('fed', factory.name, 'handOverWithin', next.request);
        else if (next.kind === 'offer') await act('handedOn', factory.name, 'offerHandOver', next.request);
        else if (customer !== undefined && lastSeq.get(lot.workOrderId) === lot.toSeq)
          await act('delivered', factory.name, 'offerHandOver', {
            lotId: lot.lotId,
            toMspId: customer.mspId,
            quantity: held.quantity,
          });
      }
    }
    // Delivered lots: the customer accepts what arrived.
    for (const { record: lot } of lots) {
      const customer = customers.get(lot.workOrderId);
      if (lot.status !== 'DELIVERED' || customer === undefined) continue;
      // What the lot handed on: to the customer, or into the next operation's lots.
      await act('acceptedDelivery', customer.name, 'acceptDelivery', {
        lotId: lot.lotId,
        acceptedQuantity: lot.deliveredQuantity ?? lot.quantity,
      });
    }
    if (this.steps % this.options.trialEvery === 0) await this.publishTrial(act);
    return done;
  }

  /** A first-article trial: a few pieces with a tight standard time, so its scan overruns. */
  private async publishTrial(
    act: (
      kind: string,
      member: string,
      command: 'publishWorkOrder',
      body: CommandInput<'publishWorkOrder'>,
    ) => Promise<void>,
  ): Promise<void> {
    const due = new Date((Math.floor(this.options.now() / BUCKET_MS) + 3) * BUCKET_MS)
      .toISOString()
      .replace('.000Z', 'Z');
    await act('trial', 'customer-1', 'publishWorkOrder', {
      workOrderId: `TRIAL-${new Date(this.options.now()).toISOString().slice(0, 19).replace(/[-:T]/g, '')}-${this.steps}`,
      partNumber: 'FA-TRIAL 首件试制',
      quantity: 5,
      routing: [{ seq: 1, process: 'CNC', standardMinutes: 0.01 }],
      dueBucket: due,
      priority: 'RUSH',
      maxUnitPrice: 2_000,
    });
  }

  /**
   * Where a finished lot's remaining good units go: into an accepted lot of the next operation
   * with room (within the organisation in one step, to another with an offer), or, when none
   * takes them, back to the customer if this was the routing's last operation.
   */
  private handOn(
    lot: Lot,
    held: Custody,
    lots: Stored<Lot>[],
    custody: Map<string, Custody>,
  ):
    | { kind: 'within'; request: CommandInput<'handOverWithin'> }
    | { kind: 'offer'; request: CommandInput<'offerHandOver'> }
    | { kind: 'deliver' }
    | undefined {
    if (held.quantity === 0) return undefined;
    for (const { record: next } of lots) {
      if (next.workOrderId !== lot.workOrderId || next.fromSeq !== lot.toSeq + 1) continue;
      const nextCustody = custody.get(next.lotId);
      const room = next.quantity - (nextCustody?.quantity ?? 0);
      if (next.status !== 'ACCEPTED' || nextCustody?.offer !== undefined || room <= 0) continue;
      const quantity = Math.min(held.quantity, room);
      return next.factoryMspId === lot.factoryMspId
        ? { kind: 'within', request: { lotId: lot.lotId, intoLotId: next.lotId, quantity } }
        : {
            kind: 'offer',
            request: { lotId: lot.lotId, toMspId: next.factoryMspId, quantity, intoLotId: next.lotId },
          };
    }
    return { kind: 'deliver' };
  }

  /**
   * Whether a lot should wait before its first operation: it has less than planned and an upstream
   * lot may still send more (not finished yet, or finished with units left).
   */
  private awaitsMoreMaterial(
    lot: Lot,
    held: Custody,
    lots: Stored<Lot>[],
    custody: Map<string, Custody>,
  ): boolean {
    if (lot.status !== 'ACCEPTED' || lot.fromSeq === 1 || held.quantity >= lot.quantity) return false;
    return lots.some(
      ({ record: up }) =>
        up.workOrderId === lot.workOrderId &&
        up.toSeq === lot.fromSeq - 1 &&
        (['ASSIGNED', 'ACCEPTED', 'IN_PROGRESS'].includes(up.status) ||
          (up.status === 'DONE' && (custody.get(up.lotId)?.quantity ?? 0) > 0)),
    );
  }

  /** Each factory's systems report what else occupies its processes over the next shifts. */
  private async reportLoads(): Promise<number> {
    const factories = await allRecordsOf(this.pool, 'Factory');
    const origin = Math.floor(this.options.now() / BUCKET_MS) * BUCKET_MS;
    for (const { record: f } of factories) {
      await saveLoadReport(
        this.pool,
        f.factoryId,
        f.processes.flatMap(({ process }) =>
          [0, 1, 2, 3, 4, 5].map((b) => ({
            process,
            bucket: new Date(origin + b * BUCKET_MS).toISOString().replace('.000Z', 'Z'),
            loadMinutes: 20 * this.pick(`${f.factoryId}-${process}-${b}-${this.steps}`, 6),
          })),
        ),
        'shop-floor simulator',
        new Date(this.options.now()),
      );
    }
    return factories.length;
  }

  /** The customer member of each work order (customers share an organisation: by member id). */
  private async customersOf(): Promise<Map<string, LedgerMember>> {
    const byId = new Map(this.ledger.members().map((m) => [memberIdOf(m.mspId, m.clientId), m]));
    const map = new Map<string, LedgerMember>();
    for (const { id, record } of await allRecordsOf(this.pool, 'WorkOrder')) {
      const member = byId.get(record.customerMemberId);
      if (member !== undefined) map.set(id, member);
    }
    return map;
  }

  private factoryMember(mspId: string): LedgerMember | undefined {
    const members = this.ledger.members().filter((m) => m.mspId === mspId && m.role === 'factory');
    return members.find((m) => m.name.endsWith('-user')) ?? members[0];
  }

  /** A deterministic draw in [0, n) from a key (the same lot gets the same fate each time asked). */
  private pick(key: string, n: number): number {
    let h = 2166136261;
    for (let i = 0; i < key.length; i++) h = Math.imul(h ^ key.charCodeAt(i), 16777619);
    return (h >>> 0) % n;
  }

  private chance(key: string, oneIn: number): boolean {
    return this.pick(key, oneIn) === 0;
  }
}
