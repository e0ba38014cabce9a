import { join } from 'node:path';
import type { MembershipCard } from '@fabpool/chaincode/model';
import { publishedConsenterCert, publishedMspDir } from './nodeLayout.js';
import { CHANNEL_ID } from './topology.js';

export const CHANNEL_PROFILE = 'AllianceChannel';

const signature = (rule: string): { Type: string; Rule: string } => ({ Type: 'Signature', Rule: rule });
const implicitMeta = (rule: string): { Type: string; Rule: string } => ({ Type: 'ImplicitMeta', Rule: rule });

/** One application organisation as configtxgen describes it, from its card. */
function applicationOrgDefinition(allianceDir: string, card: MembershipCard): object {
  const id = card.mspId;
  return {
    Name: id,
    ID: id,
    MSPDir: publishedMspDir(allianceDir, id),
    Policies: {
      Readers: signature(`OR('${id}.admin', '${id}.peer', '${id}.client')`),
      Writers: signature(`OR('${id}.admin', '${id}.client')`),
      Admins: signature(`OR('${id}.admin')`),
      Endorsement: signature(`OR('${id}.peer')`),
    },
    AnchorPeers: card.peers.map((p) => ({ Host: p.host, Port: p.port })),
  };
}

/**
 * A majority of the organisations that run a peer. Fabric's implicit `MAJORITY Endorsement` would
 * count every organisation, so a company without a peer (which can never endorse) would raise the
 * bar for everyone; this policy names the peers' organisations instead, and a join updates it.
 */
export function peerMajorityRule(mspIds: readonly string[]): string {
  if (mspIds.length === 0) throw new Error('no organisation runs a peer');
  const n = Math.floor(mspIds.length / 2) + 1;
  return `OutOf(${String(n)}, ${mspIds.map((id) => `'${id}.peer'`).join(', ')})`;
}

/** The same majority as a channel configuration holds it (configtxlator's JSON of a signature policy). */
export function peerMajorityPolicy(mspIds: readonly string[]): object {
  if (mspIds.length === 0) throw new Error('no organisation runs a peer');
  return {
    type: 1, // SIGNATURE
    value: {
      identities: mspIds.map((id) => ({
        principal: { msp_identifier: id, role: 'PEER' },
        principal_classification: 'ROLE',
      })),
      rule: {
        n_out_of: {
          n: Math.floor(mspIds.length / 2) + 1,
          rules: mspIds.map((_, i) => ({ signed_by: i })),
        },
      },
      version: 0,
    },
  };
}

/** The application organisations of a channel configuration (JSON) that name an anchor peer. */
export function peerRunningOrgs(applicationGroups: Record<string, unknown>): string[] {
  return Object.entries(applicationGroups)
    .filter(([, group]) => {
      const anchors = (group as { values?: { AnchorPeers?: { value?: { anchor_peers?: unknown[] } } } })
        .values?.AnchorPeers?.value?.anchor_peers;
      return Array.isArray(anchors) && anchors.length > 0;
    })
    .map(([mspId]) => mspId)
    .sort();
}

/**
 * configtx.yaml for the `alliance` channel, made from the founding organisations' cards alone
 * (received into `allianceDir`): Raft ordering by the nodes the ordering organisation's card names,
 * every other organisation in the application group with its anchor peers, and a majority of
 * the organisations that run a peer needed to endorse both chaincode definitions and transactions.
 */
export function channelConfig(cards: MembershipCard[], allianceDir: string): object {
  const ordering = cards.filter((c) => (c.orderers ?? []).length > 0);
  const [ordererCard] = ordering;
  if (ordererCard === undefined || ordering.length > 1)
    throw new Error('the founding cards must include exactly one ordering organisation');
  const consenters = ordererCard.orderers ?? [];
  const oid = ordererCard.mspId;
  const ordererOrgDefinition = {
    Name: oid,
    ID: oid,
    MSPDir: publishedMspDir(allianceDir, oid),
    Policies: {
      Readers: signature(`OR('${oid}.member')`),
      Writers: signature(`OR('${oid}.member')`),
      Admins: signature(`OR('${oid}.admin')`),
    },
    OrdererEndpoints: consenters.map((n) => `${n.host}:${String(n.port)}`),
  };
  const endorsing = cards.filter((c) => c !== ordererCard && c.peers.length > 0).map((c) => c.mspId);
  const applicationOrgs = cards
    .filter((c) => c !== ordererCard)
    .map((card) => applicationOrgDefinition(allianceDir, card));
  return {
    Organizations: [ordererOrgDefinition, ...applicationOrgs],
    Profiles: {
      [CHANNEL_PROFILE]: {
        Policies: {
          Readers: implicitMeta('ANY Readers'),
          Writers: implicitMeta('ANY Writers'),
          Admins: implicitMeta('MAJORITY Admins'),
        },
        Capabilities: { V2_0: true },
        Orderer: {
          OrdererType: 'etcdraft',
          Addresses: [],
          // A short batch timeout: work orders are small and people wait on their scans.
          BatchTimeout: '500ms',
          BatchSize: { MaxMessageCount: 500, AbsoluteMaxBytes: '10 MB', PreferredMaxBytes: '2 MB' },
          EtcdRaft: {
            Consenters: consenters.map((n) => {
              const tls = publishedConsenterCert(allianceDir, n.host, n.port);
              return { Host: n.host, Port: n.port, ClientTLSCert: tls, ServerTLSCert: tls };
            }),
          },
          Organizations: [ordererOrgDefinition],
          Policies: {
            Readers: implicitMeta('ANY Readers'),
            Writers: implicitMeta('ANY Writers'),
            Admins: implicitMeta('MAJORITY Admins'),
            BlockValidation: implicitMeta('ANY Writers'),
          },
          Capabilities: { V2_0: true },
        },
        Application: {
          Organizations: applicationOrgs,
          Policies: {
            Readers: implicitMeta('ANY Readers'),
            Writers: implicitMeta('ANY Writers'),
            Admins: implicitMeta('MAJORITY Admins'),
            LifecycleEndorsement: signature(peerMajorityRule(endorsing)),
            Endorsement: signature(peerMajorityRule(endorsing)),
          },
          Capabilities: { V2_5: true },
        },
      },
    },
  };
}

export const channelBlockFile = (channelDir: string): string => join(channelDir, `${CHANNEL_ID}.block`);
