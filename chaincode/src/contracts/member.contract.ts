import { Context, Contract, Info, Returns, Transaction } from 'fabric-contract-api';
import { callerOf } from '../auth/caller.js';
import { MemberStore } from '../ledger/memberStore.js';
import { marshal } from '../model/marshal.js';
import { txInstant } from '../ledger/time.js';
import { ChaincodeError, ErrorCode } from '../model/errors.js';
import { EventName } from '../model/events.js';
import { memberIdOf } from '../model/member.js';
import {
  applyForMembership,
  approveMember,
  parseRole,
  proposeMember,
  registerMember,
  updateOwnProfile,
} from '../rules/membership.js';
import { requireMemberReader, seesMember } from '../rules/access.js';
import { activeCaller } from '../ledger/poolTransaction.js';

/** The alliance's member registry: who belongs, under which organisation, in which role. */
@Info({ title: 'MemberContract', description: 'fabpool member registry' })
export class MemberContract extends Contract {
  constructor() {
    super('Member');
  }

  @Transaction()
  @Returns('string')
  async ApplyForMembership(ctx: Context, displayName: string, role: string): Promise<string> {
    const caller = callerOf(ctx);
    const store = new MemberStore(ctx);
    const existing = await store.get(memberIdOf(caller.mspId, caller.clientId));
    const member = applyForMembership(
      caller,
      existing,
      { displayName, role: parseRole(role) },
      txInstant(ctx),
    );
    await store.put(member);
    ctx.stub.setEvent(EventName.MEMBER_APPLIED, marshal(member));
    return JSON.stringify(member);
  }

  @Transaction()
  @Returns('string')
  async RegisterMember(
    ctx: Context,
    mspId: string,
    clientId: string,
    displayName: string,
    role: string,
  ): Promise<string> {
    const caller = callerOf(ctx);
    const store = new MemberStore(ctx);
    const callerRecord = await store.get(memberIdOf(caller.mspId, caller.clientId));
    const existing = await store.get(memberIdOf(mspId, clientId));
    const member = registerMember(
      caller,
      callerRecord,
      existing,
      { mspId, clientId, displayName, role: parseRole(role) },
      txInstant(ctx),
    );
    await store.put(member);
    ctx.stub.setEvent(EventName.MEMBER_REGISTERED, marshal(member));
    return JSON.stringify(member);
  }

  /** An organisation's admin proposes a role for one of its own identities; an operator approves it. */
  @Transaction()
  @Returns('string')
  async ProposeMember(ctx: Context, clientId: string, displayName: string, role: string): Promise<string> {
    const caller = callerOf(ctx);
    const store = new MemberStore(ctx);
    const member = proposeMember(
      caller,
      await store.get(memberIdOf(caller.mspId, clientId)),
      { clientId, displayName, role: parseRole(role) },
      txInstant(ctx),
    );
    await store.put(member);
    ctx.stub.setEvent(EventName.MEMBER_APPLIED, marshal(member));
    return JSON.stringify(member);
  }

  @Transaction()
  @Returns('string')
  async ApproveMember(ctx: Context, memberId: string): Promise<string> {
    const caller = callerOf(ctx);
    const store = new MemberStore(ctx);
    const callerRecord = await store.get(memberIdOf(caller.mspId, caller.clientId));
    const member = await store.get(memberId);
    if (member === undefined) throw new ChaincodeError(ErrorCode.MEMBER_NOT_FOUND, `no member ${memberId}`);
    const approved = approveMember(caller, callerRecord, member, txInstant(ctx));
    await store.put(approved);
    ctx.stub.setEvent(EventName.MEMBER_APPROVED, marshal(approved));
    return JSON.stringify(approved);
  }

  @Transaction()
  @Returns('string')
  async UpdateMyProfile(ctx: Context, displayName: string): Promise<string> {
    const caller = callerOf(ctx);
    const store = new MemberStore(ctx);
    const member = updateOwnProfile(
      caller,
      await store.get(memberIdOf(caller.mspId, caller.clientId)),
      displayName,
      txInstant(ctx),
    );
    await store.put(member);
    ctx.stub.setEvent(EventName.MEMBER_UPDATED, marshal(member));
    return JSON.stringify(member);
  }

  @Transaction(false)
  @Returns('string')
  async GetMember(ctx: Context, memberId: string): Promise<string> {
    const caller = callerOf(ctx);
    const store = new MemberStore(ctx);
    const member = await store.get(memberId);
    if (member === undefined) throw new ChaincodeError(ErrorCode.MEMBER_NOT_FOUND, `no member ${memberId}`);
    // One's own entry is readable before it is active: a registration in progress checks its state.
    if (memberId !== memberIdOf(caller.mspId, caller.clientId))
      requireMemberReader(await activeCaller(ctx), member);
    return JSON.stringify(member);
  }

  /** The caller's own record, or an empty string when it has none yet. */
  @Transaction(false)
  @Returns('string')
  async WhoAmI(ctx: Context): Promise<string> {
    const caller = callerOf(ctx);
    const member = await new MemberStore(ctx).get(memberIdOf(caller.mspId, caller.clientId));
    return member === undefined ? '' : JSON.stringify(member);
  }

  @Transaction(false)
  @Returns('string')
  async ListMembers(ctx: Context): Promise<string> {
    const reader = await activeCaller(ctx);
    const all = await new MemberStore(ctx).list();
    return JSON.stringify(all.filter((member) => seesMember(reader, member)));
  }
}
