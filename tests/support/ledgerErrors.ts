import { findErrorCode, type ErrorCode } from '@fabpool/chaincode/model';
import { gatewayErrorText, LedgerError } from '@fabpool/network';

export function errorText(error: unknown): string {
  return error instanceof LedgerError ? error.message : gatewayErrorText(error);
}

export function errorCodeOf(error: unknown): ErrorCode | undefined {
  return error instanceof LedgerError ? error.code : findErrorCode(errorText(error));
}

/** Runs `action`, which must fail; returns what it failed with. */
export async function failureOf(action: () => Promise<unknown>): Promise<unknown> {
  try {
    await action();
  } catch (error) {
    return error;
  }
  throw new Error('expected the ledger to refuse, but it accepted');
}
