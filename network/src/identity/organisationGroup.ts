import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { MembershipCard } from '@fabpool/chaincode/model';
import { stringify } from 'yaml';
import { fabricBinary } from '../binaries.js';
import { run } from '../exec.js';
import { writeMspDirectory } from './membershipCard.js';

/**
 * An organisation's group in the channel configuration (its MSP, its policies, its anchor peers),
 * made from its membership card alone, with configtxgen: what a founding configuration lists and a
 * joining proposal adds. `workDir` is scratch space of the node that builds it.
 */
export async function organisationGroupFromCard(
  card: MembershipCard,
  workDir: string,
): Promise<{ values: Record<string, unknown> }> {
  const id = card.mspId;
  const mspDir = join(workDir, id, 'msp');
  await writeMspDirectory(card, mspDir);
  const signature = (rule: string) => ({ Type: 'Signature', Rule: rule });
  const configtx = {
    Organizations: [
      {
        Name: id,
        ID: id,
        MSPDir: mspDir,
        Policies: {
          Readers: signature(`OR('${id}.admin', '${id}.peer', '${id}.client')`),
          Writers: signature(`OR('${id}.admin', '${id}.client')`),
          Admins: signature(`OR('${id}.admin')`),
          Endorsement: signature(`OR('${id}.peer')`),
        },
      },
    ],
  };
  const configPath = join(workDir, id);
  await mkdir(configPath, { recursive: true });
  await writeFile(join(configPath, 'configtx.yaml'), stringify(configtx));
  const printed = await run(fabricBinary('configtxgen'), ['-configPath', configPath, '-printOrg', id]);
  const group = JSON.parse(printed.stdout) as { values: Record<string, unknown> };
  // configtxgen -printOrg leaves anchor peers out; a company without a peer has none.
  if (card.peers.length > 0)
    group.values.AnchorPeers = {
      mod_policy: 'Admins',
      value: { anchor_peers: card.peers.map((p) => ({ host: p.host, port: p.port })) },
      version: '0',
    };
  return group;
}
