/** Chaincode event names: the only place they are spelled. */
export const EventName = {
  MEMBER_APPLIED: 'MemberApplied',
  MEMBER_REGISTERED: 'MemberRegistered',
  MEMBER_APPROVED: 'MemberApproved',
  MEMBER_UPDATED: 'MemberUpdated',
  FACTORY_REGISTERED: 'FactoryRegistered',
  CAPACITY_DECLARED: 'CapacityDeclared',
  QUOTA_LISTED: 'QuotaListed',
  QUOTA_SOLD: 'QuotaSold',
  QUOTA_RELEASED: 'QuotaReleased',
  QUOTA_PAYMENT_DECLARED: 'QuotaPaymentDeclared',
  QUOTA_PAYMENT_CONFIRMED: 'QuotaPaymentConfirmed',
  QUOTA_EXPIRED: 'QuotaExpired',
  WORK_ORDER_PUBLISHED: 'WorkOrderPublished',
  WORK_ORDER_CANCELLED: 'WorkOrderCancelled',
  WORK_ORDER_AMENDED: 'WorkOrderAmended',
  AMENDMENT_ANSWERED: 'AmendmentAnswered',
  ASSIGNMENT_RECORDED: 'AssignmentRecorded',
  RUN_INPUT_RECORDED: 'RunInputRecorded',
  LOT_ACCEPTED: 'LotAccepted',
  LOT_REJECTED: 'LotRejected',
  HAND_OVER_OFFERED: 'HandOverOffered',
  HAND_OVER_CONFIRMED: 'HandOverConfirmed',
  OPERATION_STARTED: 'OperationStarted',
  OPERATION_REPORTED: 'OperationReported',
  EXCEPTION_OPENED: 'ExceptionOpened',
  EXCEPTION_ESCALATED: 'ExceptionEscalated',
  EXCEPTION_CLOSED: 'ExceptionClosed',
  DELIVERY_ACCEPTED: 'DeliveryAccepted',
  PAYMENT_DECLARED: 'PaymentDeclared',
  PAYMENT_CONFIRMED: 'PaymentConfirmed',
  STATEMENT_CLOSED: 'StatementClosed',
  STATEMENT_ACKNOWLEDGED: 'StatementAcknowledged',
  STATEMENT_DISPUTED: 'StatementDisputed',
  SUPPLY_DELAY_REPORTED: 'SupplyDelayReported',
  SUPPLY_ALTERNATIVE_CHOSEN: 'SupplyAlternativeChosen',
  PROCESS_PARAMETERS_SET: 'ProcessParametersSet',
  PROCESS_PARAMETERS_SHARED: 'ProcessParametersShared',
  BID_SEALED: 'BidSealed',
  BID_REVEALED: 'BidRevealed',
  BID_AWARDED: 'BidAwarded',
  ORGANISATION_PROPOSED: 'OrganisationProposed',
  PROPOSAL_APPROVED: 'ProposalApproved',
  PROPOSAL_APPLIED: 'ProposalApplied',
} as const;
export type EventName = (typeof EventName)[keyof typeof EventName];

/** Kinds of record a pool event reports a change of. */
export type RecordKind =
  | 'Factory'
  | 'Capacity'
  | 'CapacityQuota'
  | 'QuotaPayment'
  | 'WorkOrder'
  | 'Amendment'
  | 'SupplyDelay'
  | 'SupplyChoice'
  | 'Lot'
  | 'AssignmentRun'
  | 'RunInput'
  | 'Custody'
  | 'HandOver'
  | 'OperationProgress'
  | 'OperationException'
  | 'Settlement'
  | 'Statement'
  | 'Bid'
  | 'OrganisationProposal'
  /** A private record's public trace: `{ collection, hash }`, never the value. */
  | 'PrivateDataHash';

export interface RecordChange {
  kind: RecordKind;
  /** The record's id within its kind (capacity: `factoryId/process/bucket`). */
  id: string;
  /** The record as written. Public fields only: events reach every organisation. */
  record: unknown;
}

/**
 * Payload of every pool transaction's one event (Fabric keeps only the last `setEvent` of a
 * transaction): every record it wrote, so a read model can be projected from events alone.
 */
export interface PoolEvent {
  type: EventName;
  requestId: string;
  actorMemberId: string;
  at: string;
  changes: RecordChange[];
}
