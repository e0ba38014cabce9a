import { describe, expect, it } from 'vitest';
import { ordererConfig, peerCoreConfig, setPath } from './nodeConfig.js';
import { buildTopology, defaultTopologyOptions } from './topology.js';

const dirs = { nodes: '/n' };

describe('node configuration', () => {
  it('sets nested paths without touching their neighbours', () => {
    const doc: Record<string, unknown> = { peer: { id: 'x', tls: { enabled: false, other: 1 } } };
    setPath(doc, 'peer.tls.enabled', true);
    setPath(doc, 'vm.endpoint', '');
    expect(doc).toEqual({ peer: { id: 'x', tls: { enabled: true, other: 1 } }, vm: { endpoint: '' } });
  });

  it('binds every peer listener to 127.0.0.1 with TLS, and disables Docker', () => {
    const org = buildTopology(defaultTopologyOptions()).peerOrgs[1];
    if (org === undefined) throw new Error('no factory org');
    const doc = peerCoreConfig({ peer: { id: 'sample' } }, org, dirs) as {
      peer: Record<string, unknown>;
      vm: unknown;
    };
    expect(doc.peer.listenAddress).toBe(`127.0.0.1:${org.listenPort}`);
    expect(doc.peer.chaincodeListenAddress).toMatch(/^127\.0\.0\.1:/);
    expect((doc.peer.tls as { enabled: boolean }).enabled).toBe(true);
    expect(doc.vm).toEqual({ endpoint: '' });
  });

  it('gives the orderer no system channel and a mutual-TLS admin endpoint', () => {
    const topology = buildTopology(defaultTopologyOptions());
    const doc = ordererConfig({}, topology, 'orderer1', dirs) as Record<string, Record<string, unknown>>;
    expect(doc.General?.BootstrapMethod).toBe('none');
    expect(doc.Admin?.TLS).toMatchObject({ Enabled: true, ClientAuthRequired: true });
    expect(() => ordererConfig({}, topology, 'orderer9', dirs)).toThrow(/no orderer/);
  });
});
