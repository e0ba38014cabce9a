import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { enginesRefusing, installScriptsNotReviewed, type LockFile } from './nodeEngines.js';

const ROOT = join(import.meta.dirname, '..', '..');
const readJson = (file: string): unknown => JSON.parse(readFileSync(join(ROOT, file), 'utf8'));

describe('the Node the README names', () => {
  it('is accepted by every package the lock file installs, so npm install prints no engine warning', () => {
    const project = readJson('package.json') as { engines: { node: string } };
    expect(enginesRefusing(readJson('package-lock.json') as LockFile, project.engines.node)).toEqual([]);
  });

  it('runs no install script the project has not reviewed', () => {
    const project = readJson('package.json') as { allowScripts?: Record<string, boolean> };
    expect(
      installScriptsNotReviewed(readJson('package-lock.json') as LockFile, project.allowScripts ?? {}),
    ).toEqual([]);
    expect(
      installScriptsNotReviewed(
        {
          packages: {
            'node_modules/@scope/built': { hasInstallScript: true },
            'node_modules/a/node_modules/pinned': { hasInstallScript: true },
            'node_modules/plain': {},
          },
        },
        { 'pinned@1.2.3': true },
      ),
    ).toEqual(['@scope/built']);
  });

  it('finds a package that asks for a newer Node, and passes one that accepts it', () => {
    const lock: LockFile = {
      packages: {
        '': { engines: { node: '>=20.19' } },
        'node_modules/a': { version: '2.0.2', engines: { node: '>=22.15.0' } },
        'node_modules/b': { version: '7.0.0', engines: { node: '^20.19.0 || >=22.12.0' } },
        'node_modules/c': { version: '1.0.0', engines: ['node >= 0.4'] },
        'node_modules/d': { version: '1.0.0' },
      },
    };
    expect(enginesRefusing(lock, '>=20.19')).toEqual([
      { path: 'node_modules/a', version: '2.0.2', requires: '>=22.15.0' },
    ]);
  });
});
