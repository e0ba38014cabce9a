import { describe, expect, it } from 'vitest';
import { ErrorCode } from './errors.js';
import { findErrorCode } from './errors.js';
import { memberFromJson } from './member.js';

const valid = {
  memberId: 'a'.repeat(64),
  mspId: 'FactoryAMSP',
  clientId: 'x509::/CN=a::/CN=ca',
  displayName: 'A',
  role: 'factory',
  status: 'ACTIVE',
  createdAt: '2026-11-24T08:00:00.000Z',
  createdBy: 'b'.repeat(64),
};

describe('member records', () => {
  it('accepts a valid record', () => {
    expect(memberFromJson(JSON.stringify(valid))).toEqual(valid);
  });

  it.each([
    ['an unknown role', { ...valid, role: 'king' }],
    ['an extra field', { ...valid, extra: 1 }],
    ['a local time', { ...valid, createdAt: '2026-11-24 08:00' }],
  ])('rejects %s as corrupt', (_label, record) => {
    expect(() => memberFromJson(JSON.stringify(record))).toThrow(ErrorCode.CORRUPT_RECORD);
  });

  it('finds the error code inside a wrapped ledger error message', () => {
    expect(
      findErrorCode('10 ABORTED: failed to endorse: chaincode response 500, ACCESS.NOT_OPERATOR: no'),
    ).toBe(ErrorCode.NOT_OPERATOR);
    expect(findErrorCode('SOMETHING.ELSE: x')).toBeUndefined();
  });
});
