// What the entry point takes from the network workspace.
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
export { openLedger, organisationNodeDirs, ThroughOwnNodes, up } from '@fabpool/network';
/** The repository root (api/dist/.. /..), where `.fabpool/` keeps local data. */
export const REPO_DIR_FOR_DATA = join(fileURLToPath(import.meta.url), '..', '..', '..');
