import { ChaincodeError, ErrorCode } from '../model/errors.js';
import { digestOf } from '../model/marshal.js';
import type { Member } from '../model/member.js';
import type { QuotaPayment } from '../model/quota.js';
import type { CloseStatementRequest, DisputeStatementRequest } from '../model/requests.js';
import type { Settlement } from '../model/settlement.js';
import type { Statement, StatementSignature } from '../model/statement.js';
import { overseesAll } from './access.js';
import { periodStatement } from './settlement.js';

const fail = (code: ErrorCode, message: string): never => {
  throw new ChaincodeError(code, message);
};

export type StatementSide = 'CUSTOMER' | 'FACTORY';

/** Which side of a statement `member` speaks for, if any: the customer itself, or a member of the factory organisation. */
export function statementSideOf(
  member: Member,
  parties: Pick<Statement, 'customerMemberId' | 'factoryMspId'>,
): StatementSide | undefined {
  if (member.memberId === parties.customerMemberId) return 'CUSTOMER';
  if (member.role === 'factory' && member.mspId === parties.factoryMspId) return 'FACTORY';
  return undefined;
}

/** A statement is read by its two sides and by the overseers. */
export function requireStatementReader(member: Member, statement: Statement): void {
  if (overseesAll(member) || statementSideOf(member, statement) !== undefined) return;
  fail(ErrorCode.NOT_PARTY, `statement ${statement.statementId} is between two other parties`);
}

/**
 * What both sides sign: the parties, the period and every line's amounts as they stand at closing.
 * Statuses are left out — a payment confirmed after closing does not change what was agreed to be
 * owed — and so is the statement's id: a period closed again with the same lines hashes the same.
 */
export function statementContentHash(
  statement: Pick<Statement, 'factoryMspId' | 'customerMemberId' | 'from' | 'to'>,
  settlements: readonly Settlement[],
  quotaPayments: readonly QuotaPayment[],
): string {
  return digestOf({
    factoryMspId: statement.factoryMspId,
    customerMemberId: statement.customerMemberId,
    from: statement.from,
    to: statement.to,
    settlements: settlements.map((s) => ({
      settlementId: s.settlementId,
      acceptedQuantity: s.acceptedQuantity,
      gross: s.gross,
      latePenalty: s.latePenalty,
      prepaidCredit: s.prepaidCredit,
      amountDue: s.amountDue,
    })),
    quotaPayments: quotaPayments.map((q) => ({
      quotaId: q.quotaId,
      amount: q.amount,
      closed: q.closed ?? null,
    })),
  });
}

/**
 * Either side closes a period that is over into a statement: the chaincode nets the customer's
 * settlements and quota payments with the factory organisation over [from, to), and the closer's
 * closing is its acknowledgement. A period may not overlap another open or agreed statement of the
 * same two parties (a disputed one may be closed again, corrected).
 */
export function closeStatement(
  member: Member,
  customer: Member | undefined,
  request: CloseStatementRequest,
  settlements: readonly Settlement[],
  quotaPayments: readonly QuotaPayment[],
  others: readonly Statement[],
  now: string,
): Statement {
  if (customer?.role !== 'customer')
    throw new ChaincodeError(
      ErrorCode.INVALID_ARGUMENT,
      `${request.customerMemberId} is not a customer of the alliance`,
    );
  const parties = { customerMemberId: request.customerMemberId, factoryMspId: request.factoryMspId };
  const side = statementSideOf(member, parties);
  if (side === undefined)
    fail(
      ErrorCode.NOT_PARTY,
      'a statement is closed by the customer or the factory organisation it is between',
    );
  const { from, to } = request;
  if (!(Date.parse(from) < Date.parse(to)))
    fail(ErrorCode.INVALID_ARGUMENT, `the period must end after it starts (${from}, ${to})`);
  if (Date.parse(to) > Date.parse(now))
    fail(ErrorCode.STATEMENT_PERIOD_NOT_OVER, `the period ends at ${to}, after now (${now})`);
  const overlapping = others.find(
    (o) =>
      o.status !== 'DISPUTED' && Date.parse(o.from) < Date.parse(to) && Date.parse(from) < Date.parse(o.to),
  );
  if (overlapping !== undefined)
    fail(
      ErrorCode.STATEMENT_OVERLAPS,
      `statement ${overlapping.statementId} (${overlapping.from} – ${overlapping.to}, ${overlapping.status}) covers part of this period`,
    );
  const customerMspId = customer.mspId;
  const own = settlements.filter(
    (s) => s.payerMemberId === request.customerMemberId && s.payeeMspId === request.factoryMspId,
  );
  const ownQuotas = quotaPayments.filter(
    (q) => q.payerMemberId === request.customerMemberId && q.payeeMspId === request.factoryMspId,
  );
  const figures = periodStatement(own, customerMspId, request.factoryMspId, from, to, ownQuotas);
  const lines = own.filter((s) => figures.settlementIds.includes(s.settlementId));
  const quotaLines = ownQuotas.filter((q) => figures.quotaIds.includes(q.quotaId));
  const signature: StatementSignature = { memberId: member.memberId, mspId: member.mspId, at: now };
  const head = {
    statementId: request.statementId,
    factoryMspId: request.factoryMspId,
    customerMemberId: request.customerMemberId,
    from,
    to,
  };
  return {
    ...head,
    customerMspId,
    figures,
    contentHash: statementContentHash(head, lines, quotaLines),
    status: 'OPEN',
    closedAt: now,
    closedBy: signature,
    ...(side === 'CUSTOMER' ? { customerSignature: signature } : { factorySignature: signature }),
  };
}

function requireOpenSide(member: Member, statement: Statement): StatementSide {
  const side = statementSideOf(member, statement);
  if (side === undefined)
    throw new ChaincodeError(
      ErrorCode.NOT_PARTY,
      `statement ${statement.statementId} is between two other parties`,
    );
  if (statement.status !== 'OPEN')
    fail(
      ErrorCode.STATEMENT_WRONG_STATUS,
      `statement ${statement.statementId} is ${statement.status} already`,
    );
  return side;
}

/** The other side acknowledges the figures as closed; with both sides' word the statement is agreed. */
export function acknowledgeStatement(member: Member, statement: Statement, now: string): Statement {
  const side = requireOpenSide(member, statement);
  const signed = side === 'CUSTOMER' ? statement.customerSignature : statement.factorySignature;
  if (signed !== undefined)
    fail(
      ErrorCode.STATEMENT_WRONG_STATUS,
      `statement ${statement.statementId} was acknowledged for this side by ${signed.memberId} at ${signed.at}`,
    );
  const signature: StatementSignature = { memberId: member.memberId, mspId: member.mspId, at: now };
  const next: Statement =
    side === 'CUSTOMER'
      ? { ...statement, customerSignature: signature }
      : { ...statement, factorySignature: signature };
  return next.customerSignature !== undefined && next.factorySignature !== undefined
    ? { ...next, status: 'AGREED' }
    : next;
}

/**
 * Either side disputes an open statement, naming why and at least one of its lines; the period may
 * then be closed again once the lines are put right.
 */
export function disputeStatement(
  member: Member,
  statement: Statement,
  request: DisputeStatementRequest,
  now: string,
): Statement {
  requireOpenSide(member, statement);
  if (request.settlementIds.length + request.quotaIds.length === 0)
    fail(ErrorCode.INVALID_ARGUMENT, 'a dispute names at least one line of the statement');
  const unknown = [
    ...request.settlementIds.filter((id) => !statement.figures.settlementIds.includes(id)),
    ...request.quotaIds.filter((id) => !statement.figures.quotaIds.includes(id)),
  ];
  if (unknown.length > 0)
    fail(
      ErrorCode.STATEMENT_LINE_UNKNOWN,
      `not lines of statement ${statement.statementId}: ${unknown.join(', ')}`,
    );
  return {
    ...statement,
    status: 'DISPUTED',
    dispute: {
      memberId: member.memberId,
      mspId: member.mspId,
      at: now,
      reason: request.reason,
      settlementIds: [...new Set(request.settlementIds)].sort(),
      quotaIds: [...new Set(request.quotaIds)].sort(),
    },
  };
}
