import { Context, Contract, Info, Returns, Transaction } from 'fabric-contract-api';
import { callerOf } from '../auth/caller.js';
import { channelOfConfigUpdate, configSignatureParts } from '../ledger/configSignature.js';
import { getOrFail, poolTransaction, type PoolTx } from '../ledger/poolTransaction.js';
import { PROPOSAL, RecordStore } from '../ledger/records.js';
import { ErrorCode } from '../model/errors.js';
import { EventName } from '../model/events.js';
import { governanceParsers } from '../model/governance.js';
import { approveProposal, markApplied, proposeOrganisation, type Admin } from '../rules/governance.js';
import { verifyMembershipCard } from '../rules/membershipCard.js';

/** The acting identity as the channel's admin policy sees it. */
function adminOf(ctx: Context, tx: PoolTx): Admin {
  return {
    member: tx.actor,
    isOrgAdmin: callerOf(ctx).isOrgAdmin,
    certificatePem: Buffer.from(ctx.clientIdentity.getIDBytes()).toString('utf8'),
  };
}

/**
 * How the alliance admits an organisation with nobody holding another's key: a proposal carries
 * the newcomer's membership card and the channel update; each member's admin signs the update on
 * its own node and leaves the signature here; whoever gathers enough submits it to the ordering
 * service and records that it took effect.
 */
@Info({ title: 'GovernanceContract', description: 'proposals to admit organisations, and their approvals' })
export class GovernanceContract extends Contract {
  constructor() {
    super('Governance');
  }

  @Transaction()
  @Returns('string')
  async ProposeOrganisation(ctx: Context, requestJson: string): Promise<string> {
    return poolTransaction(
      ctx,
      governanceParsers.proposeOrganisation,
      requestJson,
      EventName.ORGANISATION_PROPOSED,
      async (tx, request) => {
        const card = verifyMembershipCard(request.card, new Date(tx.now));
        const proposal = proposeOrganisation(
          adminOf(ctx, tx),
          request,
          card,
          channelOfConfigUpdate(request.configUpdate),
          ctx.stub.getChannelID(),
          await tx.store.get(PROPOSAL, [request.proposalId]),
          tx.now,
        );
        await tx.write(PROPOSAL, proposal);
        return proposal;
      },
    );
  }

  @Transaction()
  @Returns('string')
  async ApproveProposal(ctx: Context, requestJson: string): Promise<string> {
    return poolTransaction(
      ctx,
      governanceParsers.approveProposal,
      requestJson,
      EventName.PROPOSAL_APPROVED,
      async (tx, request) => {
        const proposal = await getOrFail(
          tx.store,
          PROPOSAL,
          [request.proposalId],
          ErrorCode.PROPOSAL_NOT_FOUND,
        );
        const signature = configSignatureParts(request.configSignature, proposal.configUpdate);
        const approved = approveProposal(adminOf(ctx, tx), proposal, request, signature, tx.now);
        await tx.write(PROPOSAL, approved);
        return approved;
      },
    );
  }

  @Transaction()
  @Returns('string')
  async MarkApplied(ctx: Context, requestJson: string): Promise<string> {
    return poolTransaction(
      ctx,
      governanceParsers.proposalRequest,
      requestJson,
      EventName.PROPOSAL_APPLIED,
      async (tx, request) => {
        const proposal = await getOrFail(
          tx.store,
          PROPOSAL,
          [request.proposalId],
          ErrorCode.PROPOSAL_NOT_FOUND,
        );
        const applied = markApplied(adminOf(ctx, tx), proposal, tx.now);
        await tx.write(PROPOSAL, applied);
        return applied;
      },
    );
  }

  /** A proposal, its card, its update and the approvals so far: public, every member reviews it. */
  @Transaction(false)
  @Returns('string')
  async GetProposal(ctx: Context, proposalId: string): Promise<string> {
    return JSON.stringify(
      await getOrFail(new RecordStore(ctx), PROPOSAL, [proposalId], ErrorCode.PROPOSAL_NOT_FOUND),
    );
  }
}
