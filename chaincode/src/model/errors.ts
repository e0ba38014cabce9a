/**
 * Stable error codes. Callers (api, tests) match on the code, never on the prose.
 * The wire form is `CODE: message`, which survives Fabric's endorsement error wrapping.
 */
export const ErrorCode = {
  INVALID_ARGUMENT: 'REQUEST.INVALID_ARGUMENT',
  MEMBER_NOT_FOUND: 'MEMBER.NOT_FOUND',
  MEMBER_ALREADY_EXISTS: 'MEMBER.ALREADY_EXISTS',
  MEMBER_NOT_PENDING: 'MEMBER.NOT_PENDING',
  NOT_OPERATOR: 'ACCESS.NOT_OPERATOR',
  CORRUPT_RECORD: 'LEDGER.CORRUPT_RECORD',
} as const;
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

const KNOWN_CODES = new Set<string>(Object.values(ErrorCode));

export class ChaincodeError extends Error {
  constructor(
    readonly code: ErrorCode,
    detail: string,
  ) {
    super(`${code}: ${detail}`);
    this.name = 'ChaincodeError';
  }
}

/**
 * Finds our error code inside any text a ledger client reports (endorsement errors wrap the
 * chaincode's message in several layers of their own prose).
 */
export function findErrorCode(text: string): ErrorCode | undefined {
  for (const match of text.matchAll(/\b([A-Z_]+\.[A-Z_]+):/g)) {
    const candidate = match[1];
    if (candidate !== undefined && KNOWN_CODES.has(candidate)) return candidate as ErrorCode;
  }
  return undefined;
}
