import { type StandardFont, winAnsiByte } from './winansi.js';

// A small PDF 1.7 writer: A4 pages, the three standard Type1 fonts we need, text, rectangles and lines.
// Content streams are left uncompressed so the text stays searchable (and testable) without a PDF library.

export type { StandardFont } from './winansi.js';
/** A gray level 0 (black) … 1 (white), or an RGB triple of 0…1 components. */
export type Color = number | readonly [number, number, number];

export const A4 = { width: 595.28, height: 841.89 } as const;

export class PdfError extends Error {
  constructor(
    readonly code: 'unencodable_character' | 'bad_number',
    detail: string,
  ) {
    super(`PDF: ${detail}`);
    this.name = 'PdfError';
  }
}

export interface TextOptions {
  font?: StandardFont;
  size?: number;
  color?: Color;
}
export interface RectOptions {
  fill?: Color;
  stroke?: Color;
  lineWidth?: number;
}
export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

const FONT_KEYS: Record<StandardFont, string> = { Helvetica: 'F1', 'Helvetica-Bold': 'F2', Courier: 'F3' };

/** A number as PDF writes it: at most 3 decimals, no exponent, no "-0". */
export function num(n: number): string {
  if (!Number.isFinite(n)) throw new PdfError('bad_number', `not a finite number: ${n}`);
  const r = Math.round(n * 1000) / 1000;
  return Object.is(r, -0) ? '0' : String(r);
}

function colorOp(c: Color, stroke: boolean): string {
  if (typeof c === 'number') return `${num(c)} ${stroke ? 'G' : 'g'}`;
  return `${c.map(num).join(' ')} ${stroke ? 'RG' : 'rg'}`;
}

/** A PDF literal string `( … )` in WinAnsi bytes (as a binary string); refuses what the fonts cannot show. */
export function literal(text: string): string {
  let out = '(';
  for (const ch of text) {
    const b = winAnsiByte(ch.codePointAt(0) ?? 0);
    if (b === null) {
      const hex = (ch.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0');
      throw new PdfError('unencodable_character', `U+${hex} cannot be shown with the standard fonts (WinAnsi)`);
    }
    if (b === 0x28 || b === 0x29 || b === 0x5c) out += '\\';
    out += String.fromCharCode(b);
  }
  return `${out})`;
}

/** One page's drawing operations, in PDF user space (points, origin at the bottom left). */
export class PdfPage {
  readonly ops: string[] = [];
  readonly fonts = new Set<StandardFont>();

  text(x: number, y: number, text: string, o: TextOptions = {}): this {
    const font = o.font ?? 'Helvetica';
    this.fonts.add(font);
    const str = literal(text);
    this.ops.push(
      `q ${colorOp(o.color ?? 0, false)} BT /${FONT_KEYS[font]} ${num(o.size ?? 12)} Tf ${num(x)} ${num(y)} Td ${str} Tj ET Q`,
    );
    return this;
  }

  rect(r: Rect, o: RectOptions): this {
    const paint = o.fill !== undefined && o.stroke !== undefined ? 'B' : o.fill !== undefined ? 'f' : 'S';
    this.ops.push(`q ${this.style(o)}${num(r.x)} ${num(r.y)} ${num(r.width)} ${num(r.height)} re ${paint} Q`);
    return this;
  }

  /** Many filled rectangles as one path (the QR code's modules): one paint operation, a compact stream. */
  fillRects(rects: readonly Rect[], color: Color = 0): this {
    if (rects.length === 0) return this;
    const path = rects.map((r) => `${num(r.x)} ${num(r.y)} ${num(r.width)} ${num(r.height)} re`).join('\n');
    this.ops.push(`q ${colorOp(color, false)}\n${path}\nf Q`);
    return this;
  }

  line(x1: number, y1: number, x2: number, y2: number, o: { color?: Color; width?: number } = {}): this {
    this.ops.push(
      `q ${colorOp(o.color ?? 0, true)} ${num(o.width ?? 1)} w ${num(x1)} ${num(y1)} m ${num(x2)} ${num(y2)} l S Q`,
    );
    return this;
  }

  private style(o: RectOptions): string {
    let s = '';
    if (o.fill !== undefined) s += `${colorOp(o.fill, false)} `;
    if (o.stroke !== undefined) s += `${colorOp(o.stroke, true)} ${num(o.lineWidth ?? 1)} w `;
    return s;
  }
}

export interface DocumentInfo {
  title?: string;
  producer?: string;
  createdAt?: Date;
}

/** Metadata strings as UTF-16BE hex with a byte-order mark, so any Unicode is allowed there. */
function infoString(text: string): string {
  let hex = 'FEFF';
  for (let i = 0; i < text.length; i++) hex += text.charCodeAt(i).toString(16).padStart(4, '0').toUpperCase();
  return `<${hex}>`;
}

function pdfDate(d: Date): string {
  const p = (n: number, w = 2) => String(n).padStart(w, '0');
  return `D:${p(d.getUTCFullYear(), 4)}${p(d.getUTCMonth() + 1)}${p(d.getUTCDate())}${p(d.getUTCHours())}${p(d.getUTCMinutes())}${p(d.getUTCSeconds())}Z`;
}

/** Binary string (char codes 0–255) → bytes. */
function latin1(s: string): Uint8Array {
  const out = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i);
  return out;
}

export class PdfDocument {
  private readonly pages: PdfPage[] = [];
  constructor(private readonly info: DocumentInfo = {}) {}

  addPage(): PdfPage {
    const page = new PdfPage();
    this.pages.push(page);
    return page;
  }

  toBytes(): Uint8Array {
    // Object numbers: 1 catalog, 2 page tree, 3 info, 4–6 fonts, then a page and its content stream per page.
    const bodies: string[] = [];
    const pageIds = this.pages.map((_, i) => 7 + i * 2);
    bodies[1] = '<< /Type /Catalog /Pages 2 0 R >>';
    bodies[2] = `<< /Type /Pages /Kids [${pageIds.map((id) => `${id} 0 R`).join(' ')}] /Count ${this.pages.length} >>`;
    const info = [`/Producer ${infoString(this.info.producer ?? 'TOD')}`];
    if (this.info.title !== undefined) info.push(`/Title ${infoString(this.info.title)}`);
    if (this.info.createdAt !== undefined) info.push(`/CreationDate (${pdfDate(this.info.createdAt)})`);
    bodies[3] = `<< ${info.join(' ')} >>`;
    const fonts = Object.entries(FONT_KEYS) as [StandardFont, string][];
    fonts.forEach(([name], i) => {
      bodies[4 + i] = `<< /Type /Font /Subtype /Type1 /BaseFont /${name} /Encoding /WinAnsiEncoding >>`;
    });
    const fontRes = fonts.map(([, key], i) => `/${key} ${4 + i} 0 R`).join(' ');
    this.pages.forEach((page, i) => {
      const id = 7 + i * 2;
      const content = `${page.ops.join('\n')}\n`;
      bodies[id] =
        `<< /Type /Page /Parent 2 0 R /MediaBox [0 0 ${num(A4.width)} ${num(A4.height)}] ` +
        `/Resources << /Font << ${fontRes} >> >> /Contents ${id + 1} 0 R >>`;
      // Content strings are binary strings of WinAnsi bytes, so .length is the byte length.
      bodies[id + 1] = `<< /Length ${content.length} >>\nstream\n${content}endstream`;
    });

    // The header's comment has bytes ≥ 0x80 so transfer tools treat the file as binary.
    let out = '%PDF-1.7\n%\xe2\xe3\xcf\xd3\n';
    const offsets: number[] = [];
    for (let id = 1; id < bodies.length; id++) {
      offsets[id] = out.length;
      out += `${id} 0 obj\n${bodies[id]}\nendobj\n`;
    }
    const xref = out.length;
    out += `xref\n0 ${bodies.length}\n0000000000 65535 f \n`;
    for (let id = 1; id < bodies.length; id++) out += `${String(offsets[id]).padStart(10, '0')} 00000 n \n`;
    out += `trailer\n<< /Size ${bodies.length} /Root 1 0 R /Info 3 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
    return latin1(out);
  }
}
