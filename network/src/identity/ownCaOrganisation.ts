import { copyFile, mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { NetworkError } from '../errors.js';
import { exists } from '../files.js';
import { orgCryptoDir, peerNodeDir, tlsCaCert, userDir } from '../cryptoConfig.js';
import { RUNTIME_DIR, runtimePaths } from '../paths.js';
import { HOST, isAdminMember, type PeerOrg } from '../topology.js';
import { writeMspDirectory } from './membershipCard.js';
import { OrganisationCa, type EnrolledIdentity } from './organisationCa.js';

/** Marks an organisation whose identities its own CA made: cryptogen must leave it alone. */
const OWN_CA_MARKER = 'made-by-own-ca';

/** Where an organisation's own node keeps its CA and the identities it enrolled. */
export function organisationNodeDir(org: PeerOrg): string {
  return join(RUNTIME_DIR, 'nodes', org.name);
}

export async function hasOwnCa(org: PeerOrg): Promise<boolean> {
  return exists(join(orgCryptoDir(runtimePaths.crypto, 'peer', org.domain), OWN_CA_MARKER));
}

/**
 * Makes a joining organisation's identities with its own Fabric CA, run from its own node
 * directory: its admin, its members (role attribute), its peer and its chaincode server (with TLS
 * certificates for their host names), each key generated where it is enrolled. They are then put
 * where this single-host network reads every organisation's material (cryptogen's layout), so
 * the peer, its CLI and the connection description work unchanged. Runs once; the CA is stopped
 * afterwards (a node starts it again to enrol someone new).
 */
export async function enrolWithOwnCa(org: PeerOrg, log: (line: string) => void): Promise<void> {
  // An organisation that has identities already (its own CA's, or cryptogen's on a network made
  // before) keeps them: replacing them would lock its running peer out of the channel.
  if (await exists(orgCryptoDir(runtimePaths.crypto, 'peer', org.domain))) return;
  log(`Making ${org.name}'s identities with its own certificate authority (Fabric CA)`);
  const nodeDir = organisationNodeDir(org);
  await mkdir(nodeDir, { recursive: true, mode: 0o700 });
  const ca = await OrganisationCa.start({
    dir: nodeDir,
    mspId: org.mspId,
    organisation: org.name,
    host: HOST,
    port: org.listenPort + 4,
    operationsPort: org.listenPort + 5,
  });
  try {
    const root = await ca.rootCertificate();
    const orgDir = orgCryptoDir(runtimePaths.crypto, 'peer', org.domain);
    await rm(orgDir, { recursive: true, force: true });
    await mkdir(join(orgDir, 'ca'), { recursive: true });
    await writeFile(join(orgDir, 'ca', `ca.${org.domain}-cert.pem`), root);
    await mkdir(join(orgDir, 'tlsca'), { recursive: true });
    await writeFile(tlsCaCert(runtimePaths.crypto, 'peer', org.domain), root);
    const roots = { rootCertificates: [root], tlsRootCertificates: [root] };
    await writeMspDirectory(roots, join(orgDir, 'msp'));

    const place = async (identity: EnrolledIdentity, dir: string) => {
      // A local MSP: its certificate and key, the organisation's root, and the node OU rules.
      const msp = join(dir, 'msp');
      await writeMspDirectory(roots, msp);
      await mkdir(join(msp, 'signcerts'), { recursive: true });
      await mkdir(join(msp, 'keystore'), { recursive: true, mode: 0o700 });
      await writeFile(join(msp, 'signcerts', 'cert.pem'), identity.certificate);
      await copyFile(identity.privateKeyFile, join(msp, 'keystore', 'priv_sk'));
      if (identity.tls !== undefined) {
        await mkdir(join(dir, 'tls'), { recursive: true, mode: 0o700 });
        await writeFile(join(dir, 'tls', 'server.crt'), identity.tls.certificate);
        await copyFile(identity.tls.privateKeyFile, join(dir, 'tls', 'server.key'));
        await writeFile(join(dir, 'tls', 'ca.crt'), root);
      }
    };
    for (const member of org.members) {
      const enrolled = await ca.enrol({
        name: member.name,
        kind: isAdminMember(member) ? 'admin' : 'client',
        role: member.role,
      });
      await place(enrolled, userDir(runtimePaths.crypto, 'peer', org.domain, member.cryptoUser));
    }
    for (const host of [org.peerName, 'ccaas']) {
      const enrolled = await ca.enrol({
        name: `${host}.${org.domain}`,
        kind: host === 'ccaas' ? 'client' : 'peer',
        hosts: [HOST, 'localhost', `${host}.${org.domain}`],
      });
      await place(enrolled, peerNodeDir(runtimePaths.crypto, org, host));
    }
    await writeFile(join(orgDir, OWN_CA_MARKER), `${org.mspId}\n`);
  } catch (error) {
    throw new NetworkError(
      `${org.name}'s own CA could not make its identities: ${error instanceof Error ? error.message : String(error)}`,
      `read ${join(nodeDir, 'ca', 'server.log')}`,
    );
  } finally {
    await ca.stop();
  }
}
