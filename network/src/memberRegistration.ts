import { OPERATOR_MSP_ID } from '@fabpool/chaincode/model';

interface Identity {
  name: string;
  mspId: string;
  clientId: string;
}

/** Fabric's client id carries the certificate's subject; an admin's says OU=admin (node OUs). */
export function isAdminIdentity(clientId: string): boolean {
  const subject = clientId.split('::')[1] ?? '';
  return /(^|[/,]\s*)OU=admin([/,]|$)/.test(subject);
}

/**
 * How an identity gets its role in the member registry: the operator registers its own
 * organisation's identities; any other organisation's admin proposes its own (itself included) and
 * an operator approves, so both signatures are on the ledger. The name of the proposing admin, or
 * `undefined` when the operator registers directly.
 */
export function proposerOf(identities: readonly Identity[], identity: Identity): string | undefined {
  if (identity.mspId === OPERATOR_MSP_ID) return undefined;
  const admin = identities.find((i) => i.mspId === identity.mspId && isAdminIdentity(i.clientId));
  if (admin === undefined)
    throw new Error(`${identity.mspId} has no admin identity to propose ${identity.name}'s role`);
  return admin.name;
}
