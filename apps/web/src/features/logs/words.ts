import type { LogSeverity } from '@/api/logs';

/** Gravest first, as the filter offers them. */
export const severities: readonly (readonly [LogSeverity, string])[] = [
  ['critical', 'Critical'],
  ['error', 'Error'],
  ['warning', 'Warning'],
  ['info', 'Info'],
  ['debug', 'Debug'],
];
export const severityLabel = Object.fromEntries(severities) as Record<LogSeverity, string>;

export const severityTone: Record<LogSeverity, 'danger' | 'warning' | 'info' | 'neutral'> = {
  critical: 'danger',
  error: 'danger',
  warning: 'warning',
  info: 'info',
  debug: 'neutral',
};

export type RangeId = 'all' | '1h' | '24h' | '7d' | '30d';
const H = 3_600_000;
export const ranges: readonly { id: RangeId; label: string; ms?: number }[] = [
  { id: 'all', label: 'Any time' },
  { id: '1h', label: 'Last hour', ms: H },
  { id: '24h', label: 'Last 24 hours', ms: 24 * H },
  { id: '7d', label: 'Last 7 days', ms: 7 * 24 * H },
  { id: '30d', label: 'Last 30 days', ms: 30 * 24 * H },
];

const fmt = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'medium' });
/** A line's time to the second. */
export const timeOf = (iso: string) => fmt.format(new Date(iso));
