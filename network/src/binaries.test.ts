import { afterEach, describe, expect, it } from 'vitest';
import { checkGo } from './binaries.js';
import { NetworkError } from './errors.js';

describe('Fabric binaries', () => {
  const path = process.env.PATH;
  afterEach(() => {
    process.env.PATH = path;
  });

  it('says how to install Go when it is missing', async () => {
    process.env.PATH = '/nonexistent';
    const attempt = checkGo();
    await expect(attempt).rejects.toBeInstanceOf(NetworkError);
    await expect(attempt).rejects.toThrow(/Go is not installed[\s\S]*fix: install Go 1\.24 or newer/);
  });
});
