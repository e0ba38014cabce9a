import type { MembershipCard } from '@fabpool/chaincode/model';
import { describe, expect, it } from 'vitest';
import { channelConfig, peerMajorityPolicy, peerMajorityRule, peerRunningOrgs } from './channelConfig.js';

const pem = '-----BEGIN CERTIFICATE-----\nAA==\n-----END CERTIFICATE-----\n';
const card = (mspId: string, fields: Partial<MembershipCard> = {}): MembershipCard => ({
  cardVersion: 1,
  mspId,
  organisation: mspId.replace(/MSP$/, ''),
  kind: 'factory',
  rootCertificates: [pem],
  tlsRootCertificates: [pem],
  peers: [],
  adminCertificate: pem,
  issuedAt: '2026-12-03T00:00:00Z',
  ...fields,
});

interface Profile {
  Application: {
    Organizations: { ID: string; MSPDir: string; AnchorPeers: { Host: string; Port: number }[] }[];
    Policies: Record<string, { Type: string; Rule: string }>;
  };
  Orderer: {
    Organizations: { ID: string }[];
    EtcdRaft: { Consenters: { Host: string; Port: number; ServerTLSCert: string }[] };
  };
}

describe('the channel’s first configuration, from the founding cards', () => {
  const ordering = card('OrdererMSP', {
    kind: 'operator',
    orderers: [{ host: '10.0.0.1', port: 7050, tlsCertificate: pem }],
  });

  it('takes the consenters from the ordering card and everyone else into the application group', () => {
    const config = channelConfig(
      [
        ordering,
        card('FactoryAMSP', { peers: [{ host: '10.0.0.2', port: 7051 }] }),
        card('CustomerAMSP', { kind: 'customer' }),
      ],
      '/alliance',
    ) as { Profiles: Record<string, Profile> };
    const profile = Object.values(config.Profiles)[0];
    expect(profile?.Orderer.Organizations.map((o) => o.ID)).toEqual(['OrdererMSP']);
    expect(profile?.Orderer.EtcdRaft.Consenters).toEqual([
      expect.objectContaining({
        Host: '10.0.0.1',
        Port: 7050,
        ServerTLSCert: '/alliance/consenters/10.0.0.1-7050.pem',
      }),
    ]);
    expect(profile?.Application.Organizations).toEqual([
      expect.objectContaining({
        ID: 'FactoryAMSP',
        MSPDir: '/alliance/msp/FactoryAMSP',
        AnchorPeers: [{ Host: '10.0.0.2', Port: 7051 }],
      }),
      // A company without a peer is a member all the same, with no anchor peer.
      expect.objectContaining({ ID: 'CustomerAMSP', AnchorPeers: [] }),
    ]);
    // Only organisations with a peer count towards the endorsement majority.
    expect(profile?.Application.Policies.Endorsement).toEqual({
      Type: 'Signature',
      Rule: "OutOf(1, 'FactoryAMSP.peer')",
    });
  });

  it('asks a majority of the organisations that run a peer to endorse', () => {
    expect(peerMajorityRule(['A', 'B', 'C', 'D', 'E'])).toBe(
      "OutOf(3, 'A.peer', 'B.peer', 'C.peer', 'D.peer', 'E.peer')",
    );
    expect(peerMajorityRule(['A', 'B', 'C', 'D'])).toMatch(/^OutOf\(3, /);
    expect(() => peerMajorityRule([])).toThrow(/no organisation runs a peer/);
  });

  it('widens the majority to a joining organisation that runs a peer, as the configuration holds it', () => {
    const anchored = (port: number) => ({
      values: { AnchorPeers: { value: { anchor_peers: [{ host: '127.0.0.1', port }] } } },
    });
    const groups = {
      FactoryCMSP: anchored(3),
      AllianceMSP: anchored(1),
      SupplierAMSP: { values: {} },
      FactoryAMSP: anchored(2),
    };
    const orgs = peerRunningOrgs(groups);
    expect(orgs).toEqual(['AllianceMSP', 'FactoryAMSP', 'FactoryCMSP']);
    expect(peerMajorityPolicy(orgs)).toEqual({
      type: 1,
      value: {
        identities: orgs.map((id) => ({
          principal: { msp_identifier: id, role: 'PEER' },
          principal_classification: 'ROLE',
        })),
        rule: { n_out_of: { n: 2, rules: [{ signed_by: 0 }, { signed_by: 1 }, { signed_by: 2 }] } },
        version: 0,
      },
    });
  });

  it('needs exactly one ordering organisation among the cards', () => {
    expect(() => channelConfig([card('FactoryAMSP')], '/alliance')).toThrow(/exactly one ordering/);
    expect(() => channelConfig([ordering, { ...ordering, mspId: 'Orderer2MSP' }], '/alliance')).toThrow(
      /exactly one ordering/,
    );
  });
});
