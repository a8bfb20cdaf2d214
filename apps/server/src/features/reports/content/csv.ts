import { csvUnit, csvValue } from './format.js';
import type { Cell, Column, ReportDoc } from './model.js';

// One CSV per report (RFC 4180: CRLF line ends, fields with a comma, quote or line break quoted, quotes doubled).
// A report with several tables writes them one after another: first the report's own lines (title, organisation,
// period), then per table a line with its title alone, its header line, its rows, and an empty line. Facts are a
// table of two columns (Item, Value). Charts are drawn from tables' data and have no section of their own.
//
// Spreadsheet formula injection: a text cell that starts with = + - @ (or a tab or CR, which some spreadsheets skip
// before reading a formula) gets a leading ' so it is shown, not evaluated. Numbers are written as numbers (a
// negative number is not text and is not touched).

const FORMULA = /^[=+\-@\t\r]/;

export function csvField(v: string | number): string {
  if (typeof v === 'number') return Number.isFinite(v) ? String(v) : '';
  let s = v.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g, ' ');
  if (FORMULA.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
}

const line = (fields: Array<string | number>) => fields.map(csvField).join(',');

function header(c: Column): string {
  const unit = c.kind ? csvUnit[c.kind] : undefined;
  return unit ? `${c.header} (${unit})` : c.header;
}

export function renderCsv(doc: ReportDoc, meta: { organisation: string; from: Date; to: Date }): Buffer {
  const out: string[] = [
    line(['Report', doc.title]),
    line(['Organisation', meta.organisation]),
    line(['Period start', meta.from.toISOString()]),
    line(['Period end', meta.to.toISOString()]),
    '',
  ];
  const section = (title: string, columns: Column[], rows: Cell[][]) => {
    out.push(line([title]), line(columns.map(header)));
    for (const r of rows) out.push(line(columns.map((c, i) => csvValue(r[i] ?? null, c.kind))));
    out.push('');
  };
  for (const b of doc.blocks) {
    if (b.type === 'table') section(b.title, b.columns, b.rows);
    else if (b.type === 'facts') {
      // Each fact's unit goes with its label: the rows of one facts block mix units.
      out.push(line([b.title]), line(['Item', 'Value']));
      for (const f of b.facts) {
        const unit = f.kind ? csvUnit[f.kind] : undefined;
        out.push(line([unit ? `${f.label} (${unit})` : f.label, csvValue(f.value, f.kind)]));
      }
      out.push('');
    }
  }
  return Buffer.from(`${out.join('\r\n')}\r\n`, 'utf8');
}
