import { lstat, readdir } from 'node:fs/promises';
import { join } from 'node:path';

/**
 * Files this process creates from now on are its user's alone (directories 700, files 600): the
 * ledger's private data, keys and the database are written with whatever mode their libraries ask
 * for, less this mask. Worker threads cannot change it; they inherit their process's.
 */
export function keepNewFilesPrivate(): void {
  try {
    process.umask(0o077);
  } catch {
    // In a worker thread: the process's mask applies, and `requirePrivate` still checks.
  }
}

/** Paths under `dir` (itself included) that another user may reach and read, write or enter. */
export async function openToOthers(dir: string): Promise<{ path: string; mode: number }[]> {
  const found: { path: string; mode: number }[] = [];
  const visit = async (path: string): Promise<void> => {
    let stat;
    try {
      stat = await lstat(path);
    } catch (error) {
      // A file the database removed while we looked.
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
      throw error;
    }
    if (stat.isSymbolicLink()) return;
    // What is inside a directory others cannot enter is out of their reach, whatever its own mode
    // (PGlite, for one, writes its files 666 whatever the mask).
    if ((stat.mode & 0o077) === 0) return;
    found.push({ path, mode: stat.mode & 0o777 });
    if (stat.isDirectory() && (stat.mode & 0o011) !== 0)
      for (const name of await readdir(path)) await visit(join(path, name));
  };
  await visit(dir);
  return found;
}

/**
 * Refuses to start on a data directory that other users of the machine can read or change: it
 * holds private keys, every organisation's private data, the secrets key and the database.
 */
export async function requirePrivate(dir: string): Promise<void> {
  const open = await openToOthers(dir);
  const first = open[0];
  if (first === undefined) return;
  throw new Error(
    `fabpool will not start: ${open.length} file(s) under ${dir} can be read or changed by other users ` +
      `(for example ${first.path}, mode ${first.mode.toString(8).padStart(4, '0')}). The directory holds ` +
      `private keys, private data and the database: run  chmod -R go-rwx '${dir}'  and start again.`,
  );
}
