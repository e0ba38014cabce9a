import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createMemberAccounts, startApi, type RunningApi } from '@fabpool/api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LOGIN_MUTATION, loginVariables } from '../support/accounts.js';
import { graphqlClient } from '../support/graphqlClient.js';
import { bucketFromNow, openPlant, request, unique } from '../support/poolClient.js';

const PASSWORD = 'templates-e2e-2026';

/**
 * The publish form's template learns from the part family's history: after three lots of a family
 * were scanned taking 3, 4 and 6 minutes a unit (the order said 5), a new order of the family is
 * proposed 4 minutes — the median — with the lots it rests on and the plant that did it best.
 */
describe('templates that learn from measured times, through the api', () => {
  let api: RunningApi;
  let dir: string;
  let offset = 0;
  const tokens = new Map<string, string>();
  const { ok } = graphqlClient(() => api.url, tokens);
  const submit = (member: string, contract: string, transaction: string, body: object) =>
    api.ledger.submit(member, contract, transaction, [request(body)]);
  const [fast, slow] = [`F-FAST-${unique()}`, `F-SLOW-${unique()}`];
  const family = `CLIP${unique().slice(0, 4).toUpperCase()}`;
  const scan = { operatorId: 'OP-Gu', machineId: 'CNC-4' };

  const steel = { materialCode: 'STEEL-45-BAR', unit: 'kg', perUnit: 0.5 };

  /**
   * An order of the family, made on `plant` with its one operation taking `minutesPerUnit`; with
   * `kgUsed`, the operation has a standard consumption and its report says that much was used.
   */
  async function madeOrder(plant: string, minutesPerUnit: number, kgUsed?: number): Promise<void> {
    const workOrderId = `WO-${unique()}`;
    const runId = `RUN-${unique()}`;
    const bucket = bucketFromNow(2);
    await submit('customer-1', 'WorkOrder', 'PublishWorkOrder', {
      workOrderId,
      partNumber: `${kgUsed === undefined ? family : `${family}M`}-${unique().slice(0, 3)}`,
      quantity: 10,
      routing: [
        { seq: 1, process: 'CNC', standardMinutes: 5, ...(kgUsed === undefined ? {} : { material: steel }) },
      ],
      dueBucket: bucketFromNow(6),
      priority: 'NORMAL',
      maxUnitPrice: 1_000,
    });
    await submit('matcher', 'Assignment', 'RecordAssignment', {
      runId,
      inputHash: 'd'.repeat(64),
      objective: 1,
      acceptWithinHours: 4,
      lots: [
        { workOrderId, factoryId: plant, fromSeq: 1, toSeq: 1, bucket, quantity: 10, unitPrices: [250] },
      ],
    });
    const lotId = `${runId}.1`;
    await submit('factory-a-user', 'Assignment', 'AcceptLot', { lotId });
    await submit('customer-1', 'Custody', 'OfferHandOver', { lotId, toMspId: 'FactoryAMSP', quantity: 10 });
    await submit('factory-a-user', 'Custody', 'ConfirmHandOver', { lotId, receivedQuantity: 10 });
    await submit('factory-a-user', 'Progress', 'StartOperation', { lotId, seq: 1, ...scan });
    offset += minutesPerUnit * 10 * 60_000;
    await submit('factory-a-user', 'Progress', 'ReportOperation', {
      lotId,
      seq: 1,
      goodQuantity: 10,
      scrapQuantity: 0,
      ...(kgUsed === undefined ? {} : { materialUsed: kgUsed }),
      ...scan,
    });
  }

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'fabpool-templates-'));
    api = await startApi({ dataDir: dir, ledgerClock: () => Date.now() + offset });
    const accounts = await createMemberAccounts(api.database.pool, api.ledger, PASSWORD);
    const login = await ok(LOGIN_MUTATION, loginVariables(accounts, 'customer-1', PASSWORD), 'customer-1');
    tokens.set('customer-1', (login.login as { accessToken: string }).accessToken);
    for (const plant of [fast, slow]) {
      await openPlant(submit, 'factory-a-user', {
        factoryId: plant,
        process: 'CNC',
        pricePerMinute: 50,
        buckets: [bucketFromNow(2)],
        minutes: 960,
      });
    }
    await madeOrder(fast, 3);
    await madeOrder(slow, 6);
    await madeOrder(fast, 4);
    // Another family, whose cutting has a standard consumption of 0.5 kg a piece: 5.2, 5.6, 6 kg used for 10.
    for (const kg of [5.2, 6, 5.6]) await madeOrder(fast, 3, kg);
    await api.projector.caughtUp((await api.ledger.height()) - 1);
  });

  afterAll(async () => {
    await api.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('proposes the median of the measured minutes per unit, with the lots it rests on and the best plant', async () => {
    const answer = await ok(
      `query($p: String!) { workOrderTemplate(partNumber: $p) {
        family ordersInFamily routingUsedBy routing { seq process standardMinutes }
        operations { seq process standardMinutes source measuredLots lastOrderMinutes
          bestFactory { factoryId minutesPerUnit firstPassYield lots } } } }`,
      { p: `${family}-NEW` },
      'customer-1',
    );
    expect(answer.workOrderTemplate).toEqual({
      family,
      ordersInFamily: 3,
      routingUsedBy: 3,
      routing: [{ seq: 1, process: 'CNC', standardMinutes: 4 }],
      operations: [
        {
          seq: 1,
          process: 'CNC',
          standardMinutes: 4,
          source: 'MEASURED_MEDIAN',
          measuredLots: 3,
          lastOrderMinutes: 5,
          bestFactory: { factoryId: fast, minutesPerUnit: 3.5, firstPassYield: 1, lots: 2 },
        },
      ],
    });
  });

  it('proposes the latest order’s standard consumption and its prices, however large', async () => {
    const other = `${family}X`;
    const steel = { materialCode: 'STEEL-45-BAR', unit: 'kg', perUnit: 0.6 };
    await submit('customer-1', 'WorkOrder', 'PublishWorkOrder', {
      workOrderId: `WO-${unique()}`,
      partNumber: `${other}-1`,
      quantity: 10,
      routing: [{ seq: 1, process: 'CNC', standardMinutes: 5, material: steel }],
      dueBucket: bucketFromNow(6),
      priority: 'NORMAL',
      // The most a price may be (10 billion yuan): beyond a 32-bit GraphQL Int.
      maxUnitPrice: 1_000_000_000_000,
      latePenaltyPerUnitPerBucket: 1_000_000_000_000,
    });
    await api.projector.caughtUp((await api.ledger.height()) - 1);
    const answer = await ok(
      `query($p: String!) { workOrderTemplate(partNumber: $p) {
        routing { seq process standardMinutes material { materialCode unit perUnit } }
        maxUnitPrice latePenaltyPerUnitPerBucket } }`,
      { p: `${other}-2` },
      'customer-1',
    );
    expect(answer.workOrderTemplate).toEqual({
      routing: [{ seq: 1, process: 'CNC', standardMinutes: 5, material: steel }],
      maxUnitPrice: 1_000_000_000_000,
      latePenaltyPerUnitPerBucket: 1_000_000_000_000,
    });
  });

  it('proposes the standard consumption its lots reported, the median per piece, with the last order’s', async () => {
    const answer = await ok(
      `query($p: String!) { workOrderTemplate(partNumber: $p) {
        routing { material { materialCode unit perUnit } }
        operations { material { materialCode unit perUnit } materialSource materialMeasuredLots lastOrderPerUnit } } }`,
      { p: `${family}M-NEW` },
      'customer-1',
    );
    const proposed = { materialCode: 'STEEL-45-BAR', unit: 'kg', perUnit: 0.56 };
    expect(answer.workOrderTemplate).toEqual({
      routing: [{ material: proposed }],
      operations: [
        {
          material: proposed,
          materialSource: 'MEASURED_MEDIAN',
          materialMeasuredLots: 3,
          lastOrderPerUnit: 0.5,
        },
      ],
    });
  });
});
