import { memberSchema, type Member } from '@fabpool/chaincode/model';
import { everyMember, members } from '../repositories/members.js';
import { enrolmentErrors, isOrganisationAdmin, type UserError } from '../members/enrolment.js';
import { callerOf, coded, ledgerCall, memberOf, mspOf, type ApiContext } from './context.js';
import { companyName, partyNames } from './partyNames.js';
import type { ApiBuilder } from './builder.js';
import { pagedList } from './connections.js';
import { schemaTypesOf, type RequestSchema } from './schemaTypes.js';
import { LedgerCommands } from '../ledger/commands.js';
import { userErrorTypeOf } from './userErrors.js';

/**
 * The people of an organisation and their roles: its admin adds someone on its own node (its CA
 * makes the identity there, the admin proposes the role on the ledger); an operator approves on
 * the operator's node. Both signatures are on the ledger.
 */
export function addMemberFields(builder: ApiBuilder): void {
  // The registry's record as the chaincode's JSON Schema defines it: one source of truth.
  const MemberType = schemaTypesOf(builder).objectOf('Member', memberSchema as RequestSchema);
  const UserErrorType = userErrorTypeOf(builder);
  const EnrolMemberInput = builder.inputType('EnrolMemberInput', {
    fields: (t) => ({
      name: t.string({
        required: true,
        description: 'Login and identity name: lower-case letters, digits, dots and dashes.',
      }),
      displayName: t.string({ required: true }),
      password: t.string({ required: true, description: 'Their first password on this node.' }),
    }),
  });
  const EnrolMemberPayload = builder
    .objectRef<{ member: Member | null; userErrors: UserError[] }>('EnrolMemberPayload')
    .implement({
      fields: (t) => ({
        member: t.field({ type: MemberType, nullable: true, resolve: (p) => p.member }),
        userErrors: t.field({ type: [UserErrorType], resolve: (p) => p.userErrors }),
      }),
    });

  const memberById = async (context: ApiContext, memberId: string): Promise<Member | null> =>
    (await members(context.pool, { memberId }))[0] ?? null;

  const OrganisationType = builder.objectRef<{ mspId: string; name: string }>('Organisation').implement({
    description: 'A member company on the channel, by the name people know it by.',
    fields: (t) => ({
      mspId: t.exposeString('mspId'),
      name: t.exposeString('name', {
        description: "A factory organisation's plant names; any other company's id without its MSP suffix.",
      }),
    }),
  });
  builder.queryFields((t) => ({
    organisations: t.field({
      type: [OrganisationType],
      description:
        'Every member company on the channel by name, so that pages show companies, not MSP ids. Names only: who is in the alliance is known to every member.',
      authScopes: { loggedIn: true },
      resolve: async (_r, _a, context) => {
        const names = await partyNames(context.pool);
        // From the member registry as the read model holds it: a node's own ledger identities are
        // its own organisation's only.
        const mspIds = [...new Set((await everyMember(context.pool)).map((m) => m.mspId))].sort();
        return mspIds.map((mspId) => ({ mspId, name: companyName(names, mspId) }));
      },
    }),
    organisationMembers: t.connection({
      type: MemberType,
      description: "The registry's entries of the caller's own organisation, pending ones included.",
      authScopes: { loggedIn: true },
      resolve: (_r, args, context) =>
        pagedList(args, (page) => members(context.pool, { mspId: mspOf(context) }, page)),
    }),
    pendingMembers: t.connection({
      type: MemberType,
      description: 'Roles organisations proposed for their people, waiting for an operator.',
      authScopes: { role: ['operator'] },
      resolve: (_r, args, context) =>
        pagedList(args, (page) => members(context.pool, { pending: true }, page)),
    }),
    canEnrolMembers: t.boolean({
      description:
        "Whether the caller may add people here: an admin of its organisation, on its organisation's own node.",
      authScopes: { loggedIn: true },
      resolve: (_r, _a, context) =>
        context.enrolment !== undefined && isOrganisationAdmin(callerOf(context).member),
    }),
  }));

  builder.mutationFields((t) => ({
    enrolMember: t.field({
      type: EnrolMemberPayload,
      description:
        "Adds a person to the caller's organisation: its own CA makes their identity on this node, the caller (its admin) proposes their role (the caller's own) on the ledger, and they can log in here. The role counts once an operator approves it (an operator's own people are registered at once).",
      authScopes: { loggedIn: true },
      args: { input: t.arg({ type: EnrolMemberInput, required: true }) },
      resolve: async (_r, { input }, context) => {
        const admin = callerOf(context).member;
        if (!isOrganisationAdmin(admin))
          throw coded('ACCESS.NOT_ORG_ADMIN', `only an admin of ${admin.mspId} adds its people`);
        const enrolment = context.enrolment;
        if (enrolment === undefined)
          throw coded(
            'ENROLMENT.UNAVAILABLE',
            "people are added on an organisation's own Fabric node, whose CA makes their keys: npm start -- --fabric, or npm run node",
          );
        const userErrors = enrolmentErrors(input, await enrolment.isNameTaken(input.name));
        if (userErrors.length > 0) return { member: null, userErrors };
        const enrolled = await ledgerCall(() => enrolment.enrol(admin, input));
        if (enrolled.proposal !== undefined) await context.projector.caughtUp(enrolled.proposal);
        return { member: await memberById(context, enrolled.memberId), userErrors: [] };
      },
    }),
    approveMember: t.field({
      type: MemberType,
      description:
        "An operator approves a role an organisation proposed; signed with the operator's own key.",
      authScopes: { role: ['operator'] },
      args: { memberId: t.arg.string({ required: true }) },
      resolve: async (_r, { memberId }, context) => {
        const committed = await ledgerCall(() =>
          new LedgerCommands(context.ledger).register(memberOf(context), 'approveMember', memberId),
        );
        await context.projector.caughtUp(committed);
        const member = await memberById(context, memberId);
        if (member === null) throw coded('MEMBER.NOT_FOUND', `no member ${memberId}`);
        return member;
      },
    }),
  }));
}
