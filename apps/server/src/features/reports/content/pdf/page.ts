import { winAnsi } from './winansi.js';

// The page geometry every drawing shares, and single-line text that never flows onto a new page by itself (PDFKit
// adds pages only when it wraps text; tables and charts place each line themselves and page explicitly).

export type Pdf = PDFKit.PDFDocument;

export const MARGIN = { top: 72, bottom: 56, left: 48, right: 48 };
export const FONT = 'Helvetica';
export const BOLD = 'Helvetica-Bold';
export const INK = '#111827';
export const MUTED = '#6b7280';
export const RULE = '#d1d5db';

export const left = (_doc: Pdf) => MARGIN.left;
export const right = (doc: Pdf) => doc.page.width - MARGIN.right;
export const contentWidth = (doc: Pdf) => right(doc) - left(doc);
export const bottom = (doc: Pdf) => doc.page.height - MARGIN.bottom;

/** Starts a new page unless `height` still fits below the cursor. True when it did. */
export function ensureSpace(doc: Pdf, height: number): boolean {
  if (doc.y + height <= bottom(doc)) return false;
  doc.addPage();
  doc.y = MARGIN.top;
  return true;
}

/** `s` cut to `width` points with an ellipsis (the font and size must be set). */
export function fit(doc: Pdf, s: string, width: number): string {
  if (doc.widthOfString(s) <= width) return s;
  let lo = 0;
  let hi = s.length;
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if (doc.widthOfString(`${s.slice(0, mid)}…`) <= width) lo = mid;
    else hi = mid - 1;
  }
  return `${s.slice(0, lo)}…`;
}

export type LineStyle = { font?: string; size?: number; color?: string; width?: number; align?: 'left' | 'right' };

/**
 * One line of text at (x, y), made WinAnsi-safe, cut to `width` when given; right-aligned text ends at x + width.
 * Returns the width drawn. Never starts a page.
 */
export function line(doc: Pdf, text: string, x: number, y: number, s: LineStyle = {}): number {
  doc
    .font(s.font ?? FONT)
    .fontSize(s.size ?? 8)
    .fillColor(s.color ?? INK);
  let t = winAnsi(text);
  if (s.width !== undefined) t = fit(doc, t, s.width);
  const w = doc.widthOfString(t);
  const at = s.align === 'right' && s.width !== undefined ? x + s.width - w : x;
  doc.text(t, at, y, { lineBreak: false });
  return w;
}
