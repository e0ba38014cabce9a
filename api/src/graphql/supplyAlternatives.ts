import {
  requestParsers,
  SUPPLY_CHOICES,
  supplyChoiceParser,
  supplyChoiceSchema,
  supplyDelaySchema,
} from '@fabpool/chaincode/model';
import {
  supplyAlternatives,
  type MaterialAlternatives,
  type SupplyAlternative,
} from '../matching/supplyAlternatives.js';
import { supplierOrganisations } from '../repositories/members.js';
import { workOrderById } from '../repositories/workOrders.js';
import type { ApiBuilder } from './builder.js';
import { coded, memberIdOfCaller, submitRequest, viewpointOf, type ApiContext } from './context.js';
import { decodeUtf8 } from './imports.js';
import type { CommandInput } from '../ledger/commands.js';
import { plainJson, requestArgument, schemaTypesOf, type RequestSchema } from './schemaTypes.js';

/** The customer's own open work order (operators may look at any). */
async function ownWorkOrder(context: ApiContext, workOrderId: string) {
  const workOrder = await workOrderById(context.pool, workOrderId);
  if (workOrder === undefined) throw coded('WORK_ORDER.NOT_FOUND', `no work order ${workOrderId}`);
  if (
    viewpointOf(context).role !== 'operator' &&
    workOrder.record.customerMemberId !== memberIdOfCaller(context)
  )
    throw coded('ACCESS.NOT_OWNER', `work order ${workOrderId} is not yours`);
  return workOrder;
}

/**
 * What a customer can do about its order's late material: the alternatives evaluated against the
 * current plan, each with its effect on finish and cost, and its choice, signed on the ledger
 * (Supply.ChooseAlternative), after which the matcher re-plans by it.
 */
export function addSupplyAlternativeFields(builder: ApiBuilder): void {
  const types = schemaTypesOf(builder);
  const ChoiceKind = types.enumOf('SupplyChoice', 'choice', SUPPLY_CHOICES, 'SupplyChoiceKind');
  const ChoiceType = types.objectOf('SupplyChoice', supplyChoiceSchema as RequestSchema);
  const DelayType = types.objectOf('SupplyDelayReport', supplyDelaySchema as RequestSchema);
  const AlternativeType = builder.objectRef<SupplyAlternative>('SupplyAlternative').implement({
    description: 'One thing the customer may do about a late material, and what it would do to the order.',
    fields: (t) => ({
      choice: t.field({ type: ChoiceKind as never, resolve: (a) => a.choice as never }),
      supplierMspId: t.exposeString('supplierMspId', { description: 'Who would supply the material.' }),
      expectedAt: t.exposeString('expectedAt', { description: 'When the material would be there.' }),
      finishBucket: t.exposeString('finishBucket', {
        nullable: true,
        description: "The shift the order's last unit would be done in (null: not all within the horizon).",
      }),
      lateShifts: t.exposeInt('lateShifts', {
        nullable: true,
        description: "Shifts after the order's due shift (0: on time).",
      }),
      unplacedUnits: t.exposeInt('unplacedUnits'),
      processingCost: t.expose('processingCost', {
        type: 'SafeInt',
        description: "The order's work at its factories, in fen.",
      }),
      extraCost: t.expose('extraCost', {
        type: 'SafeInt',
        description: "A backup supplier's extra cost, in fen.",
      }),
      totalCost: t.expose('totalCost', { type: 'SafeInt', description: 'In fen.' }),
      factoryIds: t.exposeStringList('factoryIds', {
        description: "The factories the order's work would be at.",
      }),
    }),
  });
  const MaterialType = builder.objectRef<MaterialAlternatives>('DelayedMaterial').implement({
    description:
      "A material of the order its supplier reported late: the latest report, the customer's answer, the choices.",
    fields: (t) => ({
      materialCode: t.string({ resolve: (m) => m.delay.materialCode }),
      delay: t.field({ type: DelayType as never, resolve: (m) => m.delay as never }),
      choice: t.field({ type: ChoiceType as never, nullable: true, resolve: (m) => m.choice as never }),
      alternatives: t.field({
        type: [AlternativeType],
        description: 'Evaluated while the delay waits for an answer; none once answered.',
        resolve: (m) => m.alternatives,
      }),
    }),
  });

  builder.queryFields((t) => ({
    supplierOrganisations: t.stringList({
      description:
        'The MSP ids of the organisations that supply material: whom a customer may name, and as backups.',
      authScopes: { role: ['customer', 'operator'] },
      resolve: (_r, _a, context) => supplierOrganisations(context.pool),
    }),
    supplyAlternatives: t.field({
      type: [MaterialType],
      description:
        "The late materials of the caller's work order and, for each delay not yet answered, what keeping the plants, moving the work or each backup supplier would do to its finish and cost.",
      authScopes: { role: ['customer', 'operator'] },
      args: { workOrderId: t.arg.string({ required: true }) },
      resolve: async (_r, { workOrderId }, context) =>
        supplyAlternatives(
          context.pool,
          context.matcher.now(),
          context.matcher.settings,
          await ownWorkOrder(context, workOrderId),
        ),
    }),
  }));

  builder.mutationFields((t) => ({
    chooseSupplyAlternative: t.field({
      type: ChoiceType as never,
      description:
        "The customer's answer to its material's latest delay, signed with its own organisation's keys (Supply.ChooseAlternative); the matcher re-plans by it at once.",
      authScopes: { role: ['customer'] },
      args: {
        choice: t.arg({
          type: requestArgument(
            builder,
            'ChooseSupplyAlternativeInput',
            requestParsers.chooseSupplyAlternative,
            ['requestId'],
          ),
          required: true,
        }),
      },
      resolve: async (_r, args, context) => {
        const request = plainJson(args.choice) as CommandInput<'chooseSupplyAlternative'>;
        await ownWorkOrder(context, request.workOrderId);
        // A requestId the client chose makes a retry safe; one is made if absent.
        const committed = await submitRequest(context, 'chooseSupplyAlternative', request);
        const choice = supplyChoiceParser.fromJson(decodeUtf8(committed.payload));
        // Its event re-plans on the operator's node, whichever node the customer chose on.
        await context.matcher.idle();
        return choice as never;
      },
    }),
  }));
}
