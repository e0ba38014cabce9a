import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { columnName, crc32, xlsxBytes } from './xlsx';

describe('the board’s Excel workbook', () => {
  it('is read back by a spreadsheet library: sheet name, Chinese text, numbers, the header bold and frozen', async () => {
    const rows = [
      ['工单', '零件', '数量', '状态'],
      ['WO-1', 'P-100 "外壳" <A&B>', 120, '生产中'],
      ['WO-2', 'line\nbreak', 0, '已交付'],
    ];
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(xlsxBytes('工单看板 2026-12-04', rows).buffer);
    const sheet = workbook.worksheets[0];
    expect(sheet?.name).toBe('工单看板 2026-12-04');
    const read = (r: number) => (sheet?.getRow(r).values as unknown[]).slice(1);
    expect([read(1), read(2), read(3)]).toEqual(rows);
    expect(sheet?.getCell('A1').font.bold).toBe(true);
    expect(sheet?.getCell('C2').type).toBe(ExcelJS.ValueType.Number);
    expect(sheet?.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });
  });

  it('names columns past Z and checks its archive with the standard CRC-32', () => {
    expect([0, 25, 26, 51, 52, 701, 702].map(columnName)).toEqual(['A', 'Z', 'AA', 'AZ', 'BA', 'ZZ', 'AAA']);
    expect(crc32(new TextEncoder().encode('123456789')).toString(16)).toBe('cbf43926');
  });
});
