import { clientsOf, registerClient, revokeClient, type ClientInfo } from '../auth/clients.js';
import { authCall, callerOf, coded, type ApiContext } from './context.js';
import type { ApiBuilder } from './builder.js';
import type { Viewer } from '../auth/tokens.js';

function personOf(context: ApiContext): Viewer {
  const caller = callerOf(context);
  // A partner system does not register others: a person of the member does.
  if (caller.partnerSystem) throw coded('ACCESS.WRONG_ROLE', 'partner systems may not manage clients');
  return { username: caller.username, memberName: caller.member.name, role: caller.role };
}

/** Partner systems (OAuth 2.0 client credentials at POST /oauth/token) a member lets act for it. */
export function addClientFields(builder: ApiBuilder): void {
  const ClientType = builder.objectRef<ClientInfo>('PartnerClient').implement({
    fields: (t) => ({
      clientId: t.exposeString('clientId'),
      displayName: t.exposeString('displayName'),
      createdAt: t.exposeString('createdAt'),
      revoked: t.exposeBoolean('revoked'),
    }),
  });
  const Credentials = builder
    .objectRef<{ clientId: string; clientSecret: string }>('ClientCredentials')
    .implement({
      description: 'Shown once: the secret is kept only as its hash.',
      fields: (t) => ({ clientId: t.exposeString('clientId'), clientSecret: t.exposeString('clientSecret') }),
    });

  builder.queryFields((t) => ({
    myClients: t.field({
      type: [ClientType],
      authScopes: { role: ['factory', 'customer', 'supplier'] },
      resolve: (_r, _a, context) => clientsOf(context.pool, personOf(context)),
    }),
  }));
  builder.mutationFields((t) => ({
    registerClient: t.field({
      type: Credentials,
      description:
        "A partner system (an ERP, a MES) acting as the caller's member: it gets tokens at POST /oauth/token with grant_type=client_credentials.",
      authScopes: { role: ['factory', 'customer', 'supplier'] },
      args: { displayName: t.arg.string({ required: true }) },
      resolve: (_r, { displayName }, context) => {
        const name = displayName.trim();
        if (name.length === 0 || name.length > 120)
          throw coded('REQUEST.INVALID_ARGUMENT', 'displayName must be 1 to 120 characters');
        return authCall(() => registerClient(context.pool, personOf(context), name));
      },
    }),
    revokeClient: t.field({
      type: 'Boolean',
      authScopes: { role: ['factory', 'customer', 'supplier'] },
      args: { clientId: t.arg.string({ required: true }) },
      resolve: async (_r, { clientId }, context) => {
        await authCall(() => revokeClient(context.pool, personOf(context), clientId));
        return true;
      },
    }),
  }));
}
