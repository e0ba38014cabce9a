import { GraphQLError } from 'graphql';
import type { UserError } from '../members/enrolment.js';
import type { ApiBuilder } from './builder.js';

export type { UserError };

/**
 * Refusals the caller cannot fix by changing what it sent: who it is (AUTH, ACCESS), the ledger or
 * the read model being away, limits, a request id used for something else. These stay GraphQL
 * errors; every other refusal of the chaincode's (capacity short, a lot that moved on, a count
 * that does not add up, an input its schema refuses) is a user error beside the payload.
 */
const NOT_FIXABLE_PREFIXES = ['AUTH.', 'ACCESS.', 'LEDGER.', 'READ_MODEL.', 'INTERNAL', 'UNKNOWN'];
const NOT_FIXABLE = new Set(['REQUEST.ID_REUSED', 'REQUEST.RATE_LIMITED']);

/**
 * The input field a schema refusal is about (`… request: /entries/0/minutes must be …`), as a path
 * from the argument `root` ('' when the fields are the mutation's own arguments).
 */
export function fieldOf(message: string, root: string): string[] {
  const missing = /required property '([^']+)'/.exec(message);
  const at = /: (\/[^\s]*)/.exec(message);
  const path = (at?.[1] ?? '/').split('/').filter((p) => p !== '');
  return [...(root === '' ? [] : [root]), ...path, ...(missing?.[1] === undefined ? [] : [missing[1]])];
}

/** A refusal as a user error, when it is one the caller can fix; undefined otherwise. */
export function userErrorOf(error: unknown, root: string): UserError | undefined {
  if (!(error instanceof GraphQLError)) return undefined;
  const code = error.extensions.code;
  if (typeof code !== 'string') return undefined;
  if (NOT_FIXABLE.has(code) || NOT_FIXABLE_PREFIXES.some((p) => code.startsWith(p))) return undefined;
  return {
    code,
    message: error.message,
    field: code === 'REQUEST.INVALID_ARGUMENT' ? fieldOf(error.message, root) : root === '' ? [] : [root],
  };
}

/** A write's answer: its result, or the user errors that refused it (the other refusals are thrown). */
export async function payloadOf<T>(
  root: string,
  write: () => Promise<T>,
): Promise<{ receipt: T | null; userErrors: UserError[] }> {
  try {
    return { receipt: await write(), userErrors: [] };
  } catch (error) {
    const userError = userErrorOf(error, root);
    if (userError === undefined) throw error;
    return { receipt: null, userErrors: [userError] };
  }
}

const perBuilder = new WeakMap<object, ReturnType<typeof makeUserErrorType>>();

function makeUserErrorType(builder: ApiBuilder) {
  return builder.objectRef<UserError>('UserError').implement({
    description:
      'A refusal the caller can fix: a stable code, a message, and the input field it is about (a path from the argument).',
    fields: (t) => ({
      code: t.exposeString('code'),
      message: t.exposeString('message'),
      field: t.exposeStringList('field'),
    }),
  });
}

/** The one UserError type of a schema builder. */
export function userErrorTypeOf(builder: ApiBuilder) {
  let made = perBuilder.get(builder);
  if (made === undefined) {
    made = makeUserErrorType(builder);
    perBuilder.set(builder, made);
  }
  return made;
}
