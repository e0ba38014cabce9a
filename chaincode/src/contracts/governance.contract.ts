import { Context, Contract, Info, Returns, Transaction } from 'fabric-contract-api';
import { callerOf } from '../auth/caller.js';
import { channelOfConfigUpdate, configSignatureParts } from '../ledger/configSignature.js';
import { getOrFail, poolTransaction, type PoolTx } from '../ledger/poolTransaction.js';
import { PROPOSAL, RecordStore } from '../ledger/records.js';
import { ErrorCode } from '../model/errors.js';
import { EventName } from '../model/events.js';
import { governanceParsers, type OrganisationProposal, type ProposalRequest } from '../model/governance.js';
import type { Parser } from '../model/validation.js';
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

/** One step of an existing proposal: read it, let the rule change it, write it back. */
function changeProposal<R extends ProposalRequest>(
  ctx: Context,
  parser: Parser<R>,
  requestJson: string,
  eventName: EventName,
  change: (admin: Admin, proposal: OrganisationProposal, request: R, now: string) => OrganisationProposal,
): Promise<string> {
  return poolTransaction(ctx, parser, requestJson, eventName, async (tx, request) => {
    const proposal = await getOrFail(tx.store, PROPOSAL, [request.proposalId], ErrorCode.PROPOSAL_NOT_FOUND);
    const changed = change(adminOf(ctx, tx), proposal, request, tx.now);
    await tx.write(PROPOSAL, changed);
    return changed;
  });
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
    return changeProposal(
      ctx,
      governanceParsers.approveProposal,
      requestJson,
      EventName.PROPOSAL_APPROVED,
      (admin, proposal, request, now) =>
        approveProposal(
          admin,
          proposal,
          request,
          configSignatureParts(request.configSignature, proposal.configUpdate),
          now,
        ),
    );
  }

  @Transaction()
  @Returns('string')
  async MarkApplied(ctx: Context, requestJson: string): Promise<string> {
    return changeProposal(
      ctx,
      governanceParsers.proposalRequest,
      requestJson,
      EventName.PROPOSAL_APPLIED,
      (admin, proposal, _request, now) => markApplied(admin, proposal, now),
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
