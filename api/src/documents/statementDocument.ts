import type { QuotaPayment, Settlement, Statement, StatementSignature } from '@fabpool/chaincode/model';
import type { DocumentColumn, TabularDocument } from './document.js';

/** How the documents name the parties: members by their display name, organisations by their plants. */
export interface PartyNames {
  member(memberId: string): string;
  organisation(mspId: string): string;
}

export const STATEMENT_STATUS: Record<Statement['status'], string> = {
  OPEN: '待对方确认 Open',
  AGREED: '双方已确认 Agreed',
  DISPUTED: '有争议 Disputed',
};
export const SETTLEMENT_STATUS: Record<Settlement['status'], string> = {
  DUE: '待付款 Due',
  DECLARED: '已付款待确认 Declared',
  PAID: '已收款 Paid',
};
const QUOTA_CLOSED: Record<NonNullable<QuotaPayment['closed']>['by'], string> = {
  RELEASED: '已释放 Released',
  EXPIRED: '已到期 Expired',
};

const instant = (at: string) => `${at.slice(0, 16).replace('T', ' ')} UTC`;
const signed = (names: PartyNames, s: StatementSignature | undefined) =>
  s === undefined ? '—' : `${names.member(s.memberId)}，${instant(s.at)}`;

export const SETTLEMENT_COLUMNS: DocumentColumn[] = [
  { key: 'settlementId', header: '结算单 Settlement', kind: 'text' },
  { key: 'workOrderId', header: '工单 Work order', kind: 'text' },
  { key: 'acceptedQuantity', header: '验收数量 Accepted', kind: 'integer' },
  { key: 'unitPrice', header: '单价(元) Unit price', kind: 'money' },
  { key: 'gross', header: '金额(元) Gross', kind: 'money' },
  { key: 'latePenalty', header: '逾期罚款(元) Late penalty', kind: 'money' },
  { key: 'prepaidCredit', header: '额度预付抵扣(元) Prepaid', kind: 'money' },
  { key: 'amountDue', header: '应付(元) Amount due', kind: 'money' },
  { key: 'status', header: '状态 Status', kind: 'text' },
  { key: 'paymentReference', header: '付款参考 Reference', kind: 'text' },
];

export const settlementRow = (s: Settlement) => ({
  settlementId: s.settlementId,
  workOrderId: s.workOrderId,
  acceptedQuantity: s.acceptedQuantity,
  unitPrice: s.unitPrice,
  gross: s.gross,
  latePenalty: s.latePenalty,
  prepaidCredit: s.prepaidCredit,
  amountDue: s.amountDue,
  status: SETTLEMENT_STATUS[s.status],
  paymentReference: s.paymentReference ?? null,
});

/**
 * A closed statement as finance reads it: the parties by name, the period, who signed and when (or
 * the dispute), the content hash both sides signed, every line, and the totals as closed. Lines
 * show their status now — a payment confirmed after closing shows as paid.
 */
export function statementDocument(
  statement: Statement,
  settlements: readonly Settlement[],
  quotaPayments: readonly QuotaPayment[],
  names: PartyNames,
): TabularDocument {
  const f = statement.figures;
  const customer = names.member(statement.customerMemberId);
  const factory = names.organisation(statement.factoryMspId);
  const facts = [
    { label: '客户 Customer', value: `${customer}（${statement.customerMspId}）` },
    { label: '工厂 Factory', value: `${factory}（${statement.factoryMspId}）` },
    { label: '期间 Period', value: `${instant(statement.from)} — ${instant(statement.to)}` },
    { label: '状态 Status', value: STATEMENT_STATUS[statement.status] },
    { label: '结单 Closed by', value: signed(names, statement.closedBy) },
    { label: '客户确认 Customer signed', value: signed(names, statement.customerSignature) },
    { label: '工厂确认 Factory signed', value: signed(names, statement.factorySignature) },
    ...(statement.dispute === undefined
      ? []
      : [
          {
            label: '争议 Dispute',
            value: `${names.member(statement.dispute.memberId)}，${instant(statement.dispute.at)}：${statement.dispute.reason}（${[...statement.dispute.settlementIds, ...statement.dispute.quotaIds].join('、')}）`,
          },
        ]),
    { label: '内容哈希 Content hash (SHA-256)', value: statement.contentHash },
  ];
  const byId = new Map(settlements.map((s) => [s.settlementId, s]));
  const quotas = new Map(quotaPayments.map((q) => [q.quotaId, q]));
  return {
    title: `对账单 Statement ${statement.statementId}`,
    facts,
    sections: [
      {
        heading: '结算明细 Settlements',
        columns: SETTLEMENT_COLUMNS,
        rows: f.settlementIds.flatMap((id) => {
          const s = byId.get(id);
          return s === undefined ? [] : [settlementRow(s)];
        }),
        empty: '本期没有结算 No settlement in this period',
      },
      {
        heading: '工单额度 Capacity quotas',
        columns: [
          { key: 'quotaId', header: '额度 Quota', kind: 'text' },
          { key: 'factoryId', header: '工厂 Plant', kind: 'text' },
          { key: 'amount', header: '预付(元) Prepaid', kind: 'money' },
          { key: 'closedBy', header: '结束 Closed', kind: 'text' },
          { key: 'usedValue', header: '已用(元) Used', kind: 'money' },
          { key: 'refunded', header: '退款(元) Refunded', kind: 'money' },
          { key: 'forfeited', header: '没收(元) Forfeited', kind: 'money' },
        ],
        rows: f.quotaIds.flatMap((id) => {
          const q = quotas.get(id);
          if (q === undefined) return [];
          return [
            {
              quotaId: q.quotaId,
              factoryId: q.factoryId,
              amount: q.amount,
              closedBy: q.closed === undefined ? '—' : QUOTA_CLOSED[q.closed.by],
              usedValue: q.closed?.usedValue ?? null,
              refunded: q.closed?.refunded ?? null,
              forfeited: q.closed?.forfeited ?? null,
            },
          ];
        }),
        empty: '本期没有工单额度 No quota in this period',
      },
      {
        heading: '合计（结单时） Totals as closed',
        columns: [
          { key: 'item', header: '项目 Item', kind: 'text' },
          { key: 'amount', header: '金额(元) Amount', kind: 'money' },
        ],
        rows: [
          { item: `${customer} 应付 owes`, amount: f.owedByA },
          { item: `其中结单时未付 of which unpaid at closing`, amount: f.outstandingByA },
          { item: `${factory} 应退 owes back`, amount: f.owedByB },
          { item: '净额（客户付工厂） Net, customer pays factory', amount: f.netAPaysB },
          { item: '额度预付 Quota prepayments', amount: f.quotaPrepaidByA },
          { item: '额度退款 Quota refunds', amount: f.quotaRefundedToA },
          { item: '额度没收 Quota forfeits', amount: f.quotaForfeitedByA },
        ],
      },
    ],
  };
}
