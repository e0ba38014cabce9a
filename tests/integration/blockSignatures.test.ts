import { createHash, createPrivateKey, createSign, randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import {
  FabricLedger,
  headerHash,
  readConnectionDescription,
  verifyFabricBlocks,
  type ConnectionDescription,
} from '@fabpool/network';
import { common, msp, peer } from '@hyperledger/fabric-protos';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/** A value the test's own chain is known to hold. */
function must<T>(value: T | null | undefined): T {
  if (value === null || value === undefined) throw new Error('the chain lacks what this test edits');
  return value;
}

/** A copy of the blocks with block `at` changed by `change`, its data hash and every later link recomputed. */
function tampered(
  blocks: readonly Uint8Array[],
  at: number,
  change: (block: common.Block) => void,
): Uint8Array[] {
  const copy = blocks.map((b) => common.Block.deserializeBinary(b));
  const target = copy[at];
  if (target === undefined) throw new Error(`no block ${String(at)}`);
  change(target);
  // A forger who rewrites a block recomputes its hashes and relinks every block after it.
  for (let n = at; n < copy.length; n++) {
    const block = must(copy[n]);
    const header = must(block.getHeader());
    const data = block.getData()?.getDataList_asU8() ?? [];
    const hash = createHash('sha256');
    for (const entry of data) hash.update(entry);
    header.setDataHash(hash.digest());
    const before = copy[n - 1]?.getHeader();
    if (n > at && before !== undefined)
      header.setPreviousHash(
        headerHash({
          number: before.getNumber(),
          previousHash: before.getPreviousHash_asU8(),
          dataHash: before.getDataHash_asU8(),
        }),
      );
  }
  return copy.map((b) => b.serializeBinary());
}

/** The first block that holds a transaction of fabpool's chaincode with two endorsements or more. */
function endorsedBlock(blocks: readonly Uint8Array[]): number {
  for (let n = 1; n < blocks.length; n++) {
    const block = common.Block.deserializeBinary(must(blocks[n]));
    const envelope = common.Envelope.deserializeBinary(
      block.getData()?.getDataList_asU8()[0] ?? new Uint8Array(),
    );
    const payload = common.Payload.deserializeBinary(envelope.getPayload_asU8());
    const channelHeader = common.ChannelHeader.deserializeBinary(
      payload.getHeader()?.getChannelHeader_asU8() ?? new Uint8Array(),
    );
    if (channelHeader.getType() !== common.HeaderType.ENDORSER_TRANSACTION) continue;
    const chaincode = peer.ChaincodeHeaderExtension.deserializeBinary(channelHeader.getExtension_asU8())
      .getChaincodeId()
      ?.getName();
    if (chaincode !== 'fabpool') continue;
    const action = peer.Transaction.deserializeBinary(payload.getData_asU8()).getActionsList()[0];
    const endorsed = peer.ChaincodeActionPayload.deserializeBinary(
      action?.getPayload_asU8() ?? new Uint8Array(),
    ).getAction();
    if ((endorsed?.getEndorsementsList().length ?? 0) >= 2) return n;
  }
  throw new Error('no endorsed transaction on the chain');
}

/**
 * Edits the endorsements of a block's first transaction and signs the envelope again with its
 * creator's own key: what a member who fabricates a transaction of its own can do (this test
 * harness holds every member's key, through the merged connection description).
 */
async function forgeEndorsements(
  block: common.Block,
  description: ConnectionDescription,
  edit: (endorsed: peer.ChaincodeEndorsedAction) => void,
): Promise<void> {
  const data = must(block.getData());
  const list = data.getDataList_asU8();
  const envelope = common.Envelope.deserializeBinary(must(list[0]));
  const payload = common.Payload.deserializeBinary(envelope.getPayload_asU8());
  const transaction = peer.Transaction.deserializeBinary(payload.getData_asU8());
  const action = must(transaction.getActionsList()[0]);
  const actionPayload = peer.ChaincodeActionPayload.deserializeBinary(action.getPayload_asU8());
  const endorsed = must(actionPayload.getAction());
  edit(endorsed);
  actionPayload.setAction(endorsed);
  action.setPayload(actionPayload.serializeBinary());
  payload.setData(transaction.serializeBinary());
  const creator = msp.SerializedIdentity.deserializeBinary(
    common.SignatureHeader.deserializeBinary(
      payload.getHeader()?.getSignatureHeader_asU8() ?? new Uint8Array(),
    ).getCreator_asU8(),
  );
  const pem = Buffer.from(creator.getIdBytes_asU8()).toString('utf8').trim();
  let key: string | undefined;
  for (const member of description.members)
    if ((await readFile(member.certPath, 'utf8')).trim() === pem)
      key = await readFile(member.keyPath, 'utf8');
  if (key === undefined) throw new Error('the test harness holds no key of this transaction’s creator');
  const bytes = payload.serializeBinary();
  envelope.setPayload(bytes);
  envelope.setSignature(createSign('SHA256').update(bytes).sign(createPrivateKey(key)));
  data.setDataList([envelope.serializeBinary(), ...list.slice(1)]);
}

/** Changes the creator's signature of a block's first transaction. */
function breakCreatorSignature(block: common.Block): void {
  const data = must(block.getData());
  const list = data.getDataList_asU8();
  const envelope = common.Envelope.deserializeBinary(must(list[0]));
  envelope.setSignature(flipLastByte(envelope.getSignature_asU8()));
  data.setDataList([envelope.serializeBinary(), ...list.slice(1)]);
}

/** What verification checked before it checked signatures: each block's data hash and its link to the one before. */
function hashChainHolds(blocks: readonly Uint8Array[]): boolean {
  let previous: Buffer | undefined;
  for (const bytes of blocks) {
    const header = must(common.Block.deserializeBinary(bytes).getHeader());
    const data = common.Block.deserializeBinary(bytes).getData()?.getDataList_asU8() ?? [];
    const hash = createHash('sha256');
    for (const entry of data) hash.update(entry);
    if (!hash.digest().equals(Buffer.from(header.getDataHash_asU8()))) return false;
    if (previous !== undefined && !previous.equals(Buffer.from(header.getPreviousHash_asU8()))) return false;
    previous = headerHash({
      number: header.getNumber(),
      previousHash: header.getPreviousHash_asU8(),
      dataHash: header.getDataHash_asU8(),
    });
  }
  return true;
}

const flipLastByte = (bytes: Uint8Array): Uint8Array => {
  const copy = Uint8Array.from(bytes);
  copy[copy.length - 1] = (copy[copy.length - 1] ?? 0) ^ 0x01;
  return copy;
};

/**
 * The auditor's verification on Fabric checks who signed, not only the hash chain: every block's
 * orderer signature, every transaction's creator signature, every endorsement and the channel's
 * endorsement policy, against the roots the channel configuration names. A forger who rewrites a
 * block and recomputes every hash after it is caught at that block, by the signature it broke.
 */
describe('verification that checks signatures (Fabric)', () => {
  let ledger: FabricLedger;
  let blocks: Uint8Array[];

  beforeAll(async () => {
    ledger = await FabricLedger.open();
    // Something of this file's own on the chain: a transaction endorsed by a majority.
    await ledger.submit('factory-a-user', 'Probe', 'PutGet', [
      `verify-${randomUUID().slice(0, 8)}`,
      'signed',
    ]);
    blocks = await ledger.rawBlocks();
  });

  afterAll(() => ledger.close());

  it('holds on the chain as the peers serve it, and goes on from where it stopped', async () => {
    const started = performance.now();
    const report = verifyFabricBlocks(blocks);
    const millis = performance.now() - started;
    expect(report.firstBroken).toBeUndefined();
    expect(report).toMatchObject({ ok: true, height: blocks.length, checkedFrom: 0 });
    expect(report.signaturesChecked).toBeGreaterThan(blocks.length);
    process.stdout.write(
      `[verify] ${String(blocks.length)} blocks, ${String(report.signaturesChecked)} signatures in ${millis.toFixed(0)} ms\n`,
    );
    const first = await ledger.verify();
    expect(first).toMatchObject({ ok: true, checkedFrom: 0 });
    await ledger.submit('factory-a-user', 'Probe', 'PutGet', [
      `verify-${randomUUID().slice(0, 8)}`,
      'signed',
    ]);
    const next = await ledger.verify();
    expect(next.ok).toBe(true);
    expect(next.checkedFrom).toBe(first.height);
    expect(next.height).toBeGreaterThan(first.height);
  });

  it('names the block whose creator signature a forger changed', () => {
    const at = endorsedBlock(blocks);
    const copy = tampered(blocks, at, breakCreatorSignature);
    // The hashes hold: a check of the hash chain alone (what verify was) passes the forgery.
    expect(hashChainHolds(copy)).toBe(true);
    const report = verifyFabricBlocks(copy);
    expect(report.ok).toBe(false);
    expect(report.firstBroken?.blockNumber).toBe(at);
    expect(report.firstBroken?.reason).toMatch(/creator's \(\w+MSP\) signature does not verify/);
  });

  it('names the block whose endorsements a member forged and signed as its own transaction', async () => {
    const description = await readConnectionDescription();
    const at = endorsedBlock(blocks);
    const forge = async (edit: (endorsed: peer.ChaincodeEndorsedAction) => void) => {
      const copy = blocks.map((b) => common.Block.deserializeBinary(b));
      await forgeEndorsements(must(copy[at]), description, edit);
      return verifyFabricBlocks(
        tampered(
          copy.map((b) => b.serializeBinary()),
          at,
          () => undefined,
        ),
      );
    };
    // An endorsement's signature made up.
    const forged = await forge((endorsed) => {
      const [first, ...rest] = endorsed.getEndorsementsList();
      first?.setSignature(flipLastByte(first.getSignature_asU8()));
      endorsed.setEndorsementsList([must(first), ...rest]);
    });
    expect(forged.firstBroken?.blockNumber).toBe(at);
    expect(forged.firstBroken?.reason).toMatch(/endorsement of \w+MSP's peer does not verify/);
    // One organisation's genuine endorsement alone: not the majority the channel asks for.
    const thinned = await forge((endorsed) => {
      endorsed.setEndorsementsList(endorsed.getEndorsementsList().slice(0, 1));
    });
    expect(thinned.firstBroken?.blockNumber).toBe(at);
    expect(thinned.firstBroken?.reason).toMatch(/does not satisfy the channel's Endorsement policy/);
  });

  it('names the block whose orderer signature a forger changed', () => {
    const at = endorsedBlock(blocks);
    const copy: Uint8Array[] = blocks.map((b) => Uint8Array.from(b));
    const block = common.Block.deserializeBinary(must(copy[at]));
    const entries = block.getMetadata()?.getMetadataList_asU8() ?? [];
    const metadata = common.Metadata.deserializeBinary(must(entries[common.BlockMetadataIndex.SIGNATURES]));
    const [signature] = metadata.getSignaturesList();
    signature?.setSignature(flipLastByte(signature.getSignature_asU8()));
    block
      .getMetadata()
      ?.setMetadataList(
        entries.map((e, i) => (i === common.BlockMetadataIndex.SIGNATURES ? metadata.serializeBinary() : e)),
      );
    copy[at] = block.serializeBinary();
    const report = verifyFabricBlocks(copy);
    expect(report.firstBroken?.blockNumber).toBe(at);
    expect(report.firstBroken?.reason).toMatch(/orderer's \(OrdererMSP\) signature does not verify/);
  });
});
