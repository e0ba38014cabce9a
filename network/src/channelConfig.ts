import { join } from 'node:path';
import { orgCryptoDir, ordererNodeDir } from './cryptoConfig.js';
import { CHANNEL_ID, HOST, type PeerOrg, type Topology } from './topology.js';

export const CHANNEL_PROFILE = 'AllianceChannel';

const signature = (rule: string): { Type: string; Rule: string } => ({ Type: 'Signature', Rule: rule });
const implicitMeta = (rule: string): { Type: string; Rule: string } => ({ Type: 'ImplicitMeta', Rule: rule });

/** One application organisation as configtxgen and a channel config update describe it. */
export function peerOrgDefinition(cryptoDir: string, org: PeerOrg): object {
  const id = org.mspId;
  return {
    Name: id,
    ID: id,
    MSPDir: join(orgCryptoDir(cryptoDir, 'peer', org.domain), 'msp'),
    Policies: {
      Readers: signature(`OR('${id}.admin', '${id}.peer', '${id}.client')`),
      Writers: signature(`OR('${id}.admin', '${id}.client')`),
      Admins: signature(`OR('${id}.admin')`),
      Endorsement: signature(`OR('${id}.peer')`),
    },
    AnchorPeers: [{ Host: HOST, Port: org.listenPort }],
  };
}

/**
 * configtx.yaml for the `alliance` channel: Raft ordering, every member organisation in the
 * application group with its anchor peer, and a majority of organisations needed to endorse both
 * chaincode definitions and transactions.
 */
export function channelConfig(topology: Topology, cryptoDir: string): object {
  const { ordererOrg } = topology;
  const oid = ordererOrg.mspId;
  const ordererOrgDefinition = {
    Name: oid,
    ID: oid,
    MSPDir: join(orgCryptoDir(cryptoDir, 'orderer', ordererOrg.domain), 'msp'),
    Policies: {
      Readers: signature(`OR('${oid}.member')`),
      Writers: signature(`OR('${oid}.member')`),
      Admins: signature(`OR('${oid}.admin')`),
    },
    OrdererEndpoints: ordererOrg.nodes.map((n) => `${HOST}:${n.listenPort}`),
  };
  const applicationOrgs = topology.peerOrgs.map((org) => peerOrgDefinition(cryptoDir, org));
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
            Consenters: ordererOrg.nodes.map((n) => {
              const tls = join(ordererNodeDir(cryptoDir, topology, n.name), 'tls', 'server.crt');
              return { Host: HOST, Port: n.listenPort, ClientTLSCert: tls, ServerTLSCert: tls };
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
            LifecycleEndorsement: implicitMeta('MAJORITY Endorsement'),
            Endorsement: implicitMeta('MAJORITY Endorsement'),
          },
          Capabilities: { V2_5: true },
        },
      },
    },
  };
}

export const channelBlockFile = (channelDir: string): string => join(channelDir, `${CHANNEL_ID}.block`);
