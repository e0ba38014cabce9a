import { createHash } from 'node:crypto';
import { gunzipSync } from 'node:zlib';
import { ChaincodeError, ErrorCode } from '../model/errors.js';
import type { Member } from '../model/member.js';
import type { RecordRunInputRequest } from '../model/requests.js';
import { MAX_RUN_INPUT_BYTES, type RunInput } from '../model/runInput.js';
import { requireRole } from './access.js';

/** The bytes a run input's content holds, inflated; refused when they are not gzip or too large. */
export function inflateRunInput(content: string): Buffer {
  try {
    return gunzipSync(Buffer.from(content, 'base64'), { maxOutputLength: MAX_RUN_INPUT_BYTES });
  } catch (error) {
    throw new ChaincodeError(
      ErrorCode.RUN_INPUT_MISMATCH,
      `the run input is not gzip of at most ${String(MAX_RUN_INPUT_BYTES)} bytes: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
}

export const sha256Hex = (bytes: Buffer): string => createHash('sha256').update(bytes).digest('hex');

/**
 * The matcher stores a run's input before it records the run: only content that inflates to bytes
 * with exactly the hash it is stored under is accepted, so what an auditor fetches by a run's hash
 * is what that hash names. The same input again is kept as first recorded.
 */
export function recordRunInput(
  member: Member,
  request: RecordRunInputRequest,
  existing: RunInput | undefined,
  now: string,
): RunInput {
  requireRole(member, 'operator');
  const bytes = inflateRunInput(request.content);
  const hash = sha256Hex(bytes);
  if (hash !== request.inputHash)
    throw new ChaincodeError(
      ErrorCode.RUN_INPUT_MISMATCH,
      `the run input's SHA-256 is ${hash}, not ${request.inputHash}`,
    );
  if (existing !== undefined) return existing;
  return {
    inputHash: hash,
    encoding: 'gzip',
    content: request.content,
    bytes: bytes.length,
    recordedBy: member.memberId,
    recordedAt: now,
  };
}
