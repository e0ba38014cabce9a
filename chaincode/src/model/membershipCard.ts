import type { JSONSchemaType } from 'ajv';
import { instantSchema, TEXT_PATTERN } from './common.js';
import { ErrorCode } from './errors.js';
import { parserFor } from './validation.js';

/** What kind of company an organisation is in the alliance; its members' roles follow from it. */
export const ORGANISATION_KINDS = ['operator', 'factory', 'customer', 'supplier', 'auditor'] as const;
export type OrganisationKind = (typeof ORGANISATION_KINDS)[number];

export const MSP_ID_PATTERN = '^[A-Z][A-Za-z0-9]{0,60}MSP$';
const PEM_CERTIFICATE =
  '^-----BEGIN CERTIFICATE-----\\r?\\n[A-Za-z0-9+/=\\r\\n]+-----END CERTIFICATE-----\\r?\\n?$';

/**
 * An organisation's membership card: everything the other members need to trust its signatures
 * and reach its peer, and nothing secret. It is made on the organisation's own node, from its own
 * certificate authority, and signed by one of its admins; a founding configuration or a joining
 * proposal is built from cards alone.
 */
export interface MembershipCard {
  cardVersion: 1;
  mspId: string;
  /** The company's name as its members know it. */
  organisation: string;
  kind: OrganisationKind;
  /** Roots of the organisation's identities (its CA's certificate, PEM). */
  rootCertificates: string[];
  /** Roots of its TLS certificates (PEM). */
  tlsRootCertificates: string[];
  /** Its peers' public endpoints; empty for a company that runs no peer and submits through others. */
  peers: { host: string; port: number }[];
  /**
   * The ordering nodes an ordering organisation runs, with each node's TLS certificate: Raft's
   * consenters are named by these certificates in the channel's first configuration.
   */
  orderers?: { host: string; port: number; tlsCertificate: string }[];
  /** The certificate of the admin who signed the card (PEM); it must chain to a root above and say OU=admin. */
  adminCertificate: string;
  issuedAt: string;
}

export interface SignedMembershipCard {
  card: MembershipCard;
  /** ECDSA (SHA-256, DER, base64) by the admin's key over the card's canonical bytes (`marshal`). */
  signature: string;
}

const pemSchema = { type: 'string', pattern: PEM_CERTIFICATE, maxLength: 16_384 } as const;

export const membershipCardSchema: JSONSchemaType<SignedMembershipCard> = {
  $id: 'https://fabpool.dev/schemas/membership-card.json',
  type: 'object',
  additionalProperties: false,
  required: ['card', 'signature'],
  properties: {
    card: {
      type: 'object',
      additionalProperties: false,
      required: [
        'cardVersion',
        'mspId',
        'organisation',
        'kind',
        'rootCertificates',
        'tlsRootCertificates',
        'peers',
        'adminCertificate',
        'issuedAt',
      ],
      properties: {
        cardVersion: { type: 'integer', const: 1 },
        mspId: { type: 'string', pattern: MSP_ID_PATTERN },
        organisation: { type: 'string', pattern: TEXT_PATTERN, minLength: 1, maxLength: 120 },
        kind: { type: 'string', enum: ORGANISATION_KINDS },
        rootCertificates: { type: 'array', items: pemSchema, minItems: 1, maxItems: 4 },
        tlsRootCertificates: { type: 'array', items: pemSchema, minItems: 1, maxItems: 4 },
        peers: {
          type: 'array',
          maxItems: 16,
          items: {
            type: 'object',
            additionalProperties: false,
            required: ['host', 'port'],
            properties: {
              host: { type: 'string', pattern: '^[A-Za-z0-9.-]{1,253}$' },
              port: { type: 'integer', minimum: 1, maximum: 65_535 },
            },
          },
        },
        orderers: {
          type: 'array',
          nullable: true,
          maxItems: 16,
          items: {
            type: 'object',
            additionalProperties: false,
            required: ['host', 'port', 'tlsCertificate'],
            properties: {
              host: { type: 'string', pattern: '^[A-Za-z0-9.-]{1,253}$' },
              port: { type: 'integer', minimum: 1, maximum: 65_535 },
              tlsCertificate: pemSchema,
            },
          },
        },
        adminCertificate: pemSchema,
        issuedAt: instantSchema,
      },
    },
    signature: { type: 'string', pattern: '^[A-Za-z0-9+/]+={0,2}$', maxLength: 400 },
  },
};

export const membershipCardParser = parserFor(
  membershipCardSchema,
  ErrorCode.CARD_INVALID,
  'membership card',
);
