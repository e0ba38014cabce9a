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
  NOT_A_MEMBER: 'ACCESS.NOT_A_MEMBER',
  WRONG_ROLE: 'ACCESS.WRONG_ROLE',
  NOT_OWNER: 'ACCESS.NOT_OWNER',
  FACTORY_NOT_FOUND: 'FACTORY.NOT_FOUND',
  FACTORY_ALREADY_EXISTS: 'FACTORY.ALREADY_EXISTS',
  PROCESS_NOT_OFFERED: 'FACTORY.PROCESS_NOT_OFFERED',
  CAPACITY_BELOW_ASSIGNED: 'CAPACITY.BELOW_ASSIGNED',
  CAPACITY_EXCEEDED: 'CAPACITY.EXCEEDED',
  CAPACITY_RESERVED_BY_QUOTA: 'CAPACITY.RESERVED_BY_QUOTA',
  QUOTA_NOT_FOUND: 'QUOTA.NOT_FOUND',
  QUOTA_ALREADY_EXISTS: 'QUOTA.ALREADY_EXISTS',
  QUOTA_NOT_AVAILABLE: 'QUOTA.NOT_AVAILABLE',
  QUOTA_NOT_BUYER: 'QUOTA.NOT_BUYER',
  QUOTA_EXCEEDED: 'QUOTA.EXCEEDED',
  QUOTA_MISMATCH: 'QUOTA.MISMATCH',
  QUOTA_WINDOW_OPEN: 'QUOTA.WINDOW_OPEN',
  WORK_ORDER_NOT_FOUND: 'WORK_ORDER.NOT_FOUND',
  WORK_ORDER_ALREADY_EXISTS: 'WORK_ORDER.ALREADY_EXISTS',
  WORK_ORDER_CLOSED: 'WORK_ORDER.CLOSED',
  WORK_ORDER_OVER_ASSIGNED: 'WORK_ORDER.OVER_ASSIGNED',
  PRICE_ABOVE_MAX: 'ASSIGNMENT.PRICE_ABOVE_MAX',
  PRICE_MISMATCH: 'ASSIGNMENT.PRICE_MISMATCH',
  RUN_ALREADY_RECORDED: 'ASSIGNMENT.RUN_ALREADY_RECORDED',
  RUN_NOT_FOUND: 'ASSIGNMENT.RUN_NOT_FOUND',
  LOT_NOT_FOUND: 'LOT.NOT_FOUND',
  LOT_WRONG_STATUS: 'LOT.WRONG_STATUS',
  LOT_DEADLINE_PASSED: 'LOT.DEADLINE_PASSED',
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
