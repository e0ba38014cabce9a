import type { JSONSchemaType } from 'ajv';
import { ID_PATTERN, instantSchema } from './common.js';
import { ErrorCode } from './errors.js';
import { membershipCardSchema, MSP_ID_PATTERN, type SignedMembershipCard } from './membershipCard.js';
import { requestIdSchema, type RequestBase } from './requests.js';
import { parserFor } from './validation.js';

/** A channel admin's signature on a config update, taken apart (Fabric's `common.ConfigSignature`). */
export interface ConfigSignatureParts {
  /** The signer as its signature header names it. */
  mspId: string;
  certificatePem: string;
  /** What the signature covers: the signature header's bytes, then the config update's. */
  signedBytes: Buffer;
  signature: Buffer;
}

export const PROPOSAL_STATUSES = ['OPEN', 'APPLIED'] as const;
export type ProposalStatus = (typeof PROPOSAL_STATUSES)[number];

/** One organisation's admin signing the proposed channel update, on that organisation's own node. */
export interface ProposalApproval {
  mspId: string;
  memberId: string;
  /** Fabric's `common.ConfigSignature` over the update, base64: what the orderer checks against the admin policy. */
  configSignature: string;
  at: string;
}

/**
 * A proposal to admit an organisation to the channel: its membership card and the channel
 * configuration update that adds it, carried on the ledger so that each member's admin can
 * review and sign it on its own node, with nobody holding another's key. It is applied by
 * whoever submits the update to the ordering service once the channel's admin policy is met.
 */
export interface OrganisationProposal {
  proposalId: string;
  card: SignedMembershipCard;
  /** The `common.ConfigUpdate` bytes every admin signs, base64. */
  configUpdate: string;
  proposedBy: string;
  proposedByMspId: string;
  proposedAt: string;
  approvals: ProposalApproval[];
  status: ProposalStatus;
  appliedAt?: string;
  appliedBy?: string;
}

const BASE64 = '^[A-Za-z0-9+/]+={0,2}$';
/** A config update adding one organisation is a few kilobytes; a megabyte is far past any. */
const configUpdateSchema = { type: 'string', pattern: BASE64, minLength: 4, maxLength: 1_000_000 } as const;
const configSignatureSchema = { type: 'string', pattern: BASE64, minLength: 4, maxLength: 8_192 } as const;

const approvalSchema: JSONSchemaType<ProposalApproval> = {
  type: 'object',
  additionalProperties: false,
  required: ['mspId', 'memberId', 'configSignature', 'at'],
  properties: {
    mspId: { type: 'string', pattern: MSP_ID_PATTERN },
    memberId: { type: 'string', pattern: '^[0-9a-f]{64}$' },
    configSignature: configSignatureSchema,
    at: instantSchema,
  },
};

export const organisationProposalSchema: JSONSchemaType<OrganisationProposal> = {
  $id: 'https://fabpool.dev/schemas/organisation-proposal.json',
  type: 'object',
  additionalProperties: false,
  required: [
    'proposalId',
    'card',
    'configUpdate',
    'proposedBy',
    'proposedByMspId',
    'proposedAt',
    'approvals',
    'status',
  ],
  properties: {
    proposalId: { type: 'string', pattern: ID_PATTERN },
    card: membershipCardSchema,
    configUpdate: configUpdateSchema,
    proposedBy: { type: 'string', pattern: '^[0-9a-f]{64}$' },
    proposedByMspId: { type: 'string', pattern: MSP_ID_PATTERN },
    proposedAt: instantSchema,
    approvals: { type: 'array', items: approvalSchema, maxItems: 64 },
    status: { type: 'string', enum: PROPOSAL_STATUSES },
    appliedAt: { ...instantSchema, nullable: true },
    appliedBy: { type: 'string', pattern: '^[0-9a-f]{64}$', nullable: true },
  },
};

export interface ProposeOrganisationRequest extends RequestBase {
  proposalId: string;
  card: SignedMembershipCard;
  configUpdate: string;
}
export interface ApproveProposalRequest extends RequestBase {
  proposalId: string;
  configSignature: string;
}
export interface ProposalRequest extends RequestBase {
  proposalId: string;
}

const request = <T>(required: string[], properties: Record<string, unknown>): JSONSchemaType<T> =>
  ({
    type: 'object',
    additionalProperties: false,
    required: ['requestId', ...required],
    properties: { requestId: requestIdSchema, ...properties },
  }) as unknown as JSONSchemaType<T>;

export const governanceParsers = {
  proposal: parserFor(organisationProposalSchema, ErrorCode.CORRUPT_RECORD, 'organisation proposal'),
  proposeOrganisation: parserFor(
    request<ProposeOrganisationRequest>(['proposalId', 'card', 'configUpdate'], {
      proposalId: { type: 'string', pattern: ID_PATTERN },
      card: membershipCardSchema,
      configUpdate: configUpdateSchema,
    }),
    ErrorCode.INVALID_ARGUMENT,
    'ProposeOrganisation request',
  ),
  approveProposal: parserFor(
    request<ApproveProposalRequest>(['proposalId', 'configSignature'], {
      proposalId: { type: 'string', pattern: ID_PATTERN },
      configSignature: configSignatureSchema,
    }),
    ErrorCode.INVALID_ARGUMENT,
    'ApproveProposal request',
  ),
  proposalRequest: parserFor(
    request<ProposalRequest>(['proposalId'], { proposalId: { type: 'string', pattern: ID_PATTERN } }),
    ErrorCode.INVALID_ARGUMENT,
    'proposal request',
  ),
};
