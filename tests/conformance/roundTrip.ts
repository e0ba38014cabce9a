import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { migrate, openDatabase, Projector } from '@fabpool/api';
import { TEXT_PATTERN, workOrderParser } from '@fabpool/chaincode/model';
import type { Committed, LedgerEngine } from '@fabpool/network';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestLedger } from '../support/engines.js';
import { bucketFromNow, PoolClient, request, unique } from '../support/poolClient.js';
import { postgresDatabases } from '../support/postgresDatabases.js';

const TEXT = new RegExp(TEXT_PATTERN, 'u');

/**
 * Text of every plane, at most `max` UTF-16 units: mostly what a person types, sometimes control
 * characters and lone surrogate halves (which the ledger must refuse, never store).
 */
const text = (max: number) =>
  fc
    .oneof(
      { weight: 3, arbitrary: fc.string({ unit: 'binary', minLength: 1, maxLength: max }) },
      { weight: 3, arbitrary: fc.string({ unit: 'grapheme', minLength: 1, maxLength: max }) },
      {
        weight: 1,
        arbitrary: fc.string({
          unit: fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c)),
          minLength: 1,
          maxLength: max,
        }),
      },
      {
        weight: 1,
        arbitrary: fc.constantFrom(
          '工单-小批量',
          'Ω≈ç√∫',
          '😀👩‍🏭',
          '\t\n\r',
          'a\\"b\'c',
          '\u{10FFFD}',
          '\uFEFF',
          'nul\u0000',
          '\ud800half',
        ),
      },
    )
    .filter((s) => s.length <= max);

/** Numbers at the edges of what the schemas take: tiny and huge, fractions that do not add up in binary. */
const minutes = fc.oneof(
  fc.constantFrom(Number.MIN_VALUE, 0.1 + 0.2, 1 / 3, 9_999.999_999_999, 10_000),
  fc.double({ min: Number.MIN_VALUE, max: 10_000, noNaN: true }),
);

const workOrder = fc.record({
  partNumber: text(64),
  quantity: fc.integer({ min: 1, max: 10_000_000 }),
  routing: fc
    .array(
      fc.record(
        {
          process: fc.constantFrom('CNC', 'PAINTING', 'SMT'),
          standardMinutes: minutes,
          material: fc.record({
            materialCode: text(64),
            unit: fc.constantFrom('kg', 'm', '片', 'm²', 'µm', 'L'),
            perUnit: fc.oneof(
              fc.constantFrom(Number.MIN_VALUE, 1_000_000),
              fc.double({ min: Number.MIN_VALUE, max: 1_000_000, noNaN: true }),
            ),
          }),
        },
        { requiredKeys: ['process', 'standardMinutes'] },
      ),
      { minLength: 1, maxLength: 12 },
    )
    .map((ops) => ops.map((op, i) => ({ seq: i + 1, ...op }))),
  maxUnitPrice: fc.oneof(
    fc.constantFrom(0, 1_000_000_000_000),
    fc.integer({ min: 0, max: 1_000_000_000_000 }),
  ),
  priority: fc.constantFrom('NORMAL', 'RUSH'),
  materials: fc.array(
    fc.record({
      materialCode: text(64),
      supplierMspId: text(64),
      quantity: fc.oneof(
        fc.constantFrom(1e9, Number.MIN_VALUE),
        fc.double({ min: Number.MIN_VALUE, max: 1e9, noNaN: true }),
      ),
    }),
    { maxLength: 20 },
  ),
});

type Order = (typeof workOrder extends fc.Arbitrary<infer T> ? T : never) & { workOrderId: string };

/**
 * Total projection, as a property: random schema-valid work orders (text of every Unicode plane,
 * numbers at the schemas' edges, the longest routings) are accepted by the ledger and come back
 * from it, from a read model on PGlite and from one on a PostgreSQL server, equal field for field.
 */
export function roundTripScenarios(engine: LedgerEngine): void {
  describe(`records through the ledger and both read-model databases (${engine})`, () => {
    const newServerDatabase = postgresDatabases();
    let testLedger: Awaited<ReturnType<typeof openTestLedger>>;
    let dir: string;

    beforeAll(async () => {
      testLedger = await openTestLedger(engine);
      dir = await mkdtemp(join(tmpdir(), 'fabpool-roundtrip-'));
    });
    afterAll(async () => {
      await testLedger.dispose();
      await rm(dir, { recursive: true, force: true });
    });

    it('gives back every accepted record as it was, whatever its text and numbers', async () => {
      const due = bucketFromNow(30);
      const orders = fc.sample(workOrder, { numRuns: 60, seed: 20261203 }).map((fields) => ({
        ...fields,
        workOrderId: `WO-RT-${unique()}`,
        dueBucket: due,
        materials: fields.materials.map((m) => ({ ...m, dueBucket: due })),
      }));
      let last: Committed | undefined;
      const accepted: typeof orders = [];
      for (const order of orders) {
        const texts = [
          order.partNumber,
          ...order.materials.flatMap((m) => [m.materialCode, m.supplierMspId]),
          ...order.routing.flatMap((op) =>
            op.material === undefined ? [] : [op.material.materialCode, op.material.unit],
          ),
        ];
        try {
          last = await testLedger.ledger.submit('customer-1', 'WorkOrder', 'PublishWorkOrder', [
            request(order),
          ]);
          accepted.push(order);
        } catch (error) {
          // Refused only for text no business needs, and saying which field.
          expect(
            texts.some((t) => !TEXT.test(t)),
            String(error),
          ).toBe(true);
          expect(String(error)).toContain('must match pattern');
        }
      }
      if (last === undefined) throw new Error('nothing was published');
      try {
        // Both sides of the rule were tried.
        expect(accepted.length).toBeGreaterThanOrEqual(20);
        expect(accepted.length).toBeLessThan(orders.length);
        await compare(accepted, last);
      } finally {
        // Orders of ten million units on twelve operations are no demand the matcher should plan
        // for on a network the next tests share.
        for (const order of accepted)
          await testLedger.ledger.submit('customer-1', 'WorkOrder', 'CancelWorkOrder', [
            request({ workOrderId: order.workOrderId }),
          ]);
      }
    });

    async function compare(accepted: Order[], last: Committed): Promise<void> {
      const pool = new PoolClient(testLedger.ledger);
      const onLedger = new Map<string, unknown>();
      for (const order of accepted) {
        const record = workOrderParser.fromJson(
          await pool.evaluate('auditor', 'WorkOrder', 'GetWorkOrder', order.workOrderId),
        );
        // What was asked for is what the ledger holds.
        expect(record).toMatchObject({
          partNumber: order.partNumber,
          quantity: order.quantity,
          routing: order.routing,
          maxUnitPrice: order.maxUnitPrice,
          ...(order.materials.length === 0 ? {} : { materials: order.materials }),
        });
        onLedger.set(order.workOrderId, record);
      }
      const databases = [
        await openDatabase({ dir: join(dir, 'pglite') }),
        await openDatabase({ url: await newServerDatabase(), dir: join(dir, 'unused') }),
      ];
      for (const database of databases) {
        try {
          await migrate(database.pool);
          const projector = new Projector(testLedger.ledger, database.pool);
          await projector.start();
          await projector.caughtUp(last, 120_000);
          await projector.stop();
          expect(await projector.quarantined(), database.url).toEqual([]);
          const { rows } = await database.pool.query<{ id: string; record: unknown }>(
            "SELECT id, record FROM record WHERE kind = 'WorkOrder' AND id = ANY($1)",
            [accepted.map((o) => o.workOrderId)],
          );
          expect(rows).toHaveLength(accepted.length);
          for (const row of rows)
            expect(row.record, `${row.id} in ${database.embedded ? 'PGlite' : 'PostgreSQL'}`).toEqual(
              onLedger.get(row.id),
            );
        } finally {
          await database.close();
        }
      }
    }
  });
}
