import { TEXT_PATTERN } from './common.js';
import { createHash } from 'node:crypto';
import type { JSONSchemaType } from 'ajv';
import { ErrorCode } from './errors.js';
import { parserFor } from './validation.js';

export const MEMBER_ROLES = ['operator', 'factory', 'customer', 'auditor', 'supplier'] as const;
export type MemberRole = (typeof MEMBER_ROLES)[number];

export const MEMBER_STATUSES = ['PENDING', 'ACTIVE'] as const;
export type MemberStatus = (typeof MEMBER_STATUSES)[number];

/** The MSP of the alliance operator: its admins may register and approve members. */
export const OPERATOR_MSP_ID = 'AllianceMSP';

/** A person or system of a member organisation, with the one role it plays in the alliance. */
export interface Member {
  /** Opaque, stable id derived from the MSP and the certificate's subject and issuer. */
  memberId: string;
  mspId: string;
  /** Fabric's client identity id: `x509::<subject DN>::<issuer DN>`. */
  clientId: string;
  displayName: string;
  role: MemberRole;
  status: MemberStatus;
  /** ISO-8601 instant of the transaction that created the record. */
  createdAt: string;
  createdBy: string;
  approvedAt?: string;
  approvedBy?: string;
  /** ISO-8601 instant of the member's last change to its own profile. */
  updatedAt?: string;
}

export const memberSchema: JSONSchemaType<Member> = {
  $id: 'https://fabpool.dev/schemas/member.json',
  type: 'object',
  additionalProperties: false,
  required: ['memberId', 'mspId', 'clientId', 'displayName', 'role', 'status', 'createdAt', 'createdBy'],
  properties: {
    memberId: { type: 'string', pattern: '^[0-9a-f]{64}$' },
    mspId: { type: 'string', pattern: TEXT_PATTERN, minLength: 1, maxLength: 64 },
    clientId: { type: 'string', pattern: '^x509::' },
    displayName: { type: 'string', pattern: TEXT_PATTERN, minLength: 1, maxLength: 120 },
    role: { type: 'string', enum: MEMBER_ROLES },
    status: { type: 'string', enum: MEMBER_STATUSES },
    createdAt: { type: 'string', format: 'date-time' },
    createdBy: { type: 'string', pattern: TEXT_PATTERN, minLength: 1, maxLength: 512 },
    approvedAt: { type: 'string', format: 'date-time', nullable: true },
    approvedBy: { type: 'string', pattern: TEXT_PATTERN, minLength: 1, nullable: true, maxLength: 512 },
    updatedAt: { type: 'string', format: 'date-time', nullable: true },
  },
};

const memberParser = parserFor(memberSchema, ErrorCode.CORRUPT_RECORD, 'member record');

/** Parses and validates a member record; the only way a Member is read from bytes or JSON. */
export function memberFromJson(json: string): Member {
  return memberParser.fromJson(json);
}

export function isMemberRole(value: string): value is MemberRole {
  return (MEMBER_ROLES as readonly string[]).includes(value);
}

/** Derives a member's id: stable for one certificate subject and issuer within one MSP. */
export function memberIdOf(mspId: string, clientId: string): string {
  return createHash('sha256').update(`${mspId}\n${clientId}`).digest('hex');
}
