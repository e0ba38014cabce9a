import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createMemberAccounts, startApi, type RunningApi } from '@fabpool/api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LOGIN_MUTATION, loginVariables } from '../support/accounts.js';
import { graphqlClient, nodesOf } from '../support/graphqlClient.js';
import { bucketFromNow, unique } from '../support/poolClient.js';

const PASSWORD = 'routing-e2e-2026';
const FACTORIES = ['factory-a-user', 'factory-b-user'] as const;
const MSP_OF: Record<string, string> = { 'factory-a-user': 'FactoryAMSP', 'factory-b-user': 'FactoryBMSP' };

interface Position {
  lotId: string;
  workOrderId: string;
  holderMspId: string | null;
  quantity: number;
  offer: { toMspId: string; quantity: number } | null;
  lotStatus: string;
  factoryMspId: string;
  customerMspId: string;
  lotQuantity: number;
  lastOperation: boolean;
  nextLots: { lotId: string; factoryMspId: string; room: number }[];
}
interface PlacedLot {
  id: string;
  factoryId: string;
  factoryMspId: string;
  fromSeq: number;
  toSeq: number;
  quantity: number;
  status: string;
}

/**
 * A three-operation order placed by the matcher itself, then worked through to delivery by the
 * factories and the customer through the api, as their screens would: once on plants of one
 * organisation (every step after the first is a hand-over within it), once across two.
 */
describe('a multi-operation order placed by the matcher flows to delivery', () => {
  let api: RunningApi;
  let dir: string;
  const tokens = new Map<string, string>();
  const { ok, mutate } = graphqlClient(() => api.url, tokens);
  const plant = async (member: string, process: string) => {
    const factoryId = `F-${process.slice(0, 4)}-${unique()}`;
    await mutate(member, 'registerFactory', {
      factoryId,
      name: factoryId,
      location: 'Suzhou',
      processes: [{ process, pricePerMinute: 40 }],
    });
    await mutate(member, 'declareCapacity', {
      factoryId,
      entries: [2, 3, 4, 5, 6, 7].map((n) => ({ process, bucket: bucketFromNow(n), minutes: 480 })),
    });
    return factoryId;
  };
  const publish = async (processes: string[]) => {
    const workOrderId = `WO-FLOW-${unique()}`;
    await mutate('customer-1', 'publishWorkOrder', {
      workOrderId,
      partNumber: 'FLOW-3OP',
      quantity: 12,
      routing: processes.map((process, i) => ({ seq: i + 1, process, standardMinutes: 4 })),
      dueBucket: bucketFromNow(8),
      priority: 'NORMAL',
      maxUnitPrice: 2_000,
    });
    expect((await ok('mutation { replan { id error } }', {}, 'alliance-admin')).replan).toMatchObject({
      error: null,
    });
    return workOrderId;
  };
  const lotsOf = async (workOrderId: string): Promise<PlacedLot[]> =>
    (
      (
        await ok(
          'query($id: String!) { workOrder(id: $id) { lots { id factoryId fromSeq toSeq quantity status record { factoryMspId } } } }',
          { id: workOrderId },
          'customer-1',
        )
      ).workOrder as { lots: (Omit<PlacedLot, 'factoryMspId'> & { record: { factoryMspId: string } })[] }
    ).lots.map(({ record, ...lot }) => ({ ...lot, factoryMspId: record.factoryMspId }));
  const positions = async (member: string, workOrderId: string): Promise<Position[]> =>
    nodesOf<Position>(
      await ok(
        `query { custody(first: 500) { edges { node { lotId workOrderId holderMspId quantity offer { toMspId quantity }
           lotStatus factoryMspId customerMspId lotQuantity lastOperation nextLots { lotId factoryMspId room } } } } }`,
        {},
        member,
      ),
      'custody',
    ).filter((p) => p.workOrderId === workOrderId);

  /**
   * One round of everybody's desk: accept, count in, hand on, send material, then work the lots
   * that have all they will get. Returns how many things were done.
   */
  async function round(workOrderId: string, scrapOnce: Set<string>): Promise<number> {
    let acted = 0;
    const placed = await lotsOf(workOrderId);
    for (const member of FACTORIES)
      for (const lot of placed.filter((l) => l.status === 'ASSIGNED' && l.factoryMspId === MSP_OF[member])) {
        await mutate(member, 'acceptLot', { lotId: lot.id });
        acted++;
      }
    for (const member of ['customer-1', ...FACTORIES]) {
      for (const p of await positions(member, workOrderId)) {
        const mine = member === 'customer-1' ? p.customerMspId : MSP_OF[member];
        if (p.offer !== null && p.offer.toMspId === mine) {
          await mutate(member, 'confirmHandOver', { lotId: p.lotId, receivedQuantity: p.offer.quantity });
          acted++;
        } else if (p.holderMspId === mine && p.offer === null && p.quantity > 0) {
          acted += await sendOn(member, p);
        }
      }
    }
    if (acted > 0) return acted;
    // Nothing moved: every lot holding material has all it will get. Work them.
    for (const member of FACTORIES)
      for (const p of await positions(member, workOrderId)) {
        const lot = placed.find((l) => l.id === p.lotId);
        if (lot === undefined || p.lotStatus !== 'ACCEPTED' || p.holderMspId !== MSP_OF[member]) continue;
        if (p.quantity === 0) continue;
        const scan = { operatorId: 'OP-Chen', machineId: 'M-1' };
        await mutate(member, 'startOperation', { lotId: p.lotId, seq: lot.fromSeq, ...scan });
        const scrap = scrapOnce.delete(workOrderId) ? 1 : 0;
        await mutate(member, 'reportOperation', {
          lotId: p.lotId,
          seq: lot.fromSeq,
          goodQuantity: p.quantity - scrap,
          scrapQuantity: scrap,
          ...scan,
        });
        acted++;
      }
    return acted;
  }

  /** The holder's next move with a lot's goods, as its custody desk offers it. */
  async function sendOn(member: string, p: Position): Promise<number> {
    if (member === 'customer-1') {
      if (p.lotStatus !== 'ACCEPTED') return 0;
      await mutate(member, 'offerHandOver', {
        lotId: p.lotId,
        toMspId: p.factoryMspId,
        quantity: p.quantity,
      });
      return 1;
    }
    if (p.lotStatus !== 'DONE') return 0;
    const next = p.nextLots.find((n) => n.room > 0);
    if (next !== undefined) {
      const quantity = Math.min(p.quantity, next.room);
      if (next.factoryMspId === MSP_OF[member])
        await mutate(member, 'handOverWithin', { lotId: p.lotId, intoLotId: next.lotId, quantity });
      else
        await mutate(member, 'offerHandOver', {
          lotId: p.lotId,
          toMspId: next.factoryMspId,
          quantity,
          intoLotId: next.lotId,
        });
      return 1;
    }
    if (!p.lastOperation) return 0;
    await mutate(member, 'offerHandOver', { lotId: p.lotId, toMspId: p.customerMspId, quantity: p.quantity });
    return 1;
  }

  /** Runs the order to delivery; returns the units the customer received and the hand-overs within one organisation. */
  async function runToDelivery(workOrderId: string): Promise<{ delivered: number; within: number }> {
    const scrapOnce = new Set([workOrderId]);
    for (let i = 0; i < 40; i++) if ((await round(workOrderId, scrapOnce)) === 0) break;
    const placed = await lotsOf(workOrderId);
    expect(
      placed.every((l) => l.status === 'DELIVERED'),
      JSON.stringify(placed),
    ).toBe(true);
    const handOvers = nodesOf<{
      workOrderId: string;
      fromMspId: string;
      toMspId: string;
      receivedQuantity: number;
      difference: number;
    }>(
      await ok(
        'query { handOvers(first: 500) { edges { node { workOrderId fromMspId toMspId receivedQuantity difference } } } }',
        {},
        'alliance-admin',
      ),
      'handOvers',
    ).filter((h) => h.workOrderId === workOrderId);
    expect(handOvers.every((h) => h.difference === 0)).toBe(true);
    return {
      delivered: handOvers
        .filter((h) => h.toMspId === 'CustomerAMSP')
        .reduce((sum, h) => sum + h.receivedQuantity, 0),
      within: handOvers.filter((h) => h.fromMspId === h.toMspId).length,
    };
  }

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'fabpool-routing-'));
    api = await startApi({ dataDir: dir });
    const accounts = await createMemberAccounts(api.database.pool, api.ledger, PASSWORD);
    for (const member of ['alliance-admin', 'customer-1', ...FACTORIES]) {
      const login = await ok(LOGIN_MUTATION, loginVariables(accounts, member, PASSWORD), member);
      tokens.set(member, (login.login as { accessToken: string }).accessToken);
    }
  });

  afterAll(async () => {
    await api.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('runs through three plants of one organisation, each step a hand-over within it', async () => {
    const plants = [
      await plant('factory-a-user', 'CNC'),
      await plant('factory-a-user', 'PAINTING'),
      await plant('factory-a-user', 'ASSEMBLY'),
    ];
    const workOrderId = await publish(['CNC', 'PAINTING', 'ASSEMBLY']);
    const placed = await lotsOf(workOrderId);
    expect(new Set(placed.map((l) => l.fromSeq))).toEqual(new Set([1, 2, 3]));
    expect(placed.every((l) => plants.includes(l.factoryId))).toBe(true);
    // 12 in, one scrapped at the first operation, 11 back to the customer; both steps between
    // plants are hand-overs within factory A, which no other organisation had to confirm.
    const { delivered, within } = await runToDelivery(workOrderId);
    expect(delivered).toBe(11);
    expect(within).toBeGreaterThanOrEqual(2);
  });

  it('runs across two organisations, material counted in at each border', async () => {
    const aPlants = [
      await plant('factory-a-user', 'INJECTION'),
      await plant('factory-a-user', 'WIRE_HARNESS'),
    ];
    const bPlant = await plant('factory-b-user', 'SMT');
    const workOrderId = await publish(['INJECTION', 'SMT', 'WIRE_HARNESS']);
    const placed = await lotsOf(workOrderId);
    expect(placed.filter((l) => l.fromSeq === 2).map((l) => l.factoryId)).toEqual(
      placed.filter((l) => l.fromSeq === 2).map(() => bPlant),
    );
    expect(placed.filter((l) => l.fromSeq !== 2).every((l) => aPlants.includes(l.factoryId))).toBe(true);
    const { delivered, within } = await runToDelivery(workOrderId);
    expect(delivered).toBe(11);
    expect(within).toBe(0);
  });
});
