import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { migrate, openDatabase } from '@fabpool/api';
import {
  firstRows,
  accounts,
  alerts,
  capacity,
  custody,
  factories,
  factoryReports,
  ledgerEvents,
  loginAttempts,
  lots,
  matcherRuns,
  members,
  partnerClients,
  quotas,
  readModelWrites,
  records,
  refreshTokens,
  settlements,
  supplyDelays,
  workOrders,
} from '@fabpool/api/repositories';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postgresDatabases } from '../support/postgresDatabases.js';

const SHIFT = ['2026-12-07T00:00:00.000Z', '2026-12-07T08:00:00.000Z', '2026-12-07T16:00:00.000Z'];
const FUTURE = '2099-01-01T00:00:00.000Z';
const PAST = '2000-01-01T00:00:00.000Z';

const workOrder = (id: string, over: Record<string, unknown> = {}) => ({
  workOrderId: id,
  customerMemberId: 'AllianceMSP/customer-1',
  customerMspId: 'AllianceMSP',
  partNumber: 'SHAFT-9',
  quantity: 10,
  routing: [{ seq: 1, process: 'CNC', standardMinutes: 5 }],
  dueBucket: SHIFT[2],
  priority: 'NORMAL',
  maxUnitPrice: 2_000,
  latePenaltyPerUnitPerBucket: 0,
  status: 'OPEN',
  publishedAt: '2026-12-01T00:00:00.000Z',
  updatedAt: '2026-12-01T00:00:00.000Z',
  ...over,
});
// Reports as the ledger keeps them (Supply.ReportDelay), numbered per material.
const delay = (seq: number, hours: number, reportedAt: string, materialCode = 'STEEL-45') => ({
  kind: 'SupplyDelay',
  id: `WO-4/${materialCode}/00${seq}`,
  record: {
    workOrderId: 'WO-4',
    materialCode,
    seq,
    supplierMspId: 'SupplierAMSP',
    delayHours: hours,
    expectedAt: new Date(Date.parse(reportedAt) + hours * 3_600_000).toISOString(),
    reason: `late ${hours} h`,
    reportedAt,
    reportedByMemberId: 'SupplierAMSP/supplier-1',
  },
});
// The customer's answers to them (Supply.ChooseAlternative).
const supplyChoice = (materialCode: string, delaySeq: number, over: Record<string, unknown>) => ({
  kind: 'SupplyChoice',
  id: `WO-4/${materialCode}/00${delaySeq}`,
  record: {
    workOrderId: 'WO-4',
    materialCode,
    delaySeq,
    choice: 'MOVE_PLANTS',
    supplierMspId: 'SupplierAMSP',
    extraCost: 0,
    chosenAt: '2026-12-05T03:00:00.000Z',
    chosenByMemberId: 'AllianceMSP/customer-1',
    ...over,
  },
});
const lot = (id: string, over: Record<string, unknown> = {}) => ({
  lotId: id,
  workOrderId: 'WO-1',
  runId: 'RUN-1',
  factoryId: 'F-A1',
  factoryMspId: 'FactoryAMSP',
  fromSeq: 1,
  toSeq: 1,
  bucket: SHIFT[0],
  quantity: 10,
  unitPrices: [500],
  unitPrice: 500,
  minutes: 50,
  status: 'ASSIGNED',
  acceptBy: FUTURE,
  assignedAt: '2026-12-01T00:00:00.000Z',
  updatedAt: '2026-12-01T00:00:00.000Z',
  ...over,
});

/** Every repository against one database: what each query finds, and what it must leave out. */
function repositorySuite(engine: string, open: () => Promise<{ pool: pg.Pool; close: () => Promise<void> }>) {
  describe(`the repositories on ${engine}`, () => {
    let pool: pg.Pool;
    let close: () => Promise<void>;
    let block = 0;

    /** Writes ledger events through the projector's own write path, one block each. */
    async function project(...changes: { kind: string; id: string; record: unknown }[]): Promise<void> {
      block++;
      const client = await readModelWrites.batchConnection(pool);
      try {
        await readModelWrites.beginBatch(client);
        const payload = JSON.stringify({ actorMemberId: 'AllianceMSP/operator', at: PAST, changes });
        await readModelWrites.writeEvents(
          client,
          { mayRepeat: false, rewritesARecord: false, recordsNew: false },
          [String(block), `tx-${block}`, 'Test', payload],
        );
        await readModelWrites.moveCheckpoint(client, block, `tx-${block}`);
        await readModelWrites.commit(client);
      } finally {
        client.release();
      }
    }

    beforeAll(async () => {
      ({ pool, close } = await open());
      await migrate(pool);
      await project(
        { kind: 'WorkOrder', id: 'WO-1', record: workOrder('WO-1') },
        {
          kind: 'WorkOrder',
          id: 'WO-2',
          record: workOrder('WO-2', { priority: 'RUSH', partNumber: 'SHAFT_9-B' }),
        },
        {
          kind: 'WorkOrder',
          id: 'WO-3',
          record: workOrder('WO-3', {
            customerMemberId: 'AllianceMSP/customer-2',
            status: 'CLOSED',
            materials: [
              { materialCode: 'STEEL-45', supplierMspId: 'SupplierAMSP', quantity: 12, dueBucket: SHIFT[0] },
            ],
          }),
        },
        {
          kind: 'WorkOrder',
          id: 'WO-4',
          record: workOrder('WO-4', {
            materials: [
              { materialCode: 'STEEL-45', supplierMspId: 'SupplierAMSP', quantity: 22, dueBucket: SHIFT[1] },
              { materialCode: 'COPPER-9', supplierMspId: 'SupplierBMSP', quantity: 5, dueBucket: SHIFT[1] },
            ],
          }),
        },
      );
      await project(
        { kind: 'Lot', id: 'L-1', record: lot('L-1') },
        { kind: 'Lot', id: 'L-2', record: lot('L-2', { acceptBy: PAST }) },
        {
          kind: 'Lot',
          id: 'L-3',
          record: lot('L-3', { status: 'REJECTED', factoryId: 'F-B1', factoryMspId: 'FactoryBMSP' }),
        },
        {
          kind: 'Lot',
          id: 'L-4',
          record: lot('L-4', { workOrderId: 'WO-3', status: 'ACCEPTED', bucket: SHIFT[1] }),
        },
        {
          kind: 'Factory',
          id: 'F-A1',
          record: {
            factoryId: 'F-A1',
            mspId: 'FactoryAMSP',
            name: 'A1',
            location: 'Kunshan',
            processes: [{ process: 'CNC', pricePerMinute: 100 }],
            registeredBy: 'x',
            createdAt: PAST,
            updatedAt: PAST,
          },
        },
        {
          kind: 'Factory',
          id: 'F-A2',
          record: {
            factoryId: 'F-A2',
            mspId: 'FactoryAMSP',
            name: 'A2',
            location: 'Suzhou',
            processes: [],
            registeredBy: 'x',
            createdAt: PAST,
            updatedAt: PAST,
          },
        },
        {
          kind: 'Factory',
          id: 'F-B1',
          record: {
            factoryId: 'F-B1',
            mspId: 'FactoryBMSP',
            name: 'B1',
            location: 'Wuxi',
            processes: [],
            registeredBy: 'x',
            createdAt: PAST,
            updatedAt: PAST,
          },
        },
        ...SHIFT.map((bucket, i) => ({
          kind: 'Capacity',
          id: `F-A1/CNC/${bucket}`,
          record: {
            factoryId: 'F-A1',
            process: 'CNC',
            bucket,
            declaredMinutes: 480,
            assignedMinutes: 50 * i,
            updatedAt: PAST,
          },
        })),
        {
          kind: 'CapacityQuota',
          id: 'Q-1',
          record: {
            quotaId: 'Q-1',
            factoryId: 'F-A1',
            process: 'CNC',
            windowStart: SHIFT[0],
            windowEnd: SHIFT[1],
            minutes: 120,
            pricePerMinute: 80,
            status: 'LISTED',
            consumedMinutes: 0,
            listedAt: PAST,
            updatedAt: PAST,
          },
        },
      );
      await project(
        {
          kind: 'Custody',
          id: 'L-4',
          record: {
            lotId: 'L-4',
            workOrderId: 'WO-3',
            holderMspId: 'FactoryAMSP',
            quantity: 10,
            updatedAt: PAST,
          },
        },
        {
          kind: 'HandOver',
          id: 'L-4/1',
          record: {
            lotId: 'L-4',
            workOrderId: 'WO-3',
            fromMspId: 'AllianceMSP',
            toMspId: 'FactoryAMSP',
            quantity: 10,
            confirmedAt: PAST,
          },
        },
        {
          kind: 'Settlement',
          id: 'S-1',
          record: {
            settlementId: 'S-1',
            payerMemberId: 'AllianceMSP/customer-2',
            payerMspId: 'AllianceMSP',
            payeeMspId: 'FactoryAMSP',
            status: 'DUE',
            createdAt: PAST,
          },
        },
        {
          kind: 'OperationException',
          id: 'L-4/1/x',
          record: {
            lotId: 'L-4',
            workOrderId: 'WO-3',
            seq: 1,
            status: 'OPEN',
            actualMinutes: 60,
            allowedMinutes: 50,
            openedAt: PAST,
          },
        },
        delay(1, 12, '2026-12-05T00:00:00.000Z'),
        delay(2, 10, '2026-12-05T02:00:00.000Z'),
        // An answer to a delay that is no longer the latest no longer counts.
        supplyChoice('STEEL-45', 1, { choice: 'BACKUP_SUPPLIER', expectedAt: '2026-12-09T00:00:00.000Z' }),
        supplyChoice('STEEL-45', 2, {
          choice: 'KEEP_PLANTS',
          expectedAt: '2026-12-05T12:00:00.000Z',
          keepFactoryIds: ['F-A1', 'F-B1'],
        }),
        // COPPER-9 would come a day late, but its backup supplier brings it by 08:00.
        delay(1, 30, '2026-12-05T00:00:00.000Z', 'COPPER-9'),
        supplyChoice('COPPER-9', 1, {
          choice: 'BACKUP_SUPPLIER',
          supplierMspId: 'SupplierBMSP',
          expectedAt: '2026-12-05T08:00:00.000Z',
          extraCost: 500,
        }),
        {
          kind: 'OperationProgress',
          id: 'L-4/1/x',
          record: {
            lotId: 'L-4',
            workOrderId: 'WO-3',
            seq: 1,
            status: 'STARTED',
            startedAt: PAST,
            standardMinutes: 40,
          },
        },
        {
          kind: 'OperationProgress',
          id: 'L-4/2/x',
          record: {
            lotId: 'L-4',
            workOrderId: 'WO-3',
            seq: 2,
            status: 'REPORTED',
            startedAt: PAST,
            standardMinutes: 40,
          },
        },
      );
    });
    afterAll(async () => {
      await close();
    });

    it('work orders: a page by cursor, status and customer; by ids; a part family, its wildcards taken literally', async () => {
      const page = {
        status: null,
        customerMemberId: null,
        after: null,
        before: null,
        limit: 2,
        descending: false,
      };
      expect((await workOrders.workOrderPage(pool, page)).map((w) => w.id)).toEqual(['WO-1', 'WO-2']);
      expect((await workOrders.workOrderPage(pool, { ...page, after: 'WO-2' })).map((w) => w.id)).toEqual([
        'WO-3',
        'WO-4',
      ]);
      expect((await workOrders.workOrderPage(pool, { ...page, descending: true })).map((w) => w.id)).toEqual([
        'WO-4',
        'WO-3',
      ]);
      expect(
        (
          await workOrders.workOrderPage(pool, {
            ...page,
            limit: 10,
            status: 'OPEN',
            customerMemberId: 'AllianceMSP/customer-1',
          })
        ).map((w) => w.id),
      ).toEqual(['WO-1', 'WO-2', 'WO-4']);
      expect((await workOrders.workOrderById(pool, 'WO-2'))?.record.priority).toBe('RUSH');
      expect(await workOrders.workOrderById(pool, 'nope')).toBeUndefined();
      expect([...(await workOrders.customersOfWorkOrders(pool, ['WO-1', 'WO-3']))]).toEqual(
        expect.arrayContaining([
          ['WO-1', 'AllianceMSP/customer-1'],
          ['WO-3', 'AllianceMSP/customer-2'],
        ]),
      );
      expect(await workOrders.rushOrdersAmong(pool, ['WO-1', 'WO-2'])).toEqual(['WO-2']);
      expect((await workOrders.workOrdersOfStatus(pool, 'CLOSED')).map((w) => w.id)).toEqual(['WO-3']);
      // "SHAFT_9" must not match "SHAFT-9" through LIKE's one-character wildcard.
      const family = (name: string) => workOrders.partFamilyHistory(pool, 'AllianceMSP/customer-1', name);
      expect((await family('SHAFT_9')).orders.map((w) => w.workOrderId)).toEqual(['WO-2']);
      expect((await family('SHAFT%')).orders).toEqual([]);
      const shafts = await family('SHAFT');
      expect(shafts.orders.map((w) => w.partNumber)).toEqual(['SHAFT-9', 'SHAFT-9']);
      // Only reported operations are measured, each of an order of the family, with its plant.
      const ids = shafts.orders.map((w) => w.workOrderId);
      for (const m of shafts.measured) expect(ids).toContain(m.workOrderId);
    });

    it('lots: by order, awaiting a decision, by shift and scope, at a factory with the part, on the floor, holding capacity', async () => {
      const byOrder = await lots.lotsOfWorkOrders(pool, ['WO-1', 'WO-3']);
      expect(byOrder.get('WO-1')?.map((l) => l.id)).toEqual(['L-1', 'L-2', 'L-3']);
      expect(byOrder.get('WO-3')?.map((l) => l.id)).toEqual(['L-4']);
      // L-2's time to accept has passed; L-3 is another organisation's.
      expect((await lots.lotsAwaitingDecision(pool, 'FactoryAMSP', null)).map((l) => l.id)).toEqual(['L-1']);
      expect(await lots.lotsAwaitingDecision(pool, 'FactoryAMSP', 'WO-3')).toEqual([]);
      expect((await lots.lotsInShifts(pool, SHIFT, null, null)).map((l) => l.id)).toEqual([
        'L-1',
        'L-2',
        'L-4',
      ]);
      expect((await lots.lotsInShifts(pool, SHIFT, null, 'AllianceMSP/customer-2')).map((l) => l.id)).toEqual(
        ['L-4'],
      );
      expect(await lots.lotsInShifts(pool, SHIFT, 'FactoryBMSP', null)).toEqual([]);
      const desk = await lots.lotsAtFactoriesOf(pool, 'FactoryAMSP', ['ACCEPTED']);
      expect(desk.map((l) => [l.lotId, l.partNumber])).toEqual([['L-4', 'SHAFT-9']]);
      const floor = await lots.lotOnTheFloor(pool, 'L-4');
      expect(floor?.workOrder?.workOrderId).toBe('WO-3');
      expect(floor?.exceptions.map((e) => e.status)).toEqual(['OPEN']);
      expect(await lots.lotOnTheFloor(pool, 'nope')).toBeUndefined();
      expect((await lots.lotsHoldingCapacity(pool)).map((l) => l.id)).toEqual(['L-1', 'L-2', 'L-4']);
      expect([...(await lots.factoriesThatRefused(pool))]).toEqual([['WO-1', ['F-B1']]]);
      expect((await lots.lotById(pool, 'L-3'))?.record.status).toBe('REJECTED');
    });

    it('factories, capacity, the load grid with reported load, quotas', async () => {
      expect((await factories.allFactories(pool)).map((f) => f.id)).toEqual(['F-A1', 'F-A2', 'F-B1']);
      expect((await factories.factoryById(pool, 'F-B1'))?.record.mspId).toBe('FactoryBMSP');
      const owned = await factories.factoryIdsOfOrganisations(pool, ['FactoryAMSP']);
      expect([...(owned.get('FactoryAMSP') ?? [])].sort()).toEqual(['F-A1', 'F-A2']);
      expect(
        (await capacity.capacityOfOrganisation(pool, 'FactoryAMSP', SHIFT[1] ?? null)).map((c) => c.bucket),
      ).toEqual(SHIFT.slice(1));
      expect(await capacity.capacityOfOrganisation(pool, 'FactoryBMSP', null)).toEqual([]);
      expect((await capacity.allCapacity(pool)).length).toBe(3);
      const at = new Date('2026-12-06T00:00:00.000Z');
      await factoryReports.saveLoadReport(
        pool,
        'F-A1',
        [{ process: 'CNC', bucket: SHIFT[1] ?? '', loadMinutes: 90 }],
        'FactoryAMSP/mes',
        at,
      );
      // A second report of the same shift replaces the first.
      await factoryReports.saveLoadReport(
        pool,
        'F-A1',
        [{ process: 'CNC', bucket: SHIFT[1] ?? '', loadMinutes: 120 }],
        'FactoryAMSP/mes',
        at,
      );
      const grid = await capacity.loadGrid(pool, new Date(SHIFT[0] ?? ''), 'FactoryAMSP');
      expect(
        grid.map((c) => [c.bucket.slice(0, 13), c.declaredMinutes, c.assignedMinutes, c.loadMinutes]),
      ).toEqual([
        ['2026-12-07T00', 480, 0, 0],
        ['2026-12-07T08', 480, 50, 120],
        ['2026-12-07T16', 480, 100, 0],
      ]);
      expect(await capacity.loadGrid(pool, new Date(SHIFT[0] ?? ''), 'FactoryBMSP')).toEqual([]);
      expect(
        (await factoryReports.reportedLoads(pool, new Date(SHIFT[0] ?? ''))).map((l) => l.loadMinutes),
      ).toEqual([120]);
      expect(await factoryReports.factoriesSilentSince(pool, new Date('2026-12-06T00:10:00.000Z'))).toEqual([
        'F-A1',
      ]);
      expect(await factoryReports.factoriesSilentSince(pool, at)).toEqual([]);
      await factoryReports.saveOutage(pool, {
        factoryId: 'F-A2',
        from: new Date(SHIFT[0] ?? ''),
        until: new Date(SHIFT[1] ?? ''),
        reason: 'power',
        declaredBy: 'x',
        declaredAt: at,
      });
      expect(
        (await factoryReports.outagesNotOverAt(pool, new Date(SHIFT[0] ?? ''))).map((o) => o.factoryId),
      ).toEqual(['F-A2']);
      expect(await factoryReports.outagesNotOverAt(pool, new Date(SHIFT[2] ?? ''))).toEqual([]);
      expect((await quotas.quotas(pool, 'LISTED')).map((q) => q.id)).toEqual(['Q-1']);
      expect(await quotas.quotas(pool, 'SOLD')).toEqual([]);
    });

    it('custody, hand-overs and settlements only for the parties, and one customer only its own', async () => {
      const everyone = { organisation: null, customerMemberId: null };
      expect(
        (await custody.custodyPositions(pool, everyone)).map((c) => [c.lotId, c.lotStatus, c.customerMspId]),
      ).toEqual([['L-4', 'ACCEPTED', 'AllianceMSP']]);
      expect(
        await custody.custodyPositions(pool, { organisation: 'FactoryBMSP', customerMemberId: null }),
      ).toEqual([]);
      expect(
        await custody.custodyPositions(pool, {
          organisation: 'AllianceMSP',
          customerMemberId: 'AllianceMSP/customer-1',
        }),
      ).toEqual([]);
      expect(
        (
          await custody.confirmedHandOvers(pool, {
            organisation: 'AllianceMSP',
            customerMemberId: 'AllianceMSP/customer-2',
          })
        ).length,
      ).toBe(1);
      expect(
        await custody.confirmedHandOvers(pool, {
          organisation: 'AllianceMSP',
          customerMemberId: 'AllianceMSP/customer-1',
        }),
      ).toEqual([]);
      expect(
        (
          await settlements.settlementsOf(
            pool,
            { organisation: 'FactoryAMSP', customerMemberId: null },
            'DUE',
          )
        ).length,
      ).toBe(1);
      expect(
        await settlements.settlementsOf(
          pool,
          { organisation: 'FactoryAMSP', customerMemberId: null },
          'PAID',
        ),
      ).toEqual([]);
      expect(
        await settlements.settlementsOf(pool, { organisation: 'FactoryBMSP', customerMemberId: null }, null),
      ).toEqual([]);
      expect((await settlements.settlementsPaidBy(pool, 'AllianceMSP/customer-2')).length).toBe(1);
      expect(await settlements.settlementsPaidBy(pool, 'AllianceMSP/customer-1')).toEqual([]);
    });

    it("members: one by id, an organisation's, those waiting for approval", async () => {
      const member = (name: string, mspId: string, status: string) => ({
        memberId: `${mspId}/${name}`,
        mspId,
        role: 'factory',
        status,
        createdAt: PAST,
      });
      // The registry's events carry the member itself (no `changes`).
      block++;
      const client = await readModelWrites.batchConnection(pool);
      try {
        await readModelWrites.beginBatch(client);
        const rows = [
          member('a', 'FactoryAMSP', 'ACTIVE'),
          member('b', 'FactoryAMSP', 'PENDING'),
          member('c', 'FactoryBMSP', 'ACTIVE'),
        ];
        await readModelWrites.writeEvents(
          client,
          { mayRepeat: false, rewritesARecord: false, recordsNew: false },
          [
            rows.map(() => String(block)).join('\n'),
            rows.map((_, i) => `member-${i}`).join('\n'),
            rows.map(() => 'MemberRegistered').join('\n'),
            rows.map((r) => JSON.stringify(r)).join('\n'),
          ],
        );
        await readModelWrites.commit(client);
      } finally {
        client.release();
      }
      expect((await members.members(pool, { memberId: 'FactoryAMSP/b' })).map((m) => m.status)).toEqual([
        'PENDING',
      ]);
      expect((await members.members(pool, { mspId: 'FactoryAMSP' })).length).toBe(2);
      // Pages of an organisation's members do not overlap and together hold them all.
      const pages = [
        await members.members(pool, { mspId: 'FactoryAMSP' }, { offset: 0, limit: 1 }),
        await members.members(pool, { mspId: 'FactoryAMSP' }, { offset: 1, limit: 1 }),
      ];
      expect(new Set(pages.flat().map((m) => m.memberId)).size).toBe(2);
      expect((await members.members(pool, { pending: true })).map((m) => m.memberId)).toEqual([
        'FactoryAMSP/b',
      ]);
    });

    it("supply delays: the latest per material for its supplier, and when each order's material now comes", async () => {
      // The reports of the fixture (Supply.ReportDelay): 12 h, then 10 h: the latest counts, not the longest.
      // WO-3 is closed: its material is no longer needed.
      const needs = await supplyDelays.materialNeedsOf(pool, 'SupplierAMSP');
      expect(needs.map((n) => [n.workOrderId, n.quantity, n.delayReason])).toEqual([
        ['WO-4', 22, 'late 10 h'],
      ]);
      expect(
        (await supplyDelays.materialNeedsOf(pool, 'SupplierBMSP')).map((n) => [
          n.materialCode,
          n.delayReason,
        ]),
      ).toEqual([['COPPER-9', 'late 30 h']]);
      expect(await supplyDelays.materialNeedsOf(pool, 'SupplierDMSP')).toEqual([]);
      expect((await supplyDelays.materialStandingByWorkOrder(pool)).get('WO-4')).toEqual({
        expectedAt: new Date('2026-12-05T12:00:00.000Z'),
        keepFactoryIds: ['F-A1', 'F-B1'],
      });
    });

    it('accounts and their one-time codes, refresh token rotation and reuse, login throttling, partner clients', async () => {
      const account = {
        username: 'ann',
        passwordHash: 'h',
        memberName: 'factory-a-user',
        role: 'factory' as const,
        displayName: 'Ann',
      };
      expect(await accounts.insertAccount(pool, account)).toBe(true);
      expect(await accounts.insertAccount(pool, { ...account, passwordHash: 'other' })).toBe(false);
      expect((await accounts.accountByName(pool, 'ann'))?.passwordHash).toBe('h');
      expect(await accounts.accountCount(pool)).toBe(1);
      expect(await accounts.setPendingTotpSecret(pool, 'ann', 'sealed-1')).toBe(true);
      await accounts.confirmTotpSecret(pool, 'ann');
      expect(await accounts.setPendingTotpSecret(pool, 'ann', 'sealed-2')).toBe(false);
      expect(await accounts.useTotpStep(pool, 'ann', 100)).toBe(true);
      expect(await accounts.useTotpStep(pool, 'ann', 100)).toBe(false);
      expect(await accounts.useTotpStep(pool, 'ann', 99)).toBe(false);
      await accounts.replaceTotpSecret(pool, 'ann', 'not-what-it-was', 'sealed-3');
      expect(await accounts.storedTotpSecrets(pool)).toEqual([{ username: 'ann', totpSecret: 'sealed-1' }]);

      await refreshTokens.insertRefreshToken(pool, { hash: 't1', username: 'ann', family: 'fam', days: 7 });
      expect(await refreshTokens.rotateRefreshTokenRow(pool, 't1', { hash: 't2', days: 7 })).toEqual({
        outcome: 'ROTATED',
        username: 'ann',
      });
      // t1 again: stolen; the whole family ends, t2 with it.
      expect(await refreshTokens.rotateRefreshTokenRow(pool, 't1', { hash: 't3', days: 7 })).toEqual({
        outcome: 'REUSED',
      });
      expect(await refreshTokens.rotateRefreshTokenRow(pool, 't2', { hash: 't4', days: 7 })).toEqual({
        outcome: 'INVALID',
      });
      expect(await refreshTokens.rotateRefreshTokenRow(pool, 'never', { hash: 't5', days: 7 })).toEqual({
        outcome: 'INVALID',
      });

      const at = new Date('2026-12-05T00:00:00.000Z');
      expect(await loginAttempts.countFailure(pool, 'account:ann', at, 3600)).toBe(1);
      expect(await loginAttempts.countFailure(pool, 'account:ann', at, 3600)).toBe(2);
      // An hour and more later it starts again.
      expect(
        await loginAttempts.countFailure(pool, 'account:ann', new Date(at.getTime() + 7_200_000), 3600),
      ).toBe(1);
      await loginAttempts.blockKey(pool, 'account:ann', new Date(at.getTime() + 60_000), true, at);
      await loginAttempts.blockKey(pool, 'account:ann', new Date(at.getTime() + 120_000), false, at);
      const [state] = await loginAttempts.throttleStates(pool, ['account:ann', 'address:1.2.3.4']);
      expect(state?.lockedAt?.toISOString()).toBe(at.toISOString());
      expect(await loginAttempts.forgetKey(pool, 'account:ann')).toBe(true);
      expect(await loginAttempts.forgetKey(pool, 'account:ann')).toBe(false);

      const client = {
        clientId: 'client-1',
        secretHash: 'ab',
        memberName: 'factory-a-user',
        role: 'factory' as const,
        displayName: 'MES',
        createdBy: 'ann',
      };
      await partnerClients.insertPartnerClient(pool, client);
      expect((await partnerClients.partnerClientsOf(pool, 'factory-a-user')).map((c) => c.clientId)).toEqual([
        'client-1',
      ]);
      expect(await partnerClients.revokePartnerClient(pool, 'client-1', 'someone-else')).toBe(false);
      expect(await partnerClients.revokePartnerClient(pool, 'client-1', 'factory-a-user')).toBe(true);
      expect(await partnerClients.revokePartnerClient(pool, 'client-1', 'factory-a-user')).toBe(false);
      expect((await partnerClients.partnerClientById(pool, 'client-1'))?.revokedAt).not.toBeNull();
    });

    it('alerts once per subject, each audience its own; exceptions with whom they concern', async () => {
      const [exception] = await alerts.exceptionsByIds(pool, ['L-4/1/x']);
      expect(exception).toMatchObject({
        factoryMspId: 'FactoryAMSP',
        customerMemberId: 'AllianceMSP/customer-2',
      });
      expect((await alerts.openExceptions(pool)).map((e) => e.id)).toEqual(['L-4/1/x']);
      // Running operations, with whom they concern and whether an exception is open on them already.
      expect(await alerts.runningOperations(pool)).toMatchObject([
        {
          id: 'L-4/1/x',
          factoryMspId: 'FactoryAMSP',
          customerMemberId: 'AllianceMSP/customer-2',
          hasException: true,
        },
      ]);
      const alert = {
        kind: 'OVERRUN' as const,
        subject: 'L-4/1/x',
        workOrderId: 'WO-3',
        lotId: 'L-4',
        factoryMspId: 'FactoryAMSP',
        customerMemberId: 'AllianceMSP/customer-2',
        message: 'over',
        detail: { seq: 1 },
      };
      const at = new Date('2026-12-05T00:00:00.000Z');
      expect((await alerts.insertAlert(pool, alert, at))?.raisedAt).toBe(at.toISOString());
      expect(await alerts.insertAlert(pool, alert, at)).toBeUndefined();
      const audience = (role: string, mspId: string, memberId: string) => ({ role, mspId, memberId });
      expect(
        (await alerts.alertsFor(pool, audience('factory', 'FactoryAMSP', 'x'), firstRows(10))).length,
      ).toBe(1);
      expect(await alerts.alertsFor(pool, audience('factory', 'FactoryBMSP', 'x'), firstRows(10))).toEqual(
        [],
      );
      expect(
        (
          await alerts.alertsFor(
            pool,
            audience('customer', 'AllianceMSP', 'AllianceMSP/customer-2'),
            firstRows(10),
          )
        ).length,
      ).toBe(1);
      expect(
        await alerts.alertsFor(
          pool,
          audience('customer', 'AllianceMSP', 'AllianceMSP/customer-1'),
          firstRows(10),
        ),
      ).toEqual([]);
      expect((await alerts.alertsFor(pool, audience('auditor', 'AuditMSP', 'x'), firstRows(10))).length).toBe(
        1,
      );
    });

    it('matcher runs: kept, listed newest first without their moves, and why each lot was placed', async () => {
      const run = (lotId: string, costPerUnit: number) => ({
        startedAt: '2026-12-05T00:00:00.000Z',
        millis: 12,
        triggers: [{ kind: 'MANUAL' as const, detail: 'test' }],
        ledgerRunIds: ['RUN-1'],
        inputHash: 'abc',
        solver: 'dispatch',
        lotsAdded: 1,
        lotsWithdrawn: 0,
        lotsKept: 0,
        unplacedUnits: 0,
        cost: { processing: 5 },
        moved: [
          {
            lotId,
            workOrderId: 'WO-1',
            seq: 1,
            factoryId: 'F-A1',
            bucket: SHIFT[0] ?? '',
            quantity: 10,
            change: 'ADDED' as const,
            why: { costPerUnit },
          },
        ],
        error: null,
      });
      const first = await matcherRuns.saveMatcherRun(pool, run('L-1', 5));
      const second = await matcherRuns.saveMatcherRun(pool, run('L-1', 7));
      expect((await matcherRuns.latestMatcherRuns(pool, firstRows(1))).map((r) => [r.id, r.moved])).toEqual([
        [second.id, undefined],
      ]);
      expect((await matcherRuns.movedByRun(pool, first.id))[0]?.why?.costPerUnit).toBe(5);
      // The latest run that added the lot explains it.
      const why = (await matcherRuns.addedLotExplanations(pool, ['L-1', 'L-2'])).get('L-1') as {
        why: { costPerUnit: number };
      };
      expect(why.why.costPerUnit).toBe(7);
    });

    it('the read model: records of a kind, ledger blocks, a checkpoint that never goes back, the quarantine', async () => {
      expect((await records.allRecordsOf(pool, 'Factory')).map((f) => f.record.name)).toEqual([
        'A1',
        'A2',
        'B1',
      ]);
      expect(await records.countOf(pool, 'WorkOrder')).toBe(4);
      const blocks = await ledgerEvents.ledgerEventsOfBlocks(pool, firstRows(2));
      expect([...new Set(blocks.map((b) => b.blockNumber))]).toEqual([String(block), String(block - 1)]);
      // The next page starts where the first ended: the explorer's "older blocks".
      const older = await ledgerEvents.ledgerEventsOfBlocks(pool, { offset: 1, limit: 2 });
      expect([...new Set(older.map((b) => b.blockNumber))]).toEqual([String(block - 1), String(block - 2)]);
      expect(await ledgerEvents.blockOfTransaction(pool, 'tx-1')).toBe(1);
      // PGlite is one connection: everything here goes through the one checked out.
      const client = await readModelWrites.batchConnection(pool);
      try {
        await readModelWrites.moveCheckpoint(client, 1, 'tx-1');
        expect(await readModelWrites.readCheckpoint(client)).toEqual({
          blockNumber: block - 1,
          transactionId: `tx-${block - 1}`,
        });
        await readModelWrites.quarantineEvent(
          client,
          { blockNumber: '99', transactionId: 'tx-bad', eventName: 'Bad', payload: '{"x":1}' },
          'refused',
          '22P02',
        );
        await readModelWrites.quarantineEvent(
          client,
          { blockNumber: '99', transactionId: 'tx-bad', eventName: 'Bad', payload: '{"x":1}' },
          'refused again',
          '22P02',
        );
        const [held] = await readModelWrites.quarantinedEvents(client);
        expect(held).toMatchObject({ transactionId: 'tx-bad', attempts: 2, error: 'refused again' });
        await readModelWrites.countQuarantineRetry(client, '99', 'tx-bad', 'still', '22P02');
        expect((await readModelWrites.quarantinedPayloads(client))[0]?.payload.toString('utf8')).toBe(
          '{"x":1}',
        );
        await readModelWrites.releaseQuarantined(client, '99', 'tx-bad');
        expect(await ledgerEvents.quarantinedCount(client)).toBe(0);
      } finally {
        client.release();
      }
      await readModelWrites.emptyReadModel(pool);
      expect(await records.countOf(pool, 'WorkOrder')).toBe(0);
      expect(await readModelWrites.readCheckpoint(pool)).toBeUndefined();
    });
  });
}

repositorySuite('PGlite', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'fabpool-repositories-'));
  const database = await openDatabase({ dir });
  return {
    pool: database.pool,
    close: async () => {
      await database.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
});

const postgres = postgresDatabases();
repositorySuite('PostgreSQL', async () => {
  const database = await openDatabase({ url: await postgres(), dir: '' });
  return { pool: database.pool, close: () => database.close() };
});
