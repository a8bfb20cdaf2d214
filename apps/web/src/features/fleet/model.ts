import type { Entry } from '@/api/inventory';

/** A number from a JSON number, a bigint string, or nothing. */
export function num(v: unknown): number | null {
  if (v === null || v === undefined || v === '') return null;
  const n = typeof v === 'number' ? v : Number(v);
  return Number.isFinite(n) ? n : null;
}

/** Used share of a total (memory, disk) in percent. */
export function usedPercent(total: unknown, free: unknown): number | null {
  const t = num(total);
  const f = num(free);
  if (t === null || f === null || t <= 0) return null;
  return (100 * (t - f)) / t;
}

/** A device tag's colour (#rrggbb), when the entry is a tag. */
export const colourOf = (e: Entry | undefined): string | undefined =>
  typeof e?.color === 'string' ? e.color : undefined;
