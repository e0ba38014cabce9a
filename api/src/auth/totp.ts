import { generateSecret, generateSync, generateURI, verifySync } from 'otplib';

/**
 * RFC 6238 time-based one-time passwords, as every authenticator app makes them (SHA-1, 30 s,
 * 6 digits), through otplib: security-sensitive code we keep in a maintained library, not here.
 */
export const TOTP_STEP_SECONDS = 30;
const SECRET_BYTES = 20;

/** A new shared secret (160 bits, as RFC 4226 recommends), base32 for authenticator apps. */
export function newTotpSecret(): string {
  return generateSecret({ length: SECRET_BYTES });
}

/** The code an authenticator shows at `nowMs` for a base32 secret. */
export function totpNow(secret: string, nowMs = Date.now()): string {
  return generateSync({ secret, epoch: Math.floor(nowMs / 1000), period: TOTP_STEP_SECONDS });
}

/**
 * The time step a code belongs to, within one step either side (clocks drift), or undefined.
 * otplib compares in constant time; the caller refuses a step it has already accepted (no replays).
 */
export function matchingStep(secret: string, code: string, nowMs: number): number | undefined {
  if (!/^\d{6}$/.test(code)) return undefined;
  const result = verifySync({
    secret,
    token: code,
    epoch: Math.floor(nowMs / 1000),
    period: TOTP_STEP_SECONDS,
    epochTolerance: TOTP_STEP_SECONDS,
  });
  return result.valid && 'timeStep' in result ? result.timeStep : undefined;
}

/** The otpauth URI an authenticator app reads from a QR code. */
export function otpauthUri(secret: string, account: string, issuer = 'fabpool'): string {
  return generateURI({ issuer, label: account, secret, period: TOTP_STEP_SECONDS });
}
