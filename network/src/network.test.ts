import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { checkRuntimeLayout } from './network.js';

describe('a network made by an earlier fabpool', () => {
  const dirs: string[] = [];
  afterAll(async () => {
    for (const dir of dirs) await rm(dir, { recursive: true, force: true });
  });

  it('is refused with the command that rebuilds it, and a current one is left alone', async () => {
    const runtime = await mkdtemp(join(tmpdir(), 'fabpool-layout-'));
    dirs.push(runtime);
    await expect(checkRuntimeLayout(join(runtime, 'crypto'))).resolves.toBeUndefined();
    await mkdir(join(runtime, 'crypto', 'peerOrganizations'), { recursive: true });
    await expect(checkRuntimeLayout(join(runtime, 'crypto'))).rejects.toThrow(
      /earlier fabpool.*crypto\/.*every organisation's keys[\s\S]*network:down -- --clean/,
    );
  });
});
