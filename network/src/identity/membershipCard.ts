import { createPrivateKey, sign } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  marshal,
  membershipCardParser,
  type MembershipCard,
  type SignedMembershipCard,
} from '@fabpool/chaincode/model';

/**
 * Signs an organisation's card with one of its admins' keys, on its own node: the card carries
 * the admin's certificate, never its key.
 */
export async function signMembershipCard(
  card: MembershipCard,
  adminPrivateKeyFile: string,
): Promise<SignedMembershipCard> {
  const key = createPrivateKey(await readFile(adminPrivateKeyFile));
  const signature = sign('sha256', marshal(card), key).toString('base64');
  return membershipCardParser.check({ card, signature });
}

/**
 * The MSP directory another member (or configtxgen) needs to trust an organisation, written from
 * its card alone: its roots, its TLS roots, and Fabric's node OU rules (`client`, `peer`, `admin`,
 * `orderer`, the kinds Fabric CA writes into each certificate's OU).
 */
export async function writeMspDirectory(
  card: Pick<MembershipCard, 'rootCertificates' | 'tlsRootCertificates'>,
  dir: string,
): Promise<void> {
  const write = async (sub: string, pems: string[]) => {
    await mkdir(join(dir, sub), { recursive: true });
    await Promise.all(pems.map((pem, i) => writeFile(join(dir, sub, `root-${String(i)}.pem`), pem)));
  };
  await write('cacerts', card.rootCertificates);
  await write('tlscacerts', card.tlsRootCertificates);
  const unit = (ou: string) =>
    `    Certificate: cacerts/root-0.pem\n    OrganizationalUnitIdentifier: ${ou}\n`;
  await writeFile(
    join(dir, 'config.yaml'),
    [
      'NodeOUs:',
      '  Enable: true',
      `  ClientOUIdentifier:\n${unit('client')}`,
      `  PeerOUIdentifier:\n${unit('peer')}`,
      `  AdminOUIdentifier:\n${unit('admin')}`,
      `  OrdererOUIdentifier:\n${unit('orderer')}`,
    ].join('\n'),
  );
}
