import { appendFile, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EmbeddedLedger, type Checkpoint, type LedgerEvent } from '@fabpool/network';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { decode, PoolClient, request, unique } from '../support/poolClient.js';

const workOrder = (workOrderId: string) =>
  request({
    workOrderId,
    partNumber: 'RESTART-1',
    quantity: 3,
    routing: [{ seq: 1, process: 'SMT', standardMinutes: 2 }],
    dueBucket: '2099-01-01T00:00:00Z',
    priority: 'NORMAL',
    maxUnitPrice: 100,
  });

async function publish(ledger: EmbeddedLedger, count: number): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < count; i++) {
    const id = `WO-${unique()}`;
    await ledger.submit('customer-1', 'WorkOrder', 'PublishWorkOrder', [workOrder(id)]);
    ids.push(id);
  }
  return ids;
}

async function eventsAfter(ledger: EmbeddedLedger, after: Checkpoint, count: number): Promise<LedgerEvent[]> {
  const stream = ledger.events({ after });
  const seen: LedgerEvent[] = [];
  try {
    for await (const event of stream) {
      if (event.name !== 'WorkOrderPublished') continue;
      seen.push(event);
      if (seen.length === count) break;
    }
  } finally {
    stream.close();
  }
  return seen;
}

describe('the embedded ledger across restarts', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'fabpool-restart-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('keeps its blocks, state, identities and history, and its chain verifies', async () => {
    const first = await EmbeddedLedger.open({ dir });
    const ids = await publish(first, 5);
    const height = await first.height();
    const whoAmI = decode(await first.evaluate('customer-1', 'Member', 'WhoAmI', []));
    const lastBlock = first.block(height - 1);
    await first.close();

    const again = await EmbeddedLedger.open({ dir });
    try {
      expect(await again.height()).toBe(height);
      expect(again.block(height - 1)).toEqual(lastBlock);
      expect(decode(await again.evaluate('customer-1', 'Member', 'WhoAmI', []))).toBe(whoAmI);
      const pool = new PoolClient(again);
      for (const id of ids)
        expect(JSON.parse(await pool.evaluate('auditor', 'WorkOrder', 'GetWorkOrder', id))).toMatchObject({
          workOrderId: id,
        });
      const history = JSON.parse(
        await pool.evaluate('auditor', 'Trace', 'GetHistory', 'WorkOrder', ids[0] ?? ''),
      ) as unknown[];
      expect(history).toHaveLength(1);
      expect(await again.verify()).toMatchObject({ ok: true, height, checkedFrom: 0 });
      // And it goes on from where it was.
      await publish(again, 1);
      expect(await again.height()).toBe(height + 1);
    } finally {
      await again.close();
    }
  });

  it('drops a block torn by a crash mid-write; everything acknowledged survives', async () => {
    const ledger = await EmbeddedLedger.open({ dir });
    await publish(ledger, 2);
    const height = await ledger.height();
    await ledger.close();
    await appendFile(join(dir, 'ledger.jsonl'), '{"type":"block","block":{"number":');
    const reopened = await EmbeddedLedger.open({ dir });
    try {
      expect(await reopened.height()).toBe(height);
      expect((await reopened.verify()).ok).toBe(true);
    } finally {
      await reopened.close();
    }
  });

  it('names the first block whose contents were changed on disk', async () => {
    const ledger = await EmbeddedLedger.open({ dir });
    await publish(ledger, 3);
    const height = await ledger.height();
    const target = height - 2;
    const file = join(dir, 'ledger.jsonl');
    const lines = (await readFile(file, 'utf8')).split('\n');
    const index = lines.findIndex((l) => l.includes(`"number":${target},`));
    const line = lines[index] ?? '';
    lines[index] = line.replace('RESTART-1', 'RESTART-2');
    expect(lines[index]).not.toBe(line);
    await writeFile(file, lines.join('\n'));
    const report = await ledger.verify();
    expect(report.ok).toBe(false);
    expect(report.firstBroken?.blockNumber).toBe(target);
    expect(report.firstBroken?.reason).toContain('data hash');
    await ledger.close();
  });

  it('resumes an event consumer after the ledger restarts: nothing missed, nothing repeated', async () => {
    const ledger = await EmbeddedLedger.open({ dir });
    const before = await publish(ledger, 4);
    const read = await eventsAfter(ledger, { blockNumber: 0, transactionId: '' }, 2);
    const last = read[read.length - 1];
    if (last === undefined) throw new Error('no event');
    await ledger.close();

    const reopened = await EmbeddedLedger.open({ dir });
    try {
      const after = await publish(reopened, 2);
      const rest = await eventsAfter(
        reopened,
        { blockNumber: last.blockNumber, transactionId: last.transactionId },
        4,
      );
      const ids = [...read, ...rest].map(
        (e) => (JSON.parse(decode(e.payload)) as { changes: { id: string }[] }).changes[0]?.id,
      );
      expect(ids).toEqual([...before, ...after]);
    } finally {
      await reopened.close();
    }
  });
});
