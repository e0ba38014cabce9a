/** Files the pages hand out: CSV that Excel opens as UTF-8, and any blob saved under a name. */

const csvField = (text: string): string => (/[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text);

/** Rows as CSV text, fields quoted where they must be. */
export function csvText(rows: readonly (readonly string[])[]): string {
  return rows.map((r) => r.map(csvField).join(',')).join('\r\n');
}

/** Saves content as a file the browser downloads. */
export function download(name: string, parts: BlobPart[], type: string): void {
  const url = URL.createObjectURL(new Blob(parts, { type }));
  const link = document.createElement('a');
  link.href = url;
  link.download = name;
  link.click();
  setTimeout(() => {
    URL.revokeObjectURL(url);
  }, 10_000);
}

/** Saves rows as a CSV file (with a byte-order mark: Excel then reads it as UTF-8). */
export function downloadCsv(name: string, rows: readonly (readonly string[])[]): void {
  download(name, ['\ufeff', csvText(rows), '\r\n'], 'text/csv;charset=utf-8');
}
