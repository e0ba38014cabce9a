import semver from 'semver';

/** The slice of an npm v3 lock file this check reads. */
export interface LockFile {
  packages: Record<
    string,
    { version?: string; engines?: { node?: string } | string[]; hasInstallScript?: boolean }
  >;
}

/** A locked package whose declared Node engine refuses the Node the project promises. */
export interface EngineRefusal {
  path: string;
  version: string;
  requires: string;
}

/**
 * Every package in the lock that would make `npm install` warn EBADENGINE on the oldest Node the
 * project names (its own `engines.node`): a user following the README must not be told that the
 * install is unsupported.
 */
export function enginesRefusing(lock: LockFile, projectRange: string): EngineRefusal[] {
  const oldest = semver.minVersion(projectRange);
  if (oldest === null) throw new Error(`the project's Node range "${projectRange}" names no version`);
  const refusals: EngineRefusal[] = [];
  for (const [path, entry] of Object.entries(lock.packages)) {
    // Old packages wrote engines as an array of strings, which npm ignores.
    const requires = Array.isArray(entry.engines) ? undefined : entry.engines?.node;
    if (path === '' || requires === undefined) continue;
    if (!semver.satisfies(oldest, requires, { includePrerelease: true }))
      refusals.push({ path, version: entry.version ?? '?', requires });
  }
  return refusals;
}

/**
 * Packages in the lock that run an install script the project has not reviewed in its
 * `allowScripts` (npm lists them after every install, and a coming npm release skips them).
 */
export function installScriptsNotReviewed(lock: LockFile, allowScripts: Record<string, boolean>): string[] {
  const reviewed = new Set(Object.keys(allowScripts).map((key) => key.replace(/(.)@.*$/, '$1')));
  const names = Object.entries(lock.packages)
    .filter(([path, entry]) => path !== '' && entry.hasInstallScript === true)
    .map(([path]) => path.slice(path.lastIndexOf('node_modules/') + 'node_modules/'.length))
    .filter((name) => !reviewed.has(name));
  return [...new Set(names)].sort();
}
