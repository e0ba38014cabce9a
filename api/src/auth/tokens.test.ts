import jwt from 'jsonwebtoken';
import { describe, expect, it } from 'vitest';
import { issueAccessToken, verifyAccessToken, type TokenSettings } from './tokens.js';

const settings: TokenSettings = {
  secret: 'x'.repeat(48),
  issuer: 'fabpool',
  audience: 'fabpool-api',
  accessSeconds: 60,
  refreshDays: 1,
};
const viewer = { username: 'customer-1', memberName: 'customer-1', role: 'customer' as const };

describe('access tokens', () => {
  it('round-trips who the caller is', () => {
    expect(verifyAccessToken(settings, issueAccessToken(settings, viewer))).toEqual(viewer);
  });

  it('refuses a well-signed token that carries no expiry', () => {
    const signed = (withExpiry: boolean) =>
      jwt.sign({ member: 'alliance-admin', role: 'operator' }, settings.secret, {
        algorithm: 'HS256',
        subject: 'alliance-admin',
        issuer: 'fabpool',
        audience: 'fabpool-api',
        ...(withExpiry ? { expiresIn: 60 } : {}),
      });
    expect(verifyAccessToken(settings, signed(true)).role).toBe('operator');
    expect(() => verifyAccessToken(settings, signed(false))).toThrow('no expiry');
  });

  it('refuses alg none, another algorithm, another issuer or audience, a wrong key and an expired token', () => {
    const claims = { member: 'alliance-admin', role: 'operator' };
    const unsigned = `${Buffer.from('{"alg":"none","typ":"JWT"}').toString('base64url')}.${Buffer.from(JSON.stringify({ ...claims, sub: 'x', iss: 'fabpool', aud: 'fabpool-api' })).toString('base64url')}.`;
    const forged = [
      unsigned,
      jwt.sign(claims, settings.secret, {
        algorithm: 'HS512',
        subject: 'x',
        issuer: 'fabpool',
        audience: 'fabpool-api',
      }),
      jwt.sign(claims, settings.secret, {
        algorithm: 'HS256',
        subject: 'x',
        issuer: 'someone',
        audience: 'fabpool-api',
      }),
      jwt.sign(claims, settings.secret, {
        algorithm: 'HS256',
        subject: 'x',
        issuer: 'fabpool',
        audience: 'other',
      }),
      jwt.sign(claims, 'y'.repeat(48), {
        algorithm: 'HS256',
        subject: 'x',
        issuer: 'fabpool',
        audience: 'fabpool-api',
      }),
      jwt.sign({ ...claims, exp: Math.floor(Date.now() / 1000) - 10 }, settings.secret, {
        algorithm: 'HS256',
        subject: 'x',
        issuer: 'fabpool',
        audience: 'fabpool-api',
      }),
      jwt.sign({ role: 'operator' }, settings.secret, {
        algorithm: 'HS256',
        subject: 'x',
        issuer: 'fabpool',
        audience: 'fabpool-api',
      }),
    ];
    for (const token of forged)
      expect(() => verifyAccessToken(settings, token)).toThrow(/invalid access token/);
  });
});
