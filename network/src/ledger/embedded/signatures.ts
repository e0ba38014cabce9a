import { createSign, createVerify, X509Certificate } from 'node:crypto';
import type { StoredBlock, StoredTransaction } from './blockStore.js';
import { endorsementFailure } from './policy.js';

/**
 * The embedded ledger's own nodes: per channel organisation a peer that endorses, and an orderer
 * that signs blocks, each issued by a nodes' CA of its organisation (a second root of its MSP, as
 * Fabric allows). `signedFrom` is the first block signed: a ledger made before signatures has
 * older blocks that carry none, and verify says so.
 */
export interface NodeIdentities {
  cas: Record<string, string>;
  peers: Record<string, { certPem: string; keyPem: string }>;
  orderer: { mspId: string; certPem: string; keyPem: string };
  signedFrom: number;
}

/** What a transaction's endorsers sign: its effects as the chaincode produced them. */
function responseBytes(tx: StoredTransaction): Buffer {
  return Buffer.from(
    JSON.stringify({
      txId: tx.txId,
      timestamp: tx.timestamp,
      creatorMspId: tx.creatorMspId,
      creatorClientId: tx.creatorClientId,
      args: tx.args,
      writes: tx.writes,
      keyPolicies: tx.keyPolicies,
      privateHashes: tx.privateHashes,
      event: tx.event ?? null,
    }),
  );
}

/** What its creator signs: the effects and every endorsement (as a Fabric client signs the envelope). */
const envelopeBytes = (tx: StoredTransaction): Buffer =>
  Buffer.concat([responseBytes(tx), Buffer.from(JSON.stringify(tx.endorsements ?? []))]);

const sign = (keyPem: string, data: Buffer | string): string =>
  createSign('SHA256').update(data).sign(keyPem).toString('base64');

function verifies(certPem: string, data: Buffer | string, signature: string | undefined): boolean {
  if (signature === undefined) return false;
  try {
    return createVerify('SHA256').update(data).verify(certPem, Buffer.from(signature, 'base64'));
  } catch {
    return false;
  }
}

/** Endorses a transaction with each endorsing organisation's peer, then signs it as its creator. */
export function signTransaction(
  tx: StoredTransaction,
  creatorKeyPem: string,
  nodes: NodeIdentities,
): StoredTransaction {
  const response = responseBytes(tx);
  const endorsements = tx.endorsers.map((mspId) => {
    const endorser = nodes.peers[mspId];
    if (endorser === undefined) throw new Error(`the embedded channel has no peer of ${mspId}`);
    return { mspId, signature: sign(endorser.keyPem, response) };
  });
  const endorsed = { ...tx, endorsements };
  return { ...endorsed, creatorSignature: sign(creatorKeyPem, envelopeBytes(endorsed)) };
}

/** The ordering service's signature over a block's hash (its number, link and data hash). */
export const signBlock = (block: StoredBlock, nodes: NodeIdentities): StoredBlock => ({
  ...block,
  ordererSignature: sign(nodes.orderer.keyPem, block.hash),
});

function issuedBy(certPem: string, caPem: string | undefined): boolean {
  if (caPem === undefined) return false;
  const cert = new X509Certificate(certPem);
  const ca = new X509Certificate(caPem);
  return cert.checkIssued(ca) && cert.verify(ca.publicKey);
}

export interface SignatureTrust {
  /** Each organisation's members' CA. */
  cas: Record<string, string>;
  /** Each member's certificate, by MSP id and client id. */
  certificateOf: (mspId: string, clientId: string) => string | undefined;
  nodes: NodeIdentities;
  /** The organisations the chaincode's majority counts. */
  channelOrgs: readonly string[];
}

export interface SignatureCheck {
  signaturesChecked: number;
  failure?: { blockNumber: number; reason: string };
  /** Key-level policies (organisations) in force after the blocks checked, by key. */
  keyPolicies: Map<string, string[]>;
}

/** One transaction's signatures and, when valid, its policy; the number verified, or why it fails. */
function checkTransaction(
  tx: StoredTransaction,
  named: string,
  trust: SignatureTrust,
  keyPolicies: Map<string, string[]>,
): number | string {
  const { nodes } = trust;
  const certPem = trust.certificateOf(tx.creatorMspId, tx.creatorClientId);
  if (certPem === undefined || !issuedBy(certPem, trust.cas[tx.creatorMspId]))
    return `${named}: its creator is no member ${tx.creatorMspId}'s CA issued`;
  if (!verifies(certPem, envelopeBytes(tx), tx.creatorSignature))
    return `${named}: its creator's (${tx.creatorMspId}) signature does not verify`;
  const response = responseBytes(tx);
  const signed: string[] = [];
  for (const endorsement of tx.endorsements ?? []) {
    const endorser = nodes.peers[endorsement.mspId];
    if (endorser === undefined || !issuedBy(endorser.certPem, nodes.cas[endorsement.mspId]))
      return `${named}: it names an endorser of ${endorsement.mspId} that is no peer of the channel`;
    if (!verifies(endorser.certPem, response, endorsement.signature))
      return `${named}: the endorsement of ${endorsement.mspId}'s peer does not verify`;
    signed.push(endorsement.mspId);
  }
  if (tx.validationCode !== 'VALID') return 1 + signed.length;
  const failure = endorsementFailure(
    {
      keys: [...tx.writes.map((w) => w.key), ...tx.keyPolicies.map((p) => p.key)],
      collections: [...new Set(tx.privateHashes.map((p) => p.collection))],
    },
    signed,
    trust.channelOrgs,
    (key) => keyPolicies.get(key),
  );
  if (failure !== undefined)
    return `${named}: endorsed by ${signed.join(', ') || 'nobody'}, which does not satisfy the policy: ${failure}`;
  for (const policy of tx.keyPolicies) keyPolicies.set(policy.key, policy.orgs);
  return 1 + signed.length;
}

/**
 * The signature checks on the embedded ledger's own blocks, the same as on Fabric's: each block's
 * orderer signature, each transaction's creator signature and every endorsement, each identity
 * issued by its organisation's CA, and for a valid transaction the endorsement policy its writes
 * needed (replaying the key-level policies set before it). Blocks before `signedFrom` carry none.
 */
export function verifySignatures(
  blocks: readonly StoredBlock[],
  trust: SignatureTrust,
  keyPolicies: Map<string, string[]>,
): SignatureCheck {
  let signaturesChecked = 0;
  const fail = (blockNumber: number, reason: string): SignatureCheck => ({
    signaturesChecked,
    failure: { blockNumber, reason },
    keyPolicies,
  });
  const { nodes } = trust;
  if (!issuedBy(nodes.orderer.certPem, nodes.cas[nodes.orderer.mspId]))
    return fail(nodes.signedFrom, "the orderer's certificate was not issued by its organisation's CA");
  for (const block of blocks) {
    if (block.number < nodes.signedFrom || block.number === 0) continue;
    for (const [index, tx] of block.transactions.entries()) {
      const checked = checkTransaction(
        tx,
        `transaction ${String(index)} of block ${String(block.number)} (${tx.txId})`,
        trust,
        keyPolicies,
      );
      if (typeof checked === 'string') return fail(block.number, checked);
      signaturesChecked += checked;
    }
    if (!verifies(nodes.orderer.certPem, block.hash, block.ordererSignature))
      return fail(
        block.number,
        `block ${String(block.number)}: the orderer's (${nodes.orderer.mspId}) signature does not verify`,
      );
    signaturesChecked++;
  }
  return { signaturesChecked, keyPolicies };
}
