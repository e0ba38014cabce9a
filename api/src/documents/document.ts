/**
 * A document finance takes away: a title, a few lines that say what it is, and tables. Built by
 * pure functions from records; rendered to CSV, Excel or PDF by the renderers beside it, so the
 * three formats always say the same thing.
 */
export interface TabularDocument {
  title: string;
  /** Lines under the title: parties, period, status, hashes. */
  facts: { label: string; value: string }[];
  sections: DocumentSection[];
}

export type CellKind = 'text' | 'money' | 'integer';
export type Cell = string | number | null;

export interface DocumentColumn {
  key: string;
  header: string;
  kind: CellKind;
}

export interface DocumentSection {
  heading: string;
  columns: DocumentColumn[];
  rows: Record<string, Cell>[];
  /** What the section says when it has no rows. */
  empty?: string;
}

export const DOCUMENT_FORMATS = ['CSV', 'XLSX', 'PDF'] as const;
export type DocumentFormat = (typeof DOCUMENT_FORMATS)[number];

export const MEDIA_TYPES: Record<DocumentFormat, string> = {
  CSV: 'text/csv; charset=utf-8',
  XLSX: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  PDF: 'application/pdf',
};
export const EXTENSIONS: Record<DocumentFormat, string> = { CSV: 'csv', XLSX: 'xlsx', PDF: 'pdf' };

/** Fen as yuan with two decimals and thousands separators: 123456 → "1,234.56", −5 → "-0.05". */
export function yuanText(fen: number): string {
  const sign = fen < 0 ? '-' : '';
  const abs = Math.abs(fen);
  const whole = Math.floor(abs / 100).toLocaleString('en-US');
  return `${sign}${whole}.${String(abs % 100).padStart(2, '0')}`;
}

/** A cell as text: money in yuan, the rest as it is, nothing for null. */
export function cellText(cell: Cell, kind: CellKind): string {
  if (cell === null) return '';
  if (kind === 'money' && typeof cell === 'number') return yuanText(cell);
  return String(cell);
}

const csvField = (text: string) => (/[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text);

/**
 * RFC 4180 CSV, UTF-8 with a byte-order mark (so Excel opens the Chinese text as UTF-8): the title
 * and facts first, then each section under its heading, separated by an empty line. Money in yuan
 * with two decimals and no separators, so a spreadsheet reads it as a number.
 */
export function toCsv(document: TabularDocument): Buffer {
  const lines: string[][] = [[document.title], ...document.facts.map((f) => [f.label, f.value])];
  for (const section of document.sections) {
    lines.push(
      [],
      [section.heading],
      section.columns.map((c) => c.header),
    );
    for (const row of section.rows)
      lines.push(
        section.columns.map((c) => {
          const cell = row[c.key] ?? null;
          return c.kind === 'money' && typeof cell === 'number'
            ? (cell / 100).toFixed(2)
            : cellText(cell, c.kind);
        }),
      );
    if (section.rows.length === 0 && section.empty !== undefined) lines.push([section.empty]);
  }
  const text = lines.map((cells) => cells.map(csvField).join(',')).join('\r\n');
  return Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(`${text}\r\n`, 'utf8')]);
}

/** A file name of plain characters: the id and the date, with the format's extension. */
export function fileNameOf(stem: string, format: DocumentFormat): string {
  return `${stem.replace(/[^A-Za-z0-9._-]+/g, '_')}.${EXTENSIONS[format]}`;
}
