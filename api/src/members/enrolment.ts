import { ErrorCode, findErrorCode, memberIdOf } from '@fabpool/chaincode/model';
import {
  enrolOrganisationMember,
  isAdminIdentity,
  type Committed,
  type Ledger,
  type LedgerMember,
  type MemberCredentials,
} from '@fabpool/network';
import type pg from 'pg';
import { createUser, MIN_PASSWORD_LENGTH } from '../auth/users.js';
import { accountByName } from '../repositories/accounts.js';
import { LedgerCommands } from '../ledger/commands.js';

/** What an organisation's admin gives to add a person to the organisation. */
export interface EnrolmentInput {
  name: string;
  displayName: string;
  /** The person's first password on this node (they can have an authenticator added later). */
  password: string;
}

/** A refusal the admin can fix in the form: a stable code, a message, and the field it is about. */
export interface UserError {
  code: string;
  message: string;
  field: string[];
}

/** The same rule the organisation's CA applies to identity names, so a name is refused here first. */
const NAME = /^[a-z0-9][a-z0-9.-]{0,62}$/;

/** What is wrong with an enrolment that its admin can fix; empty when nothing is. */
export function enrolmentErrors(input: EnrolmentInput, nameTaken: boolean): UserError[] {
  const errors: UserError[] = [];
  if (!NAME.test(input.name))
    errors.push({
      code: 'ENROLMENT.INVALID_NAME',
      message:
        'a name is 1 to 63 lower-case letters, digits, dots and dashes, starting with a letter or digit',
      field: ['input', 'name'],
    });
  else if (nameTaken)
    errors.push({
      code: 'ENROLMENT.NAME_TAKEN',
      message: `someone on this node is already called ${input.name}`,
      field: ['input', 'name'],
    });
  const displayName = input.displayName.trim();
  if (displayName.length === 0 || displayName.length > 120)
    errors.push({
      code: 'ENROLMENT.INVALID_DISPLAY_NAME',
      message: 'a display name is 1 to 120 characters',
      field: ['input', 'displayName'],
    });
  if (input.password.length < MIN_PASSWORD_LENGTH)
    errors.push({
      code: 'ENROLMENT.WEAK_PASSWORD',
      message: `a password has at least ${String(MIN_PASSWORD_LENGTH)} characters`,
      field: ['input', 'password'],
    });
  return errors;
}

/** Who may enrol: an admin of its organisation (OU=admin in its certificate), not the operator for others. */
export function isOrganisationAdmin(member: LedgerMember): boolean {
  return isAdminIdentity(member.clientId);
}

export interface Enrolled {
  memberId: string;
  name: string;
  /** The proposal's transaction, when this call made it (a retry of a proposal already on the ledger has none). */
  proposal?: Committed;
}

/** A ledger that can start signing as a person its node has just enrolled (the Fabric engine). */
export type AdmittingLedger = Ledger & { admit(member: MemberCredentials): void };

/**
 * Adding a person to an organisation, on that organisation's own node: its CA makes the person's
 * identity (the key generated and kept on this node), the node's ledger client starts holding it,
 * the organisation's admin proposes the person's role on the ledger, and the person gets a login
 * here. The role counts once an operator approves it (on the operator's node). One enrolment at a
 * time: each briefly starts the organisation's CA on its one port. A retry after a failure part
 * way repeats nothing already done.
 */
export class PersonEnrolment {
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly nodeDirectory: string,
    private readonly ledger: AdmittingLedger,
    private readonly pool: pg.Pool,
  ) {}

  async isNameTaken(name: string): Promise<boolean> {
    return (await accountByName(this.pool, name)) !== undefined;
  }

  enrol(admin: LedgerMember, input: EnrolmentInput): Promise<Enrolled> {
    const next = this.queue.then(() => this.enrolNow(admin, input));
    this.queue = next.catch(() => undefined);
    return next;
  }

  private async enrolNow(admin: LedgerMember, input: EnrolmentInput): Promise<Enrolled> {
    const displayName = input.displayName.trim();
    const credentials = await enrolOrganisationMember(this.nodeDirectory, {
      name: input.name,
      role: admin.role,
      displayName,
    });
    this.ledger.admit(credentials);
    let proposal: Committed | undefined;
    try {
      // The operator's own people are registered by an operator; everyone else's proposed for one.
      proposal =
        admin.role === 'operator'
          ? await new LedgerCommands(this.ledger).register(
              admin.name,
              'registerMember',
              credentials.mspId,
              credentials.clientId,
              displayName,
              admin.role,
            )
          : await new LedgerCommands(this.ledger).register(
              admin.name,
              'proposeMember',
              credentials.clientId,
              displayName,
              admin.role,
            );
    } catch (error) {
      // A retry: the proposal of an earlier attempt committed, its answer was lost.
      if (findErrorCode((error as Error).message) !== ErrorCode.MEMBER_ALREADY_EXISTS) throw error;
    }
    await createUser(this.pool, {
      username: input.name,
      password: input.password,
      memberName: input.name,
      role: admin.role,
      displayName,
    });
    return {
      memberId: memberIdOf(credentials.mspId, credentials.clientId),
      name: input.name,
      ...(proposal === undefined ? {} : { proposal }),
    };
  }
}
