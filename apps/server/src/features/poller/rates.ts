import type { InterfaceSample } from './types.js';

// Rates from 64-bit counters (RouterOS's /interface counters are 64-bit on v6 and v7). A counter that went down
// either wrapped (it passed 2^64) or was reset (reboot, interface re-created, counters cleared). A wrap gives a small positive delta; a
// reset does not, so a "wrap" whose rate would exceed any real link is treated as a reset and gives no rate.

const U64 = 1n << 64n;
/** No interface RouterOS runs moves more than this (400 Gbit/s, in bytes per second). */
export const MAX_BYTES_PER_SECOND = 50_000_000_000;
/** Packets per second ceiling (a 400G link of minimum-size frames is ~600 Mpps). */
export const MAX_PACKETS_PER_SECOND = 1_000_000_000;

export type CounterSnapshot = {
  at: number;
  rxBytes: bigint;
  txBytes: bigint;
  rxPackets: bigint;
  txPackets: bigint;
  rxErrors?: bigint | null;
  txErrors?: bigint | null;
};

/** Per-second rate of one counter, or null when it cannot be known honestly. */
export function counterRate(prev: bigint, cur: bigint, seconds: number, maxPerSecond: number): number | null {
  if (!(seconds > 0)) return null;
  let delta = cur - prev;
  if (delta < 0n) {
    const wrapped64 = cur + U64 - prev;
    const limit = BigInt(Math.ceil(maxPerSecond * seconds));
    if (wrapped64 <= limit) delta = wrapped64;
    else return null; // a reset, not a wrap
  }
  const rate = Number(delta) / seconds;
  return rate <= maxPerSecond ? rate : null;
}

function big(v: string | null | undefined): bigint | null {
  return v === null || v === undefined ? null : BigInt(v);
}

/** Errors per second from two optional counters (packet ceiling: an error is at most a packet). */
function errorRate(prev: bigint | null | undefined, cur: bigint | null | undefined, seconds: number): number | null {
  if (prev === null || prev === undefined || cur === null || cur === undefined) return null;
  return counterRate(prev, cur, seconds, MAX_PACKETS_PER_SECOND);
}

/**
 * Fills rxBps/txBps/rxPps/txPps of `samples` from the previous snapshots (by interface name) and returns the new
 * snapshots. `rebooted` discards the previous snapshots: counters started again from zero.
 */
export function applyRates(
  samples: InterfaceSample[],
  previous: Map<string, CounterSnapshot> | undefined,
  at: number,
  rebooted: boolean,
): Map<string, CounterSnapshot> {
  const next = new Map<string, CounterSnapshot>();
  for (const s of samples) {
    const cur = {
      at,
      rxBytes: big(s.rxBytes),
      txBytes: big(s.txBytes),
      rxPackets: big(s.rxPackets),
      txPackets: big(s.txPackets),
      rxErrors: big(s.rxErrors),
      txErrors: big(s.txErrors),
    };
    if (cur.rxBytes === null || cur.txBytes === null || cur.rxPackets === null || cur.txPackets === null) continue;
    const snap = cur as CounterSnapshot;
    next.set(s.name, snap);
    const prev = rebooted ? undefined : previous?.get(s.name);
    if (!prev) continue;
    const sec = (at - prev.at) / 1000;
    const rx = counterRate(prev.rxBytes, snap.rxBytes, sec, MAX_BYTES_PER_SECOND);
    const tx = counterRate(prev.txBytes, snap.txBytes, sec, MAX_BYTES_PER_SECOND);
    s.rxBps = rx === null ? null : rx * 8;
    s.txBps = tx === null ? null : tx * 8;
    s.rxPps = counterRate(prev.rxPackets, snap.rxPackets, sec, MAX_PACKETS_PER_SECOND);
    s.txPps = counterRate(prev.txPackets, snap.txPackets, sec, MAX_PACKETS_PER_SECOND);
    s.rxErrorsPs = errorRate(prev.rxErrors, snap.rxErrors, sec);
    s.txErrorsPs = errorRate(prev.txErrors, snap.txErrors, sec);
  }
  return next;
}
