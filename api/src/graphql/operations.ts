import { requestParsers } from '@fabpool/chaincode/model';
import type { Role } from '../auth/tokens.js';

/**
 * Every chaincode transaction the api offers as a mutation: its contract, its request's parser
 * (the chaincode's own JSON Schema: one definition, checked here before anything is signed and
 * again by the chaincode) and the roles that may ask for it. The chaincode checks the caller too;
 * this only refuses early with the same meaning.
 */
export const LEDGER_MUTATIONS = {
  registerFactory: {
    contract: 'Factory',
    transaction: 'RegisterFactory',
    parser: requestParsers.registerFactory,
    roles: ['factory'],
  },
  declareCapacity: {
    contract: 'Factory',
    transaction: 'DeclareCapacity',
    parser: requestParsers.declareCapacity,
    roles: ['factory'],
  },
  listQuota: {
    contract: 'Quota',
    transaction: 'ListQuota',
    parser: requestParsers.listQuota,
    roles: ['factory'],
  },
  buyQuota: { contract: 'Quota', transaction: 'BuyQuota', parser: requestParsers.quota, roles: ['customer'] },
  releaseQuota: {
    contract: 'Quota',
    transaction: 'ReleaseQuota',
    parser: requestParsers.quota,
    roles: ['customer'],
  },
  publishWorkOrder: {
    contract: 'WorkOrder',
    transaction: 'PublishWorkOrder',
    parser: requestParsers.publishWorkOrder,
    roles: ['customer'],
  },
  cancelWorkOrder: {
    contract: 'WorkOrder',
    transaction: 'CancelWorkOrder',
    parser: requestParsers.workOrder,
    roles: ['customer'],
  },
  recordAssignment: {
    contract: 'Assignment',
    transaction: 'RecordAssignment',
    parser: requestParsers.recordAssignment,
    roles: ['operator'],
  },
  acceptLot: {
    contract: 'Assignment',
    transaction: 'AcceptLot',
    parser: requestParsers.lot,
    roles: ['factory'],
  },
  rejectLot: {
    contract: 'Assignment',
    transaction: 'RejectLot',
    parser: requestParsers.rejectLot,
    roles: ['factory'],
  },
  offerHandOver: {
    contract: 'Custody',
    transaction: 'OfferHandOver',
    parser: requestParsers.offerHandOver,
    roles: ['factory', 'customer'],
  },
  confirmHandOver: {
    contract: 'Custody',
    transaction: 'ConfirmHandOver',
    parser: requestParsers.confirmHandOver,
    roles: ['factory', 'customer'],
  },
  startOperation: {
    contract: 'Progress',
    transaction: 'StartOperation',
    parser: requestParsers.startOperation,
    roles: ['factory'],
  },
  reportOperation: {
    contract: 'Progress',
    transaction: 'ReportOperation',
    parser: requestParsers.reportOperation,
    roles: ['factory'],
  },
  closeException: {
    contract: 'Progress',
    transaction: 'CloseException',
    parser: requestParsers.closeException,
    roles: ['factory'],
  },
  acceptDelivery: {
    contract: 'Settlement',
    transaction: 'AcceptDelivery',
    parser: requestParsers.acceptDelivery,
    roles: ['customer'],
  },
  confirmPayment: {
    contract: 'Settlement',
    transaction: 'ConfirmPayment',
    parser: requestParsers.confirmPayment,
    roles: ['customer'],
  },
  revealBid: {
    contract: 'Bid',
    transaction: 'RevealBid',
    parser: requestParsers.revealBid,
    roles: ['factory'],
  },
  awardBid: {
    contract: 'Bid',
    transaction: 'AwardBid',
    parser: requestParsers.workOrder,
    roles: ['customer'],
  },
} as const satisfies Record<
  string,
  {
    contract: string;
    transaction: string;
    parser: { check(value: unknown): unknown };
    roles: readonly Role[];
  }
>;
