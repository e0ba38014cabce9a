import { common, ledger, msp, peer } from '@hyperledger/fabric-protos';
import type { PolicyRule, SignaturePolicyJson } from './fabricSignatures.js';

const ROLE_NAMES = ['member', 'admin', 'client', 'peer', 'orderer'] as const;
const IMPLICIT_COLLECTION = '_implicit_org_';
/** The metadata entry under which Fabric keeps a key-level endorsement policy. */
const VALIDATION_PARAMETER = 'VALIDATION_PARAMETER';

/** A key-level policies map key: namespace and key. */
const keyOf = (namespace: string, key: string): string => `${namespace}\u0000${key}`;

function ruleOf(rule: common.SignaturePolicy): PolicyRule {
  if (rule.hasSignedBy()) return { signedBy: rule.getSignedBy() };
  const nOutOf = rule.getNOutOf();
  return { nOutOf: { n: nOutOf?.getN() ?? 0, rules: (nOutOf?.getRulesList() ?? []).map(ruleOf) } };
}

/** A marshalled SignaturePolicyEnvelope as plain data (undefined when it holds no rule). */
export function signaturePolicyOf(bytes: Uint8Array): SignaturePolicyJson | undefined {
  const envelope = common.SignaturePolicyEnvelope.deserializeBinary(bytes);
  const rule = envelope.getRule();
  if (rule === undefined) return undefined;
  return {
    identities: envelope.getIdentitiesList().map((principal) => {
      const role = msp.MSPRole.deserializeBinary(principal.getPrincipal_asU8());
      return { mspId: role.getMspIdentifier(), role: ROLE_NAMES.at(role.getRole()) ?? 'member' };
    }),
    rule: ruleOf(rule),
  };
}

/** One organisation's peer: what a write to that organisation's implicit collection needs. */
const peerOf = (mspId: string): SignaturePolicyJson => ({
  identities: [{ mspId, role: 'peer' }],
  rule: { signedBy: 0 },
});

export interface Requirement {
  /** What the policy governs, for the message that names a failure. */
  what: string;
  policy: SignaturePolicyJson;
}

/**
 * The policies a valid transaction had to satisfy, as Fabric's validator applies them to its
 * write set: a public key with a key-level policy needs that policy, any other public key (and a
 * transaction that writes nothing) the chaincode's; a write to an organisation's implicit
 * collection needs that organisation's peer. Key-level policies the transaction sets take effect
 * after it: they are answered in `keyPolicies` for the next transactions.
 */
export function requirementsOf(
  responsePayload: Uint8Array,
  invoked: string,
  chaincodePolicy: (namespace: string) => Requirement | undefined,
  keyPolicies: ReadonlyMap<string, SignaturePolicyJson>,
): { requirements: Requirement[]; keyPolicyChanges: Map<string, SignaturePolicyJson | null> } {
  const action = peer.ChaincodeAction.deserializeBinary(
    peer.ProposalResponsePayload.deserializeBinary(responsePayload).getExtension_asU8(),
  );
  const rwset = ledger.rwset.TxReadWriteSet.deserializeBinary(action.getResults_asU8());
  const requirements: Requirement[] = [];
  const keyPolicyChanges = new Map<string, SignaturePolicyJson | null>();
  const needChaincode = new Set<string>();
  let writes = 0;
  for (const ns of rwset.getNsRwsetList()) {
    const namespace = ns.getNamespace();
    const kv = ledger.rwset.kvrwset.KVRWSet.deserializeBinary(ns.getRwset_asU8());
    const governed = (key: string) => {
      const keyPolicy = keyPolicies.get(keyOf(namespace, key));
      if (keyPolicy !== undefined) requirements.push({ what: `key ${key}'s own policy`, policy: keyPolicy });
      else needChaincode.add(namespace);
    };
    for (const write of kv.getWritesList()) {
      writes++;
      governed(write.getKey());
    }
    for (const metadata of kv.getMetadataWritesList()) {
      writes++;
      governed(metadata.getKey());
      const entry = metadata.getEntriesList().find((e) => e.getName() === VALIDATION_PARAMETER);
      const policy = entry === undefined ? undefined : signaturePolicyOf(entry.getValue_asU8());
      keyPolicyChanges.set(keyOf(namespace, metadata.getKey()), policy ?? null);
    }
    for (const collection of ns.getCollectionHashedRwsetList()) {
      const hashed = ledger.rwset.kvrwset.HashedRWSet.deserializeBinary(collection.getHashedRwset_asU8());
      if (hashed.getHashedWritesList().length + hashed.getMetadataWritesList().length === 0) continue;
      writes++;
      const name = collection.getCollectionName();
      if (name.startsWith(IMPLICIT_COLLECTION)) {
        const mspId = name.slice(IMPLICIT_COLLECTION.length);
        requirements.push({ what: `${mspId}'s implicit collection`, policy: peerOf(mspId) });
      } else needChaincode.add(namespace);
    }
  }
  if (writes === 0) needChaincode.add(invoked);
  for (const namespace of needChaincode) {
    const requirement = chaincodePolicy(namespace);
    if (requirement !== undefined) requirements.push(requirement);
  }
  return { requirements, keyPolicyChanges };
}
