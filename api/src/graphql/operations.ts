import type { Role } from '../auth/tokens.js';
import { LEDGER_COMMANDS, type CommandName } from '../ledger/commands.js';

/**
 * The roles that may ask for each chaincode transaction the api offers as a mutation (named as its
 * ledger command). The chaincode checks the caller too; this only refuses early with the same
 * meaning. Private-data transactions (sealBid, setProcessParameters, shareProcessParameters) and
 * the publisher's batch have mutations of their own.
 */
const MUTATION_ROLES = {
  registerFactory: ['factory'],
  declareCapacity: ['factory'],
  listQuota: ['factory'],
  buyQuota: ['customer'],
  releaseQuota: ['customer'],
  declareQuotaPayment: ['customer'],
  confirmQuotaPayment: ['factory'],
  publishWorkOrder: ['customer'],
  cancelWorkOrder: ['customer'],
  amendWorkOrder: ['customer'],
  answerAmendment: ['factory'],
  recordAssignment: ['operator'],
  acceptLot: ['factory'],
  rejectLot: ['factory'],
  offerHandOver: ['factory', 'customer'],
  confirmHandOver: ['factory', 'customer'],
  handOverWithin: ['factory'],
  startOperation: ['factory'],
  reportOperation: ['factory'],
  closeException: ['factory'],
  acceptDelivery: ['customer'],
  // The side that sends a settlement's money declares it, the other confirms it arrived: the
  // customer pays, the factory refunds a negative amount.
  declarePayment: ['customer', 'factory'],
  confirmPayment: ['factory', 'customer'],
  closeStatement: ['customer', 'factory'],
  acknowledgeStatement: ['customer', 'factory'],
  disputeStatement: ['customer', 'factory'],
  revealBid: ['factory'],
  awardBid: ['customer'],
} as const satisfies Partial<Record<CommandName, readonly Role[]>>;

type MutationName = keyof typeof MUTATION_ROLES;

/** Every ledger mutation: its command (contract, transaction, request parser, event) and its roles. */
export const LEDGER_MUTATIONS = Object.fromEntries(
  (Object.keys(MUTATION_ROLES) as MutationName[]).map((name) => [
    name,
    { ...LEDGER_COMMANDS[name], roles: MUTATION_ROLES[name] },
  ]),
) as { [N in MutationName]: (typeof LEDGER_COMMANDS)[N] & { roles: (typeof MUTATION_ROLES)[N] } };
