import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import type { Settlement, Statement } from '@fabpool/chaincode/model';
import { afterAll, describe, expect, it } from 'vitest';
import { auditReportDocument, totalsByPair } from './auditReport.js';
import { toCsv, yuanText } from './document.js';
import { cjkFont, NoCjkFontError, toPdf } from './pdf.js';
import { statementDocument, type PartyNames } from './statementDocument.js';
import { toXlsx } from './xlsx.js';

const names: PartyNames = {
  member: (id) => ({ 'm-1': '客户一号' })[id] ?? id,
  organisation: (msp) => ({ FactoryAMSP: '苏州精塑注塑、昆山精密机加' })[msp] ?? msp,
};
const settlement = (id: string, amountDue: number, status: Settlement['status']): Settlement => ({
  settlementId: id,
  lotId: id,
  workOrderId: 'WO-7',
  payerMspId: 'CustomerAMSP',
  payerMemberId: 'm-1',
  payeeMspId: 'FactoryAMSP',
  acceptedQuantity: 12,
  unitPrice: 10_050,
  gross: 120_600,
  bucketsLate: 1,
  latePenalty: 120_600 - amountDue,
  prepaidCredit: 0,
  amountDue,
  status,
  createdAt: '2026-11-05T00:00:00.000Z',
  ...(status === 'PAID' ? { paymentReference: 'ICBC, "加急"' } : {}),
});
const lines = [settlement('RUN-1/1', 118_200, 'PAID'), settlement('RUN-1/2', 120_600, 'DUE')];
const statement: Statement = {
  statementId: 'ST-2026-11',
  factoryMspId: 'FactoryAMSP',
  customerMspId: 'CustomerAMSP',
  customerMemberId: 'm-1',
  from: '2026-11-01T00:00:00.000Z',
  to: '2026-12-01T00:00:00.000Z',
  figures: {
    memberA: 'CustomerAMSP',
    memberB: 'FactoryAMSP',
    from: '2026-11-01T00:00:00.000Z',
    to: '2026-12-01T00:00:00.000Z',
    settlementIds: ['RUN-1/1', 'RUN-1/2'],
    owedByA: 238_800,
    owedByB: 0,
    netAPaysB: 238_800,
    outstandingByA: 120_600,
    outstandingByB: 0,
    quotaIds: [],
    quotaPrepaidByA: 0,
    quotaPrepaidByB: 0,
    quotaRefundedToA: 0,
    quotaRefundedToB: 0,
    quotaForfeitedByA: 0,
    quotaForfeitedByB: 0,
  },
  contentHash: 'a'.repeat(64),
  status: 'AGREED',
  closedAt: '2026-12-01T02:00:00.000Z',
  closedBy: { memberId: 'f-1', mspId: 'FactoryAMSP', at: '2026-12-01T02:00:00.000Z' },
  factorySignature: { memberId: 'f-1', mspId: 'FactoryAMSP', at: '2026-12-01T02:00:00.000Z' },
  customerSignature: { memberId: 'm-1', mspId: 'CustomerAMSP', at: '2026-12-01T09:30:00.000Z' },
};
const document = statementDocument(statement, lines, [], names);
const work = mkdtempSync(join(tmpdir(), 'fabpool-documents-'));
afterAll(() => {
  rmSync(work, { recursive: true, force: true });
});

describe('documents finance takes away', () => {
  it('writes money as yuan with two decimals', () => {
    expect([yuanText(0), yuanText(5), yuanText(123_456), yuanText(-120_600)]).toEqual([
      '0.00',
      '0.05',
      '1,234.56',
      '-1,206.00',
    ]);
  });

  it('names the parties, the signatures and every line of a statement', () => {
    expect(document.facts.map((f) => f.value)).toEqual(
      expect.arrayContaining([
        '客户一号（CustomerAMSP）',
        '苏州精塑注塑、昆山精密机加（FactoryAMSP）',
        '双方已确认 Agreed',
        '客户一号，2026-12-01 09:30 UTC',
        'a'.repeat(64),
      ]),
    );
    expect(document.sections[0]?.rows.map((r) => [r.settlementId, r.amountDue, r.status])).toEqual([
      ['RUN-1/1', 118_200, '已收款 Paid'],
      ['RUN-1/2', 120_600, '待付款 Due'],
    ]);
  });

  it('as CSV: UTF-8 with a byte-order mark, quoted where needed, money as plain yuan', () => {
    const csv = toCsv(document);
    expect([...csv.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = csv.subarray(3).toString('utf8');
    expect(text.split('\r\n')[0]).toBe('对账单 Statement ST-2026-11');
    expect(text).toContain('RUN-1/1,WO-7,12,100.50,1206.00,24.00,0.00,1182.00,已收款 Paid,"ICBC, ""加急"""');
    expect(text).toContain('本期没有工单额度 No quota in this period');
  });

  it('as Excel: the same cells, money a number Excel formats in yuan', async () => {
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(
      (await toXlsx(document, new Date('2026-12-02T00:00:00Z'))) as unknown as ArrayBuffer,
    );
    const sheet = workbook.worksheets[0];
    const rows: unknown[][] = [];
    sheet?.eachRow((row) => rows.push((row.values as unknown[]).slice(1)));
    expect(rows[0]).toEqual(['对账单 Statement ST-2026-11']);
    const line = rows.find((r) => r[0] === 'RUN-1/2');
    expect(line?.slice(0, 8)).toEqual(['RUN-1/2', 'WO-7', 12, 100.5, 1206, 0, 0, 1206]);
    let format = '';
    sheet?.eachRow((row) => {
      if (row.getCell(1).value === 'RUN-1/2') format = row.getCell(8).numFmt;
    });
    expect(format).toBe('#,##0.00');
  });

  it('as PDF: the Chinese text is in the file, and reads back', async () => {
    const pdf = await toPdf(document, new Date('2026-12-02T00:00:00Z'));
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    const file = join(work, 'statement.pdf');
    writeFileSync(file, pdf);
    // poppler's pdftotext reads the text through the embedded font's own character map: it comes
    // back only when the glyphs were embedded and mapped, not when a font lacked them.
    const text = execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' });
    for (const expected of [
      '对账单 Statement ST-2026-11',
      '客户一号',
      '苏州精塑注塑',
      '双方已确认',
      '1,182.00',
    ])
      expect(text).toContain(expected);
    execFileSync('pdftoppm', ['-png', '-r', '50', '-f', '1', '-l', '1', file, join(work, 'page')]);
    expect(readFileSync(join(work, 'page-1.png')).length).toBeGreaterThan(1000);
  });

  it('refuses a PDF font that is not there, naming it', () => {
    expect(() => cjkFont({ FABPOOL_PDF_FONT: '/nowhere/font.ttc' })).toThrow(NoCjkFontError);
  });

  it('totals the money between each customer and factory for the audit report', () => {
    expect(totalsByPair(lines, [])).toEqual([
      expect.objectContaining({ customerMemberId: 'm-1', settlements: 2, paid: 118_200, unpaid: 120_600 }),
    ]);
    const report = auditReportDocument(
      { ok: false, height: 12, firstBroken: { blockNumber: 7, reason: 'endorsement signature' } },
      [statement],
      lines,
      [],
      names,
      '2026-12-02T08:00:00.000Z',
    );
    expect(report.facts[1]?.value).toContain('第 7 块不符');
    expect(report.sections[0]?.rows[0]).toMatchObject({ statementId: 'ST-2026-11', customer: '客户一号' });
  });
});
