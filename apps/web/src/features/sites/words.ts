import type { LinkState } from '@/api/wireless';

// How the site page puts things into words.

export const plural = (n: number, one: string, many = `${one}s`) => `${n.toLocaleString()} ${n === 1 ? one : many}`;

export const linkStateLabel: Record<LinkState, string> = {
  active: 'Active',
  degraded: 'Degraded',
  down: 'Down',
  stale: 'Stale',
};
export const linkStateTone = { active: 'success', degraded: 'warning', down: 'danger', stale: 'neutral' } as const;

/** "-62 dBm", or a dash when the router did not say. */
export const dbm = (v: number | null | undefined) => (v === null || v === undefined ? '—' : `${Math.round(v)} dBm`);

/** "5180 MHz", or "any" for a sector with no frequency set. */
export const mhz = (v: number | null) => (v === null ? '—' : `${v} MHz`);

/** A sector's coverage in words: "facing 90°, 60° wide". */
export const coverage = (s: { azimuth: number; width: number }) => `facing ${s.azimuth}°, ${s.width}° wide`;
