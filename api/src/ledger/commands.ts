import { randomUUID } from 'node:crypto';
import { EventName, requestParsers, type Parser } from '@fabpool/chaincode/model';
import type { Committed, Ledger, SubmitOptions } from '@fabpool/network';
import type { Role } from '../auth/tokens.js';

/** A pool command: which transaction it is, the parser of its one JSON request, the event it emits. */
interface RequestCommand<T> {
  contract: string;
  transaction: string;
  parser: Parser<T>;
  emits: EventName;
}

const command = <T>(
  contract: string,
  transaction: string,
  parser: Parser<T>,
  emits: EventName,
): RequestCommand<T> => ({ contract, transaction, parser, emits });

/**
 * Every chaincode transaction that takes one JSON request, by name: what every writer (the api's
 * mutations, the matcher's publisher, the demo's seed and simulator) sends through
 * `LedgerCommands`. The parser is the chaincode's own (its JSON Schema), so a request is typed at
 * compile time and checked again at run time before anything is signed.
 */
export const LEDGER_COMMANDS = {
  registerFactory: command(
    'Factory',
    'RegisterFactory',
    requestParsers.registerFactory,
    EventName.FACTORY_REGISTERED,
  ),
  declareCapacity: command(
    'Factory',
    'DeclareCapacity',
    requestParsers.declareCapacity,
    EventName.CAPACITY_DECLARED,
  ),
  listQuota: command('Quota', 'ListQuota', requestParsers.listQuota, EventName.QUOTA_LISTED),
  buyQuota: command('Quota', 'BuyQuota', requestParsers.quota, EventName.QUOTA_SOLD),
  releaseQuota: command('Quota', 'ReleaseQuota', requestParsers.quota, EventName.QUOTA_RELEASED),
  expireQuota: command('Quota', 'ExpireQuota', requestParsers.quota, EventName.QUOTA_EXPIRED),
  declareQuotaPayment: command(
    'Quota',
    'DeclareQuotaPayment',
    requestParsers.declareQuotaPayment,
    EventName.QUOTA_PAYMENT_DECLARED,
  ),
  confirmQuotaPayment: command(
    'Quota',
    'ConfirmQuotaPayment',
    requestParsers.quota,
    EventName.QUOTA_PAYMENT_CONFIRMED,
  ),
  publishWorkOrder: command(
    'WorkOrder',
    'PublishWorkOrder',
    requestParsers.publishWorkOrder,
    EventName.WORK_ORDER_PUBLISHED,
  ),
  publishWorkOrders: command(
    'WorkOrder',
    'PublishWorkOrders',
    requestParsers.publishWorkOrders,
    EventName.WORK_ORDER_PUBLISHED,
  ),
  cancelWorkOrder: command(
    'WorkOrder',
    'CancelWorkOrder',
    requestParsers.workOrder,
    EventName.WORK_ORDER_CANCELLED,
  ),
  reportSupplyDelay: command(
    'Supply',
    'ReportDelay',
    requestParsers.reportSupplyDelay,
    EventName.SUPPLY_DELAY_REPORTED,
  ),
  chooseSupplyAlternative: command(
    'Supply',
    'ChooseAlternative',
    requestParsers.chooseSupplyAlternative,
    EventName.SUPPLY_ALTERNATIVE_CHOSEN,
  ),
  amendWorkOrder: command(
    'WorkOrder',
    'AmendWorkOrder',
    requestParsers.amendWorkOrder,
    EventName.WORK_ORDER_AMENDED,
  ),
  answerAmendment: command(
    'WorkOrder',
    'AnswerAmendment',
    requestParsers.answerAmendment,
    EventName.AMENDMENT_ANSWERED,
  ),
  recordAssignment: command(
    'Assignment',
    'RecordAssignment',
    requestParsers.recordAssignment,
    EventName.ASSIGNMENT_RECORDED,
  ),
  recordRunInput: command(
    'Assignment',
    'RecordRunInput',
    requestParsers.recordRunInput,
    EventName.RUN_INPUT_RECORDED,
  ),
  acceptLot: command('Assignment', 'AcceptLot', requestParsers.lot, EventName.LOT_ACCEPTED),
  rejectLot: command('Assignment', 'RejectLot', requestParsers.rejectLot, EventName.LOT_REJECTED),
  offerHandOver: command(
    'Custody',
    'OfferHandOver',
    requestParsers.offerHandOver,
    EventName.HAND_OVER_OFFERED,
  ),
  confirmHandOver: command(
    'Custody',
    'ConfirmHandOver',
    requestParsers.confirmHandOver,
    EventName.HAND_OVER_CONFIRMED,
  ),
  handOverWithin: command(
    'Custody',
    'HandOverWithin',
    requestParsers.handOverWithin,
    EventName.HAND_OVER_CONFIRMED,
  ),
  startOperation: command(
    'Progress',
    'StartOperation',
    requestParsers.startOperation,
    EventName.OPERATION_STARTED,
  ),
  reportOperation: command(
    'Progress',
    'ReportOperation',
    requestParsers.reportOperation,
    EventName.OPERATION_REPORTED,
  ),
  closeException: command(
    'Progress',
    'CloseException',
    requestParsers.closeException,
    EventName.EXCEPTION_CLOSED,
  ),
  flagOverrun: command('Progress', 'FlagOverrun', requestParsers.operation, EventName.EXCEPTION_OPENED),
  escalateException: command(
    'Progress',
    'EscalateException',
    requestParsers.operation,
    EventName.EXCEPTION_ESCALATED,
  ),
  acceptDelivery: command(
    'Settlement',
    'AcceptDelivery',
    requestParsers.acceptDelivery,
    EventName.DELIVERY_ACCEPTED,
  ),
  declarePayment: command(
    'Settlement',
    'DeclarePayment',
    requestParsers.declarePayment,
    EventName.PAYMENT_DECLARED,
  ),
  confirmPayment: command(
    'Settlement',
    'ConfirmPayment',
    requestParsers.confirmPayment,
    EventName.PAYMENT_CONFIRMED,
  ),
  closeStatement: command(
    'Settlement',
    'CloseStatement',
    requestParsers.closeStatement,
    EventName.STATEMENT_CLOSED,
  ),
  acknowledgeStatement: command(
    'Settlement',
    'AcknowledgeStatement',
    requestParsers.statement,
    EventName.STATEMENT_ACKNOWLEDGED,
  ),
  disputeStatement: command(
    'Settlement',
    'DisputeStatement',
    requestParsers.disputeStatement,
    EventName.STATEMENT_DISPUTED,
  ),
  sealBid: command('Bid', 'SealBid', requestParsers.sealBid, EventName.BID_SEALED),
  revealBid: command('Bid', 'RevealBid', requestParsers.revealBid, EventName.BID_REVEALED),
  awardBid: command('Bid', 'AwardBid', requestParsers.workOrder, EventName.BID_AWARDED),
  setProcessParameters: command(
    'ProcessParameters',
    'SetProcessParameters',
    requestParsers.workOrder,
    EventName.PROCESS_PARAMETERS_SET,
  ),
  shareProcessParameters: command(
    'ProcessParameters',
    'ShareProcessParameters',
    requestParsers.shareProcessParameters,
    EventName.PROCESS_PARAMETERS_SHARED,
  ),
} as const;

export type CommandName = keyof typeof LEDGER_COMMANDS;
/** The request a command's transaction takes, as the chaincode's schema types it. */
export type CommandRequest<N extends CommandName> = ReturnType<
  (typeof LEDGER_COMMANDS)[N]['parser']['check']
>;
/** A request as a writer gives it: the request id may be left to the client to make. */
export type CommandInput<N extends CommandName> = Omit<CommandRequest<N>, 'requestId'> & {
  requestId?: string;
};

/**
 * The member registry's transactions, which take their arguments one by one (the registry predates
 * the one-request convention): typed here as tuples.
 */
export interface RegistryCommands {
  registerMember: [mspId: string, clientId: string, displayName: string, role: Role];
  proposeMember: [clientId: string, displayName: string, role: Role];
  approveMember: [memberId: string];
}
const REGISTRY: Record<keyof RegistryCommands, { contract: string; transaction: string }> = {
  registerMember: { contract: 'Member', transaction: 'RegisterMember' },
  proposeMember: { contract: 'Member', transaction: 'ProposeMember' },
  approveMember: { contract: 'Member', transaction: 'ApproveMember' },
};

/**
 * The one way anything in the api writes to the ledger: a named command, its request typed by the
 * chaincode's schema and checked by its parser, signed as `member` on this node.
 */
export class LedgerCommands {
  constructor(
    private readonly ledger: Pick<Ledger, 'submit'>,
    private readonly newRequestId: () => string = () => `api-${randomUUID()}`,
  ) {}

  /** The request as it goes on the ledger: checked, with a request id (the given one, or a new one). */
  requestOf<N extends CommandName>(name: N, input: CommandInput<N>): CommandRequest<N> {
    return LEDGER_COMMANDS[name].parser.check({
      requestId: this.newRequestId(),
      ...input,
    }) as CommandRequest<N>;
  }

  async send<N extends CommandName>(
    member: string,
    name: N,
    input: CommandInput<N>,
    options?: SubmitOptions,
  ): Promise<Committed> {
    const { contract, transaction } = LEDGER_COMMANDS[name];
    return this.ledger.submit(
      member,
      contract,
      transaction,
      [JSON.stringify(this.requestOf(name, input))],
      options,
    );
  }

  async register<N extends keyof RegistryCommands>(
    member: string,
    name: N,
    ...args: RegistryCommands[N]
  ): Promise<Committed> {
    const { contract, transaction } = REGISTRY[name];
    return this.ledger.submit(member, contract, transaction, args);
  }
}
