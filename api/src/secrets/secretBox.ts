import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type pg from 'pg';

const VERSION = 'v1.';
const KEY_BYTES = 32;

/**
 * Seals small secrets (authenticator secrets) with AES-256-GCM before they reach the database, so
 * a copy of the database alone, or a local process reading it, learns none of them. The key is
 * kept apart from the database (see `secretsKey`).
 */
export class SecretBox {
  constructor(private readonly key: Buffer) {
    if (key.length !== KEY_BYTES) throw new Error(`a secrets key is ${KEY_BYTES} bytes, not ${key.length}`);
  }

  seal(plain: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    const sealed = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
    return VERSION + Buffer.concat([iv, cipher.getAuthTag(), sealed]).toString('base64url');
  }

  /** The plain secret; one that was never sealed (written before sealing) comes back as it is. */
  open(stored: string): string {
    if (!isSealed(stored)) return stored;
    const bytes = Buffer.from(stored.slice(VERSION.length), 'base64url');
    const decipher = createDecipheriv('aes-256-gcm', this.key, bytes.subarray(0, 12));
    decipher.setAuthTag(bytes.subarray(12, 28));
    return Buffer.concat([decipher.update(bytes.subarray(28)), decipher.final()]).toString('utf8');
  }
}

export const isSealed = (stored: string): boolean => stored.startsWith(VERSION);

/**
 * The secrets key: FABPOOL_SECRETS_KEY (32 bytes, base64), or a key generated once into
 * `dataDir`/secrets.key (mode 600). With a PostgreSQL server, the key file stays on the api's host
 * and the database never holds it.
 */
export async function secretsKey(dataDir: string): Promise<Buffer> {
  const fromEnv = process.env.FABPOOL_SECRETS_KEY;
  if (fromEnv !== undefined && fromEnv !== '') return Buffer.from(fromEnv, 'base64');
  const path = join(dataDir, 'secrets.key');
  try {
    return Buffer.from((await readFile(path, 'utf8')).trim(), 'base64');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    const key = randomBytes(KEY_BYTES);
    await mkdir(dirname(path), { recursive: true, mode: 0o700 });
    await writeFile(path, key.toString('base64'), { mode: 0o600, flag: 'wx' });
    return key;
  }
}

/**
 * Which box seals the secrets of which database: the api registers its box with its pool once,
 * and the account functions, which are handed only the pool, find it there.
 */
const boxes = new WeakMap<pg.Pool, SecretBox>();

export function useSecretBox(pool: pg.Pool, box: SecretBox): void {
  boxes.set(pool, box);
}

export function secretBoxOf(pool: pg.Pool): SecretBox {
  const box = boxes.get(pool);
  if (box === undefined) throw new Error('no secrets key for this database (see useSecretBox)');
  return box;
}
