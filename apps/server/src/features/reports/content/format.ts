import type { Cell, CellKind } from './model.js';

// How values read in a PDF. Times are UTC (a report is read by people in several places; the header says so).

const pad = (n: number) => String(n).padStart(2, '0');

/** `2025-03-01 14:05` (UTC). */
export function formatTime(d: Date): string {
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}`;
}

/** The period as the header shows it. */
export const formatPeriod = (from: Date, to: Date) => `${formatTime(from)} – ${formatTime(to)} UTC`;

/** `3 d 4 h`, `4 h 0 min`, `12 min`, `40 s`: the two largest units. */
export function formatDuration(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min`;
  const h = Math.floor(m / 60);
  if (h < 24) return `${h} h ${m % 60} min`;
  return `${Math.floor(h / 24)} d ${h % 24} h`;
}

const scaled = (v: number, base: number, units: string[]) => {
  let i = 0;
  let x = Math.abs(v);
  while (x >= base && i < units.length - 1) {
    x /= base;
    i++;
  }
  const digits = x >= 100 || i === 0 ? 0 : x >= 10 ? 1 : 2;
  return `${v < 0 ? '-' : ''}${x.toFixed(digits)} ${units[i]}`;
};

export const formatBytes = (v: number) => scaled(v, 1024, ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB']);
export const formatBps = (v: number) => scaled(v, 1000, ['bit/s', 'kbit/s', 'Mbit/s', 'Gbit/s', 'Tbit/s']);

/** Percentages keep two decimals: 99.9 % and 99.95 % are different promises. */
export const formatPct = (v: number) => `${v.toFixed(2)} %`;

export function formatCell(v: Cell, kind: CellKind = 'text'): string {
  if (v === null || v === undefined) return '–';
  if (v instanceof Date) return formatTime(v);
  if (typeof v === 'boolean') return v ? 'yes' : 'no';
  if (typeof v === 'string') return v;
  switch (kind) {
    case 'pct':
      return formatPct(v);
    case 'duration':
      return formatDuration(v);
    case 'bytes':
      return formatBytes(v);
    case 'bps':
      return formatBps(v);
    case 'celsius':
      return `${v.toFixed(1)} °C`;
    case 'volt':
      return `${v.toFixed(1)} V`;
    case 'int':
      return String(Math.round(v));
    case 'number':
      return Number.isInteger(v) ? String(v) : v.toFixed(2);
    default:
      return String(v);
  }
}

/** A value as the CSV holds it: numbers unformatted (percentages rounded to 2 decimals), times in ISO 8601. */
export function csvValue(v: Cell, kind: CellKind = 'text'): string | number {
  if (v === null || v === undefined) return '';
  if (v instanceof Date) return v.toISOString();
  if (typeof v === 'boolean') return v ? 'yes' : 'no';
  if (typeof v === 'string') return v;
  if (kind === 'pct' || kind === 'number') return Math.round(v * 100) / 100;
  if (kind === 'celsius' || kind === 'volt') return Math.round(v * 10) / 10;
  return Math.round(v);
}

/** The unit a CSV header names, since CSV cells carry none. */
export const csvUnit: Partial<Record<CellKind, string>> = {
  pct: '%',
  duration: 's',
  bytes: 'bytes',
  bps: 'bit/s',
  celsius: '°C',
  volt: 'V',
};
