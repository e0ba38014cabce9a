import { verify, X509Certificate } from 'node:crypto';
import { ChaincodeError, ErrorCode } from '../model/errors.js';
import type {
  ApproveProposalRequest,
  ConfigSignatureParts,
  OrganisationProposal,
  ProposeOrganisationRequest,
} from '../model/governance.js';
import type { Member } from '../model/member.js';
import type { MembershipCard } from '../model/membershipCard.js';

const fail = (code: ErrorCode, message: string): never => {
  throw new ChaincodeError(code, message);
};

/** The identity acting, as the channel's admin policy sees it: its member record and whether its certificate says admin. */
export interface Admin {
  member: Member;
  isOrgAdmin: boolean;
  certificatePem: string;
}

function requireOrgAdmin(admin: Admin, what: string): void {
  if (!admin.isOrgAdmin)
    fail(
      ErrorCode.NOT_ORG_ADMIN,
      `${what} is for an organisation's admins (OU=admin), not ${admin.member.memberId}`,
    );
}

/**
 * An admin of a channel member proposes to admit the organisation of a verified card, with the
 * config update that adds it; the update must be for this channel and the card not one of ours.
 */
export function proposeOrganisation(
  admin: Admin,
  request: ProposeOrganisationRequest,
  card: MembershipCard,
  updateChannel: string | undefined,
  channel: string,
  existing: OrganisationProposal | undefined,
  now: string,
): OrganisationProposal {
  requireOrgAdmin(admin, 'proposing an organisation');
  if (existing !== undefined)
    fail(ErrorCode.PROPOSAL_ALREADY_EXISTS, `proposal ${request.proposalId} already exists`);
  if (updateChannel !== channel)
    fail(ErrorCode.INVALID_ARGUMENT, `/configUpdate is not a config update of channel ${channel}`);
  if (card.mspId === admin.member.mspId)
    fail(ErrorCode.INVALID_ARGUMENT, `/card is the proposer's own organisation ${card.mspId}`);
  return {
    proposalId: request.proposalId,
    card: request.card,
    configUpdate: request.configUpdate,
    proposedBy: admin.member.memberId,
    proposedByMspId: admin.member.mspId,
    proposedAt: now,
    approvals: [],
    status: 'OPEN',
  };
}

/**
 * An organisation's admin approves by signing the update itself: the signature must be its own
 * (the header names the caller's MSP and certificate) and must verify over exactly the proposed
 * update, so the ledger never carries an approval the ordering service would refuse, nor one made
 * with somebody else's key.
 */
export function approveProposal(
  admin: Admin,
  proposal: OrganisationProposal,
  request: ApproveProposalRequest,
  signature: ConfigSignatureParts,
  now: string,
): OrganisationProposal {
  requireOrgAdmin(admin, 'approving a proposal');
  if (proposal.status !== 'OPEN')
    fail(ErrorCode.PROPOSAL_CLOSED, `proposal ${proposal.proposalId} is ${proposal.status}`);
  if (proposal.approvals.some((a) => a.mspId === admin.member.mspId))
    fail(
      ErrorCode.PROPOSAL_ALREADY_APPROVED,
      `${admin.member.mspId} has approved ${proposal.proposalId} already`,
    );
  if (
    signature.mspId !== admin.member.mspId ||
    !sameCertificate(signature.certificatePem, admin.certificatePem)
  )
    fail(
      ErrorCode.CONFIG_SIGNATURE_INVALID,
      `the config signature is by ${signature.mspId}'s ${subjectOf(signature.certificatePem)}, not by the caller`,
    );
  const key = new X509Certificate(admin.certificatePem).publicKey;
  if (!verify('sha256', signature.signedBytes, key, signature.signature))
    fail(
      ErrorCode.CONFIG_SIGNATURE_INVALID,
      `the config signature does not verify over proposal ${proposal.proposalId}`,
    );
  return {
    ...proposal,
    approvals: [
      ...proposal.approvals,
      {
        mspId: admin.member.mspId,
        memberId: admin.member.memberId,
        configSignature: request.configSignature,
        at: now,
      },
    ],
  };
}

/** Whoever submitted the update to the ordering service records that it took effect. */
export function markApplied(admin: Admin, proposal: OrganisationProposal, now: string): OrganisationProposal {
  requireOrgAdmin(admin, 'recording an applied proposal');
  if (proposal.status !== 'OPEN')
    fail(ErrorCode.PROPOSAL_CLOSED, `proposal ${proposal.proposalId} is ${proposal.status}`);
  return { ...proposal, status: 'APPLIED', appliedAt: now, appliedBy: admin.member.memberId };
}

function sameCertificate(a: string, b: string): boolean {
  try {
    return new X509Certificate(a).fingerprint256 === new X509Certificate(b).fingerprint256;
  } catch {
    return false;
  }
}

function subjectOf(pem: string): string {
  try {
    return new X509Certificate(pem).subject.replace(/\n/g, ', ');
  } catch {
    return 'unreadable certificate';
  }
}
