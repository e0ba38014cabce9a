import { join } from 'node:path';
import { ordererNodeDir, ownTlsRoot, peerNodeDir } from './nodeLayout.js';
import { BUILDERS_DIR } from './paths.js';
import type { PeerOrg, Topology } from './topology.js';

type Yaml = Record<string, unknown>;

/** Sets a dotted path in a parsed YAML document, creating maps on the way. */
export function setPath(doc: Yaml, path: string, value: unknown): void {
  const keys = path.split('.');
  const last = keys.pop();
  if (last === undefined) return;
  let node: Yaml = doc;
  for (const key of keys) {
    const next = node[key];
    if (next === null || typeof next !== 'object' || Array.isArray(next)) node[key] = {};
    node = node[key] as Yaml;
  }
  node[last] = value;
}

/** Environment names the peer hands to the external builder; the builder writes them into connection.json. */
export const CCAAS_ENV = { address: 'FABPOOL_CCAAS_ADDRESS', rootCert: 'FABPOOL_CCAAS_ROOT_CERT' } as const;

/** core.yaml for one organisation's peer: Fabric's defaults with this node's identity, ports and paths. */
export function peerCoreConfig(sample: Yaml, org: PeerOrg, dirs: { nodes: string }): Yaml {
  const doc = structuredClone(sample);
  const node = peerNodeDir(dirs.nodes, org);
  const address = `${org.host}:${org.listenPort}`;
  // The peer's ledger (and its organisation's private data) lives in its own node's directory.
  const dataDir = join(node, 'ledger');
  const settings: [string, unknown][] = [
    ['peer.id', `${org.peerName}.${org.domain}`],
    ['peer.networkId', 'fabpool'],
    ['peer.address', address],
    ['peer.listenAddress', address],
    ['peer.chaincodeListenAddress', `${org.host}:${org.chaincodeListenPort}`],
    ['peer.chaincodeAddress', `${org.host}:${org.chaincodeListenPort}`],
    ['peer.gossip.bootstrap', address],
    ['peer.gossip.externalEndpoint', address],
    // A restarted peer finds the other organisations' peers again when it next reconnects to their
    // anchor peers (25 s by default): until then discovery cannot meet policies that name them.
    ['peer.gossip.reconnectInterval', '5s'],
    ['peer.localMspId', org.mspId],
    ['peer.mspConfigPath', join(node, 'msp')],
    ['peer.fileSystemPath', dataDir],
    ['peer.tls.enabled', true],
    ['peer.tls.clientAuthRequired', false],
    ['peer.tls.cert.file', join(node, 'tls', 'server.crt')],
    ['peer.tls.key.file', join(node, 'tls', 'server.key')],
    ['peer.tls.rootcert.file', join(node, 'tls', 'ca.crt')],
    ['peer.gateway.enabled', true],
    ['ledger.state.stateDatabase', 'goleveldb'],
    ['ledger.snapshots.rootDir', join(dataDir, 'snapshots')],
    // No Docker here: chaincode only runs as an external service.
    ['vm.endpoint', ''],
    [
      'chaincode.externalBuilders',
      [
        {
          name: 'fabpool-ccaas',
          path: join(BUILDERS_DIR, 'ccaas'),
          propagateEnvironment: Object.values(CCAAS_ENV),
        },
      ],
    ],
    ['operations.listenAddress', `${org.host}:${org.operationsPort}`],
    // Prometheus metrics on the operations port: `up` reads gossip membership from them.
    ['metrics.provider', 'prometheus'],
  ];
  for (const [path, value] of settings) setPath(doc, path, value);
  return doc;
}

/** orderer.yaml for one Raft node: no system channel, channel participation API behind mutual TLS. */
export function ordererConfig(
  sample: Yaml,
  topology: Topology,
  nodeName: string,
  dirs: { nodes: string },
): Yaml {
  const node = topology.ordererOrg.nodes.find((n) => n.name === nodeName);
  if (node === undefined) throw new Error(`no orderer ${nodeName}`);
  const doc = structuredClone(sample);
  const crypto = ordererNodeDir(dirs.nodes, topology, node.name);
  const tlsCa = ownTlsRoot(dirs.nodes, topology.ordererOrg);
  const dataDir = join(crypto, 'ledger');
  const cert = join(crypto, 'tls', 'server.crt');
  const key = join(crypto, 'tls', 'server.key');
  const settings: [string, unknown][] = [
    ['General.ListenAddress', topology.ordererOrg.host],
    ['General.ListenPort', node.listenPort],
    ['General.TLS.Enabled', true],
    ['General.TLS.PrivateKey', key],
    ['General.TLS.Certificate', cert],
    ['General.TLS.RootCAs', [join(crypto, 'tls', 'ca.crt')]],
    ['General.TLS.ClientAuthRequired', false],
    ['General.Cluster.ClientCertificate', cert],
    ['General.Cluster.ClientPrivateKey', key],
    ['General.BootstrapMethod', 'none'],
    ['General.LocalMSPDir', join(crypto, 'msp')],
    ['General.LocalMSPID', topology.ordererOrg.mspId],
    ['FileLedger.Location', dataDir],
    ['Consensus.WALDir', join(dataDir, 'etcdraft', 'wal')],
    ['Consensus.SnapDir', join(dataDir, 'etcdraft', 'snapshot')],
    ['Operations.ListenAddress', `${topology.ordererOrg.host}:${node.operationsPort}`],
    ['Metrics.Provider', 'disabled'],
    ['Admin.ListenAddress', `${topology.ordererOrg.host}:${node.adminPort}`],
    ['Admin.TLS.Enabled', true],
    ['Admin.TLS.Certificate', cert],
    ['Admin.TLS.PrivateKey', key],
    ['Admin.TLS.ClientAuthRequired', true],
    ['Admin.TLS.ClientRootCAs', [tlsCa]],
    ['ChannelParticipation.Enabled', true],
  ];
  for (const [path, value] of settings) setPath(doc, path, value);
  return doc;
}
