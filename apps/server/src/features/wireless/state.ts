// When a wireless link or client needs attention. Fixed figures for now (a WISP's usual ones); per-organisation
// thresholds come with the site alert rules, which already take their own.

/** Below this signal (dBm) a link is degraded. */
export const DEGRADED_SIGNAL_DBM = -75;
/** Below this CCQ (%) a client counts as low quality in wireless issues. */
export const LOW_CCQ_PCT = 60;
/** Collections a registration may miss before its link is down (one miss: a CPE rebooting). */
export const DOWN_AFTER_MISSED = 2;
/** A link down longer than this is stale. */
export const STALE_AFTER_MS = 24 * 3_600_000;
/** A client whose daily average signal fell this much (dB) over TREND_DAYS is flagged. */
export const TREND_DROP_DB = 6;
export const TREND_DAYS = 7;
/** Clients gone within this window count as dropped. */
export const DROPPED_WINDOW_MS = 3_600_000;

export const linkStates = ['active', 'degraded', 'down', 'stale'] as const;
export type LinkState = (typeof linkStates)[number];

export function linkState(
  r: { signal: number | null; missed: number; gone_at: Date | null },
  now = Date.now(),
): LinkState {
  if (r.gone_at !== null && r.missed >= DOWN_AFTER_MISSED)
    return now - r.gone_at.getTime() > STALE_AFTER_MS ? 'stale' : 'down';
  return r.signal !== null && r.signal < DEGRADED_SIGNAL_DBM ? 'degraded' : 'active';
}
