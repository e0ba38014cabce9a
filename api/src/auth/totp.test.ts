import { describe, expect, it } from 'vitest';
import {
  base32Decode,
  base32Encode,
  hotp,
  matchingStep,
  newTotpSecret,
  otpauthUri,
  totpNow,
} from './totp.js';

describe('one-time passwords', () => {
  const rfcKey = Buffer.from('12345678901234567890');

  it('gives RFC 4226’s HOTP values and RFC 6238’s TOTP values (SHA-1)', () => {
    expect([0, 1, 2, 9].map((c) => hotp(rfcKey, c))).toEqual(['755224', '287082', '359152', '520489']);
    // RFC 6238 appendix B: T = 59 s → 94287082 (8 digits), T = 1111111109 s → 07081804.
    expect(hotp(rfcKey, Math.floor(59 / 30), 8)).toBe('94287082');
    expect(hotp(rfcKey, Math.floor(1111111109 / 30), 8)).toBe('07081804');
    expect(totpNow(base32Encode(rfcKey), 59_000)).toBe('287082');
  });

  it('round-trips base32 and makes 160-bit secrets', () => {
    expect(base32Encode(Buffer.from('foobar'))).toBe('MZXW6YTBOI');
    expect(base32Decode('MZXW 6YTB OI======').toString()).toBe('foobar');
    expect(base32Decode(newTotpSecret())).toHaveLength(20);
  });

  it('accepts a code one step either side, and nothing else', () => {
    const secret = newTotpSecret();
    const now = 1_800_000_000_000;
    const step = Math.floor(now / 30_000);
    expect(matchingStep(secret, totpNow(secret, now), now)).toBe(step);
    expect(matchingStep(secret, totpNow(secret, now - 30_000), now)).toBe(step - 1);
    expect(matchingStep(secret, totpNow(secret, now - 90_000), now)).toBeUndefined();
    expect(matchingStep(secret, '12345', now)).toBeUndefined();
    expect(otpauthUri(secret, 'alliance-admin')).toMatch(
      /^otpauth:\/\/totp\/fabpool%3Aalliance-admin\?secret=/,
    );
  });
});
