/** Chaincode event names: the only place they are spelled. */
export const EventName = {
  MEMBER_APPLIED: 'MemberApplied',
  MEMBER_REGISTERED: 'MemberRegistered',
  MEMBER_APPROVED: 'MemberApproved',
  MEMBER_UPDATED: 'MemberUpdated',
} as const;
export type EventName = (typeof EventName)[keyof typeof EventName];
