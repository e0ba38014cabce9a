import { findErrorCode, type ErrorCode } from '@fabpool/chaincode/model';
import { gatewayErrorText } from '@fabpool/network';

export const errorText = gatewayErrorText;

export function errorCodeOf(error: unknown): ErrorCode | undefined {
  return findErrorCode(errorText(error));
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
