import { formatCell } from '../format.js';
import type { Block, Cell, CellKind, Column } from '../model.js';
import { BOLD, bottom, contentWidth, ensureSpace, left, line, MARGIN, MUTED, type Pdf, RULE } from './page.js';

// Tables: single-line cells (cut with an ellipsis to their column), a header row repeated at the top of every page
// the table continues on, with the title marked "(continued)". Fixed row heights keep paging exact and fast: a
// table of 1,000 devices is measured once per cell, never laid out twice.

const ROW = 13;
const HEAD = 15;
const PAD = 3;
const SIZE = 8;
const NUMERIC: ReadonlySet<CellKind> = new Set(['int', 'number', 'pct', 'duration', 'bytes', 'bps', 'celsius', 'volt']);

type TableBlock = Extract<Block, { type: 'table' }>;
type FactsBlock = Extract<Block, { type: 'facts' }>;

function widths(doc: Pdf, columns: Column[]): number[] {
  const total = columns.reduce((n, c) => n + (c.width ?? 1), 0);
  return columns.map((c) => (contentWidth(doc) * (c.width ?? 1)) / total);
}

const alignOf = (c: Column) => c.align ?? (c.kind && NUMERIC.has(c.kind) ? 'right' : 'left');

export function title(doc: Pdf, text: string) {
  line(doc, text, left(doc), doc.y, { font: BOLD, size: 10.5 });
  doc.y += 16;
}

function headerRow(doc: Pdf, columns: Column[], w: number[]) {
  const y = doc.y;
  doc.rect(left(doc), y, contentWidth(doc), HEAD).fill('#e5e7eb');
  let x = left(doc);
  columns.forEach((c, i) => {
    line(doc, c.header, x + PAD, y + 4, { font: BOLD, size: SIZE, width: w[i]! - 2 * PAD, align: alignOf(c) });
    x += w[i]!;
  });
  doc.y = y + HEAD;
}

function row(doc: Pdf, columns: Column[], w: number[], cells: Cell[], shaded: boolean) {
  const y = doc.y;
  if (shaded) doc.rect(left(doc), y, contentWidth(doc), ROW).fill('#f9fafb');
  let x = left(doc);
  columns.forEach((c, i) => {
    const text = formatCell(cells[i] ?? null, c.kind);
    line(doc, text, x + PAD, y + 3, { size: SIZE, width: w[i]! - 2 * PAD, align: alignOf(c) });
    x += w[i]!;
  });
  doc.y = y + ROW;
}

export function drawTable(doc: Pdf, b: TableBlock) {
  // The title stays with the header and the first rows.
  ensureSpace(doc, 16 + HEAD + ROW * Math.min(Math.max(b.rows.length, 1), 3));
  title(doc, b.title);
  if (b.rows.length === 0) {
    line(doc, b.empty ?? 'None in this period.', left(doc), doc.y, { color: MUTED, size: 9 });
    doc.y += 22;
    return;
  }
  const w = widths(doc, b.columns);
  headerRow(doc, b.columns, w);
  b.rows.forEach((cells, i) => {
    if (doc.y + ROW > bottom(doc)) {
      doc.addPage();
      doc.y = MARGIN.top;
      title(doc, `${b.title} (continued)`);
      headerRow(doc, b.columns, w);
    }
    row(doc, b.columns, w, cells, i % 2 === 1);
  });
  doc
    .moveTo(left(doc), doc.y)
    .lineTo(left(doc) + contentWidth(doc), doc.y)
    .lineWidth(0.5)
    .strokeColor(RULE)
    .stroke();
  if (b.note) {
    doc.y += 4;
    line(doc, b.note, left(doc), doc.y, { color: MUTED, size: 7.5, width: contentWidth(doc) });
    doc.y += 10;
  }
  doc.y += 14;
}

/** Label and value pairs, two pairs per line. */
export function drawFacts(doc: Pdf, b: FactsBlock) {
  ensureSpace(doc, 16 + ROW * Math.min(Math.ceil(b.facts.length / 2), 4));
  title(doc, b.title);
  const half = contentWidth(doc) / 2;
  for (let i = 0; i < b.facts.length; i += 2) {
    if (doc.y + ROW > bottom(doc)) {
      doc.addPage();
      doc.y = MARGIN.top;
    }
    const y = doc.y;
    b.facts.slice(i, i + 2).forEach((f, k) => {
      const x = left(doc) + k * half;
      line(doc, f.label, x, y + 2, { size: 8.5, color: MUTED, width: half * 0.5 - 6 });
      line(doc, formatCell(f.value, f.kind), x + half * 0.5, y + 2, { size: 8.5, font: BOLD, width: half * 0.5 - 10 });
    });
    doc.y = y + ROW + 1;
  }
  doc.y += 12;
}
