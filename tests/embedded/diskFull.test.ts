import { execFileSync } from 'node:child_process';
import { mkdtemp, readFile, rm, statfs, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EmbeddedLedger, LedgerError } from '@fabpool/network';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PoolClient, request, sleep, unique } from '../support/poolClient.js';

const order = (workOrderId: string) =>
  request({
    workOrderId,
    partNumber: 'DISK-FULL-1',
    quantity: 3,
    routing: [{ seq: 1, process: 'SMT', standardMinutes: 2 }],
    dueBucket: '2099-01-01T00:00:00Z',
    priority: 'NORMAL',
    maxUnitPrice: 100,
  });

/**
 * The embedded ledger on a disk that fills up: a small filesystem of its own (tmpfs, mounted and
 * removed by the test, which needs root as CI has).
 */
describe('the embedded ledger on a full disk', () => {
  let mountPoint: string;
  beforeEach(async () => {
    if (process.getuid?.() !== 0)
      throw new Error('this test mounts a small filesystem of its own: run it as root (CI does)');
    mountPoint = await mkdtemp(join(tmpdir(), 'fabpool-disk-'));
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=4m,mode=0700', 'tmpfs', mountPoint]);
  });
  afterEach(async () => {
    execFileSync('umount', [mountPoint]);
    await rm(mountPoint, { recursive: true, force: true });
  });

  it('refuses writes clearly, keeps nothing torn, and goes on by itself once space is back, every acknowledged transaction kept', async () => {
    const dir = join(mountPoint, 'ledger');
    const ledger = await EmbeddedLedger.open({ dir });
    // Leave some 40 KiB: room for a few dozen blocks.
    const free = await statfs(mountPoint);
    const filler = join(mountPoint, 'filler');
    await writeFile(filler, Buffer.alloc(Math.max(0, free.bavail * free.bsize - 40 * 1024)));
    const acknowledged: string[] = [];
    let refusal: unknown;
    for (let i = 0; i < 500 && refusal === undefined; i++) {
      const id = `WO-${unique()}`;
      try {
        await ledger.submit('customer-1', 'WorkOrder', 'PublishWorkOrder', [order(id)]);
        acknowledged.push(id);
      } catch (error) {
        refusal = error;
      }
    }
    expect(acknowledged.length).toBeGreaterThan(0);
    expect(refusal).toBeInstanceOf(LedgerError);
    expect((refusal as LedgerError).kind).toBe('UNAVAILABLE');
    expect((refusal as LedgerError).message).toContain('ENOSPC');
    // While the disk stays full, nothing more is taken; a read answers from what the disk holds.
    await expect(
      ledger.submit('customer-1', 'WorkOrder', 'PublishWorkOrder', [order(`WO-${unique()}`)]),
    ).rejects.toMatchObject({ kind: 'UNAVAILABLE' });
    await sleep(2_100);
    await expect(
      ledger.submit('customer-1', 'WorkOrder', 'PublishWorkOrder', [order(`WO-${unique()}`)]),
    ).rejects.toMatchObject({ kind: 'UNAVAILABLE' });
    // The file ends on a whole line: nothing torn.
    const text = await readFile(join(dir, 'ledger.jsonl'), 'utf8');
    expect(text.endsWith('\n')).toBe(true);
    for (const line of text.trimEnd().split('\n')) expect(() => JSON.parse(line) as unknown).not.toThrow();

    // Space is back: the same ledger, not restarted, holds every acknowledged transaction, takes
    // new ones, and its file verifies.
    await rm(filler);
    await sleep(2_100);
    const pool = new PoolClient(ledger);
    try {
      const after = `WO-${unique()}`;
      await ledger.submit('customer-1', 'WorkOrder', 'PublishWorkOrder', [order(after)]);
      for (const id of [...acknowledged, after])
        expect(JSON.parse(await pool.evaluate('auditor', 'WorkOrder', 'GetWorkOrder', id))).toMatchObject({
          workOrderId: id,
        });
      expect((await ledger.verify()).ok).toBe(true);
    } finally {
      await ledger.close();
    }
    // And opened again later, it holds the same.
    const reopened = await EmbeddedLedger.open({ dir });
    try {
      expect((await reopened.verify()).ok).toBe(true);
      const again = new PoolClient(reopened);
      for (const id of acknowledged)
        expect(JSON.parse(await again.evaluate('auditor', 'WorkOrder', 'GetWorkOrder', id))).toMatchObject({
          workOrderId: id,
        });
    } finally {
      await reopened.close();
    }
  });
});
