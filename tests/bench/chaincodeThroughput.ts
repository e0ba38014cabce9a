/**
 * Throughput and latency of the pool's main transactions on the live Fabric network, side by side
 * with a trivial read-and-write transaction (Probe.PutGet, the network's own ceiling), in one run:
 *   - Probe.PutGet: one getState and one putState
 *   - Assignment.RecordAssignment: a matcher run of one lot, with every re-check
 *   - Progress.ReportOperation: a scan reporting an operation
 * Engine: `--engine fabric` (default, the live network) or `--engine embedded` (a scratch ledger).
 * Each phase sends the same number of transactions with the same concurrency; a transaction's
 * latency runs from submission to its commit status. Lanes never touch each other's keys, so no
 * phase loses transactions to read conflicts. Usage:
 *   npm run bench:chaincode [-- --transactions 120 --concurrency 12]
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { down, EmbeddedLedger, FabricLedger, isUp, up, type Ledger } from '@fabpool/network';
import { bucketFromNow, PoolClient, request, unique } from '../support/poolClient.js';

const flag = (name: string, fallback: number): number => {
  const at = process.argv.indexOf(`--${name}`);
  return at >= 0 ? Number(process.argv[at + 1]) : fallback;
};
const engineAt = process.argv.indexOf('--engine');
const ENGINE = engineAt >= 0 ? process.argv[engineAt + 1] : 'fabric';
const TRANSACTIONS = flag('transactions', ENGINE === 'embedded' ? 3000 : 120);
const CONCURRENCY = flag('concurrency', ENGINE === 'embedded' ? 64 : 12);

interface PhaseResult {
  name: string;
  committed: number;
  failed: number;
  seconds: number;
  latenciesMs: number[];
}

/** Runs `work` for every item, `concurrency` at a time; lane k takes items k, k+c, k+2c… in order. */
async function inLanes<T>(
  items: T[],
  concurrency: number,
  work: (item: T, lane: number) => Promise<void>,
): Promise<void> {
  await Promise.all(
    Array.from({ length: concurrency }, async (_, lane) => {
      for (let i = lane; i < items.length; i += concurrency) {
        const item = items[i];
        if (item !== undefined) await work(item, lane);
      }
    }),
  );
}

const percentile = (sorted: number[], p: number): number =>
  sorted.length === 0
    ? NaN
    : (sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN);

/** The ledger to measure, and how to put things back afterwards. */
async function openEngine(): Promise<{ ledger: Ledger; dispose(): Promise<void> }> {
  const log = (line: string) => process.stderr.write(`[ledger] ${line}\n`);
  if (ENGINE === 'embedded') {
    const dir = await mkdtemp(join(tmpdir(), 'fabpool-bench-ledger-'));
    const ledger = await EmbeddedLedger.open({ dir, log });
    return {
      ledger,
      dispose: async () => {
        await ledger.close();
        await rm(dir, { recursive: true, force: true });
      },
    };
  }
  const wasUp = await isUp();
  await up({ log });
  const ledger = await FabricLedger.open();
  return {
    ledger,
    dispose: async () => {
      await ledger.close();
      if (!wasUp) await down({ log });
    },
  };
}

async function main(): Promise<void> {
  const engine = await openEngine();
  const pool = new PoolClient(engine.ledger);
  try {
    const tag = unique();
    const bucket = bucketFromNow(3);
    const submit = (member: string, contract: string, tx: string, fields: object) =>
      pool.submit(member, contract, tx, request(fields));
    const progress = (label: string) => (done: number) => {
      if (done % 50 === 0) process.stderr.write(`[setup] ${label}: ${done}\n`);
    };

    /** One phase: every transaction submitted through `send`, timed from submission to commit status. */
    async function phase(
      name: string,
      send: (i: number, lane: number) => Promise<boolean>,
    ): Promise<PhaseResult> {
      const latenciesMs: number[] = [];
      let failed = 0;
      const started = performance.now();
      await inLanes([...Array(TRANSACTIONS).keys()], CONCURRENCY, async (i, lane) => {
        const t0 = performance.now();
        const ok = await send(i, lane).catch((error: unknown) => {
          process.stderr.write(`[${name}] ${String(error).slice(0, 200)}\n`);
          return false;
        });
        if (ok) latenciesMs.push(performance.now() - t0);
        else failed += 1;
      });
      return {
        name,
        committed: latenciesMs.length,
        failed,
        seconds: (performance.now() - started) / 1000,
        latenciesMs,
      };
    }
    const commit = async (member: string, contract: string, tx: string, args: string[]): Promise<boolean> => {
      await pool.ledger.submit(member, contract, tx, args);
      return true;
    };

    // Set-up for RecordAssignment: one factory per lane (runs of one lane share its capacity keys),
    // one work order per transaction.
    process.stderr.write('[setup] factories, capacity and work orders\n');
    const laneFactories = Array.from({ length: CONCURRENCY }, (_, lane) => `FB-${tag}-${lane}`);
    await inLanes(laneFactories, CONCURRENCY, async (factoryId) => {
      await submit('factory-a-user', 'Factory', 'RegisterFactory', {
        factoryId,
        name: 'bench plant',
        location: 'Ningbo',
        processes: [{ process: 'CNC', pricePerMinute: 100 }],
      });
      await submit('factory-a-user', 'Factory', 'DeclareCapacity', {
        factoryId,
        entries: [{ process: 'CNC', bucket, minutes: 100_000 }],
      });
    });
    const workOrder = (id: string, quantity: number) => ({
      workOrderId: id,
      partNumber: 'BENCH-1',
      quantity,
      routing: [{ seq: 1, process: 'CNC', standardMinutes: 1 }],
      dueBucket: bucketFromNow(5),
      priority: 'NORMAL',
      maxUnitPrice: 1000,
    });
    const workOrderIds = Array.from({ length: TRANSACTIONS }, (_, i) => `WB-${tag}-${i}`);
    let published = 0;
    await inLanes(workOrderIds, CONCURRENCY, async (id) => {
      await submit('customer-1', 'WorkOrder', 'PublishWorkOrder', workOrder(id, 1));
      progress('work orders')(++published);
    });

    // Set-up for ReportOperation: one work order split into one lot per transaction, each accepted,
    // its material handed to the factory, and its operation started.
    process.stderr.write('[setup] lots to report on\n');
    const opsFactory = `FO-${tag}`;
    const opsOrder = `WO-${tag}`;
    const opsRun = `RUN-${tag}`;
    await submit('factory-a-user', 'Factory', 'RegisterFactory', {
      factoryId: opsFactory,
      name: 'bench plant',
      location: 'Ningbo',
      processes: [{ process: 'CNC', pricePerMinute: 100 }],
    });
    await submit('factory-a-user', 'Factory', 'DeclareCapacity', {
      factoryId: opsFactory,
      entries: [{ process: 'CNC', bucket, minutes: 100_000 }],
    });
    await submit('customer-1', 'WorkOrder', 'PublishWorkOrder', workOrder(opsOrder, TRANSACTIONS));
    // A run holds at most 1000 lots: record them in runs of 500.
    const lotIds: string[] = [];
    for (let start = 0, k = 0; start < TRANSACTIONS; start += 500, k++) {
      const count = Math.min(500, TRANSACTIONS - start);
      await submit('matcher', 'Assignment', 'RecordAssignment', {
        runId: `${opsRun}-${k}`,
        inputHash: 'e'.repeat(64),
        objective: 0,
        acceptWithinHours: 24,
        lots: Array.from({ length: count }, () => ({
          workOrderId: opsOrder,
          factoryId: opsFactory,
          fromSeq: 1,
          toSeq: 1,
          bucket,
          quantity: 1,
          unitPrices: [100],
        })),
      });
      for (let i = 1; i <= count; i++) lotIds.push(`${opsRun}-${k}.${i}`);
    }
    let ready = 0;
    await inLanes(lotIds, CONCURRENCY, async (lotId) => {
      await submit('factory-a-user', 'Assignment', 'AcceptLot', { lotId });
      await submit('customer-1', 'Custody', 'OfferHandOver', { lotId, toMspId: 'FactoryAMSP', quantity: 1 });
      await submit('factory-a-user', 'Custody', 'ConfirmHandOver', { lotId, receivedQuantity: 1 });
      await submit('factory-a-user', 'Progress', 'StartOperation', {
        lotId,
        seq: 1,
        operatorId: 'OP-1',
        machineId: 'M-1',
      });
      progress('lots started')(++ready);
    });

    process.stderr.write('[bench] measuring\n');
    const results = [
      await phase('Probe.PutGet (trivial read + write)', (i) =>
        commit('factory-a-user', 'Probe', 'PutGet', [`k-${tag}-${i}`, `v${i}`]),
      ),
      await phase('Assignment.RecordAssignment (1 lot)', (i, lane) =>
        commit('matcher', 'Assignment', 'RecordAssignment', [
          request({
            runId: `RB-${tag}-${i}`,
            inputHash: 'f'.repeat(64),
            objective: 100,
            acceptWithinHours: 4,
            lots: [
              {
                workOrderId: workOrderIds[i],
                factoryId: laneFactories[lane],
                fromSeq: 1,
                toSeq: 1,
                bucket,
                quantity: 1,
                unitPrices: [100],
              },
            ],
          }),
        ]),
      ),
      await phase('Progress.ReportOperation', (i) =>
        commit('factory-a-user', 'Progress', 'ReportOperation', [
          request({
            lotId: lotIds[i],
            seq: 1,
            goodQuantity: 1,
            scrapQuantity: 0,
            operatorId: 'OP-1',
            machineId: 'M-1',
          }),
        ]),
      ),
    ];
    const ceiling = results[0];
    const rate = (r: PhaseResult): number => r.committed / r.seconds;
    console.log(
      `Chaincode on the ${ENGINE} ledger: ${TRANSACTIONS} transactions per phase, ${CONCURRENCY} in flight`,
    );
    console.log(
      'transaction                              committed  failed   tx/s    p50 ms   p95 ms   p99 ms   vs put/get',
    );
    for (const r of results) {
      const sorted = [...r.latenciesMs].sort((a, b) => a - b);
      const ratio = ceiling === undefined ? NaN : rate(r) / rate(ceiling);
      console.log(
        `${r.name.padEnd(40)} ${String(r.committed).padStart(9)} ${String(r.failed).padStart(7)} ${rate(r).toFixed(1).padStart(6)} ${percentile(sorted, 50).toFixed(0).padStart(8)} ${percentile(sorted, 95).toFixed(0).padStart(8)} ${percentile(sorted, 99).toFixed(0).padStart(8)}   ${(ratio * 100).toFixed(0)}%`,
      );
    }
  } finally {
    await engine.dispose();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
