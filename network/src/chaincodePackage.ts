import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { run } from './exec.js';
import { CHAINCODE_NAME } from './topology.js';

/** The version of the chaincode-as-a-service package (its connection template, not the contract code). */
export const CHAINCODE_PACKAGE_LABEL = `${CHAINCODE_NAME}_1`;

export function packageId(label: string, packageBytes: Buffer): string {
  return `${label}:${createHash('sha256').update(packageBytes).digest('hex')}`;
}

/** A reproducible tar.gz: fixed order, owners and times, so the same input gives the same package id. */
async function deterministicTarGz(sourceDir: string, files: string[], output: string): Promise<void> {
  await run('tar', [
    '--sort=name',
    '--mtime=@0',
    '--owner=0',
    '--group=0',
    '--numeric-owner',
    '--format=gnu',
    '-C',
    sourceDir,
    '-cf',
    `${output}.tar`,
    ...files,
  ]);
  await run('gzip', ['-n', '-f', '-9', `${output}.tar`]);
  await run('mv', [`${output}.tar.gz`, output]);
}

/**
 * Builds the ccaas package once into `dir` (an organisation's node builds its own) and keeps it:
 * the package id is the label plus the hash of the file, and every organisation must approve the
 * same id, which the reproducible build gives each node independently.
 */
export async function ensureChaincodePackage(dir: string): Promise<{ file: string; packageId: string }> {
  const file = join(dir, `${CHAINCODE_PACKAGE_LABEL}.tar.gz`);
  try {
    await stat(file);
  } catch {
    await mkdir(dir, { recursive: true });
    const work = await mkdtemp(join(tmpdir(), 'fabpool-ccaas-'));
    try {
      await mkdir(join(work, 'code'));
      // The address is this organisation's own server: the external builder fills it from the peer's environment.
      await writeFile(
        join(work, 'code', 'connection.json'),
        JSON.stringify({ address: 'set-by-builder', dial_timeout: '10s', tls_required: true }),
      );
      await deterministicTarGz(join(work, 'code'), ['connection.json'], join(work, 'code.tar.gz'));
      await writeFile(
        join(work, 'metadata.json'),
        JSON.stringify({ type: 'ccaas', label: CHAINCODE_PACKAGE_LABEL }),
      );
      await deterministicTarGz(work, ['code.tar.gz', 'metadata.json'], file);
    } finally {
      await rm(work, { recursive: true, force: true });
    }
  }
  return { file, packageId: packageId(CHAINCODE_PACKAGE_LABEL, await readFile(file)) };
}
