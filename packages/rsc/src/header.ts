// The comment block RouterOS writes at the top of an export.
import type { ExportHeader } from './types.js';

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];

// `# jan/02/1970 00:24:39 by RouterOS 6.43.8` (before ~7.10) and `# 2025-03-01 12:00:00 by RouterOS 7.18.2`.
const OLD_DATE = /^\s*([a-z]{3})\/(\d{2})\/(\d{4}) (\d{2}:\d{2}:\d{2}) by RouterOS (\S+)/i;
const ISO_DATE = /^\s*(\d{4})-(\d{2})-(\d{2}) (\d{2}:\d{2}:\d{2}) by RouterOS (\S+)/;
// What normalisation leaves of the date line: `# by RouterOS 7.18.2`.
const VERSION_ONLY = /^\s*by RouterOS (\S+)\s*$/;
const FIELD = /^\s*(software id|model|serial number)\s*=\s*(.*?)\s*$/i;

/** True for the header line that carries the export date (volatile; normalisation drops it). */
export function isDateLine(comment: string): boolean {
  return OLD_DATE.test(comment) || ISO_DATE.test(comment);
}

export function parseHeader(comments: string[]): ExportHeader {
  const header: ExportHeader = { comments };
  for (const c of comments) {
    const old = OLD_DATE.exec(c);
    if (old) {
      const [, mon = '', day = '', year = '', time = '', version = ''] = old;
      const m = MONTHS.indexOf(mon.toLowerCase());
      header.rawDate = `${mon}/${day}/${year} ${time}`;
      if (m >= 0) header.date = `${year}-${String(m + 1).padStart(2, '0')}-${day}T${time}`;
      header.version = version;
      continue;
    }
    const iso = ISO_DATE.exec(c);
    if (iso) {
      const [, year = '', month = '', day = '', time = '', version = ''] = iso;
      header.rawDate = `${year}-${month}-${day} ${time}`;
      header.date = `${year}-${month}-${day}T${time}`;
      header.version = version;
      continue;
    }
    const v = VERSION_ONLY.exec(c);
    if (v) {
      header.version = v[1] ?? '';
      continue;
    }
    const f = FIELD.exec(c);
    if (f) {
      const key = (f[1] ?? '').toLowerCase();
      const value = f[2] ?? '';
      if (key === 'software id') header.softwareId = value;
      else if (key === 'model') header.model = value;
      else header.serial = value;
    }
  }
  return header;
}
