import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { ErrorCode } from '../model/errors.js';
import type { Member } from '../model/member.js';
import { recordRunInput, sha256Hex } from './runInput.js';

const member = (role: Member['role']): Member =>
  ({ memberId: `x509::${role}`, mspId: 'AllianceMSP', role, status: 'ACTIVE' }) as Member;

describe('a run input', () => {
  const text = Buffer.from('{"format":"fabpool.run-input/1","nowMs":1}');
  const content = gzipSync(text).toString('base64');
  const request = { requestId: 'r1', inputHash: sha256Hex(text), content };
  const now = '2026-12-04T00:00:00.000Z';

  it('is stored under the hash of what it inflates to, by the operator only', () => {
    expect(recordRunInput(member('operator'), request, undefined, now)).toMatchObject({
      inputHash: sha256Hex(text),
      bytes: text.length,
      recordedBy: 'x509::operator',
    });
    expect(() => recordRunInput(member('factory'), request, undefined, now)).toThrow(
      expect.objectContaining({ code: ErrorCode.WRONG_ROLE }),
    );
  });

  it('is refused when its content hashes to anything else, or is not gzip', () => {
    const other = gzipSync(Buffer.from('{"format":"fabpool.run-input/1","nowMs":2}')).toString('base64');
    expect(() => recordRunInput(member('operator'), { ...request, content: other }, undefined, now)).toThrow(
      expect.objectContaining({ code: ErrorCode.RUN_INPUT_MISMATCH }),
    );
    expect(() =>
      recordRunInput(member('operator'), { ...request, content: text.toString('base64') }, undefined, now),
    ).toThrow(expect.objectContaining({ code: ErrorCode.RUN_INPUT_MISMATCH }));
  });

  it('is kept as first recorded when the same input comes again', () => {
    const first = recordRunInput(member('operator'), request, undefined, now);
    expect(recordRunInput(member('operator'), request, first, '2026-12-05T00:00:00.000Z')).toBe(first);
  });
});
