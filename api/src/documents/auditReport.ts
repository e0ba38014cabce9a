import type { QuotaPayment, Settlement, Statement } from '@fabpool/chaincode/model';
import type { TabularDocument } from './document.js';
import { STATEMENT_STATUS, type PartyNames } from './statementDocument.js';

/** What the auditor's verification of the chain found. */
export interface VerificationFacts {
  ok: boolean;
  height: number;
  firstBroken?: { blockNumber: number; reason: string };
  checkedFrom?: number;
  signaturesChecked?: number;
}

interface PairTotals {
  customerMemberId: string;
  factoryMspId: string;
  settlements: number;
  gross: number;
  latePenalty: number;
  prepaidCredit: number;
  amountDue: number;
  paid: number;
  unpaid: number;
  quotaPrepaid: number;
  quotaRefunded: number;
  quotaForfeited: number;
}

/** Money between each customer and each factory organisation, totalled from the records. */
export function totalsByPair(
  settlements: readonly Settlement[],
  quotaPayments: readonly QuotaPayment[],
): PairTotals[] {
  const pairs = new Map<string, PairTotals>();
  const pairOf = (customerMemberId: string, factoryMspId: string): PairTotals => {
    const key = `${customerMemberId}\u0000${factoryMspId}`;
    const found = pairs.get(key);
    if (found !== undefined) return found;
    const fresh: PairTotals = {
      customerMemberId,
      factoryMspId,
      settlements: 0,
      gross: 0,
      latePenalty: 0,
      prepaidCredit: 0,
      amountDue: 0,
      paid: 0,
      unpaid: 0,
      quotaPrepaid: 0,
      quotaRefunded: 0,
      quotaForfeited: 0,
    };
    pairs.set(key, fresh);
    return fresh;
  };
  for (const s of settlements) {
    const p = pairOf(s.payerMemberId, s.payeeMspId);
    p.settlements += 1;
    p.gross += s.gross;
    p.latePenalty += s.latePenalty;
    p.prepaidCredit += s.prepaidCredit;
    p.amountDue += s.amountDue;
    if (s.status === 'PAID') p.paid += s.amountDue;
    else p.unpaid += s.amountDue;
  }
  for (const q of quotaPayments) {
    const p = pairOf(q.payerMemberId, q.payeeMspId);
    p.quotaPrepaid += q.amount;
    p.quotaRefunded += q.closed?.refunded ?? 0;
    p.quotaForfeited += q.closed?.forfeited ?? 0;
  }
  return [...pairs.values()].sort((a, b) =>
    a.customerMemberId === b.customerMemberId
      ? a.factoryMspId.localeCompare(b.factoryMspId)
      : a.customerMemberId.localeCompare(b.customerMemberId),
  );
}

/**
 * The auditor's report: what the chain's verification found (hashes and signatures), every closed
 * statement and who signed it, and the money between each customer and each factory organisation.
 */
export function auditReportDocument(
  verification: VerificationFacts,
  statements: readonly Statement[],
  settlements: readonly Settlement[],
  quotaPayments: readonly QuotaPayment[],
  names: PartyNames,
  generatedAt: string,
): TabularDocument {
  const chain = verification.ok
    ? `完好 Intact：${verification.height} 个区块 blocks`
    : `第 ${verification.firstBroken?.blockNumber ?? '?'} 块不符 Broken at block ${verification.firstBroken?.blockNumber ?? '?'}：${verification.firstBroken?.reason ?? ''}`;
  return {
    title: '审计报告 Audit report',
    facts: [
      { label: '生成时间 Generated', value: `${generatedAt.slice(0, 19).replace('T', ' ')} UTC` },
      { label: '账本校验 Ledger verification', value: chain },
      {
        label: '本次校验 This check',
        value: `自第 ${verification.checkedFrom ?? 0} 块起，验证签名 ${verification.signaturesChecked ?? 0} 个 from block ${verification.checkedFrom ?? 0}, ${verification.signaturesChecked ?? 0} signatures verified`,
      },
    ],
    sections: [
      {
        heading: '对账单 Statements',
        columns: [
          { key: 'statementId', header: '对账单 Statement', kind: 'text' },
          { key: 'customer', header: '客户 Customer', kind: 'text' },
          { key: 'factory', header: '工厂 Factory', kind: 'text' },
          { key: 'period', header: '期间 Period', kind: 'text' },
          { key: 'status', header: '状态 Status', kind: 'text' },
          { key: 'net', header: '净额(元) Net', kind: 'money' },
          { key: 'contentHash', header: '内容哈希 Content hash', kind: 'text' },
        ],
        rows: [...statements]
          .sort((a, b) =>
            a.from === b.from ? a.statementId.localeCompare(b.statementId) : a.from.localeCompare(b.from),
          )
          .map((s) => ({
            statementId: s.statementId,
            customer: names.member(s.customerMemberId),
            factory: names.organisation(s.factoryMspId),
            period: `${s.from.slice(0, 10)} — ${s.to.slice(0, 10)}`,
            status: STATEMENT_STATUS[s.status],
            net: s.figures.netAPaysB,
            contentHash: s.contentHash.slice(0, 16),
          })),
        empty: '还没有对账单 No statement closed yet',
      },
      {
        heading: '客户与工厂之间的款项 Money between each customer and factory',
        columns: [
          { key: 'customer', header: '客户 Customer', kind: 'text' },
          { key: 'factory', header: '工厂 Factory', kind: 'text' },
          { key: 'settlements', header: '结算笔数 Settlements', kind: 'integer' },
          { key: 'gross', header: '金额(元) Gross', kind: 'money' },
          { key: 'latePenalty', header: '逾期罚款(元) Penalties', kind: 'money' },
          { key: 'prepaidCredit', header: '预付抵扣(元) Prepaid', kind: 'money' },
          { key: 'amountDue', header: '应付(元) Due', kind: 'money' },
          { key: 'paid', header: '已收款(元) Paid', kind: 'money' },
          { key: 'unpaid', header: '未收款(元) Unpaid', kind: 'money' },
          { key: 'quotaPrepaid', header: '额度预付(元) Quota prepaid', kind: 'money' },
          { key: 'quotaRefunded', header: '额度退款(元) Refunded', kind: 'money' },
          { key: 'quotaForfeited', header: '额度没收(元) Forfeited', kind: 'money' },
        ],
        rows: totalsByPair(settlements, quotaPayments).map((p) => ({
          ...p,
          customer: names.member(p.customerMemberId),
          factory: names.organisation(p.factoryMspId),
        })),
        empty: '还没有结算 No settlement yet',
      },
    ],
  };
}
