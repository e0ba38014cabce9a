import { createSign } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  EmbeddedLedger,
  embeddedBlockHashOf,
  embeddedDataHashOf,
  type StoredBlock,
  type StoredTransaction,
} from '@fabpool/network';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { request, unique } from '../support/poolClient.js';

type Line = { type: 'block'; block: StoredBlock } | { type: 'private'; entry: unknown };

const PLANT = {
  name: 'Signed plant',
  location: 'Suzhou',
  processes: [{ process: 'CNC', pricePerMinute: 100 }],
};

/** The ledger file's lines, a block changed by `change`, its hashes recomputed and every later block relinked. */
async function forge(file: string, blockNumber: number, change: (block: StoredBlock) => void): Promise<void> {
  const lines = (await readFile(file, 'utf8'))
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => JSON.parse(l) as Line);
  let previous: string | undefined;
  for (const line of lines) {
    if (line.type !== 'block') continue;
    const { block } = line;
    if (block.number === blockNumber) change(block);
    if (block.number < blockNumber) continue;
    if (previous !== undefined) block.previousHash = previous;
    block.dataHash = embeddedDataHashOf(block.transactions);
    block.hash = embeddedBlockHashOf(block.number, block.previousHash, block.dataHash);
    previous = block.hash;
  }
  await writeFile(file, lines.map((l) => `${JSON.stringify(l)}\n`).join(''));
}

const flip = (base64: string | undefined): string => {
  const bytes = Buffer.from(base64 ?? '', 'base64');
  bytes[bytes.length - 1] = (bytes[bytes.length - 1] ?? 0) ^ 1;
  return bytes.toString('base64');
};

/**
 * The embedded ledger's verify checks the same signatures as on Fabric, on its own blocks: each
 * block's orderer signature, each transaction's creator and endorsement signatures, and the
 * endorsement policy; incrementally, from where the last check stopped. A copy of its file
 * rewritten by a forger who recomputes every hash is caught at the block forged.
 */
describe('the embedded ledger’s signatures', () => {
  let dir: string;
  let file: string;

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'fabpool-signatures-'));
    file = join(dir, 'ledger.jsonl');
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  /** A ledger with a few plants registered; the number of the block of the last one. */
  async function withPlants(count: number): Promise<number> {
    const ledger = await EmbeddedLedger.open({ dir });
    try {
      for (let i = 0; i < count; i++)
        await ledger.submit('factory-a-user', 'Factory', 'RegisterFactory', [
          request({ factoryId: `F-SIG-${unique()}`, ...PLANT }),
        ]);
      return (await ledger.height()) - 1;
    } finally {
      await ledger.close();
    }
  }

  async function verified() {
    const ledger = await EmbeddedLedger.open({ dir });
    try {
      return await ledger.verify();
    } finally {
      await ledger.close();
    }
  }

  it('signs every block and transaction, and verifies from where it stopped', async () => {
    await withPlants(2);
    const ledger = await EmbeddedLedger.open({ dir });
    try {
      const first = await ledger.verify();
      expect(first).toMatchObject({ ok: true, checkedFrom: 0 });
      expect(first.signaturesChecked).toBeGreaterThan(first.height);
      await ledger.submit('factory-a-user', 'Factory', 'RegisterFactory', [
        request({ factoryId: `F-SIG-${unique()}`, ...PLANT }),
      ]);
      const next = await ledger.verify();
      expect(next).toMatchObject({ ok: true, checkedFrom: first.height, height: first.height + 1 });
      // One block: its orderer, its creator, and each endorsing organisation's peer.
      expect(next.signaturesChecked).toBeGreaterThanOrEqual(4);
    } finally {
      await ledger.close();
    }
  });

  it('names the block whose creator signature a forger changed', async () => {
    const target = await withPlants(3);
    await forge(file, target - 1, (block) => {
      const [tx] = block.transactions as [StoredTransaction];
      tx.creatorSignature = flip(tx.creatorSignature);
    });
    const report = await verified();
    expect(report.firstBroken?.blockNumber).toBe(target - 1);
    expect(report.firstBroken?.reason).toMatch(/creator's \(FactoryAMSP\) signature does not verify/);
  });

  it('names the block whose endorsements a member thinned and signed again as its own', async () => {
    const target = await withPlants(3);
    const identities = JSON.parse(await readFile(join(dir, 'identities.json'), 'utf8')) as {
      members: { name: string; keyPem: string }[];
    };
    const key = identities.members.find((m) => m.name === 'factory-a-user')?.keyPem ?? '';
    await forge(file, target, (block) => {
      const [tx] = block.transactions as [StoredTransaction];
      // One organisation's genuine endorsement, re-signed by the member who holds the creator's key.
      tx.endorsements = (tx.endorsements ?? []).slice(0, 1);
      tx.endorsers = tx.endorsements.map((e) => e.mspId);
      const rest = tx;
      const response = JSON.stringify({
        txId: rest.txId,
        timestamp: rest.timestamp,
        creatorMspId: rest.creatorMspId,
        creatorClientId: rest.creatorClientId,
        args: rest.args,
        writes: rest.writes,
        keyPolicies: rest.keyPolicies,
        privateHashes: rest.privateHashes,
        event: rest.event ?? null,
      });
      tx.creatorSignature = createSign('SHA256')
        .update(Buffer.concat([Buffer.from(response), Buffer.from(JSON.stringify(tx.endorsements))]))
        .sign(key)
        .toString('base64');
    });
    const report = await verified();
    expect(report.firstBroken?.blockNumber).toBe(target);
    expect(report.firstBroken?.reason).toMatch(/which does not satisfy the policy: the chaincode's MAJORITY/);
  });

  it('names the block whose orderer signature a forger changed', async () => {
    const target = await withPlants(2);
    const lines = (await readFile(file, 'utf8')).split('\n').filter((l) => l !== '');
    const at = lines.findIndex(
      (l) => (JSON.parse(l) as Line).type === 'block' && l.includes(`"number":${String(target)},`),
    );
    const line = JSON.parse(lines[at] ?? '') as { type: 'block'; block: StoredBlock };
    line.block.ordererSignature = flip(line.block.ordererSignature);
    lines[at] = JSON.stringify(line);
    await writeFile(file, `${lines.join('\n')}\n`);
    const report = await verified();
    expect(report.firstBroken?.blockNumber).toBe(target);
    expect(report.firstBroken?.reason).toMatch(/orderer's \(OrdererMSP\) signature does not verify/);
  });

  it('opens a ledger made before signatures: its older blocks are checked by hash, its new ones signed', async () => {
    const before = await withPlants(2);
    // As an earlier fabpool left it: no signing nodes, no signatures.
    const identitiesFile = join(dir, 'identities.json');
    const identities = JSON.parse(await readFile(identitiesFile, 'utf8')) as Record<string, unknown>;
    delete identities.nodes;
    await writeFile(identitiesFile, JSON.stringify(identities));
    for (let n = 1; n <= before; n++)
      await forge(file, n, (block) => {
        delete block.ordererSignature;
        for (const tx of block.transactions) {
          delete tx.endorsements;
          delete tx.creatorSignature;
        }
      });
    const ledger = await EmbeddedLedger.open({ dir });
    try {
      await ledger.submit('factory-a-user', 'Factory', 'RegisterFactory', [
        request({ factoryId: `F-SIG-${unique()}`, ...PLANT }),
      ]);
      const report = await ledger.verify();
      expect(report).toMatchObject({ ok: true, height: before + 2 });
      // Only the new block's signatures: its orderer, creator and endorsers.
      expect(report.signaturesChecked).toBeGreaterThanOrEqual(3);
    } finally {
      await ledger.close();
    }
  });
});
