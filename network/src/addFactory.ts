import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  governanceParsers,
  type ProposalApproval,
  type SignedMembershipCard,
} from '@fabpool/chaincode/model';
import { verifyMembershipCard } from '@fabpool/chaincode/rules/membershipCard';
import { common } from '@hyperledger/fabric-protos';
import { peerAdmin } from './adminCli.js';
import { peerMajorityPolicy, peerRunningOrgs } from './channelConfig.js';
import { ensureNamespaces, namespacePlan } from './namespaces.js';
import { organisationGroupFromCard } from './identity/organisationGroup.js';
import {
  ensureOrganisationIdentities,
  organisationPlans,
  readOwnCard,
  exchangeCards,
} from './identity/organisationNode.js';
import { FabricLedger } from './ledger/fabricLedger.js';
import { decodeUtf8 } from './ledger/ledger.js';
import { fabricBinary } from './binaries.js';
import { NetworkError } from './errors.js';
import { run } from './exec.js';
import { isUp, readState, up, writeState } from './network.js';
import { runtimePaths } from './paths.js';
import {
  adminOf,
  buildTopology,
  CHANNEL_ID,
  isValidFactoryOrgName,
  memberOrgs,
  type PeerOrg,
  type Topology,
} from './topology.js';

type Log = (line: string) => void;

interface ConfigJson {
  channel_group: {
    groups: {
      Application: {
        groups: Record<string, unknown>;
        policies: Record<string, { policy: object } | undefined>;
      };
    };
  };
}

const configtxlator = (args: string[]) => run(fabricBinary('configtxlator'), args);

/**
 * What one organisation's admin does on its own node: reads the proposal from the ledger, checks
 * the card, signs the update with its own key and leaves the signature on the ledger.
 */
async function approveOnOwnNode(ledger: FabricLedger, admin: string, proposalId: string): Promise<void> {
  const proposal = governanceParsers.proposal.fromJson(
    decodeUtf8(await ledger.evaluate(admin, 'Governance', 'GetProposal', [proposalId])),
  );
  verifyMembershipCard(proposal.card, new Date());
  const signature = await ledger.signConfigUpdate(admin, Buffer.from(proposal.configUpdate, 'base64'));
  await ledger.submit(admin, 'Governance', 'ApproveProposal', [
    JSON.stringify({
      requestId: `req-${proposalId}-${admin}`,
      proposalId,
      configSignature: Buffer.from(signature).toString('base64'),
    }),
  ]);
}

/** The update with the approvals gathered on the ledger, as the envelope `peer channel update` takes. */
function configUpdateEnvelope(update: Uint8Array, approvals: readonly ProposalApproval[]): Uint8Array {
  const signed = new common.ConfigUpdateEnvelope();
  signed.setConfigUpdate(update);
  signed.setSignaturesList(
    approvals.map((a) => common.ConfigSignature.deserializeBinary(Buffer.from(a.configSignature, 'base64'))),
  );
  const channelHeader = new common.ChannelHeader();
  channelHeader.setType(common.HeaderType.CONFIG_UPDATE);
  channelHeader.setChannelId(CHANNEL_ID);
  const header = new common.Header();
  header.setChannelHeader(channelHeader.serializeBinary());
  const payload = new common.Payload();
  payload.setHeader(header);
  payload.setData(signed.serializeBinary());
  const envelope = new common.Envelope();
  envelope.setPayload(payload.serializeBinary());
  return envelope.serializeBinary();
}

/**
 * Adds a factory organisation to the running network: its crypto and membership card; a channel
 * configuration update made from the card alone, proposed on the ledger (Governance contract) and
 * approved there by every existing organisation's admin with its own signature, then submitted
 * with those signatures (the channel's Admins policy is a majority); then its peer and chaincode
 * server, its approval of the chaincode and its members' registration.
 * Running it again for the same factory only finishes what is missing.
 */
export async function addFactory(name: string, log: Log = console.log): Promise<{ proposalId?: string }> {
  if (!isValidFactoryOrgName(name)) {
    throw new NetworkError(
      `'${name}' is not a factory organisation name`,
      'use Factory followed by a capital letter and letters or digits, e.g. FactoryC',
    );
  }
  const state = await readState();
  if (state === undefined || !(await isUp())) {
    throw new NetworkError('the network is not running', 'start it first: npm run network:up');
  }
  const before = buildTopology(state.options);
  if (!state.options.extraFactories.includes(name)) {
    state.options.extraFactories.push(name);
  }
  const topology = buildTopology(state.options);
  const org = topology.peerOrgs.find((o) => o.name === name);
  if (org === undefined) throw new Error(`topology lost ${name}`);
  // The newcomer makes its identities and its card on its own node, with its own CA; the alliance
  // receives only the card (its TLS root lets the others reach its peer once it is admitted).
  // On a network whose nodes each have a namespace, the newcomer's node gets its own first.
  const namespaces = namespacePlan(topology);
  if (namespaces !== undefined) await ensureNamespaces(namespaces);
  const plan = organisationPlans(topology, runtimePaths.nodes).find((p) => p.mspId === org.mspId);
  if (plan === undefined) throw new Error(`no plan for ${name}`);
  await ensureOrganisationIdentities(plan, runtimePaths.nodes, log);
  const card = await readOwnCard(runtimePaths.nodes, org);
  // Its card goes to every member's node, and theirs to its own (it needs the orderers' TLS root).
  await exchangeCards(
    organisationPlans(topology, runtimePaths.nodes),
    runtimePaths.nodes,
    topology.ordererOrg,
  );
  const proposalId = await addOrgToChannel(before, org, card, log);
  // Only now the channel knows the organisation: from here on, up() treats it as one of the network's.
  await writeState(state);
  await up({ log });
  log(`${name} is a member of channel '${CHANNEL_ID}' with its own peer at ${org.host}:${org.listenPort}`);
  return { proposalId };
}

/** Adds the organisation to the channel; the id of the proposal that did, unless it was in already. */
async function addOrgToChannel(
  existing: Topology,
  org: PeerOrg,
  card: SignedMembershipCard,
  log: Log,
): Promise<string | undefined> {
  const work = await mkdtemp(join(tmpdir(), 'fabpool-add-org-'));
  try {
    const operator = existing.peerOrgs[0];
    if (operator === undefined) throw new Error('no operator organisation');
    const operatorAdmin = peerAdmin(existing, operator);
    await operatorAdmin.peer([
      'channel',
      'fetch',
      'config',
      join(work, 'config_block.pb'),
      '-c',
      CHANNEL_ID,
      ...operatorAdmin.ordererArgs,
    ]);
    await configtxlator([
      'proto_decode',
      '--input',
      join(work, 'config_block.pb'),
      '--type',
      'common.Block',
      '--output',
      join(work, 'block.json'),
    ]);
    const block = JSON.parse(await readFile(join(work, 'block.json'), 'utf8')) as {
      data: { data: { payload: { data: { config: ConfigJson } } }[] };
    };
    const config = block.data.data[0]?.payload.data.config;
    if (config === undefined)
      throw new NetworkError('the channel config block has no config', 'npm run network:down -- --clean');
    if (org.mspId in config.channel_group.groups.Application.groups) {
      log(`${org.mspId} is already in channel '${CHANNEL_ID}'`);
      return undefined;
    }

    const orgGroup = await organisationGroupFromCard(card.card, join(work, 'card'));
    const updated = structuredClone(config);
    const application = updated.channel_group.groups.Application;
    application.groups[org.mspId] = orgGroup;
    // The newcomer's peer joins the endorsement majority in the same update (see peerMajorityRule).
    const endorsing = peerMajorityPolicy(peerRunningOrgs(application.groups));
    for (const name of ['Endorsement', 'LifecycleEndorsement']) {
      const policy = application.policies[name];
      if (policy === undefined)
        throw new NetworkError(`the channel has no ${name} policy`, 'npm run network:down -- --clean');
      policy.policy = endorsing;
    }

    const file = (n: string): string => join(work, n);
    await writeFile(file('config.json'), JSON.stringify(config));
    await writeFile(file('updated.json'), JSON.stringify(updated));
    for (const name of ['config', 'updated'])
      await configtxlator([
        'proto_encode',
        '--input',
        file(`${name}.json`),
        '--type',
        'common.Config',
        '--output',
        file(`${name}.pb`),
      ]);
    await configtxlator([
      'compute_update',
      '--channel_id',
      CHANNEL_ID,
      '--original',
      file('config.pb'),
      '--updated',
      file('updated.pb'),
      '--output',
      file('update.pb'),
    ]);
    const update = await readFile(file('update.pb'));

    // The proposal and every approval travel on the ledger: each organisation's admin reads the
    // card and the update there and signs with its own key, as it would on its own node.
    const ledger = await FabricLedger.open();
    try {
      // Every member organisation's admin, those without a peer included (they sign through the
      // gateway of another's peer): the channel's Admins policy counts every organisation.
      const admins = memberOrgs(existing).map((o) => adminOf(o).name);
      const [proposer, ...others] = admins;
      if (proposer === undefined) throw new Error('no admins');
      const proposalId = `ADD-${org.mspId}-${Date.now().toString(36)}`;
      log(`Proposing ${org.mspId} on the ledger (${proposalId}); each organisation's admin signs the update`);
      await ledger.submit(proposer, 'Governance', 'ProposeOrganisation', [
        JSON.stringify({
          requestId: `req-${proposalId}`,
          proposalId,
          card,
          configUpdate: update.toString('base64'),
        }),
      ]);
      // The submitter's own signature is added by `peer channel update`: the others sign here.
      for (const admin of others) await approveOnOwnNode(ledger, admin, proposalId);
      const proposal = governanceParsers.proposal.fromJson(
        decodeUtf8(await ledger.evaluate(proposer, 'Governance', 'GetProposal', [proposalId])),
      );
      await writeFile(file('envelope.pb'), configUpdateEnvelope(update, proposal.approvals));
      const submitter = peerAdmin(existing, existing.peerOrgs[0] ?? org);
      try {
        await submitter.peer([
          'channel',
          'update',
          '-f',
          file('envelope.pb'),
          '-c',
          CHANNEL_ID,
          ...submitter.ordererArgs,
        ]);
      } catch (error) {
        throw new NetworkError(
          `the channel refused the config update adding ${org.mspId}: ${error instanceof Error ? error.message : String(error)}`,
          'read network/.runtime/nodes/Orderer/logs/orderer1.log; a majority of the organisations admins must sign',
        );
      }
      // Right after the update the gateway may still plan endorsements for the old majority, and
      // the transaction then fails validation: the same request (same id) is sent again.
      const markApplied = JSON.stringify({ requestId: `req-${proposalId}-applied`, proposalId });
      const deadline = Date.now() + 60_000;
      for (;;) {
        try {
          await ledger.submit(proposer, 'Governance', 'MarkApplied', [markApplied]);
          break;
        } catch (error) {
          const text = error instanceof Error ? error.message : String(error);
          if (!text.includes('ENDORSEMENT_POLICY_FAILURE') || Date.now() > deadline) throw error;
          await new Promise((resolve) => setTimeout(resolve, 1_000));
        }
      }
      return proposalId;
    } finally {
      await ledger.close();
    }
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}
