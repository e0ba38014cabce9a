import { CsvError, parse } from 'csv-parse/sync';

/** Line breaks in a row's raw text: CRLF, LF, or a CR that ends it (csv-parse keeps a CRLF's CR only). */
const lineBreaks = (raw: string): number => raw.match(/\r\n|\n|\r$/g)?.length ?? 0;

/**
 * Reads CSV as RFC 4180 writes it (csv-parse): fields split by commas, quoted fields may hold
 * commas, line breaks and doubled quotes; lines end in LF or CRLF, mixed as exports from several
 * tools are; a byte-order mark from Excel is dropped. Returns the rows as arrays of fields, with
 * the line each row starts on (for error reports). Blank lines are skipped.
 */
export function parseCsv(text: string): { line: number; fields: string[] }[] {
  let rows: { raw: string; record: string[] }[];
  try {
    rows = parse(text, {
      bom: true,
      relax_column_count: true,
      record_delimiter: ['\r\n', '\n'],
      raw: true,
    }) as unknown as { raw: string; record: string[] }[];
  } catch (error) {
    if (error instanceof CsvError && error.code === 'CSV_QUOTE_NOT_CLOSED')
      throw new Error(`line ${String(error.lines)}: a quoted field is not closed before the end`);
    if (error instanceof CsvError) throw new Error(`line ${String(error.lines)}: ${error.message}`);
    throw error;
  }
  // csv-parse's own line count runs ahead after a quoted CRLF: count from each row's raw text.
  const read: { line: number; fields: string[] }[] = [];
  let line = 1;
  for (const { raw, record } of rows) {
    if (record.length > 1 || record[0] !== '') read.push({ line, fields: record });
    line += lineBreaks(raw);
  }
  return read;
}
