import {
  ChaincodeError,
  decodeUtf8,
  encodeUtf8,
  memberIdOf,
  type Committed,
  type Ledger,
  type LedgerMember,
  type SubmitOptions,
} from './imports.js';
import { GraphQLError } from 'graphql';
import type pg from 'pg';
import type { PersonEnrolment } from '../members/enrolment.js';
import type { LoginThrottle } from '../auth/loginThrottle.js';
import type { Viewpoint } from '../access/commercialData.js';
import { AuthError, type TokenSettings, type Viewer } from '../auth/tokens.js';
import type { MatchService } from '../matching/service.js';
import type { AlertService } from '../alerts/service.js';
import type { NotificationService } from '../notifications/service.js';
import type { ForecastSettings } from '../supply/forecast.js';
import type { Loaders } from './loaders.js';
import type { ReadCache } from '../readModel/readCache.js';
import type { ChangeFeed } from '../readModel/changes.js';
import { ProjectorStoppedError, type Projector } from '../readModel/projector.js';
import { blockOfTransaction } from '../repositories/ledgerEvents.js';
import { LedgerCommands, type CommandInput, type CommandName } from '../ledger/commands.js';

export interface ApiContext {
  viewer: Viewer | undefined;
  changes: ChangeFeed;
  ledger: Ledger;
  pool: pg.Pool;
  projector: Projector;
  matcher: MatchService;
  alerts: AlertService;
  notifications: NotificationService;
  forecast: ForecastSettings;
  loaders: Loaders;
  /** Answers of projected-record queries, valid until the projector's checkpoint moves. */
  readCache: ReadCache;
  tokens: TokenSettings;
  /** The client's address as the api's socket sees it (login throttling keys on it). */
  clientAddress: string;
  loginThrottle: LoginThrottle;
  /** Adding people to the caller's organisation with its own CA: only on an organisation's Fabric node. */
  enrolment?: PersonEnrolment;
  verifyLedger?: () => Promise<{
    ok: boolean;
    height: number;
    firstBroken?: { blockNumber: number; reason: string };
    checkedFrom?: number;
    signaturesChecked?: number;
  }>;
}

export type Json = Record<string, unknown>;

/** A GraphQL error with a stable code (`extensions.code`), never a stack trace. */
export function coded(code: string, message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code } });
}

/** A chaincode query run as the caller (on a peer of its own organisation), its JSON answer parsed. */
export async function ledgerQuery(
  context: ApiContext,
  contract: string,
  transaction: string,
  args: string[],
): Promise<unknown> {
  const answer = await ledgerCall(() =>
    context.ledger.evaluate(memberOf(context), contract, transaction, args),
  );
  return JSON.parse(decodeUtf8(answer)) as unknown;
}

/** A private input checked against its JSON Schema before it leaves the api. */
export function checked<T>(parser: { check(value: unknown): T }, value: unknown): T {
  try {
    return parser.check(value);
  } catch (error) {
    if (error instanceof ChaincodeError) throw coded(error.code, error.message);
    throw error;
  }
}

/** A transaction writing an organisation's private data: the private part as transient data, endorsed by that organisation. */
export async function submitPrivate<N extends CommandName>(
  context: ApiContext,
  command: N,
  request: CommandInput<N>,
  transient: Record<string, unknown>,
  organisation: string,
) {
  const committed = await submitRequest(context, command, request, {
    transient: Object.fromEntries(
      Object.entries(transient).map(([k, v]) => [k, new TextEncoder().encode(JSON.stringify(v))]),
    ),
    endorsingOrganizations: [organisation],
  });
  return {
    transactionId: committed.transactionId,
    blockNumber: committed.blockNumber,
    result: JSON.parse(decodeUtf8(committed.payload)) as unknown,
  };
}

/**
 * The one way the api submits a pool request, signed as the caller:
 * - refused (READ_MODEL.STOPPED) while the read model cannot follow the ledger, before anything
 *   is signed: the transaction would commit and its caller never get the answer, and retry;
 * - a request id the caller chose is looked up on the ledger first: one already committed answers
 *   its first result and adds no block; one used for another request is refused (REQUEST.ID_REUSED);
 * - otherwise submitted (with a new request id when the caller gave none), and answered once the
 *   read model holds it.
 */
export async function submitRequest<N extends CommandName>(
  context: ApiContext,
  command: N,
  request: CommandInput<N>,
  options?: SubmitOptions,
): Promise<Committed> {
  try {
    context.projector.requireFollowing();
  } catch (error) {
    if (error instanceof ProjectorStoppedError) throw coded(error.code, error.message);
    throw error;
  }
  const member = memberOf(context);
  const commands = new LedgerCommands(context.ledger);
  // Checked (and given a request id when it has none) before anything is signed.
  const checked = checkedCommand(() => commands.requestOf(command, request));
  if (typeof request.requestId === 'string') {
    const status = (await ledgerQuery(context, 'Request', 'GetStatus', [JSON.stringify(checked)])) as
      { status: 'NEW' } | { status: 'COMMITTED'; transactionId: string; response: string };
    if (status.status === 'COMMITTED') {
      const blockNumber = await blockOfTransaction(context.pool, status.transactionId);
      if (blockNumber !== undefined)
        return { transactionId: status.transactionId, blockNumber, payload: encodeUtf8(status.response) };
      // Committed, but not in the read model (it was quarantined): submitting again answers the
      // first result on the ledger, with no change.
    }
  }
  const committed = await ledgerCall(() => commands.send(member, command, checked, options));
  await context.projector.caughtUp(committed);
  return committed;
}

/** A request the chaincode's schema refuses, as the GraphQL error a client can act on. */
function checkedCommand<T>(check: () => T): T {
  try {
    return check();
  } catch (error) {
    if (error instanceof ChaincodeError) throw coded(error.code, error.message);
    throw error;
  }
}

/** Who is calling, as every resolver needs to know it. */
export interface Caller {
  username: string;
  /** The ledger identity the session acts as, on this node. */
  member: LedgerMember;
  role: Viewer['role'];
  /** Its member id on the ledger (what records name as customer, buyer, actor). */
  memberId: string;
  /** A partner system (OAuth client credentials) acting for the member, rather than a person. */
  partnerSystem: boolean;
}

/**
 * The one guard for who is calling: logged in with the second factor done where one is needed,
 * acting as a ledger identity this node holds. Every resolver that acts or reads as the caller
 * goes through it; the helpers below are views of it.
 */
export function callerOf(context: ApiContext): Caller {
  const viewer = context.viewer;
  if (viewer === undefined) throw coded('AUTH.REQUIRED', 'log in first');
  if (viewer.enrolOnly === true)
    throw coded('AUTH.TOTP_ENROLMENT_REQUIRED', 'enrol an authenticator app first (startTotpEnrolment)');
  const member = context.ledger.members().find((m) => m.name === viewer.memberName);
  if (member === undefined) throw coded('AUTH.INVALID_TOKEN', `no ledger identity ${viewer.memberName}`);
  return {
    username: viewer.username,
    member,
    role: viewer.role,
    memberId: memberIdOf(member.mspId, member.clientId),
    partnerSystem: viewer.username.startsWith('client:'),
  };
}

/** The name of the ledger identity the caller acts as. */
export const memberOf = (context: ApiContext): string => callerOf(context).member.name;

/** The caller's organisation on the ledger. */
export const mspOf = (context: ApiContext): string => callerOf(context).member.mspId;

/** The caller's member id on the ledger. */
export const memberIdOfCaller = (context: ApiContext): string => callerOf(context).memberId;

/** The caller as the commercial-data rule sees it (see access/commercialData.ts). */
export function viewpointOf(context: ApiContext): Viewpoint {
  const caller = callerOf(context);
  return { role: caller.role, mspId: caller.member.mspId, memberId: caller.memberId };
}

/** The account behind the session, enrol-only sessions included. */
export function usernameOf(context: ApiContext): string {
  if (context.viewer === undefined) throw coded('AUTH.REQUIRED', 'log in first');
  return context.viewer.username;
}

export async function authCall<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof AuthError) throw coded(error.code, error.message);
    throw error;
  }
}

/** Ledger refusals keep the chaincode's code and message; other failures say what kind they were. */
export async function ledgerCall<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    const e = error as { kind?: string; code?: string; message?: string };
    if (typeof e.kind === 'string') {
      const message = (e.message ?? '').replace(/^.*?([A-Z_]+\.[A-Z_]+: )/s, '$1');
      throw coded(e.code ?? `LEDGER.${e.kind}`, message);
    }
    throw error;
  }
}
