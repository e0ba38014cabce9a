import { randomBytes } from 'node:crypto';
import { decodeUtf8, processParametersParser, sealedBidParser } from './imports.js';
import { checked, coded, mspOf, submitPrivate, submitRequest, type Json } from './context.js';
import { lotById } from '../repositories/lots.js';
import { LEDGER_MUTATIONS } from './operations.js';
import { plainJson, requestArgument } from './schemaTypes.js';
import type { CommandInput } from '../ledger/commands.js';
import { reactionTo } from '../ledger/reactions.js';
import type { ApiBuilder } from './builder.js';
import { parametersOf, processParameterTypes } from './processParameters.js';
import { payloadOf, userErrorTypeOf, type UserError } from './userErrors.js';

/**
 * One mutation per chaincode transaction a member may ask for (see operations.ts), and the
 * private-data ones (process parameters, sealed bids): each signed as the caller.
 */
/** A committed ledger transaction and what the chaincode answered. */
interface ReceiptShape {
  transactionId: string;
  blockNumber: number;
  result: unknown;
}

export function addLedgerMutations(builder: ApiBuilder): void {
  const Receipt = builder.objectRef<ReceiptShape>('LedgerReceipt').implement({
    description: 'A committed ledger transaction and what the chaincode answered.',
    fields: (t) => ({
      transactionId: t.exposeString('transactionId'),
      blockNumber: t.exposeInt('blockNumber'),
      result: t.field({ type: 'JSON', resolve: (p) => p.result }),
    }),
  });

  const UserErrorType = userErrorTypeOf(builder);
  const Payload = builder
    .objectRef<{ receipt: ReceiptShape | null; userErrors: UserError[] }>('LedgerPayload')
    .implement({
      description:
        'What a ledger write answers: its receipt once committed, or the user errors that refused it (a refusal the caller can fix: capacity short, a lot that moved on, a field its schema refuses). Refusals of who is calling stay GraphQL errors.',
      fields: (t) => ({
        receipt: t.field({ type: Receipt, nullable: true, resolve: (p) => p.receipt }),
        userErrors: t.field({ type: [UserErrorType], resolve: (p) => p.userErrors }),
      }),
    });

  builder.mutationFields((t) => ({
    setProcessParameters: t.field({
      type: Payload,
      description:
        "How to make a work order, into the customer's private collection (only its hash is public). A salt is drawn if none is given; the receipt's result returns it, for sharing later.",
      authScopes: { role: ['customer'] },
      args: {
        workOrderId: t.arg.string({ required: true }),
        parameters: t.arg({ type: [processParameterTypes(builder).input], required: true }),
        notes: t.arg.string(),
        salt: t.arg.string(),
      },
      resolve: (_r, args, context) =>
        payloadOf('', async () => {
          const value = {
            workOrderId: args.workOrderId,
            parameters: parametersOf(args.parameters),
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
        }),
    }),
    shareProcessParameters: t.field({
      type: Payload,
      description:
        "The same parameters (with their salt) into the private collection of the factory holding a lot; endorsed by that factory's organisation.",
      authScopes: { role: ['customer'] },
      args: {
        workOrderId: t.arg.string({ required: true }),
        lotId: t.arg.string({ required: true }),
        parameters: t.arg({ type: [processParameterTypes(builder).input], required: true }),
        notes: t.arg.string(),
        salt: t.arg.string({ required: true }),
      },
      resolve: (_r, args, context) =>
        payloadOf('', async () => {
          const lot = await lotById(context.pool, args.lotId);
          if (lot === undefined) throw coded('LOT.NOT_FOUND', `no lot ${args.lotId}`);
          const value = {
            workOrderId: args.workOrderId,
            parameters: parametersOf(args.parameters),
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
        }),
    }),
    sealBid: t.field({
      type: Payload,
      description:
        "A sealed bid into the bidder's own private collection; the receipt returns the sealed bid with its salt, needed to reveal it after the window.",
      authScopes: { role: ['factory'] },
      args: {
        bid: t.arg({
          type: requestArgument(builder, 'SealBidInput', sealedBidParser, ['salt']),
          required: true,
        }),
      },
      resolve: (_r, args, context) =>
        payloadOf('bid', async () => {
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
        }),
    }),
    ...Object.fromEntries(
      Object.entries(LEDGER_MUTATIONS).map(([name, op]) => [
        name,
        t.field({
          type: Payload,
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
          resolve: (_r, args, context) =>
            payloadOf('request', async () => {
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
            }),
        }),
      ]),
    ),
  }));
}
