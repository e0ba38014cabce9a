import { randomUUID } from 'node:crypto';
import {
  BUCKET_HOURS,
  memberIdOf,
  type Custody,
  type Lot,
  type MaterialUse,
  type Operation,
} from '@fabpool/chaincode/model';
import type { Ledger, LedgerMember } from '@fabpool/network';
import type pg from 'pg';
import type { Stored } from '../repositories/queryable.js';
import { allRecordsOf } from '../repositories/records.js';
import { saveLoadReport } from '../repositories/factoryReports.js';
import { listPricePerUnit, REPEAT_PARTS, routingOf } from './parts.js';
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
  /** A small first-article trial (it overruns its standard time) is published this often, in minutes. */
  trialEveryMinutes: number;
  /** A simulated customer publishes a new work order this often, in minutes. */
  publishEveryMinutes: number;
  /** How long a team lead takes to answer an overrun's exception, in minutes. */
  answerAfterMinutes: number;
  now: () => number;
  /** The names of the members people have logged in as: the simulator leaves their work to them. */
  people: () => Promise<ReadonlySet<string>>;
  log: (line: string) => void;
}

/**
 * Whether a person plays a member, so the simulator must not: someone logged in as it, or, for a
 * factory's people, as anyone of its organisation in the factory role (a factory's lots are its
 * organisation's: one planner at work takes them all).
 */
export function isPlayedByPerson(
  members: readonly LedgerMember[],
  people: ReadonlySet<string>,
  name: string,
): boolean {
  const member = members.find((m) => m.name === name);
  if (member === undefined) return false;
  if (member.role === 'factory')
    return members.some((m) => m.role === 'factory' && m.mspId === member.mspId && people.has(m.name));
  return people.has(name);
}

/** One step's way to publish a work order as a member (counted, and refusals logged). */
type Publish = (
  kind: string,
  member: string,
  command: 'publishWorkOrder',
  body: CommandInput<'publishWorkOrder'>,
) => Promise<void>;

/** Units of material counted whole on the floor: nobody reports 1,099.58 boards. */
const COUNTED_UNITS = new Set(['片', '件', '张', '个']);

/**
 * The demo's shop floor: each step, the factories' own systems report their live load and declare
 * the shifts coming into view, factories accept (now and then reject) the lots offered to them,
 * customers send material and factories count it in, operators scan operations in and out, the
 * occasional first-article trial overruns and its exception is answered, finished lots go on to
 * the next factory or back to the customer, who accepts them, and customers order again.
 * Everything goes through the ledger as the member concerned, like real clients.
 *
 * Operations take as long as they would on a floor (standard minutes × pieces, give or take a
 * tenth; a trial a third more), by the clock it is given: the demo plays its first hours back
 * fast, then runs in real time. It plays only the people nobody has logged in as: once someone
 * logs in as a factory's planner, that factory's lots wait on their desk.
 */
export class ShopFloorSimulator {
  private steps = 0;
  /** When each periodic act last happened, by the simulator's clock. */
  private readonly last = new Map<string, number>();
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
      trialEveryMinutes: 360,
      publishEveryMinutes: 30,
      answerAfterMinutes: 20,
      now: () => Date.now(),
      people: () => Promise.resolve(new Set<string>()),
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
    const people = await this.options.people();
    const members = this.ledger.members();
    const playedByPerson = (name: string): boolean => isPlayedByPerson(members, people, name);
    const act = async <N extends CommandName>(
      kind: string,
      member: string,
      command: N,
      body: CommandInput<N>,
    ) => {
      if (playedByPerson(member)) {
        done.leftToPeople = (done.leftToPeople ?? 0) + 1;
        return;
      }
      if (budget <= 0) return;
      budget--;
      try {
        await this.commands.send(member, command, body);
        done[kind] = (done[kind] ?? 0) + 1;
      } catch (error) {
        // The floor moved on meanwhile (a re-plan, a deadline): the next step looks again.
        done.failed = (done.failed ?? 0) + 1;
        this.options.log(
          `${member} ${command} ${JSON.stringify(body)} refused: ${error instanceof Error ? error.message : String(error)}`,
        );
      }
    };
    done.loadReports = await this.reportLoads();
    done.shiftsDeclared = await this.declareComingShifts(playedByPerson);

    const lots = await allRecordsOf(this.pool, 'Lot');
    const custody = new Map(
      (await allRecordsOf(this.pool, 'Custody')).map((c) => [c.record.lotId, c.record]),
    );
    const progress = await allRecordsOf(this.pool, 'OperationProgress');
    const exceptions = await allRecordsOf(this.pool, 'OperationException');
    const customers = await this.customersOf();
    const workOrders = await allRecordsOf(this.pool, 'WorkOrder');
    const routingOf = new Map(workOrders.map(({ id, record }) => [id, record.routing]));
    const trials = new Set(
      workOrders.filter((w) => w.record.partNumber.startsWith('FA-TRIAL')).map((w) => w.id),
    );
    const lastSeq = new Map(
      workOrders.map(({ id, record }) => [id, Math.max(...record.routing.map((op) => op.seq))]),
    );
    const now = this.options.now();

    for (const { record: lot } of lots) {
      const factory = this.factoryMember(lot.factoryMspId);
      if (factory === undefined) continue;
      const held = custody.get(lot.lotId);
      const customer = customers.get(lot.workOrderId);
      if (lot.status === 'ASSIGNED') {
        // A planner looks at a new lot within two hours (always before its deadline): until then it
        // waits on the desk, where a person who logs in finds it.
        const assigned = Date.parse(lot.assignedAt);
        const looksAfter = Math.min(
          (20 + this.pick(`${lot.lotId}-look`, 100)) * 60_000,
          Date.parse(lot.acceptBy) - assigned - 10 * 60_000,
        );
        if (now - assigned < looksAfter) continue;
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
        if (now - Date.parse(open.record.openedAt) > this.options.answerAfterMinutes * 60_000) {
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
          const minutes = this.operationMinutes(
            routingOf.get(lot.workOrderId),
            running.seq,
            running.inputQuantity,
            `${lot.lotId}-${running.seq}`,
            trials.has(lot.workOrderId),
          );
          const finishedAt = Date.parse(running.startedAt) + minutes * 60_000;
          if (now >= finishedAt) {
            const scrap = this.chance(`${lot.lotId}-${running.seq}`, 5) ? 1 : 0;
            await act('reported', factory.name, 'reportOperation', {
              lotId: lot.lotId,
              seq: running.seq,
              goodQuantity: running.inputQuantity - scrap,
              scrapQuantity: scrap,
              ...(running.material === undefined
                ? {}
                : {
                    materialUsed: this.materialUsed(
                      running.material,
                      factory.name,
                      `${lot.lotId}-${running.seq}`,
                      trials.has(lot.workOrderId),
                    ),
                  }),
              ...scan,
              // The device's clock: when the last piece came off, not when this step looked.
              scannedAt: new Date(Math.ceil(finishedAt / 1000) * 1000).toISOString(),
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
      if (lot.status !== 'DELIVERED' || lot.acceptedQuantity !== undefined || customer === undefined)
        continue;
      // What the lot handed on: to the customer, or into the next operation's lots.
      await act('acceptedDelivery', customer.name, 'acceptDelivery', {
        lotId: lot.lotId,
        acceptedQuantity: lot.deliveredQuantity ?? lot.quantity,
      });
    }
    if (this.due('trial', this.options.trialEveryMinutes)) await this.publishTrial(act);
    if (this.due('order', this.options.publishEveryMinutes)) await this.publishRepeatOrder(act);
    const did = Object.entries(done).filter(([kind, n]) => n > 0 && kind !== 'loadReports');
    if (did.length > 0)
      this.options.log(
        `${new Date(now).toISOString().slice(0, 16)} ${did.map(([kind, n]) => `${kind} ${n}`).join(', ')}`,
      );
    return done;
  }

  /** Whether a periodic act is due (the first time at once), and if so notes it as done now. */
  private due(kind: string, everyMinutes: number): boolean {
    const now = this.options.now();
    const last = this.last.get(kind);
    if (last !== undefined && now - last < everyMinutes * 60_000) return false;
    this.last.set(kind, now);
    return true;
  }

  /**
   * How long an operation runs: its standard minutes per piece × pieces, by a factor drawn for the
   * lot (0.88–1.10, within the 15 % tolerance); a first-article trial 1.30–1.52 (it overruns).
   */
  private operationMinutes(
    routing: readonly Operation[] | undefined,
    seq: number,
    pieces: number,
    key: string,
    trial: boolean,
  ): number {
    const standard = routing?.find((op) => op.seq === seq)?.standardMinutes ?? 1;
    const factor = (trial ? 1.3 : 0.88) + this.pick(key, 23) / 100;
    return standard * pieces * factor;
  }

  /**
   * How much material an operation used: its standard for the pieces put in, by a factor for the
   * plant (some run leaner than others: 0.97–1.03) and one for the lot (−2 % to +2 %); a
   * first-article trial uses 15 % more (setting up). Boards, sheets and pieces are counted whole.
   */
  private materialUsed(material: MaterialUse, plant: string, key: string, trial: boolean): number {
    const factor = 0.97 + this.pick(plant, 7) / 100 + (this.pick(`${key}-material`, 5) - 2) / 100;
    const used = material.standard * (factor + (trial ? 0.15 : 0));
    return COUNTED_UNITS.has(material.unit) ? Math.round(used) : Math.round(used * 1000) / 1000;
  }

  /** A customer orders one of its repeat parts again, due two to six shifts ahead. */
  private async publishRepeatOrder(act: Publish): Promise<void> {
    const n = this.steps;
    const spec = REPEAT_PARTS[n % REPEAT_PARTS.length] ?? REPEAT_PARTS[0];
    if (spec === undefined) return;
    const now = this.options.now();
    const quantity = 20 + this.pick(`qty-${n}`, 9) * 10;
    await act('ordered', n % 3 === 0 ? 'customer-2' : 'customer-1', 'publishWorkOrder', {
      workOrderId: `WO-${new Date(now).toISOString().slice(0, 16).replace(/[-:T]/g, '')}-${this.steps}`,
      partNumber: spec.part,
      quantity,
      routing: routingOf(spec),
      dueBucket: this.bucketAhead(2 + this.pick(`due-${n}`, 5)),
      priority: 'NORMAL',
      maxUnitPrice: listPricePerUnit(spec),
      latePenaltyPerUnitPerBucket: 50,
    });
  }

  /** The start of the shift `ahead` shifts from now. */
  private bucketAhead(ahead: number): string {
    return new Date((Math.floor(this.options.now() / BUCKET_MS) + ahead) * BUCKET_MS)
      .toISOString()
      .replace('.000Z', 'Z');
  }

  /**
   * Each plant's system declares a shift as it comes into view, nine shifts (three days) ahead,
   * like the seed did at the start; a person who took the factory over declares for themselves.
   */
  private async declareComingShifts(playedByPerson: (name: string) => boolean): Promise<number> {
    const declared = new Set(
      (await allRecordsOf(this.pool, 'Capacity')).map(({ record }) => `${record.factoryId}|${record.bucket}`),
    );
    const members = this.ledger.members();
    let count = 0;
    for (const { record: plant } of await allRecordsOf(this.pool, 'Factory')) {
      const owner = members.find(
        (m) => m.role === 'factory' && m.mspId === plant.mspId && m.name.endsWith('-user'),
      );
      if (owner === undefined || playedByPerson(owner.name)) continue;
      const missing = [1, 2, 3, 4, 5, 6, 7, 8, 9]
        .map((ahead) => this.bucketAhead(ahead))
        .filter((bucket) => !declared.has(`${plant.factoryId}|${bucket}`));
      if (missing.length === 0) continue;
      try {
        await this.commands.send(owner.name, 'declareCapacity', {
          factoryId: plant.factoryId,
          entries: plant.processes.flatMap(({ process }) =>
            missing.map((bucket) => ({ process, bucket, minutes: 960 })),
          ),
        });
        count += missing.length;
      } catch (error) {
        this.options.log(
          `${owner.name} declareCapacity ${plant.factoryId} refused: ${error instanceof Error ? error.message : String(error)}`,
        );
      }
    }
    return count;
  }

  /** A first-article trial: a few pieces with a tight standard time, so its scan overruns. */
  private async publishTrial(act: Publish): Promise<void> {
    const due = this.bucketAhead(3);
    await act('trial', 'customer-1', 'publishWorkOrder', {
      workOrderId: `TRIAL-${new Date(this.options.now()).toISOString().slice(0, 19).replace(/[-:T]/g, '')}-${this.steps}`,
      partNumber: 'FA-TRIAL 首件试制',
      quantity: 5,
      routing: [
        {
          seq: 1,
          process: 'CNC',
          standardMinutes: 3,
          material: { materialCode: 'STEEL-45-BAR', unit: 'kg', perUnit: 0.6 },
        },
      ],
      dueBucket: due,
      priority: 'RUSH',
      maxUnitPrice: 3 * 160,
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

  /**
   * Each factory's systems report what else occupies its processes over the next shifts: the same
   * figure for a shift each time (its other work is booked, not drawn anew every few minutes), so
   * that the matcher has no noise to chase.
   */
  private async reportLoads(): Promise<number> {
    const factories = await allRecordsOf(this.pool, 'Factory');
    const origin = Math.floor(this.options.now() / BUCKET_MS) * BUCKET_MS;
    for (const { record: f } of factories) {
      await saveLoadReport(
        this.pool,
        f.factoryId,
        f.processes.flatMap(({ process }) =>
          [0, 1, 2, 3, 4, 5].map((b) => {
            const bucket = new Date(origin + b * BUCKET_MS).toISOString().replace('.000Z', 'Z');
            return { process, bucket, loadMinutes: 20 * this.pick(`${f.factoryId}-${process}-${bucket}`, 6) };
          }),
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
