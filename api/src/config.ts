import { randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { TokenSettings } from './auth/tokens.js';

/**
 * Token settings: the HMAC secret comes from FABPOOL_JWT_SECRET, or is generated once and kept
 * (mode 600) beside the embedded data so that restarts keep sessions valid.
 */
export async function tokenSettings(dataDir: string): Promise<TokenSettings> {
  let secret = process.env.FABPOOL_JWT_SECRET;
  if (secret === undefined || secret === '') {
    const path = join(dataDir, 'jwt-secret');
    try {
      secret = (await readFile(path, 'utf8')).trim();
    } catch {
      secret = randomBytes(48).toString('base64url');
      await mkdir(dirname(path), { recursive: true });
      await writeFile(path, secret, { mode: 0o600 });
    }
  }
  if (secret.length < 32) throw new Error('FABPOOL_JWT_SECRET must be at least 32 characters');
  return { secret, issuer: 'fabpool', audience: 'fabpool-api', accessSeconds: 15 * 60, refreshDays: 7 };
}
