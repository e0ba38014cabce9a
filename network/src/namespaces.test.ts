import { describe, expect, it } from 'vitest';
import { namespacePlan } from './namespaces.js';
import { buildTopology, defaultTopologyOptions } from './topology.js';

describe('the nodes’ network namespaces', () => {
  it('are not used unless asked for: every node on 127.0.0.1', () => {
    const topology = buildTopology(defaultTopologyOptions());
    expect(namespacePlan(topology)).toBeUndefined();
    expect(topology.peerOrgs.every((o) => o.host === '127.0.0.1' && o.netns === undefined)).toBe(true);
  });

  it('give each organisation its own namespace and address on one private link, the outsider none', () => {
    const topology = buildTopology({
      ...defaultTopologyOptions(),
      namespaces: true,
      extraFactories: ['FactoryC'],
    });
    const plan = namespacePlan(topology);
    expect(plan?.bridge).toEqual({ name: 'fabpool17', address: '10.77.17.1' });
    const addresses = plan?.nodes.map((n) => n.address) ?? [];
    expect(new Set(addresses).size).toBe(addresses.length);
    expect(plan?.nodes.map((n) => n.netns)).toEqual([
      'fp17-orderer',
      'fp17-alliance',
      'fp17-factorya',
      'fp17-factoryb',
      'fp17-factoryc',
      'fp17-customera',
      'fp17-audit',
      'fp17-suppliera',
      'fp17-supplierb',
    ]);
    expect(plan?.nodes.every((n) => n.hostSide.length <= 15 && n.address.startsWith('10.77.17.'))).toBe(true);
    expect(topology.outsider.host).toBe('127.0.0.1');
    // A second network on another port base gets its own link.
    expect(
      namespacePlan(buildTopology({ ...defaultTopologyOptions(), namespaces: true, portBase: 27000 }))?.bridge
        .address,
    ).toBe('10.77.27.1');
  });
});
