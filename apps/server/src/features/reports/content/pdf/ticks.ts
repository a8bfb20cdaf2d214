// Axis ticks people can read: steps of 1, 2 or 5 times a power of ten for values, whole hours or days for time.

export function niceStep(span: number, count: number): number {
  if (!(span > 0)) return 1;
  const raw = span / count;
  const p = 10 ** Math.floor(Math.log10(raw));
  const m = raw / p;
  return (m <= 1 ? 1 : m <= 2 ? 2 : m <= 5 ? 5 : 10) * p;
}

/** Ticks from a rounded-down min to a rounded-up max, about `count` of them. */
export function valueTicks(min: number, max: number, count = 5): number[] {
  if (max <= min) max = min + 1;
  const step = niceStep(max - min, count);
  const lo = Math.floor(min / step) * step;
  const hi = Math.ceil(max / step) * step;
  const out: number[] = [];
  for (let v = lo; v <= hi + step / 2; v += step) out.push(Math.round(v / step) * step);
  return out;
}

const HOUR = 3600;
const STEPS = [HOUR, 2 * HOUR, 3 * HOUR, 6 * HOUR, 12 * HOUR, 86_400, 2 * 86_400, 7 * 86_400, 14 * 86_400, 30 * 86_400];

/** Time ticks (Unix seconds) on whole UTC hours or days, at most `max` of them, and whether they fall on days. */
export function timeTicks(from: number, to: number, max = 8): { ticks: number[]; days: boolean } {
  const step = STEPS.find((s) => (to - from) / s <= max) ?? Math.ceil((to - from) / max / 86_400) * 86_400;
  const ticks: number[] = [];
  for (let t = Math.ceil(from / step) * step; t <= to; t += step) ticks.push(t);
  return { ticks, days: step >= 86_400 };
}
