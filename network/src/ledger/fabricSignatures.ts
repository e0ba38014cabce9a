import { createVerify, X509Certificate } from 'node:crypto';
import { common, msp, peer } from '@hyperledger/fabric-protos';
import { dataHashOf, headerBytes, headerHash } from './fabricChain.js';
import type { VerifyReport } from './ledger.js';
import { requirementsOf, signaturePolicyOf, type Requirement } from './endorsementRules.js';

/**
 * What an auditor trusts after checking blocks up to some height: the hash of the last block
 * checked, and the channel configuration as its last config block left it (each organisation's
 * root certificates, the endorsement policies). Verification goes on from here: nothing before it
 * is read again.
 */
export interface ChainCheckpoint {
  height: number;
  lastHeaderHash: string;
  config: ChannelTrust;
  /** Key-level endorsement policies set so far, by namespace and key (see endorsementRules). */
  keyPolicies: Record<string, SignaturePolicyJson>;
}

/** The parts of a channel configuration a signature check needs. */
export interface ChannelTrust {
  /** Each organisation's root and intermediate certificates (PEM), by MSP id. */
  msps: Record<string, { roots: string[]; intermediates: string[] }>;
  /** The organisations of the ordering service. */
  ordererOrgs: string[];
  /** Application policies by name (`Endorsement`, `LifecycleEndorsement`): signature policies only. */
  policies: Record<string, SignaturePolicyJson>;
}

/** A signature policy as plain data: who (MSP id and role) may sign, and the rule over them. */
export interface SignaturePolicyJson {
  identities: { mspId: string; role: 'member' | 'admin' | 'client' | 'peer' | 'orderer' }[];
  rule: PolicyRule;
}
export type PolicyRule = { signedBy: number } | { nOutOf: { n: number; rules: PolicyRule[] } };

export interface SignatureReport extends VerifyReport {
  /** The first block this run read (0 on a first check, the checkpoint's height after). */
  checkedFrom: number;
  /** Signatures verified by this run: orderers', creators', endorsers'. */
  signaturesChecked: number;
  checkpoint?: ChainCheckpoint;
}

class Broken extends Error {
  constructor(
    readonly blockNumber: number,
    reason: string,
  ) {
    super(reason);
  }
}

const concat = (...parts: Uint8Array[]): Buffer => Buffer.concat(parts.map((p) => Buffer.from(p)));

/** The identity a serialised creator or endorser names, checked against its organisation's roots. */
function identityOf(
  serialized: Uint8Array,
  trust: ChannelTrust,
  what: string,
): { mspId: string; certificate: X509Certificate; ous: string[] } {
  const identity = msp.SerializedIdentity.deserializeBinary(serialized);
  const mspId = identity.getMspid();
  const known = trust.msps[mspId];
  if (known === undefined) throw new Error(`${what} is of ${mspId}, not an organisation of the channel`);
  let certificate: X509Certificate;
  try {
    certificate = new X509Certificate(Buffer.from(identity.getIdBytes_asU8()));
  } catch {
    throw new Error(`${what} of ${mspId} carries no readable certificate`);
  }
  const issuers = [...known.intermediates, ...known.roots].map((pem) => new X509Certificate(pem));
  if (!chainsTo(certificate, issuers, known.roots))
    throw new Error(`${what} claims ${mspId}, but its certificate does not chain to ${mspId}'s root`);
  const ous = [...certificate.subject.matchAll(/^OU=(.+)$/gm)].map((m) => m[1] ?? '');
  return { mspId, certificate, ous };
}

function chainsTo(cert: X509Certificate, issuers: X509Certificate[], roots: string[]): boolean {
  for (let depth = 0, current = cert; depth < 5; depth++) {
    const issuer = issuers.find((i) => current.checkIssued(i) && current.verify(i.publicKey));
    if (issuer === undefined) return false;
    if (roots.some((pem) => new X509Certificate(pem).fingerprint256 === issuer.fingerprint256)) return true;
    current = issuer;
  }
  return false;
}

function signatureVerifies(certificate: X509Certificate, data: Buffer, signature: Uint8Array): boolean {
  try {
    return createVerify('SHA256').update(data).verify(certificate.publicKey, Buffer.from(signature));
  } catch {
    return false;
  }
}

/** Whether signers (MSP id and the OUs of their certificates) satisfy a signature policy. */
export function policySatisfied(
  policy: SignaturePolicyJson,
  signers: readonly { mspId: string; ous: readonly string[] }[],
): boolean {
  const matches = (index: number, signer: { mspId: string; ous: readonly string[] }): boolean => {
    const principal = policy.identities[index];
    if (principal?.mspId !== signer.mspId) return false;
    return principal.role === 'member' || signer.ous.includes(principal.role);
  };
  // Each signature counts once (Fabric's policy evaluation marks a signer used).
  const evaluate = (rule: PolicyRule, used: Set<number>): boolean => {
    if ('signedBy' in rule) {
      const at = signers.findIndex((s, i) => !used.has(i) && matches(rule.signedBy, s));
      if (at < 0) return false;
      used.add(at);
      return true;
    }
    let satisfied = 0;
    for (const sub of rule.nOutOf.rules) {
      const attempt = new Set(used);
      if (evaluate(sub, attempt)) {
        satisfied++;
        for (const i of attempt) used.add(i);
      }
    }
    return satisfied >= rule.nOutOf.n;
  };
  return evaluate(policy.rule, new Set());
}

function mspOfGroup(
  group: common.ConfigGroup,
): { name: string; roots: string[]; intermediates: string[] } | undefined {
  const value = group.getValuesMap().get('MSP');
  if (value === undefined) return undefined;
  const config = msp.MSPConfig.deserializeBinary(value.getValue_asU8());
  const fabric = msp.FabricMSPConfig.deserializeBinary(config.getConfig_asU8());
  const pem = (list: (string | Uint8Array)[]) =>
    list.map((c) => Buffer.from(c as Uint8Array).toString('utf8'));
  return {
    name: fabric.getName(),
    roots: pem(fabric.getRootCertsList()),
    intermediates: pem(fabric.getIntermediateCertsList()),
  };
}

/** The trust a config transaction's configuration sets: every organisation's roots, the endorsement policies. */
function trustOfConfig(config: common.Config): ChannelTrust {
  const channel = config.getChannelGroup();
  const groups = channel?.getGroupsMap();
  const trust: ChannelTrust = { msps: {}, ordererOrgs: [], policies: {} };
  const application = groups?.get('Application');
  const orderer = groups?.get('Orderer');
  for (const [section, group] of [
    ['application', application],
    ['orderer', orderer],
  ] as const) {
    group?.getGroupsMap().forEach((org: common.ConfigGroup) => {
      const definition = mspOfGroup(org);
      if (definition === undefined) return;
      trust.msps[definition.name] = { roots: definition.roots, intermediates: definition.intermediates };
      if (section === 'orderer') trust.ordererOrgs.push(definition.name);
    });
  }
  application?.getPoliciesMap().forEach((configPolicy: common.ConfigPolicy, name: string) => {
    const policy = configPolicy.getPolicy();
    if (policy?.getType() !== common.Policy.PolicyType.SIGNATURE) return;
    const rule = signaturePolicyOf(policy.getValue_asU8());
    if (rule !== undefined) trust.policies[name] = rule;
  });
  return trust;
}

/** Checks one transaction envelope: its creator's signature, and for a valid one its endorsements. */
function checkEnvelope(
  envelopeBytes: Uint8Array,
  index: number,
  blockNumber: number,
  valid: boolean,
  trust: ChannelTrust,
  keyPolicies: Map<string, SignaturePolicyJson>,
): { signatures: number; config?: common.Config } {
  const where = `transaction ${String(index)} of block ${String(blockNumber)}`;
  const envelope = common.Envelope.deserializeBinary(envelopeBytes);
  const payload = common.Payload.deserializeBinary(envelope.getPayload_asU8());
  const header = payload.getHeader();
  const channelHeader = common.ChannelHeader.deserializeBinary(
    header?.getChannelHeader_asU8() ?? new Uint8Array(),
  );
  const signatureHeader = common.SignatureHeader.deserializeBinary(
    header?.getSignatureHeader_asU8() ?? new Uint8Array(),
  );
  const txId = channelHeader.getTxId();
  const named = `${where}${txId === '' ? '' : ` (${txId})`}`;
  const creator = identityOf(signatureHeader.getCreator_asU8(), trust, `the creator of ${named}`);
  if (
    !signatureVerifies(
      creator.certificate,
      Buffer.from(envelope.getPayload_asU8()),
      envelope.getSignature_asU8(),
    )
  )
    throw new Error(`${named}: its creator's (${creator.mspId}) signature does not verify`);
  let signatures = 1;
  const type = channelHeader.getType();
  if (type === common.HeaderType.CONFIG) {
    const configEnvelope = common.ConfigEnvelope.deserializeBinary(payload.getData_asU8());
    const config = configEnvelope.getConfig();
    return config === undefined ? { signatures } : { signatures, config };
  }
  if (type !== common.HeaderType.ENDORSER_TRANSACTION) return { signatures };
  const extension = peer.ChaincodeHeaderExtension.deserializeBinary(channelHeader.getExtension_asU8());
  const chaincode = extension.getChaincodeId()?.getName() ?? '';
  const transaction = peer.Transaction.deserializeBinary(payload.getData_asU8());
  for (const action of transaction.getActionsList()) {
    const actionPayload = peer.ChaincodeActionPayload.deserializeBinary(action.getPayload_asU8());
    const endorsed = actionPayload.getAction();
    const responsePayload = endorsed?.getProposalResponsePayload_asU8() ?? new Uint8Array();
    const endorsers: { mspId: string; ous: string[] }[] = [];
    for (const endorsement of endorsed?.getEndorsementsList() ?? []) {
      const endorser = identityOf(endorsement.getEndorser_asU8(), trust, `an endorser of ${named}`);
      if (
        !signatureVerifies(
          endorser.certificate,
          concat(responsePayload, endorsement.getEndorser_asU8()),
          endorsement.getSignature_asU8(),
        )
      )
        throw new Error(`${named}: the endorsement of ${endorser.mspId}'s peer does not verify`);
      signatures++;
      endorsers.push(endorser);
    }
    // A transaction the peers marked invalid changed nothing: its endorsements need not satisfy a policy.
    if (!valid) continue;
    const chaincodePolicy = (namespace: string): Requirement | undefined => {
      const name = namespace === '_lifecycle' ? 'LifecycleEndorsement' : 'Endorsement';
      const policy = trust.policies[name];
      return policy === undefined ? undefined : { what: `the channel's ${name} policy`, policy };
    };
    const { requirements, keyPolicyChanges } = requirementsOf(
      responsePayload,
      chaincode,
      chaincodePolicy,
      keyPolicies,
    );
    for (const requirement of requirements)
      if (!policySatisfied(requirement.policy, endorsers))
        throw new Error(
          `${named}: endorsed by ${endorsers.map((e) => e.mspId).join(', ') || 'nobody'}, which does not satisfy ${requirement.what}`,
        );
    for (const [key, policy] of keyPolicyChanges)
      if (policy === null) keyPolicies.delete(key);
      else keyPolicies.set(key, policy);
  }
  return { signatures };
}

/** Checks the orderer's signature on a block: over its metadata value, signature header and header bytes. */
function checkOrdererSignature(block: common.Block, trust: ChannelTrust): number {
  const header = block.getHeader();
  const number = header?.getNumber() ?? -1;
  const entries = block.getMetadata()?.getMetadataList_asU8() ?? [];
  const metadata = common.Metadata.deserializeBinary(
    entries[common.BlockMetadataIndex.SIGNATURES] ?? new Uint8Array(),
  );
  const signatures = metadata.getSignaturesList();
  if (signatures.length === 0) throw new Error(`block ${String(number)} carries no orderer's signature`);
  const bytes = headerBytes({
    number,
    previousHash: header?.getPreviousHash_asU8() ?? new Uint8Array(),
    dataHash: header?.getDataHash_asU8() ?? new Uint8Array(),
  });
  for (const signature of signatures) {
    const signatureHeader = common.SignatureHeader.deserializeBinary(signature.getSignatureHeader_asU8());
    const orderer = identityOf(
      signatureHeader.getCreator_asU8(),
      trust,
      `the signer of block ${String(number)}`,
    );
    if (!trust.ordererOrgs.includes(orderer.mspId))
      throw new Error(`block ${String(number)} is signed by ${orderer.mspId}, not by the ordering service`);
    const signed = concat(metadata.getValue_asU8(), signature.getSignatureHeader_asU8(), bytes);
    if (!signatureVerifies(orderer.certificate, signed, signature.getSignature_asU8()))
      throw new Error(`block ${String(number)}: the orderer's (${orderer.mspId}) signature does not verify`);
  }
  return signatures.length;
}

/** The genesis block is the trust anchor: its configuration names every organisation's roots. */
function genesisTrust(data: Uint8Array[], number: number): ChannelTrust {
  const envelope = common.Envelope.deserializeBinary(data[0] ?? new Uint8Array());
  const payload = common.Payload.deserializeBinary(envelope.getPayload_asU8());
  const config = common.ConfigEnvelope.deserializeBinary(payload.getData_asU8()).getConfig();
  if (config === undefined) throw new Broken(number, 'the first block holds no channel configuration');
  return trustOfConfig(config);
}

/** Every signature of one block after the first; the trust its config transaction (if any) sets for the next. */
function checkBlock(
  block: common.Block,
  number: number,
  data: Uint8Array[],
  trust: ChannelTrust,
  keyPolicies: Map<string, SignaturePolicyJson>,
): { signatures: number; trust: ChannelTrust } {
  const filter = (block.getMetadata()?.getMetadataList_asU8() ?? [])[
    common.BlockMetadataIndex.TRANSACTIONS_FILTER
  ];
  let next = trust;
  let signatures = 0;
  try {
    for (const [t, envelope] of data.entries()) {
      const valid = (filter?.[t] ?? peer.TxValidationCode.VALID) === peer.TxValidationCode.VALID;
      const checked = checkEnvelope(envelope, t, number, valid, trust, keyPolicies);
      signatures += checked.signatures;
      if (checked.config !== undefined && valid) next = trustOfConfig(checked.config);
    }
    signatures += checkOrdererSignature(block, trust);
  } catch (error) {
    throw new Broken(number, error instanceof Error ? error.message : String(error));
  }
  return { signatures, trust: next };
}

/**
 * Verifies blocks as a peer served them (raw `common.Block` bytes, in order from the checkpoint's
 * height, or from 0): the hash chain, each transaction's creator signature, each endorsement's
 * signature and, for a transaction the peers marked valid, the channel's endorsement policy; the
 * orderer's signature on each block after the genesis block. Every identity must chain to the
 * root of the organisation it claims, as the channel configuration (the genesis block, then each
 * config block) names it. The first failure is named; the checkpoint says how far all held.
 */
export function verifyFabricBlocks(blocks: readonly Uint8Array[], from?: ChainCheckpoint): SignatureReport {
  const start = from?.height ?? 0;
  let trust = from?.config;
  let previous: Buffer | undefined = from === undefined ? undefined : Buffer.from(from.lastHeaderHash, 'hex');
  let signaturesChecked = 0;
  let checkpoint = from;
  const keyPolicies = new Map(Object.entries(from?.keyPolicies ?? {}));
  try {
    for (const [i, bytes] of blocks.entries()) {
      const expected = start + i;
      const block = common.Block.deserializeBinary(bytes);
      const header = block.getHeader();
      const number = header?.getNumber() ?? -1;
      if (number !== expected)
        throw new Broken(expected, `block ${String(expected)} says it is block ${String(number)}`);
      const link = {
        number,
        previousHash: header?.getPreviousHash_asU8() ?? new Uint8Array(),
        dataHash: header?.getDataHash_asU8() ?? new Uint8Array(),
      };
      const data = block.getData()?.getDataList_asU8() ?? [];
      if (!dataHashOf(data).equals(Buffer.from(link.dataHash)))
        throw new Broken(number, 'its transactions do not hash to its data hash');
      if (previous !== undefined && !previous.equals(Buffer.from(link.previousHash)))
        throw new Broken(number, 'its previous hash does not name the block before it');
      if (trust === undefined) trust = genesisTrust(data, number);
      else {
        const checked = checkBlock(block, number, data, trust, keyPolicies);
        signaturesChecked += checked.signatures;
        trust = checked.trust;
      }
      const linked = headerHash(link);
      previous = linked;
      checkpoint = {
        height: number + 1,
        lastHeaderHash: linked.toString('hex'),
        config: trust,
        keyPolicies: Object.fromEntries(keyPolicies),
      };
    }
  } catch (error) {
    if (!(error instanceof Broken)) throw error;
    return {
      ok: false,
      height: start + blocks.length,
      firstBroken: { blockNumber: error.blockNumber, reason: error.message },
      checkedFrom: start,
      signaturesChecked,
      ...(checkpoint === undefined ? {} : { checkpoint }),
    };
  }
  return {
    ok: true,
    height: start + blocks.length,
    checkedFrom: start,
    signaturesChecked,
    ...(checkpoint === undefined ? {} : { checkpoint }),
  };
}
