import { PDFDocument, StandardFonts, rgb, type PDFFont, type PDFPage } from 'pdf-lib';
import type { CommissioningReport } from '../../../shared/report/commissioning-report';
import { reportLayout, type ReportBlock } from '../../../shared/report/report-layout';

// A4 in points; the margins leave a full sha256 digest on one line of a field's value.
const PAGE = { width: 595.28, height: 841.89 };
const MARGIN = { x: 40, top: 48, bottom: 56 };
const WIDTH = PAGE.width - 2 * MARGIN.x;
const SIZE = { title: 18, page: 14, heading: 11.5, text: 9, footer: 7.5 };
const LEADING = 1.3;
const PAD = 3;
const LABEL_WIDTH = 140;
const GREY = rgb(0.45, 0.45, 0.45);
const RULE = rgb(0.7, 0.7, 0.7);

/**
 * The report as a PDF, drawn with the standard Helvetica fonts (nothing embedded, nothing
 * fetched): every layout page starts a new PDF page, tables continue over pages with their
 * header repeated, and every page's footer carries the report's digest. Text the standard
 * fonts cannot encode is drawn as `?`, so a hostile name can neither break the file nor hide.
 */
export async function reportPdf(report: CommissioningReport): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  const date = new Date(report.generatedAt);
  doc.setTitle(`Commissioning report ${report.generatedAt}`);
  doc.setAuthor(report.generatedBy.engineer);
  doc.setSubject(`Report digest ${report.digest}`);
  doc.setCreator('Commissioner');
  doc.setProducer('Commissioner');
  doc.setCreationDate(date);
  doc.setModificationDate(date);
  const regular = await doc.embedFont(StandardFonts.Helvetica);
  const bold = await doc.embedFont(StandardFonts.HelveticaBold);
  const writer = new PdfWriter(doc, regular, bold);
  const layout = reportLayout(report);
  layout.pages.forEach((page, i) => {
    writer.newPage();
    writer.paragraph(page.title, bold, i === 0 ? SIZE.title : SIZE.page, 10);
    for (const block of page.blocks) writer.block(block);
  });
  const pages = doc.getPages();
  pages.forEach((page, i) => {
    const footer = writer.encodable(
      `${layout.title} - page ${i + 1} of ${pages.length} - ${report.digest}`,
    );
    page.drawText(footer, {
      x: MARGIN.x,
      y: MARGIN.bottom / 2,
      size: SIZE.footer,
      font: regular,
      color: GREY,
    });
  });
  return doc.save();
}

class PdfWriter {
  private page!: PDFPage;
  private y = 0;
  private readonly charset: Set<number>;

  constructor(
    private readonly doc: PDFDocument,
    private readonly regular: PDFFont,
    private readonly bold: PDFFont,
  ) {
    this.charset = new Set(regular.getCharacterSet());
  }

  newPage(): void {
    this.page = this.doc.addPage([PAGE.width, PAGE.height]);
    this.y = PAGE.height - MARGIN.top;
  }

  /** The text with every character the font cannot encode (and control characters) as `?`. */
  encodable(text: string): string {
    let out = '';
    for (const ch of text) {
      const code = ch.codePointAt(0) as number;
      out += code < 0x20 || code === 0x7f ? ' ' : this.charset.has(code) ? ch : '?';
    }
    return out;
  }

  private lineHeight(size: number): number {
    return size * LEADING;
  }

  /** Makes room for `height` points, on a new page when this one has not that much left. */
  private room(height: number): boolean {
    if (this.y - height >= MARGIN.bottom) return false;
    this.newPage();
    return true;
  }

  paragraph(text: string, font: PDFFont, size: number, after = 4): void {
    for (const line of this.wrap(text, font, size, WIDTH)) {
      this.room(this.lineHeight(size));
      this.y -= size;
      this.page.drawText(line, { x: MARGIN.x, y: this.y, size, font });
      this.y -= this.lineHeight(size) - size;
    }
    this.y -= after;
  }

  block(block: ReportBlock): void {
    switch (block.kind) {
      case 'heading':
        // A heading is never left alone at the foot of a page.
        this.room(this.lineHeight(SIZE.heading) + 3 * this.lineHeight(SIZE.text));
        this.y -= 6;
        this.paragraph(block.text, this.bold, SIZE.heading, 3);
        return;
      case 'text':
        this.paragraph(block.text, this.regular, SIZE.text, 6);
        return;
      case 'fields':
        this.table(
          [LABEL_WIDTH, WIDTH - LABEL_WIDTH],
          null,
          block.rows.map(([label, value]) => [label, value]),
        );
        return;
      case 'table': {
        const width = WIDTH / block.columns.length;
        this.table(
          block.columns.map(() => width),
          block.columns,
          block.rows,
        );
        return;
      }
      case 'signature-lines': {
        const gap = 24;
        const width = (WIDTH - gap * (block.lines.length - 1)) / block.lines.length;
        this.room(80);
        this.y -= 56;
        block.lines.forEach((line, i) => {
          const x = MARGIN.x + i * (width + gap);
          this.page.drawLine({
            start: { x, y: this.y },
            end: { x: x + width, y: this.y },
            thickness: 0.8,
          });
          const [first = ''] = this.wrap(line, this.regular, SIZE.text, width);
          this.page.drawText(first, {
            x,
            y: this.y - SIZE.text - 2,
            size: SIZE.text,
            font: this.regular,
          });
        });
        this.y -= 2 * this.lineHeight(SIZE.text);
        return;
      }
    }
  }

  /** Rows of cells, wrapped to their column; a header (when given) repeats on each new page. */
  private table(widths: number[], header: string[] | null, rows: string[][]): void {
    const line = this.lineHeight(SIZE.text);
    const drawRow = (cells: string[], font: PDFFont) => {
      const wrapped = cells.map((cell, i) =>
        this.wrap(cell, font, SIZE.text, (widths[i] as number) - 2 * PAD),
      );
      const height = Math.max(...wrapped.map((w) => w.length)) * line + 2 * PAD;
      return { wrapped, height, font };
    };
    const head = header ? drawRow(header, this.bold) : null;
    const paint = (row: ReturnType<typeof drawRow>) => {
      let x = MARGIN.x;
      row.wrapped.forEach((lines, i) => {
        const w = widths[i] as number;
        this.page.drawRectangle({
          x,
          y: this.y - row.height,
          width: w,
          height: row.height,
          borderColor: RULE,
          borderWidth: 0.5,
        });
        lines.forEach((text, n) => {
          this.page.drawText(text, {
            x: x + PAD,
            y: this.y - PAD - SIZE.text - n * line + 1,
            size: SIZE.text,
            font: row.font,
          });
        });
        x += w;
      });
      this.y -= row.height;
    };
    if (head) {
      this.room(head.height + line + 2 * PAD);
      paint(head);
    }
    for (const cells of rows) {
      const row = drawRow(cells, this.regular);
      // A row taller than a page is cut to what one page holds rather than lost off its foot.
      const maxLines = Math.floor((PAGE.height - MARGIN.top - MARGIN.bottom - 2 * PAD) / line) - 2;
      if (row.wrapped.some((w) => w.length > maxLines)) {
        row.wrapped = row.wrapped.map((w) =>
          w.length > maxLines ? [...w.slice(0, maxLines - 1), '...'] : w,
        );
        row.height = Math.max(...row.wrapped.map((w) => w.length)) * line + 2 * PAD;
      }
      if (this.room(row.height) && head) paint(head);
      paint(row);
    }
    this.y -= 8;
  }

  /**
   * Lines of at most `width` points: at spaces, and inside words longer than a line. Widths are
   * summed per character (kerning only narrows), so a very long value costs linear time.
   */
  private wrap(text: string, font: PDFFont, size: number, width: number): string[] {
    const lines: string[] = [];
    let line = '';
    let lineWidth = 0;
    const space = this.charWidth(' ', font, size);
    for (const word of this.encodable(text).split(/ +/)) {
      const chars = [...word];
      const wordWidth = chars.reduce((sum, c) => sum + this.charWidth(c, font, size), 0);
      if (line !== '' && lineWidth + space + wordWidth <= width) {
        line += ` ${word}`;
        lineWidth += space + wordWidth;
        continue;
      }
      if (line !== '') lines.push(line);
      line = '';
      lineWidth = 0;
      for (const c of chars) {
        const w = this.charWidth(c, font, size);
        if (line !== '' && lineWidth + w > width) {
          lines.push(line);
          line = '';
          lineWidth = 0;
        }
        line += c;
        lineWidth += w;
      }
    }
    lines.push(line);
    return lines;
  }

  private readonly widths = new Map<string, number>();

  private charWidth(c: string, font: PDFFont, size: number): number {
    const key = `${font === this.bold ? 'b' : 'r'}${size}${c}`;
    let w = this.widths.get(key);
    if (w === undefined) {
      w = font.widthOfTextAtSize(c, size);
      this.widths.set(key, w);
    }
    return w;
  }
}
