import type { Context } from 'fabric-contract-api';
import type { Caller } from '../rules/membership.js';
import { hasOrganizationalUnit } from './clientId.js';

export function callerOf(ctx: Context): Caller {
  const clientId = ctx.clientIdentity.getID();
  return {
    mspId: ctx.clientIdentity.getMSPID(),
    clientId,
    isOrgAdmin: hasOrganizationalUnit(clientId, 'admin'),
  };
}
