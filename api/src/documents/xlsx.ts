import ExcelJS from 'exceljs';
import type { TabularDocument } from './document.js';

/**
 * An Excel workbook: one sheet that opens with the title and facts, then each section's table with
 * a bold header row. Money stays a number (in yuan, two decimals shown), so finance can sum it.
 */
export async function toXlsx(document: TabularDocument, createdAt: Date): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  workbook.creator = 'fabpool';
  workbook.created = createdAt;
  workbook.modified = createdAt;
  const sheet = workbook.addWorksheet(document.title.slice(0, 31).replace(/[[\]*?/\\:]/g, ' '));
  sheet.addRow([document.title]).font = { bold: true, size: 14 };
  for (const fact of document.facts) sheet.addRow([fact.label, fact.value]);
  const widths: number[] = [];
  for (const section of document.sections) {
    sheet.addRow([]);
    sheet.addRow([section.heading]).font = { bold: true, size: 12 };
    sheet.addRow(section.columns.map((c) => c.header)).font = { bold: true };
    for (const row of section.rows) {
      const added = sheet.addRow(
        section.columns.map((c) => {
          const cell = row[c.key] ?? null;
          return c.kind === 'money' && typeof cell === 'number' ? cell / 100 : cell;
        }),
      );
      section.columns.forEach((c, i) => {
        if (c.kind === 'money') added.getCell(i + 1).numFmt = '#,##0.00';
      });
    }
    if (section.rows.length === 0 && section.empty !== undefined) sheet.addRow([section.empty]);
    section.columns.forEach((c, i) => {
      // CJK characters are about two columns wide.
      const longest = Math.max(
        ...[c.header, ...section.rows.map((r) => String(r[c.key] ?? ''))].map(
          (text) => text.length + (text.match(/[\u2e80-\uffff]/g)?.length ?? 0),
        ),
      );
      widths[i] = Math.min(48, Math.max(widths[i] ?? 10, longest + 2));
    });
  }
  widths.forEach((width, i) => {
    sheet.getColumn(i + 1).width = width;
  });
  return Buffer.from(await workbook.xlsx.writeBuffer());
}
