import type { AuditView } from './audit.service.js';

const columns = [
  'seq',
  'created_at',
  'actor_type',
  'actor_label',
  'actor_id',
  'action',
  'target_type',
  'target_id',
  'ip',
  'request_id',
  'details',
  'hash',
] as const;

/** One CSV cell; cells that a spreadsheet would run as a formula are prefixed with a quote. */
function cell(v: unknown): string {
  let s =
    v === null || v === undefined
      ? ''
      : v instanceof Date
        ? v.toISOString()
        : typeof v === 'object'
          ? JSON.stringify(v)
          : String(v);
  if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
}

export function auditCsv(rows: AuditView[]): string {
  const lines = [columns.join(',')];
  for (const r of rows) {
    const rec = { ...r, hash: r.hash.toString('hex') } as Record<string, unknown>;
    lines.push(columns.map((c) => cell(rec[c])).join(','));
  }
  return `${lines.join('\r\n')}\r\n`;
}
