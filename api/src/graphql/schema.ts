import { randomBytes } from 'node:crypto';
import SchemaBuilder from '@pothos/core';
import RelayPlugin, { resolveCursorConnection, type ResolveCursorConnectionArgs } from '@pothos/plugin-relay';
import ScopeAuthPlugin from '@pothos/plugin-scope-auth';
import { bidParser, decodeUtf8, processParametersParser, sealedBidParser } from './imports.js';
import { GraphQLScalarType, Kind, type ValueNode } from 'graphql';
import { authenticate, confirmTotpEnrolment, startTotpEnrolment, viewerOf } from '../auth/users.js';
import {
  AuthError,
  issueAccessToken,
  issueRefreshToken,
  rotateRefreshToken,
  type Role,
  type Viewer,
} from '../auth/tokens.js';
import type { PoolChange } from '../readModel/changes.js';
import {
  explanationFor,
  overseesAll,
  seesListPricesOf,
  seesPricesOf,
  withoutPrices,
  type Explanation,
} from '../access/commercialData.js';
import {
  authCall,
  callerOf,
  checked,
  coded,
  ledgerQuery,
  memberOf,
  usernameOf,
  memberIdOfCaller,
  mspOf,
  viewpointOf,
  submitPrivate,
  submitRequest,
  type ApiContext,
  type Json,
} from './context.js';
import type { CapacityQuota, Factory, Lot, WorkOrder } from '@fabpool/chaincode/model';
import { allFactories } from '../repositories/factories.js';
import { lotById, lotsAwaitingDecision, lotsInShifts } from '../repositories/lots.js';
import type { Stored } from '../repositories/queryable.js';
import { quotas } from '../repositories/quotas.js';
import { workOrderById, workOrderPage } from '../repositories/workOrders.js';
import { addAlertFields } from './shopFloor.js';
import { addClientFields } from './clients.js';
import { addMemberFields } from './members.js';
import { addErpFields } from './erp.js';
import { addMatchingFields } from './matching.js';
import { addDeskFields } from './desk.js';
import { addReadModelFields } from './readModel.js';
import { addSupplyFields } from './supply.js';
import { LEDGER_MUTATIONS } from './operations.js';
import {
  plainJson,
  requestArgument,
  SafeIntScalar,
  schemaTypesOf,
  type RequestSchema,
} from './schemaTypes.js';
import type { CommandInput } from '../ledger/commands.js';
import { reactionTo } from '../ledger/reactions.js';

function parseLiteral(ast: ValueNode): unknown {
  switch (ast.kind) {
    case Kind.STRING:
    case Kind.BOOLEAN:
      return ast.value;
    case Kind.INT:
    case Kind.FLOAT:
      return Number(ast.value);
    case Kind.OBJECT:
      return Object.fromEntries(ast.fields.map((f) => [f.name.value, parseLiteral(f.value)]));
    case Kind.LIST:
      return ast.values.map(parseLiteral);
    default:
      return null;
  }
}

const JSONScalar = new GraphQLScalarType({
  name: 'JSON',
  description:
    'A JSON value: a record as the ledger holds it, or a chaincode request (checked against its JSON Schema).',
  serialize: (value) => value,
  parseValue: (value) => value,
  parseLiteral,
});

/** Who reads the pool itself; a supplier sees only its own slice (see supply.ts). */
const POOL_READERS: Role[] = ['operator', 'factory', 'customer', 'auditor'];
/** Shifts a Gantt chart may ask for at once: a week. */
const MAX_SHIFTS = 21;

/** The mutations whose ledger event may start a matcher run (see MatchService.notice). */
export interface ApiTypes {
  Context: ApiContext;
  Scalars: { JSON: { Input: unknown; Output: unknown }; SafeInt: { Input: number; Output: number } };
  AuthScopes: { loggedIn: boolean; authenticated: boolean; role: Role[] };
  DefaultFieldNullability: false;
}
export type ApiBuilder = PothosSchemaTypes.SchemaBuilder<PothosSchemaTypes.ExtendDefaultTypes<ApiTypes>>;

export function buildSchema() {
  const builder = new SchemaBuilder<ApiTypes>({
    defaultFieldNullability: false,
    plugins: [ScopeAuthPlugin, RelayPlugin],
    relay: {},
    scopeAuth: {
      // An enrol-only session (password, no second factor yet) is authenticated but not logged in.
      authScopes: (context) => ({
        authenticated: context.viewer !== undefined,
        loggedIn: context.viewer !== undefined && context.viewer.enrolOnly !== true,
        role: (roles) =>
          context.viewer !== undefined &&
          context.viewer.enrolOnly !== true &&
          roles.includes(context.viewer.role),
      }),
      unauthorizedError: (_parent, context) =>
        context.viewer === undefined
          ? coded('AUTH.REQUIRED', 'log in first')
          : context.viewer.enrolOnly === true
            ? coded('AUTH.TOTP_ENROLMENT_REQUIRED', 'enrol an authenticator app first (startTotpEnrolment)')
            : coded('ACCESS.WRONG_ROLE', 'your role may not do this'),
    },
  });
  builder.addScalarType('JSON', JSONScalar);
  builder.addScalarType('SafeInt', SafeIntScalar);

  const ViewerType = builder.objectRef<Viewer>('Viewer').implement({
    fields: (t) => ({
      username: t.exposeString('username'),
      memberName: t.exposeString('memberName'),
      role: t.exposeString('role'),
      mustEnrolTotp: t.boolean({ resolve: (v) => v.enrolOnly === true }),
      mspId: t.string({
        description: "The caller's organisation on the ledger.",
        resolve: (v, _a, context) =>
          context.ledger.members().find((m) => m.name === v.memberName)?.mspId ?? '',
      }),
    }),
  });

  const TotpEnrolment = builder.objectRef<{ secret: string; uri: string }>('TotpEnrolment').implement({
    fields: (t) => ({ secret: t.exposeString('secret'), uri: t.exposeString('uri') }),
  });

  const AuthPayload = builder
    .objectRef<{ accessToken: string; refreshToken: string; viewer: Viewer }>('AuthPayload')
    .implement({
      fields: (t) => ({
        accessToken: t.exposeString('accessToken'),
        refreshToken: t.exposeString('refreshToken'),
        viewer: t.field({ type: ViewerType, resolve: (p) => p.viewer }),
      }),
    });

  const seesLotPrices = async ({ record: lot }: Stored<Lot>, context: ApiContext): Promise<boolean> =>
    seesPricesOf(
      viewpointOf(context),
      lot.factoryMspId,
      await context.loaders.customerOfWorkOrder(lot.workOrderId),
    );

  const LotType = builder.objectRef<Stored<Lot>>('Lot').implement({
    fields: (t) => ({
      id: t.string({ resolve: (r) => r.id }),
      workOrderId: t.string({ resolve: (r) => r.record.workOrderId }),
      factoryId: t.string({ resolve: (r) => r.record.factoryId }),
      status: t.string({ resolve: (r) => r.record.status }),
      bucket: t.string({ resolve: (r) => r.record.bucket }),
      fromSeq: t.int({ resolve: (r) => r.record.fromSeq }),
      toSeq: t.int({ resolve: (r) => r.record.toSeq }),
      quantity: t.int({ resolve: (r) => r.record.quantity }),
      unitPrice: t.int({
        nullable: true,
        description:
          "Per unit, in fen; only for the lot's factory and its work order's customer (and overseers).",
        resolve: async (r, _a, context) => ((await seesLotPrices(r, context)) ? r.record.unitPrice : null),
      }),
      record: t.field({
        type: 'JSON',
        description:
          'The lot as the ledger holds it; its prices only for those who see them (see unitPrice).',
        resolve: async (r, _a, context) =>
          (await seesLotPrices(r, context)) ? r.record : withoutPrices(r.record as unknown as Json),
      }),
      explanation: t.field({
        type: 'JSON',
        nullable: true,
        description:
          "The matcher's reason for this lot: its cost per unit and the next-best slot when it was chosen. For the lot's factory (the next-best slot only when it is its own) and overseers.",
        resolve: async (r, _a, context) => {
          const viewer = viewpointOf(context);
          return explanationFor(
            viewer,
            r.record.factoryMspId,
            (await context.loaders.explanationOfLot(r.id)) as Explanation | null,
            await context.loaders.factoriesOfOrganisation(viewer.mspId),
          );
        },
      }),
    }),
  });

  const WorkOrderType = builder.objectRef<Stored<WorkOrder>>('WorkOrder').implement({
    fields: (t) => ({
      id: t.string({ resolve: (r) => r.id }),
      partNumber: t.string({ resolve: (r) => r.record.partNumber }),
      quantity: t.int({ resolve: (r) => r.record.quantity }),
      status: t.string({ resolve: (r) => r.record.status }),
      priority: t.string({ resolve: (r) => r.record.priority }),
      dueBucket: t.string({ resolve: (r) => r.record.dueBucket }),
      maxUnitPrice: t.int({ resolve: (r) => r.record.maxUnitPrice }),
      customerMspId: t.string({ resolve: (r) => r.record.customerMspId }),
      routing: t.field({ type: 'JSON', resolve: (r) => r.record.routing }),
      bidWindowEnd: t.string({
        nullable: true,
        description: 'When set, factories may seal bids until this instant.',
        resolve: (r) => r.record.bidWindowEnd ?? null,
      }),
      award: t.field({
        type: 'JSON',
        nullable: true,
        description:
          'The bid the customer awarded the work order to, once awarded; its price only for the customer and the awarded factory (and overseers).',
        resolve: (r, _a, context) => {
          const { award } = r.record;
          if (award === undefined) return null;
          return seesPricesOf(viewpointOf(context), award.factoryMspId, r.record.customerMemberId)
            ? award
            : withoutPrices(award as unknown as Json);
        },
      }),
      lots: t.field({
        type: [LotType],
        resolve: (r, _args, context) => context.loaders.lotsOfWorkOrder(r.id),
      }),
    }),
  });

  const QuotaType = builder.objectRef<Stored<CapacityQuota>>('CapacityQuota').implement({
    fields: (t) => ({
      id: t.string({ resolve: (r) => r.id }),
      factoryId: t.string({ resolve: (r) => r.record.factoryId }),
      process: t.string({ resolve: (r) => r.record.process }),
      windowStart: t.string({ resolve: (r) => r.record.windowStart }),
      windowEnd: t.string({ resolve: (r) => r.record.windowEnd }),
      minutes: t.int({ resolve: (r) => r.record.minutes }),
      consumedMinutes: t.int({ resolve: (r) => r.record.consumedMinutes }),
      pricePerMinute: t.int({ resolve: (r) => r.record.pricePerMinute }),
      status: t.string({ resolve: (r) => r.record.status }),
    }),
  });

  const FactoryType = builder.objectRef<Stored<Factory>>('Factory').implement({
    fields: (t) => ({
      id: t.string({ resolve: (r) => r.id }),
      name: t.string({ resolve: (r) => r.record.name }),
      location: t.string({ resolve: (r) => r.record.location }),
      mspId: t.string({ resolve: (r) => r.record.mspId }),
      processes: t.field({
        type: 'JSON',
        description:
          "Processes offered; their prices per minute for customers and the factory's own organisation.",
        resolve: (r, _a, context) =>
          seesListPricesOf(viewpointOf(context), r.record.mspId)
            ? r.record.processes
            : r.record.processes.map(({ process }) => ({ process })),
      }),
    }),
  });

  const Receipt = builder
    .objectRef<{ transactionId: string; blockNumber: number; result: unknown }>('LedgerReceipt')
    .implement({
      description: 'A committed ledger transaction and what the chaincode answered.',
      fields: (t) => ({
        transactionId: t.exposeString('transactionId'),
        blockNumber: t.exposeInt('blockNumber'),
        result: t.field({ type: 'JSON', resolve: (p) => p.result }),
      }),
    });

  const VerifyType = builder
    .objectRef<{ ok: boolean; height: number; firstBroken?: { blockNumber: number; reason: string } }>(
      'LedgerVerification',
    )
    .implement({
      fields: (t) => ({
        ok: t.exposeBoolean('ok'),
        height: t.exposeInt('height'),
        brokenBlock: t.int({ nullable: true, resolve: (v) => v.firstBroken?.blockNumber ?? null }),
        reason: t.string({ nullable: true, resolve: (v) => v.firstBroken?.reason ?? null }),
      }),
    });

  const poolPage = async (
    context: ApiContext,
    status: string | null | undefined,
    page: ResolveCursorConnectionArgs,
    customerMemberId: string | null = null,
  ) => {
    const query = {
      status: status ?? null,
      customerMemberId,
      after: page.after ?? null,
      before: page.before ?? null,
      limit: page.limit,
      descending: page.inverted,
    };
    return context.readCache.get(`pool\u0000${JSON.stringify(query)}`, () =>
      workOrderPage(context.pool, query),
    );
  };

  builder.queryType({
    fields: (t) => ({
      me: t.field({
        type: ViewerType,
        authScopes: { authenticated: true },
        resolve: (_r, _a, c) => {
          if (c.viewer === undefined) throw coded('AUTH.REQUIRED', 'log in first');
          return c.viewer;
        },
      }),
      pool: t.connection({
        type: WorkOrderType,
        description:
          "The shared pool of work orders, by id, optionally of one status, or only the caller's own orders as a customer (`mine`).",
        authScopes: { role: [...POOL_READERS] },
        args: { status: t.arg.string(), mine: t.arg.boolean() },
        resolve: (_r, args, context) =>
          resolveCursorConnection<Promise<Stored<WorkOrder>[]>>(
            { args, toCursor: (row: Stored<WorkOrder>) => row.id },
            (page) =>
              poolPage(context, args.status, page, args.mine === true ? memberIdOfCaller(context) : null),
          ),
      }),
      workOrder: t.field({
        type: WorkOrderType,
        nullable: true,
        authScopes: { role: [...POOL_READERS] },
        args: { id: t.arg.string({ required: true }) },
        resolve: async (_r, { id }, context) => (await workOrderById(context.pool, id)) ?? null,
      }),
      incomingLots: t.field({
        type: [LotType],
        description:
          "Lots the matcher assigned to the caller's factories that wait for them to accept or turn down, most urgent first (at most 500); of one work order when given. A lot past its deadline is left out: the ledger no longer takes a decision on it.",
        authScopes: { role: ['factory'] },
        args: { workOrderId: t.arg.string() },
        resolve: (_r, { workOrderId }, context) =>
          lotsAwaitingDecision(context.pool, mspOf(context), workOrderId ?? null),
      }),
      lotsInShifts: t.field({
        type: [LotType],
        description: `The lots placed in the given shifts (at most ${MAX_SHIFTS}), not turned down, moved or cancelled: a Gantt chart's rows, by shift and factory (at most 2,000). A factory sees its own organisation's lots (another plant's schedule is its load), a customer its own orders'; overseers all.`,
        authScopes: { role: [...POOL_READERS] },
        args: { buckets: t.arg.stringList({ required: true }) },
        resolve: async (_r, { buckets }, context) => {
          if (buckets.length > MAX_SHIFTS)
            throw coded('REQUEST.TOO_MANY_SHIFTS', `at most ${MAX_SHIFTS} shifts at a time`);
          const viewer = viewpointOf(context);
          const all = overseesAll(viewer);
          return lotsInShifts(
            context.pool,
            buckets,
            !all && viewer.role === 'factory' ? viewer.mspId : null,
            !all && viewer.role === 'customer' ? viewer.memberId : null,
          );
        },
      }),
      factories: t.field({
        type: [FactoryType],
        authScopes: { role: [...POOL_READERS] },
        resolve: (_r, _a, context) => allFactories(context.pool),
      }),
      quotaMarket: t.field({
        type: [QuotaType],
        description: 'Capacity quotas (工单额度), listed and sold.',
        authScopes: { role: [...POOL_READERS] },
        args: { status: t.arg.string() },
        resolve: (_r, { status }, context) => quotas(context.pool, status ?? null),
      }),
      trace: t.field({
        type: 'JSON',
        description:
          'A work order through every factory and ledger transaction, read from the ledger as the caller.',
        authScopes: { role: [...POOL_READERS] },
        args: { workOrderId: t.arg.string({ required: true }) },
        resolve: async (_r, { workOrderId }, context) => {
          // Every lot's prices and settlements are in it: for overseers and the order's own customer.
          const viewer = viewpointOf(context);
          if (
            !overseesAll(viewer) &&
            (await context.loaders.customerOfWorkOrder(workOrderId)) !== viewer.memberId
          )
            throw coded(
              'ACCESS.NOT_PARTY',
              "a work order's trace is for its customer, the operator and auditors",
            );
          return ledgerQuery(context, 'Trace', 'TraceWorkOrder', [workOrderId]);
        },
      }),
      processParameters: t.field({
        type: 'JSON',
        description:
          "A work order's process parameters: for its customer and the factories holding its lots, from their own organisation's private collection.",
        authScopes: { role: [...POOL_READERS] },
        args: { workOrderId: t.arg.string({ required: true }) },
        resolve: (_r, { workOrderId }, context) =>
          ledgerQuery(context, 'ProcessParameters', 'GetProcessParameters', [workOrderId]),
      }),
      bids: t.field({
        type: [schemaTypesOf(builder).objectOf('Bid', bidParser.schema as RequestSchema)],
        description:
          "Revealed bids on a work order: a sealed bid is nobody else's to see until it is revealed; then the order's customer and overseers see them all, a factory its own organisation's.",
        authScopes: { role: [...POOL_READERS] },
        args: { workOrderId: t.arg.string({ required: true }) },
        resolve: async (_r, { workOrderId }, context) => {
          const bids = (await ledgerQuery(context, 'Bid', 'GetBids', [workOrderId])) as {
            factoryMspId?: string;
          }[];
          const viewer = viewpointOf(context);
          const customer = await context.loaders.customerOfWorkOrder(workOrderId);
          return bids.filter((bid) => seesPricesOf(viewer, bid.factoryMspId, customer));
        },
      }),
      verifyLedger: t.field({
        type: VerifyType,
        authScopes: { role: ['auditor', 'operator'] },
        resolve: async (_r, _a, context) => {
          if (context.verifyLedger === undefined)
            throw coded('LEDGER.VERIFY_UNSUPPORTED', 'this ledger engine has no chain to re-verify here');
          return context.verifyLedger();
        },
      }),
    }),
  });

  const ChangedRecord = builder.objectRef<PoolChange['changes'][number]>('ChangedRecord').implement({
    fields: (t) => ({
      kind: t.exposeString('kind'),
      id: t.exposeString('id'),
      workOrderId: t.string({ nullable: true, resolve: (c) => c.workOrderId ?? null }),
      factoryMspId: t.string({ nullable: true, resolve: (c) => c.factoryMspId ?? null }),
    }),
  });
  const PoolChangeType = builder.objectRef<PoolChange>('PoolChange').implement({
    description:
      'A ledger transaction now in the read model: its event type and the records it changed (ids only).',
    fields: (t) => ({
      type: t.exposeString('type'),
      blockNumber: t.exposeInt('blockNumber'),
      transactionId: t.exposeString('transactionId'),
      changes: t.field({ type: [ChangedRecord], resolve: (c) => c.changes }),
    }),
  });

  builder.subscriptionType({
    fields: (t) => ({
      poolChanges: t.field({
        type: PoolChangeType,
        description: 'Every change of the pool as it reaches the read model (served as server-sent events).',
        // Checked here, where the stream starts (scope checks on a subscription field never answer a refused one).
        subscribe: (_r, _a, context) => {
          memberOf(context);
          return context.changes.subscribe('pool:changed');
        },
        resolve: (change) => change,
      }),
      myAssignments: t.field({
        type: PoolChangeType,
        description: "Changes of lots assigned to the caller's own organisation (a factory's incoming work).",
        subscribe: (_r, _a, context) => {
          const caller = callerOf(context);
          if (caller.role !== 'factory') throw coded('ACCESS.WRONG_ROLE', 'your role may not do this');
          return ofOrganisation(context.changes.subscribe('pool:changed'), caller.member.mspId);
        },
        resolve: (change) => change,
      }),
    }),
  });

  builder.mutationType({
    fields: (t) => ({
      login: t.field({
        type: AuthPayload,
        description:
          'Password, and for operators, auditors and everyone who enrolled one, the one-time code of their authenticator app.',
        args: {
          username: t.arg.string({ required: true }),
          password: t.arg.string({ required: true }),
          totp: t.arg.string(),
        },
        resolve: async (_r, { username, password, totp }, context) => {
          const { loginThrottle: throttle, clientAddress } = context;
          await authCall(() => throttle.check(username, clientAddress));
          const viewer = await authCall(async () => {
            try {
              return await authenticate(context.pool, username, password, totp ?? undefined);
            } catch (error) {
              if (
                error instanceof AuthError &&
                (error.code === 'AUTH.INVALID_CREDENTIALS' || error.code === 'AUTH.INVALID_TOTP')
              )
                await throttle.failed(username, clientAddress);
              throw error;
            }
          });
          await throttle.succeeded(username);
          return {
            viewer,
            accessToken: issueAccessToken(context.tokens, viewer),
            refreshToken: await issueRefreshToken(context.pool, context.tokens, viewer.username),
          };
        },
      }),
      unlockAccount: t.boolean({
        description:
          'Lifts the lock (and back-off) an account got from failed logins; false when it had none.',
        authScopes: { role: ['operator'] },
        args: { username: t.arg.string({ required: true }) },
        resolve: (_r, { username }, context) => context.loginThrottle.unlock(username),
      }),
      refresh: t.field({
        type: AuthPayload,
        args: { refreshToken: t.arg.string({ required: true }) },
        resolve: async (_r, args, context) => {
          const { username, refreshToken } = await authCall(() =>
            rotateRefreshToken(context.pool, context.tokens, args.refreshToken),
          );
          const viewer = await authCall(() => viewerOf(context.pool, username));
          return { viewer, refreshToken, accessToken: issueAccessToken(context.tokens, viewer) };
        },
      }),
      startTotpEnrolment: t.field({
        type: TotpEnrolment,
        description:
          'A new authenticator secret (and its otpauth URI for a QR code), counted once confirmed with a code.',
        authScopes: { authenticated: true },
        resolve: (_r, _a, context) => authCall(() => startTotpEnrolment(context.pool, usernameOf(context))),
      }),
      confirmTotpEnrolment: t.field({
        type: AuthPayload,
        description:
          'The first code from the new authenticator: from now on it is required, and this session gets full access.',
        authScopes: { authenticated: true },
        args: { code: t.arg.string({ required: true }) },
        resolve: async (_r, { code }, context) => {
          const username = usernameOf(context);
          await authCall(() => confirmTotpEnrolment(context.pool, username, code));
          const viewer = await authCall(() => viewerOf(context.pool, username));
          return {
            viewer,
            accessToken: issueAccessToken(context.tokens, viewer),
            refreshToken: await issueRefreshToken(context.pool, context.tokens, username),
          };
        },
      }),
      setProcessParameters: t.field({
        type: Receipt,
        description:
          "How to make a work order, into the customer's private collection (only its hash is public). A salt is drawn if none is given; the receipt's result returns it, for sharing later.",
        authScopes: { role: ['customer'] },
        args: {
          workOrderId: t.arg.string({ required: true }),
          parameters: t.arg({ type: 'JSON', required: true }),
          notes: t.arg.string(),
          salt: t.arg.string(),
        },
        resolve: async (_r, args, context) => {
          const value = {
            workOrderId: args.workOrderId,
            parameters: args.parameters,
            ...(args.notes == null ? {} : { notes: args.notes }),
            salt: args.salt ?? randomBytes(18).toString('base64url'),
          };
          const receipt = await submitPrivate(
            context,
            'setProcessParameters',
            { workOrderId: args.workOrderId },
            { parameters: checked(processParametersParser, value) },
            mspOf(context),
          );
          return { ...receipt, result: { ...(receipt.result as Json), salt: value.salt } };
        },
      }),
      shareProcessParameters: t.field({
        type: Receipt,
        description:
          "The same parameters (with their salt) into the private collection of the factory holding a lot; endorsed by that factory's organisation.",
        authScopes: { role: ['customer'] },
        args: {
          workOrderId: t.arg.string({ required: true }),
          lotId: t.arg.string({ required: true }),
          parameters: t.arg({ type: 'JSON', required: true }),
          notes: t.arg.string(),
          salt: t.arg.string({ required: true }),
        },
        resolve: async (_r, args, context) => {
          const lot = await lotById(context.pool, args.lotId);
          if (lot === undefined) throw coded('LOT.NOT_FOUND', `no lot ${args.lotId}`);
          const value = {
            workOrderId: args.workOrderId,
            parameters: args.parameters,
            ...(args.notes == null ? {} : { notes: args.notes }),
            salt: args.salt,
          };
          return submitPrivate(
            context,
            'shareProcessParameters',
            { workOrderId: args.workOrderId, lotId: args.lotId },
            { parameters: checked(processParametersParser, value) },
            lot.record.factoryMspId,
          );
        },
      }),
      sealBid: t.field({
        type: Receipt,
        description:
          "A sealed bid into the bidder's own private collection; the receipt returns the sealed bid with its salt, needed to reveal it after the window.",
        authScopes: { role: ['factory'] },
        args: {
          bid: t.arg({
            type: requestArgument(builder, 'SealBidInput', sealedBidParser, ['salt']),
            required: true,
          }),
        },
        resolve: async (_r, args, context) => {
          const bid = checked(sealedBidParser, {
            salt: randomBytes(18).toString('base64url'),
            ...plainJson(args.bid),
          });
          const receipt = await submitPrivate(
            context,
            'sealBid',
            { workOrderId: bid.workOrderId, factoryId: bid.factoryId },
            { bid },
            mspOf(context),
          );
          return { ...receipt, result: { ...(receipt.result as Json), sealedBid: bid } };
        },
      }),
      ...Object.fromEntries(
        Object.entries(LEDGER_MUTATIONS).map(([name, op]) => [
          name,
          t.field({
            type: Receipt,
            description: `${op.contract}.${op.transaction}, signed as the logged-in member. The request is checked against the chaincode's JSON Schema; a requestId makes a retry safe (one is made if absent).`,
            authScopes: { role: [...op.roles] },
            args: {
              request: t.arg({
                type: requestArgument(
                  builder,
                  `${name.charAt(0).toUpperCase()}${name.slice(1)}Input`,
                  op.parser,
                  ['requestId'],
                ),
                required: true,
              }),
            },
            resolve: async (_r, args, context) => {
              // The request id the client chose, if any, is kept: a retry is answered, not repeated.
              const committed = await submitRequest(
                context,
                name as keyof typeof LEDGER_MUTATIONS,
                plainJson(args.request) as CommandInput<keyof typeof LEDGER_MUTATIONS>,
              );
              // What the command's event sets off (a rush order's re-plan, an overrun's alerts) is
              // done before the answer.
              const reaction = reactionTo(name as keyof typeof LEDGER_MUTATIONS);
              if (reaction.replan !== undefined) await context.matcher.idle();
              if (reaction.alerts === true) await context.alerts.idle();
              return {
                transactionId: committed.transactionId,
                blockNumber: committed.blockNumber,
                result: JSON.parse(decodeUtf8(committed.payload)) as unknown,
              };
            },
          }),
        ]),
      ),
    }),
  });

  addMatchingFields(builder);
  addErpFields(builder);
  addSupplyFields(builder);
  addClientFields(builder);
  addMemberFields(builder);
  addAlertFields(builder);
  addDeskFields(builder);
  addReadModelFields(builder);
  return builder.toSchema({ sortSchema: true });
}

/** Only the changes touching lots of one organisation, trimmed to those lots. */
async function* ofOrganisation(
  changes: AsyncIterable<PoolChange>,
  mspId: string,
): AsyncGenerator<PoolChange> {
  for await (const change of changes) {
    const lots = change.changes.filter((c) => c.kind === 'Lot' && c.factoryMspId === mspId);
    if (lots.length > 0) yield { ...change, changes: lots };
  }
}
