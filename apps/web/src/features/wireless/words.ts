import type { IssueKind, SignalRange } from '@/api/wireless';

// How the wireless screens put things into words.

export const ranges: readonly (readonly [SignalRange, string])[] = [
  ['24h', '24 hours'],
  ['7d', '7 days'],
  ['30d', '30 days'],
];
export const rangeSeconds: Record<SignalRange, number> = { '24h': 86_400, '7d': 7 * 86_400, '30d': 30 * 86_400 };

export const issueLabel: Record<IssueKind, string> = {
  degraded_signal: 'Weak signal',
  low_ccq: 'Low CCQ',
  dropped_clients: 'Dropped clients',
  falling_signal: 'Falling signal',
};

/** "-62 dBm", or a dash. */
export const dbm = (v: number | null | undefined) => (v === null || v === undefined ? '—' : `${Math.round(v)} dBm`);
export const pct = (v: number | null | undefined) => (v === null || v === undefined ? '—' : `${Math.round(v)}%`);
export const db = (v: number | null | undefined) => (v === null || v === undefined ? '—' : `${Math.round(v)} dB`);
export const text = (v: string | number | null | undefined) =>
  v === null || v === undefined || v === '' ? '—' : String(v);
