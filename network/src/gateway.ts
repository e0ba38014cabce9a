import { createPrivateKey } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import * as grpc from '@grpc/grpc-js';
import { connect, hash, signers, type Gateway } from '@hyperledger/fabric-gateway';
import { findMember, peerOf, type ConnectionDescription, type MemberCredentials } from './connection.js';

export interface MemberSession {
  member: MemberCredentials;
  gateway: Gateway;
  close(): void;
}

/** Deadlines for every gateway call: a stuck peer fails the call instead of hanging it. */
const DEADLINES_MS = { evaluate: 10_000, endorse: 30_000, submit: 10_000, commitStatus: 60_000 };

/**
 * Opens a gateway connection that signs as the named member, through its own organisation's
 * peer (or a named peer). Close it when done.
 */
export async function connectAs(
  description: ConnectionDescription,
  memberName: string,
  options: { viaMspId?: string } = {},
): Promise<MemberSession> {
  const member = findMember(description, memberName);
  const peer = peerOf(description, options.viaMspId ?? member.mspId);
  const client = new grpc.Client(
    peer.endpoint,
    grpc.credentials.createSsl(await readFile(peer.tlsRootCertPath)),
    {
      'grpc.ssl_target_name_override': peer.hostAlias,
    },
  );
  const gateway = connect({
    client,
    identity: { mspId: member.mspId, credentials: await readFile(member.certPath) },
    signer: signers.newPrivateKeySigner(createPrivateKey(await readFile(member.keyPath))),
    hash: hash.sha256,
    evaluateOptions: () => ({ deadline: Date.now() + DEADLINES_MS.evaluate }),
    endorseOptions: () => ({ deadline: Date.now() + DEADLINES_MS.endorse }),
    submitOptions: () => ({ deadline: Date.now() + DEADLINES_MS.submit }),
    commitStatusOptions: () => ({ deadline: Date.now() + DEADLINES_MS.commitStatus }),
  });
  return {
    member,
    gateway,
    close: () => {
      gateway.close();
      client.close();
    },
  };
}

/** Every text a fabric-gateway error carries: its message and each peer's detail, where error codes sit. */
export function gatewayErrorText(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const details = (error as Error & { details?: { message?: string }[] }).details ?? [];
  return [error.message, ...details.map((d) => d.message ?? '')].join('\n');
}
