/** Fabric's endorsement rules as the embedded ledger applies them at validation. Pure functions. */

export interface WriteSet {
  /** Public keys written (values or deletions) and keys whose validation parameter was set. */
  keys: string[];
  /** Private collections written. */
  collections: string[];
}

/** MAJORITY of the channel's organisations, the chaincode's endorsement policy. */
export function satisfiesMajority(endorsers: readonly string[], channelOrgs: readonly string[]): boolean {
  const count = channelOrgs.filter((org) => endorsers.includes(org)).length;
  return count > channelOrgs.length / 2;
}

/** The organisation an implicit collection belongs to, or undefined for another collection. */
export function implicitCollectionOrg(collection: string): string | undefined {
  return collection.startsWith('_implicit_org_') ? collection.slice('_implicit_org_'.length) : undefined;
}

/**
 * Why the endorsements do not satisfy the policies of what the transaction wrote, or undefined
 * when they do. A public key with a key-level policy (set before this transaction) needs every
 * organisation it names; any other public key, or a transaction that writes nothing, needs the
 * chaincode's majority; a write to an organisation's implicit collection needs that organisation.
 */
export function endorsementFailure(
  writes: WriteSet,
  endorsers: readonly string[],
  channelOrgs: readonly string[],
  keyPolicy: (key: string) => readonly string[] | undefined,
): string | undefined {
  let needsMajority = writes.keys.length === 0 && writes.collections.length === 0;
  for (const key of writes.keys) {
    const orgs = keyPolicy(key);
    if (orgs === undefined) {
      needsMajority = true;
      continue;
    }
    const missing = orgs.filter((org) => !endorsers.includes(org));
    if (missing.length > 0)
      return `key ${JSON.stringify(key)} needs the endorsement of ${missing.join(', ')}`;
  }
  for (const collection of writes.collections) {
    const org = implicitCollectionOrg(collection);
    if (org === undefined) return `collection ${collection} is not defined`;
    if (!endorsers.includes(org)) return `collection ${collection} needs the endorsement of ${org}`;
  }
  if (needsMajority && !satisfiesMajority(endorsers, channelOrgs))
    return `the chaincode's MAJORITY policy needs more than ${channelOrgs.length / 2} of ${channelOrgs.join(', ')}`;
  return undefined;
}
