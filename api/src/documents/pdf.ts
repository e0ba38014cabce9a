import { existsSync } from 'node:fs';
import PDFDocument from 'pdfkit';
import { cellText, type DocumentSection, type TabularDocument } from './document.js';

/**
 * Fonts with the Chinese glyphs a statement needs, where Debian puts them (fonts-noto-cjk,
 * fonts-wqy-zenhei), each with the face to take from its collection. FABPOOL_PDF_FONT names
 * another: a TrueType/OpenType file, or `collection.ttc#PostScriptName`.
 */
const CJK_FONTS = [
  { path: '/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc', face: 'NotoSansCJKsc-Regular' },
  { path: '/usr/share/fonts/truetype/noto/NotoSansCJK-Regular.ttc', face: 'NotoSansCJKsc-Regular' },
  { path: '/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc', face: 'NotoSerifCJKsc-Regular' },
  { path: '/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc', face: 'WenQuanYiZenHei' },
  { path: '/usr/share/fonts/truetype/arphic/uming.ttc', face: 'AR PL UMing CN' },
];

export class NoCjkFontError extends Error {}

/** The font PDFs are set in: FABPOOL_PDF_FONT, else the first CJK font installed. */
export function cjkFont(env: NodeJS.ProcessEnv = process.env): { path: string; face?: string } {
  const named = env.FABPOOL_PDF_FONT;
  if (named !== undefined && named !== '') {
    const [path = '', face] = named.split('#');
    if (!existsSync(path)) throw new NoCjkFontError(`FABPOOL_PDF_FONT names ${path}, which does not exist`);
    return face === undefined ? { path } : { path, face };
  }
  const found = CJK_FONTS.find((f) => existsSync(f.path));
  if (found === undefined)
    throw new NoCjkFontError(
      'no font with Chinese glyphs is installed for PDF documents: install fonts-noto-cjk (apt-get install fonts-noto-cjk) or set FABPOOL_PDF_FONT to a TrueType/OpenType file',
    );
  return found;
}

const PAGE = { size: 'A4', layout: 'landscape', margin: 36 } as const;
const BODY = 8;
const PADDING = 3;

/**
 * A PDF in the CJK font (the font's glyphs used are embedded, so it prints the same anywhere):
 * title, facts, then each section as a ruled table whose header row repeats on every page.
 */
export function toPdf(document: TabularDocument, createdAt: Date, font = cjkFont()): Promise<Buffer> {
  const pdf = new PDFDocument({
    size: PAGE.size,
    layout: PAGE.layout,
    margin: PAGE.margin,
    info: { Title: document.title, Producer: 'fabpool', Creator: 'fabpool', CreationDate: createdAt },
  });
  const chunks: Buffer[] = [];
  pdf.on('data', (chunk: Buffer) => chunks.push(chunk));
  const done = new Promise<Buffer>((resolve, reject) => {
    pdf.on('end', () => {
      resolve(Buffer.concat(chunks));
    });
    pdf.on('error', reject);
  });
  if (font.face === undefined) pdf.registerFont('cjk', font.path);
  else pdf.registerFont('cjk', font.path, font.face);
  pdf.font('cjk');
  pdf.fontSize(16).text(document.title);
  pdf.moveDown(0.3).fontSize(9);
  for (const fact of document.facts) pdf.text(`${fact.label}：${fact.value}`);
  for (const section of document.sections) drawSection(pdf, section);
  pdf.end();
  return done;
}

function drawSection(pdf: PDFKit.PDFDocument, section: DocumentSection): void {
  const left = pdf.page.margins.left;
  const width = pdf.page.width - left - pdf.page.margins.right;
  const bottom = () => pdf.page.height - pdf.page.margins.bottom;
  pdf.moveDown(0.8).fontSize(11);
  if (pdf.y + 40 > bottom()) pdf.addPage();
  pdf.text(section.heading, left);
  pdf.moveDown(0.2).fontSize(BODY);
  const texts = section.rows.map((row) => section.columns.map((c) => cellText(row[c.key] ?? null, c.kind)));
  // Each column as wide as its widest cell (a header may wrap between its words); a wide table is
  // scaled to the page's width, a narrow one keeps its own.
  const natural = section.columns.map(
    (c, i) =>
      Math.max(
        ...c.header.split(' ').map((word) => pdf.widthOfString(word)),
        ...texts.map((cells) => pdf.widthOfString(cells[i] ?? '')),
      ) +
      2 * PADDING +
      1,
  );
  const total = natural.reduce((a, b) => a + b, 0);
  const scale = total > width || section.columns.length >= 6 ? width / total : 1;
  const widths = natural.map((w) => w * scale);
  const drawRow = (cells: string[], bold: boolean) => {
    const height =
      Math.max(
        ...cells.map((text, i) => pdf.heightOfString(text, { width: (widths[i] ?? 0) - 2 * PADDING })),
      ) +
      2 * PADDING;
    if (pdf.y + height > bottom()) {
      pdf.addPage();
      if (!bold)
        drawRow(
          section.columns.map((c) => c.header),
          true,
        );
    }
    const top = pdf.y;
    let x = left;
    cells.forEach((text, i) => {
      const w = widths[i] ?? 0;
      if (bold) pdf.rect(x, top, w, height).fillAndStroke('#f0f0f0', '#999999').fillColor('#000000');
      else pdf.rect(x, top, w, height).strokeColor('#999999').stroke();
      const numeric = section.columns[i]?.kind !== 'text';
      pdf.text(text, x + PADDING, top + PADDING, {
        width: w - 2 * PADDING,
        align: numeric ? 'right' : 'left',
      });
      x += w;
    });
    pdf.x = left;
    pdf.y = top + height;
  };
  drawRow(
    section.columns.map((c) => c.header),
    true,
  );
  for (const cells of texts) drawRow(cells, false);
  if (texts.length === 0 && section.empty !== undefined) {
    pdf.moveDown(0.3).text(section.empty, left);
  }
}
