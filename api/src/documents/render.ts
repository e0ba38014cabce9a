import { toCsv, type DocumentFormat, type TabularDocument } from './document.js';
import { toPdf } from './pdf.js';
import { toXlsx } from './xlsx.js';

/** One document in the format asked for. */
export function renderDocument(
  document: TabularDocument,
  format: DocumentFormat,
  createdAt: Date,
): Promise<Buffer> {
  switch (format) {
    case 'CSV':
      return Promise.resolve(toCsv(document));
    case 'XLSX':
      return toXlsx(document, createdAt);
    case 'PDF':
      return toPdf(document, createdAt);
  }
}
