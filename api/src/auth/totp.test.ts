import { describe, expect, it } from 'vitest';
import { matchingStep, newTotpSecret, otpauthUri, totpNow } from './totp.js';

describe('one-time passwords', () => {
  /** RFC 6238's SHA-1 test key, "12345678901234567890", in base32. */
  const rfcSecret = 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ';

  it('gives RFC 6238’s TOTP values (SHA-1, six digits of appendix B’s eight)', () => {
    expect(totpNow(rfcSecret, 59_000)).toBe('287082');
    expect(totpNow(rfcSecret, 1_111_111_109_000)).toBe('081804');
    expect(totpNow(rfcSecret, 1_234_567_890_000)).toBe('005924');
    expect(totpNow(rfcSecret, 20_000_000_000_000)).toBe('353130');
  });

  it('makes 160-bit base32 secrets', () => {
    const secret = newTotpSecret();
    expect(secret).toMatch(/^[A-Z2-7]{32}$/);
    expect(newTotpSecret()).not.toBe(secret);
  });

  it('accepts a code one step either side, and nothing else', () => {
    const secret = newTotpSecret();
    // The middle of a step, so one step either side is 30 s away whichever way the library rounds.
    const now = 1_800_000_015_000;
    const step = Math.floor(now / 30_000);
    expect(matchingStep(secret, totpNow(secret, now), now)).toBe(step);
    expect(matchingStep(secret, totpNow(secret, now - 30_000), now)).toBe(step - 1);
    expect(matchingStep(secret, totpNow(secret, now + 30_000), now)).toBe(step + 1);
    expect(matchingStep(secret, totpNow(secret, now - 90_000), now)).toBeUndefined();
    expect(matchingStep(secret, '12345', now)).toBeUndefined();
    expect(otpauthUri(secret, 'alliance-admin')).toMatch(/^otpauth:\/\/totp\/fabpool(%3A|:)alliance-admin\?/);
    expect(otpauthUri(secret, 'alliance-admin')).toContain(`secret=${secret}`);
  });
});
