import SchemaBuilder from '@pothos/core';
import RelayPlugin from '@pothos/plugin-relay';
import ScopeAuthPlugin from '@pothos/plugin-scope-auth';
import type { Role } from '../auth/tokens.js';
import { coded, type ApiContext } from './context.js';
import { SafeIntScalar } from './schemaTypes.js';
import { JSONScalar } from './scalars.js';

/** What the schema builder knows: the context, the scalars, the auth scopes. */
export interface ApiTypes {
  Context: ApiContext;
  Scalars: { JSON: { Input: unknown; Output: unknown }; SafeInt: { Input: number; Output: number } };
  AuthScopes: { loggedIn: boolean; authenticated: boolean; role: Role[] };
  DefaultFieldNullability: false;
}
export type ApiBuilder = PothosSchemaTypes.SchemaBuilder<PothosSchemaTypes.ExtendDefaultTypes<ApiTypes>>;

/**
 * The schema builder with its plugins, auth scopes and scalars. It defines no types: each feature
 * module adds its own (see schema.ts).
 */
export function createBuilder(): ApiBuilder {
  const builder = new SchemaBuilder<ApiTypes>({
    defaultFieldNullability: false,
    plugins: [ScopeAuthPlugin, RelayPlugin],
    relay: {},
    scopeAuth: {
      // An enrol-only session (password, no second factor yet) is authenticated but not logged in.
      authScopes: (context) => ({
        authenticated: context.viewer !== undefined,
        loggedIn: context.viewer !== undefined && context.viewer.enrolOnly !== true,
        role: (roles) =>
          context.viewer !== undefined &&
          context.viewer.enrolOnly !== true &&
          roles.includes(context.viewer.role),
      }),
      unauthorizedError: (_parent, context) =>
        context.viewer === undefined
          ? coded('AUTH.REQUIRED', 'log in first')
          : context.viewer.enrolOnly === true
            ? coded('AUTH.TOTP_ENROLMENT_REQUIRED', 'enrol an authenticator app first (startTotpEnrolment)')
            : coded('ACCESS.WRONG_ROLE', 'your role may not do this'),
    },
  });
  builder.addScalarType('JSON', JSONScalar);
  builder.addScalarType('SafeInt', SafeIntScalar);
  return builder;
}

/**
 * A type that more than one feature module serves, made once per builder by whichever asks first
 * (so no feature module imports another).
 */
export function oncePerBuilder<T>(make: (builder: ApiBuilder) => T): (builder: ApiBuilder) => T {
  const made = new WeakMap<ApiBuilder, T>();
  return (builder) => {
    let value = made.get(builder);
    if (value === undefined) {
      value = make(builder);
      made.set(builder, value);
    }
    return value;
  };
}
