import type { Context } from 'fabric-contract-api';
import { KeyEndorsementPolicy } from 'fabric-shim';
import type { Custody } from '../model/custody.js';
import { custodyEndorsers } from '../rules/custody.js';
import type { PoolTx } from './poolTransaction.js';
import { CUSTODY } from './records.js';

/**
 * Writes a custody record with its key-level endorsement policy (see custodyEndorsers). Fabric
 * validates a write against the policy the key had before the transaction, so the policy set here
 * governs the next change. A record with no holder keeps the policy it had.
 */
export async function writeCustody(ctx: Context, tx: PoolTx, custody: Custody): Promise<void> {
  await tx.write(CUSTODY, custody);
  const orgs = custodyEndorsers(custody);
  if (orgs.length === 0) return;
  const policy = new KeyEndorsementPolicy();
  policy.addOrgs('PEER', ...orgs);
  await ctx.stub.setStateValidationParameter(
    tx.store.key(CUSTODY.objectType, [custody.lotId]),
    policy.getPolicy(),
  );
}
