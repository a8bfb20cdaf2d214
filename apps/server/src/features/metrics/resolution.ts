import { AppError } from '../../platform/http/errors.js';

export type Resolution = 'raw' | '5m' | '1h';
export const ranges = {
  '1h': 3_600_000,
  '6h': 21_600_000,
  '24h': 86_400_000,
  '7d': 604_800_000,
  '30d': 2_592_000_000,
} as const;
export type RangeName = keyof typeof ranges;

/**
 * The window and the table to read it from: raw samples up to 6 h (≤ 360 points a series at a 60 s poll), 5-minute
 * rollups up to 3 days (≤ 864), hourly beyond (30 d = 720). A caller may ask for a finer resolution explicitly.
 */
export function pickWindow(
  q: { range?: RangeName; from?: string; to?: string; resolution?: Resolution },
  now = Date.now(),
) {
  let from: number;
  let to: number;
  if (q.from || q.to) {
    if (!q.from || !q.to) throw new AppError('validation_failed', 'give both from and to, or a range');
    from = Date.parse(q.from);
    to = Date.parse(q.to);
    if (!(to > from)) throw new AppError('validation_failed', 'to must be after from');
    if (to - from > 400 * 86_400_000) throw new AppError('validation_failed', 'at most 400 days per request');
  } else {
    to = now;
    from = now - ranges[q.range ?? '1h'];
  }
  const span = to - from;
  const auto: Resolution = span <= ranges['6h'] ? 'raw' : span <= 3 * 86_400_000 ? '5m' : '1h';
  const resolution = q.resolution ?? auto;
  const points = span / (resolution === 'raw' ? 60_000 : resolution === '5m' ? 300_000 : 3_600_000);
  if (points > 20_000)
    throw new AppError(
      'validation_failed',
      `${resolution} over this range is ${Math.round(points)} points a series; use a coarser resolution`,
    );
  return { from: new Date(from), to: new Date(to), resolution };
}
