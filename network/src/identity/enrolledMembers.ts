import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { MemberRole } from '@fabpool/chaincode/model';
import type { MemberCredentials } from '../connection.js';
import { NetworkError } from '../errors.js';
import { exists } from '../files.js';
import { clientIdOf } from './clientId.js';

/** A person an organisation's admin adds on its own node after the alliance was formed. */
export interface EnrolmentRequest {
  name: string;
  role: MemberRole;
  displayName: string;
}

/** What the node keeps of each person it enrolled (`enrolled.json`), so a restart still knows them. */
export interface EnrolledMember extends EnrolmentRequest {
  enrolledAt: string;
}

export const ENROLLED_FILE = 'enrolled.json';

/** Where an enrolled person's MSP directory is: Fabric CA's client wrote the key there itself. */
const identityMspDir = (nodeDir: string, name: string): string => join(nodeDir, 'identities', name, 'msp');

/** The people this node enrolled after founding (none on a node that never enrolled anyone). */
export async function readEnrolledMembers(nodeDir: string): Promise<EnrolledMember[]> {
  const file = join(nodeDir, ENROLLED_FILE);
  if (!(await exists(file))) return [];
  return JSON.parse(await readFile(file, 'utf8')) as EnrolledMember[];
}

/**
 * A member's credentials read from its MSP directory: its certificate (for the client id) and
 * where its one key is; `fix` says what to do when either is missing.
 */
export async function credentialsInMsp(
  msp: string,
  mspId: string,
  member: Pick<MemberCredentials, 'name' | 'role' | 'displayName'>,
  fix: string,
): Promise<MemberCredentials> {
  const [certFile] = await readdir(join(msp, 'signcerts'));
  const [keyFile] = await readdir(join(msp, 'keystore'));
  if (certFile === undefined || keyFile === undefined)
    throw new NetworkError(`no certificate or key for ${member.name} in ${msp}`, fix);
  const certPath = join(msp, 'signcerts', certFile);
  return {
    name: member.name,
    mspId,
    role: member.role,
    displayName: member.displayName,
    clientId: clientIdOf(await readFile(certPath, 'utf8')),
    certPath,
    keyPath: join(msp, 'keystore', keyFile),
  };
}

/** An enrolled person's credentials, read from its own MSP directory on the node. */
export async function enrolledCredentials(
  nodeDir: string,
  mspId: string,
  member: EnrolledMember,
): Promise<MemberCredentials> {
  const credentials = await credentialsInMsp(
    identityMspDir(nodeDir, member.name),
    mspId,
    member,
    'enrol the person again',
  );
  return { ...credentials, enrolled: true };
}
