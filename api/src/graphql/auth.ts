import { memberIdOf } from '@fabpool/chaincode/model';
import { authenticate, confirmTotpEnrolment, startTotpEnrolment, viewerOf } from '../auth/users.js';
import {
  AuthError,
  issueAccessToken,
  issueRefreshToken,
  rotateRefreshToken,
  type Viewer,
} from '../auth/tokens.js';
import { authCall, coded, usernameOf } from './context.js';
import type { ApiBuilder } from './builder.js';

/** Logging in (password, one-time code), refreshing a session, enrolling an authenticator. */
export function addAuthFields(builder: ApiBuilder): void {
  const ViewerType = builder.objectRef<Viewer>('Viewer').implement({
    fields: (t) => ({
      username: t.exposeString('username'),
      memberName: t.exposeString('memberName'),
      role: t.exposeString('role'),
      mustEnrolTotp: t.boolean({ resolve: (v) => v.enrolOnly === true }),
      mspId: t.string({
        description: "The caller's organisation on the ledger.",
        resolve: (v, _a, context) =>
          context.ledger.members().find((m) => m.name === v.memberName)?.mspId ?? '',
      }),
      memberId: t.string({
        description:
          "The caller's id in the member registry (its organisation and certificate): what records name it by, such as a statement's customerMemberId.",
        resolve: (v, _a, context) => {
          const member = context.ledger.members().find((m) => m.name === v.memberName);
          return member === undefined ? '' : memberIdOf(member.mspId, member.clientId);
        },
      }),
    }),
  });

  const TotpEnrolment = builder.objectRef<{ secret: string; uri: string }>('TotpEnrolment').implement({
    fields: (t) => ({ secret: t.exposeString('secret'), uri: t.exposeString('uri') }),
  });

  const AuthPayload = builder
    .objectRef<{ accessToken: string; refreshToken: string; viewer: Viewer }>('AuthPayload')
    .implement({
      fields: (t) => ({
        accessToken: t.exposeString('accessToken'),
        refreshToken: t.exposeString('refreshToken'),
        viewer: t.field({ type: ViewerType, resolve: (p) => p.viewer }),
      }),
    });

  builder.queryFields((t) => ({
    me: t.field({
      type: ViewerType,
      authScopes: { authenticated: true },
      resolve: (_r, _a, c) => {
        if (c.viewer === undefined) throw coded('AUTH.REQUIRED', 'log in first');
        return c.viewer;
      },
    }),
  }));
  builder.mutationFields((t) => ({
    login: t.field({
      type: AuthPayload,
      description:
        'Password, and for operators, auditors and everyone who enrolled one, the one-time code of their authenticator app.',
      args: {
        username: t.arg.string({ required: true }),
        password: t.arg.string({ required: true }),
        totp: t.arg.string(),
      },
      resolve: async (_r, { username, password, totp }, context) => {
        const { loginThrottle: throttle, clientAddress } = context;
        await authCall(() => throttle.check(username, clientAddress));
        const viewer = await authCall(async () => {
          try {
            return await authenticate(context.pool, username, password, totp ?? undefined);
          } catch (error) {
            if (
              error instanceof AuthError &&
              (error.code === 'AUTH.INVALID_CREDENTIALS' || error.code === 'AUTH.INVALID_TOTP')
            )
              await throttle.failed(username, clientAddress);
            throw error;
          }
        });
        await throttle.succeeded(username);
        return {
          viewer,
          accessToken: issueAccessToken(context.tokens, viewer),
          refreshToken: await issueRefreshToken(context.pool, context.tokens, viewer.username),
        };
      },
    }),
    unlockAccount: t.boolean({
      description: 'Lifts the lock (and back-off) an account got from failed logins; false when it had none.',
      authScopes: { role: ['operator'] },
      args: { username: t.arg.string({ required: true }) },
      resolve: (_r, { username }, context) => context.loginThrottle.unlock(username),
    }),
    refresh: t.field({
      type: AuthPayload,
      args: { refreshToken: t.arg.string({ required: true }) },
      resolve: async (_r, args, context) => {
        const { username, refreshToken } = await authCall(() =>
          rotateRefreshToken(context.pool, context.tokens, args.refreshToken),
        );
        const viewer = await authCall(() => viewerOf(context.pool, username));
        return { viewer, refreshToken, accessToken: issueAccessToken(context.tokens, viewer) };
      },
    }),
    startTotpEnrolment: t.field({
      type: TotpEnrolment,
      description:
        'A new authenticator secret (and its otpauth URI for a QR code), counted once confirmed with a code.',
      authScopes: { authenticated: true },
      resolve: (_r, _a, context) => authCall(() => startTotpEnrolment(context.pool, usernameOf(context))),
    }),
    confirmTotpEnrolment: t.field({
      type: AuthPayload,
      description:
        'The first code from the new authenticator: from now on it is required, and this session gets full access.',
      authScopes: { authenticated: true },
      args: { code: t.arg.string({ required: true }) },
      resolve: async (_r, { code }, context) => {
        const username = usernameOf(context);
        await authCall(() => confirmTotpEnrolment(context.pool, username, code));
        const viewer = await authCall(() => viewerOf(context.pool, username));
        return {
          viewer,
          accessToken: issueAccessToken(context.tokens, viewer),
          refreshToken: await issueRefreshToken(context.pool, context.tokens, username),
        };
      },
    }),
  }));
}
