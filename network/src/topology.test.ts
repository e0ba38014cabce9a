import { describe, expect, it } from 'vitest';
import { allPorts, buildTopology, defaultTopologyOptions } from './topology.js';

describe('network topology', () => {
  it('has the alliance, two factories, a customer and the auditors with a peer each, and two suppliers without', () => {
    const topology = buildTopology(defaultTopologyOptions());
    expect(topology.peerOrgs.map((o) => o.mspId)).toEqual([
      'AllianceMSP',
      'FactoryAMSP',
      'FactoryBMSP',
      'CustomerAMSP',
      'AuditMSP',
    ]);
    expect(topology.clientOrgs.map((o) => o.mspId)).toEqual(['SupplierAMSP', 'SupplierBMSP']);
    // Nobody is a member of the operator's organisation but the operator and its matcher.
    expect(topology.peerOrgs[0]?.members.map((m) => m.role)).toEqual(['operator', 'operator']);
    expect(topology.ordererOrg.nodes).toHaveLength(1);
  });

  it('gives every listener its own port, also with three orderers and an added factory', () => {
    const topology = buildTopology({
      ...defaultTopologyOptions(),
      orderers: 3,
      extraFactories: ['FactoryC'],
    });
    const ports = allPorts(topology).map((p) => p.port);
    expect(new Set(ports).size).toBe(ports.length);
    expect(topology.peerOrgs.map((o) => o.name)).toContain('FactoryC');
  });

  it('keeps existing organisations on their ports when a factory is added', () => {
    const before = buildTopology(defaultTopologyOptions());
    const after = buildTopology({ ...defaultTopologyOptions(), extraFactories: ['FactoryC'] });
    for (const org of before.peerOrgs) {
      expect(after.peerOrgs.find((o) => o.name === org.name)?.listenPort).toBe(org.listenPort);
    }
  });

  it('rejects a factory name that would not make a valid MSP id or domain', () => {
    expect(() => buildTopology({ ...defaultTopologyOptions(), extraFactories: ['factory c'] })).toThrow(
      /invalid/,
    );
  });
});
