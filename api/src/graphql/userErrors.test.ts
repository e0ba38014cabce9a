import { GraphQLError } from 'graphql';
import { describe, expect, it } from 'vitest';
import { fieldOf, payloadOf, userErrorOf } from './userErrors.js';

const coded = (code: string, message = 'why') => new GraphQLError(message, { extensions: { code } });

describe('user errors', () => {
  it('name the field a schema refusal is about, from the argument down', () => {
    expect(fieldOf('DeclareCapacity request: /entries/0/minutes must be >= 0', 'request')).toEqual([
      'request',
      'entries',
      '0',
      'minutes',
    ]);
    expect(fieldOf("RejectLot request: / must have required property 'reason'", 'request')).toEqual([
      'request',
      'reason',
    ]);
    expect(fieldOf('process parameters: /salt must NOT have fewer than 16 characters', '')).toEqual(['salt']);
  });

  it('are the refusals a caller can fix; who is calling, and the ledger being away, stay errors', () => {
    expect(userErrorOf(coded('CAPACITY.EXCEEDED'), 'request')).toEqual({
      code: 'CAPACITY.EXCEEDED',
      message: 'why',
      field: ['request'],
    });
    expect(userErrorOf(coded('LOT.WRONG_STATUS'), 'request')?.code).toBe('LOT.WRONG_STATUS');
    for (const code of [
      'ACCESS.WRONG_ROLE',
      'AUTH.REQUIRED',
      'LEDGER.UNAVAILABLE',
      'READ_MODEL.STOPPED',
      'REQUEST.ID_REUSED',
    ])
      expect(userErrorOf(coded(code), 'request'), code).toBeUndefined();
    expect(userErrorOf(new Error('boom'), 'request')).toBeUndefined();
  });

  it('answer a refused write beside an empty payload, and throw what is not theirs', async () => {
    expect(await payloadOf('request', () => Promise.resolve(7))).toEqual({ receipt: 7, userErrors: [] });
    expect(await payloadOf('request', () => Promise.reject(coded('QUOTA.EXCEEDED')))).toEqual({
      receipt: null,
      userErrors: [{ code: 'QUOTA.EXCEEDED', message: 'why', field: ['request'] }],
    });
    await expect(payloadOf('request', () => Promise.reject(coded('ACCESS.NOT_OWNER')))).rejects.toThrow(
      'why',
    );
  });
});
