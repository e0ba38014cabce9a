import { X509Certificate } from 'node:crypto';
import { copyFile, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  membershipCardParser,
  type MemberRole,
  type MembershipCard,
  type SignedMembershipCard,
} from '@fabpool/chaincode/model';
import { verifyMembershipCard } from '@fabpool/chaincode/rules/membershipCard';
import { NetworkError } from '../errors.js';
import { exists } from '../files.js';
import {
  allianceDirOf,
  cardFileOf,
  nodeDirOf,
  ordererNodeDir,
  ownMspDir,
  peerNodeDir,
  publishedCardFile,
  publishedConsenterCert,
  publishedMspDir,
  userDir,
  type OrganisationRef,
} from '../nodeLayout.js';
import { HOST, isAdminMember, type MemberOrg, type Topology } from '../topology.js';
import { signMembershipCard, writeMspDirectory } from './membershipCard.js';
import { OrganisationCa, type EnrolledIdentity, type IdentityKind } from './organisationCa.js';

/** What one organisation's node makes with its own CA, and what its card announces. */
export interface OrganisationPlan extends OrganisationRef {
  mspId: string;
  /** Where its CA listens while it enrols, in its node's namespace if it has one. */
  host: string;
  netns?: string;
  caPort: number;
  caOperationsPort: number;
  users: { cryptoUser: string; name: string; admin: boolean; role?: MemberRole; tls: boolean }[];
  /** Its nodes, by host name: its peer, its chaincode server (`ccaas`), its orderers. */
  nodes: { host: string; kind: Exclude<IdentityKind, 'admin'>; dir: string }[];
  /** What its card says; absent for the test network's outsider, which is never proposed. */
  card?: Pick<MembershipCard, 'organisation' | 'kind' | 'peers'> & {
    orderers?: { host: string; port: number }[];
  };
}

function memberPlan(org: MemberOrg): Omit<OrganisationPlan, 'nodes' | 'card'> {
  return {
    name: org.name,
    domain: org.domain,
    mspId: org.mspId,
    host: org.host,
    ...(org.netns === undefined ? {} : { netns: org.netns }),
    caPort: org.caPort,
    caOperationsPort: org.caOperationsPort,
    users: org.members.map((m) => ({
      cryptoUser: m.cryptoUser,
      name: m.name,
      admin: isAdminMember(m),
      role: m.role,
      tls: false,
    })),
  };
}

/** Every organisation of the network, as its own node sees itself. */
export function organisationPlans(topology: Topology, nodesDir: string): OrganisationPlan[] {
  const { ordererOrg, outsider } = topology;
  return [
    {
      name: ordererOrg.name,
      domain: ordererOrg.domain,
      mspId: ordererOrg.mspId,
      host: ordererOrg.host,
      ...(ordererOrg.netns === undefined ? {} : { netns: ordererOrg.netns }),
      caPort: ordererOrg.caPort,
      caOperationsPort: ordererOrg.caOperationsPort,
      // osnadmin authenticates the ordering organisation's admin by its TLS client certificate.
      users: [{ cryptoUser: `Admin@${ordererOrg.domain}`, name: 'orderer-admin', admin: true, tls: true }],
      nodes: ordererOrg.nodes.map((n) => ({
        host: n.name,
        kind: 'orderer' as const,
        dir: ordererNodeDir(nodesDir, topology, n.name),
      })),
      card: {
        organisation: 'Alliance ordering service',
        kind: 'operator',
        peers: [],
        orderers: ordererOrg.nodes.map((n) => ({ host: ordererOrg.host, port: n.listenPort })),
      },
    },
    ...topology.peerOrgs.map((org) => ({
      ...memberPlan(org),
      nodes: [
        { host: org.peerName, kind: 'peer' as const, dir: peerNodeDir(nodesDir, org) },
        // The TLS identity of the organisation's chaincode server, which its peer dials.
        { host: 'ccaas', kind: 'client' as const, dir: peerNodeDir(nodesDir, org, 'ccaas') },
      ],
      card: { organisation: org.name, kind: org.kind, peers: [{ host: org.host, port: org.listenPort }] },
    })),
    ...topology.clientOrgs.map((org) => ({
      ...memberPlan(org),
      nodes: [],
      card: { organisation: org.name, kind: org.kind, peers: [] },
    })),
    {
      name: outsider.name,
      domain: outsider.domain,
      mspId: outsider.mspId,
      host: outsider.host,
      caPort: outsider.caPort,
      caOperationsPort: outsider.caOperationsPort,
      users: [
        {
          cryptoUser: outsider.member.cryptoUser,
          name: outsider.member.name,
          admin: false,
          role: outsider.member.role,
          tls: false,
        },
      ],
      nodes: [],
    },
  ];
}

/** Written last: an organisation whose directory lacks it was interrupted and is made again. */
const COMPLETE_MARKER = 'identities-complete';

/**
 * Makes an organisation's identities with its own Fabric CA, in its own node directory: its
 * admin and members (with their role attribute), its nodes (with TLS certificates for their host
 * names), each key generated where it is enrolled, laid out as Fabric's peer, orderer and CLI read
 * them; then its membership card, signed by its admin. Runs once; the CA is stopped afterwards
 * (the node starts it again to enrol someone new).
 */
export async function ensureOrganisationIdentities(
  plan: OrganisationPlan,
  nodesDir: string,
  log: (line: string) => void,
): Promise<void> {
  const nodeDir = nodeDirOf(nodesDir, plan);
  if (await exists(join(nodeDir, COMPLETE_MARKER))) return;
  // Nothing of an interrupted attempt was handed to anyone (the card is written last): start over.
  await rm(nodeDir, { recursive: true, force: true });
  await mkdir(nodeDir, { recursive: true, mode: 0o700 });
  log(`Making ${plan.name}'s identities with its own certificate authority (Fabric CA)`);
  const ca = await OrganisationCa.start({
    dir: nodeDir,
    mspId: plan.mspId,
    organisation: plan.card?.organisation ?? plan.name,
    host: plan.host,
    ...(plan.netns === undefined ? {} : { netns: plan.netns }),
    port: plan.caPort,
    operationsPort: plan.caOperationsPort,
  });
  try {
    const root = await ca.rootCertificate();
    // One Fabric CA issues both the identities and the TLS certificates of this organisation.
    const roots = { rootCertificates: [root], tlsRootCertificates: [root] };
    await writeMspDirectory(roots, ownMspDir(nodesDir, plan));
    const place = async (identity: EnrolledIdentity, dir: string, tlsName: 'server' | 'client') => {
      const msp = join(dir, 'msp');
      await writeMspDirectory(roots, msp);
      await mkdir(join(msp, 'signcerts'), { recursive: true });
      await mkdir(join(msp, 'keystore'), { recursive: true, mode: 0o700 });
      await writeFile(join(msp, 'signcerts', 'cert.pem'), identity.certificate);
      await copyFile(identity.privateKeyFile, join(msp, 'keystore', 'priv_sk'));
      if (identity.tls !== undefined) {
        await mkdir(join(dir, 'tls'), { recursive: true, mode: 0o700 });
        await writeFile(join(dir, 'tls', `${tlsName}.crt`), identity.tls.certificate);
        await copyFile(identity.tls.privateKeyFile, join(dir, 'tls', `${tlsName}.key`));
        await writeFile(join(dir, 'tls', 'ca.crt'), root);
      }
    };
    let admin: EnrolledIdentity | undefined;
    for (const user of plan.users) {
      const enrolled = await ca.enrol({
        name: user.name,
        kind: user.admin ? 'admin' : 'client',
        ...(user.role === undefined ? {} : { role: user.role }),
        ...(user.tls ? { hosts: [user.name] } : {}),
      });
      if (user.admin) admin ??= enrolled;
      await place(enrolled, userDir(nodesDir, plan, user.cryptoUser), 'client');
    }
    const tlsCertificates = new Map<string, string>();
    for (const node of plan.nodes) {
      const enrolled = await ca.enrol({
        name: `${node.host}.${plan.domain}`,
        kind: node.kind,
        hosts: [...new Set([plan.host, HOST, 'localhost']), `${node.host}.${plan.domain}`],
      });
      if (enrolled.tls !== undefined) tlsCertificates.set(node.host, enrolled.tls.certificate);
      await place(enrolled, node.dir, 'server');
    }
    if (plan.card !== undefined) {
      if (admin === undefined) throw new Error(`${plan.name} has no admin to sign its card`);
      const { orderers, ...card } = plan.card;
      const signed = await signMembershipCard(
        {
          cardVersion: 1,
          mspId: plan.mspId,
          ...card,
          ...(orderers === undefined
            ? {}
            : {
                orderers: orderers.map((o, i) => {
                  const tlsCertificate = tlsCertificates.get(plan.nodes[i]?.host ?? '');
                  if (tlsCertificate === undefined) throw new Error(`no TLS certificate for orderer ${i}`);
                  return { ...o, tlsCertificate };
                }),
              }),
          rootCertificates: [root],
          tlsRootCertificates: [root],
          adminCertificate: admin.certificate,
          issuedAt: new Date().toISOString(),
        },
        admin.privateKeyFile,
      );
      await writeFile(cardFileOf(nodesDir, plan), `${JSON.stringify(signed, null, 2)}\n`);
    }
    await writeFile(join(nodeDir, COMPLETE_MARKER), `${plan.mspId}\n`);
  } catch (error) {
    throw new NetworkError(
      `${plan.name}'s own CA could not make its identities: ${error instanceof Error ? error.message : String(error)}`,
      `read ${join(nodeDir, 'ca', 'server.log')}`,
    );
  } finally {
    await ca.stop();
  }
}

/** The card an organisation's node made (public: certificates and endpoints only). */
export async function readOwnCard(nodesDir: string, org: OrganisationRef): Promise<SignedMembershipCard> {
  const file = cardFileOf(nodesDir, org);
  try {
    return membershipCardParser.fromJson(await readFile(file, 'utf8'));
  } catch (error) {
    throw new NetworkError(
      `${org.name} has no valid membership card at ${file}: ${error instanceof Error ? error.message : String(error)}`,
      'npm run network:down -- --clean, then npm run network:up',
    );
  }
}

/**
 * Hands every member's card to every member's node, each verifying what it receives: what a
 * company does when it sends its card to the others (by mail, by a portal: the card is public and
 * signed, so the way it travels need not be trusted). On this host the delivery is a copy of the
 * card's bytes into the recipient's own `alliance/`; nothing else passes. Answers the cards as the
 * ordering organisation's node received them (it makes the channel's first configuration).
 */
export async function exchangeCards(
  plans: readonly OrganisationPlan[],
  nodesDir: string,
  ordering: OrganisationRef,
): Promise<MembershipCard[]> {
  const members = plans.filter((p) => p.card !== undefined);
  const sent = await Promise.all(members.map((plan) => readOwnCard(nodesDir, plan)));
  let orderingReceived: MembershipCard[] = [];
  await Promise.all(
    members.map(async (recipient) => {
      const received: MembershipCard[] = [];
      for (const card of sent) received.push(await receiveCard(allianceDirOf(nodesDir, recipient), card));
      if (recipient.name === ordering.name) orderingReceived = received;
    }),
  );
  if (orderingReceived.length === 0)
    throw new Error(`the ordering organisation ${ordering.name} is not among the members`);
  return orderingReceived;
}

/**
 * Receives a member's card into one node's alliance material: it is verified (signed by one of
 * its admins, under its own roots), then its MSP definition and its orderers' TLS certificates
 * are written from it alone. This is all any other organisation learns of it.
 */
export async function receiveCard(
  allianceDir: string,
  signed: SignedMembershipCard,
): Promise<MembershipCard> {
  const card = verifyMembershipCard(membershipCardParser.check(signed), new Date());
  await mkdir(join(allianceDir, 'cards'), { recursive: true });
  await writeMspDirectory(card, publishedMspDir(allianceDir, card.mspId));
  for (const orderer of card.orderers ?? []) {
    // A consenter's certificate must come from the card's own TLS roots.
    const cert = new X509Certificate(orderer.tlsCertificate);
    if (!card.tlsRootCertificates.some((pem) => cert.checkIssued(new X509Certificate(pem))))
      throw new NetworkError(
        `the card of ${card.mspId} names orderer ${orderer.host}:${String(orderer.port)} with a TLS certificate none of its TLS roots issued`,
        'ask that organisation for a new card',
      );
    await mkdir(join(allianceDir, 'consenters'), { recursive: true });
    await writeFile(publishedConsenterCert(allianceDir, orderer.host, orderer.port), orderer.tlsCertificate);
  }
  await writeFile(publishedCardFile(allianceDir, card.mspId), `${JSON.stringify(signed, null, 2)}\n`);
  return card;
}
