import { describe, expect, it } from 'vitest';
import { enrolmentErrors } from './enrolment.js';

describe('what an admin must fix before a person is enrolled', () => {
  const good = { name: 'factory-a-planner-2', displayName: '计划员二', password: 'a-long-password' };

  it('accepts a good request', () => {
    expect(enrolmentErrors(good, false)).toEqual([]);
  });

  it('names each field that is wrong, with a stable code', () => {
    const errors = enrolmentErrors({ name: 'Bad Name', displayName: '  ', password: 'short' }, false);
    expect(errors.map((e) => [e.code, e.field.join('.')])).toEqual([
      ['ENROLMENT.INVALID_NAME', 'input.name'],
      ['ENROLMENT.INVALID_DISPLAY_NAME', 'input.displayName'],
      ['ENROLMENT.WEAK_PASSWORD', 'input.password'],
    ]);
  });

  it('refuses a name someone on the node already has, and the CA’s forbidden names', () => {
    expect(enrolmentErrors(good, true).map((e) => e.code)).toEqual(['ENROLMENT.NAME_TAKEN']);
    for (const name of ['', '-lead', 'a'.repeat(64), 'x/y', 'ä'])
      expect(enrolmentErrors({ ...good, name }, false).map((e) => e.code)).toEqual([
        'ENROLMENT.INVALID_NAME',
      ]);
  });
});
