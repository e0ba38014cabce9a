import { readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { membershipCardParser } from '@fabpool/chaincode/model';
import { readConnectionDescription, type MemberCredentials } from '../connection.js';
import { NetworkError } from '../errors.js';
import {
  enrolledCredentials,
  ENROLLED_FILE,
  readEnrolledMembers,
  type EnrolledMember,
  type EnrolmentRequest,
} from './enrolledMembers.js';
import { readOrganisationNodeFile } from '../organisationNodeFile.js';
import { OrganisationCa } from './organisationCa.js';

/**
 * Enrols a new person of the organisation with its own CA, on its own node: the CA is started for
 * the moment, registers the name with the role as a certificate attribute (`fabpool.role`), and
 * the node's client generates the key in the person's MSP directory (0700), where it stays. The
 * person is added to the node's connection description and `enrolled.json`. Asked again for a
 * name it enrolled with the same role (an answer lost in a crash), it returns the same identity.
 * The role still has to be proposed on the ledger by the organisation's admin and approved by the
 * operator; this makes only the identity.
 */
export async function enrolOrganisationMember(
  nodePath: string,
  request: EnrolmentRequest,
): Promise<MemberCredentials> {
  const node = await readOrganisationNodeFile(nodePath);
  const nodeDir = node.directory;
  if (node.ca === undefined)
    throw new NetworkError(
      `${node.organisation}'s node file names no certificate authority`,
      'run npm run network:up again to write it',
    );
  const description = await readConnectionDescription(node.connection);
  const enrolled = await readEnrolledMembers(nodeDir);
  const earlier = enrolled.find((m) => m.name === request.name);
  if (earlier !== undefined && earlier.role !== request.role)
    throw new NetworkError(
      `${request.name} is already enrolled at ${node.organisation} as ${earlier.role}`,
      'choose another name',
    );
  if (earlier === undefined && description.members.some((m) => m.name === request.name))
    throw new NetworkError(
      `${node.organisation} already has a member named ${request.name}`,
      'choose another name',
    );
  const card = membershipCardParser.fromJson(await readFile(join(nodeDir, 'card.json'), 'utf8')).card;
  const ca = await OrganisationCa.start({
    dir: nodeDir,
    mspId: node.mspId,
    organisation: card.organisation,
    host: node.ca.host,
    port: node.ca.port,
    operationsPort: node.ca.operationsPort,
    ...(node.ca.netns === undefined ? {} : { netns: node.ca.netns }),
  });
  try {
    await ca.enrol({ name: request.name, kind: 'client', role: request.role });
  } finally {
    await ca.stop();
  }
  const member: EnrolledMember = earlier ?? { ...request, enrolledAt: new Date().toISOString() };
  const credentials = await enrolledCredentials(nodeDir, node.mspId, member);
  if (earlier === undefined) await writeAtomically(join(nodeDir, ENROLLED_FILE), [...enrolled, member]);
  if (!description.members.some((m) => m.name === request.name))
    await writeAtomically(node.connection, {
      ...description,
      members: [...description.members, credentials],
    });
  return credentials;
}

/** A crash leaves the old file or the new one, never half of one. */
async function writeAtomically(file: string, value: unknown): Promise<void> {
  const draft = `${file}.draft`;
  await writeFile(draft, `${JSON.stringify(value, null, 2)}\n`, { mode: 0o600 });
  await rename(draft, file);
}
