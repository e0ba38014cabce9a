import { verify, X509Certificate } from 'node:crypto';
import { ChaincodeError, ErrorCode } from '../model/errors.js';
import { marshal } from '../model/marshal.js';
import type { MembershipCard, SignedMembershipCard } from '../model/membershipCard.js';

/** The organisational units of a certificate's subject (`OU=admin`, …), as Fabric's node OUs read them. */
export function organisationalUnitsOf(certificate: X509Certificate): string[] {
  return certificate.subject
    .split('\n')
    .filter((line) => line.startsWith('OU='))
    .map((line) => line.slice(3));
}

/**
 * A card holds only if one of its admins signed exactly these bytes: the signing certificate must
 * be issued by one of the card's own roots, valid at `now`, and an admin's (node OU `admin`). A
 * card does not prove that the organisation is who it says; the members who approve it decide
 * that, out of band, as they would for any new business partner.
 */
export function verifyMembershipCard(signed: SignedMembershipCard, now: Date): MembershipCard {
  const { card } = signed;
  const admin = new X509Certificate(card.adminCertificate);
  const issuedByRoot = card.rootCertificates.some((pem) => {
    const root = new X509Certificate(pem);
    return admin.checkIssued(root) && admin.verify(root.publicKey);
  });
  if (!issuedByRoot)
    throw new ChaincodeError(
      ErrorCode.CARD_NOT_SIGNED_BY_ADMIN,
      `the card of ${card.mspId} is signed by a certificate none of its roots issued`,
    );
  if (!organisationalUnitsOf(admin).includes('admin'))
    throw new ChaincodeError(
      ErrorCode.CARD_NOT_SIGNED_BY_ADMIN,
      `the card of ${card.mspId} is signed by ${admin.subject.replace(/\n/g, ', ')}, who is not an admin`,
    );
  if (now < new Date(admin.validFrom) || now > new Date(admin.validTo))
    throw new ChaincodeError(
      ErrorCode.CARD_NOT_SIGNED_BY_ADMIN,
      `the admin certificate on the card of ${card.mspId} is not valid now`,
    );
  if (!verify('sha256', marshal(card), admin.publicKey, Buffer.from(signed.signature, 'base64')))
    throw new ChaincodeError(
      ErrorCode.CARD_BAD_SIGNATURE,
      `the signature on the card of ${card.mspId} does not match its content`,
    );
  return card;
}
