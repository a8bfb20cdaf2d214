import { compareVersions, majorOf, V7_FROM } from './versions.js';

// The path from what a router runs to the target: one hop within a major; from RouterOS 6 to 7 first the newest
// 6.49.x (on `stable`, skipped when the router already runs 6.49), then 7.x on 6.49's `upgrade` channel. Each hop is
// an install and a reboot inside the same device step.

export type Hop = {
  /** The update channel the router is set to for this hop (null: keep its own). */
  channel: string | null;
  /** The version this hop installs; null until staging picks it (the newest 6.49.x offered or cached). */
  version: string | null;
  /** With `version` null: the lowest version the hop may take. */
  atLeast?: string;
};

export function planHops(current: string, target: string, channel: string | null): Hop[] {
  if (compareVersions(current, target) >= 0) return [];
  const from = majorOf(current);
  const to = majorOf(target);
  if (from === 6 && to !== undefined && to >= 7) {
    const hops: Hop[] = [];
    if (compareVersions(current, V7_FROM) < 0) hops.push({ channel: 'stable', version: null, atLeast: V7_FROM });
    hops.push({ channel: 'upgrade', version: target });
    return hops;
  }
  return [{ channel, version: target }];
}

/** Whether going from `current` to `target` crosses a major version (needs the caller's confirmation). */
export const isMajorJump = (current: string | null | undefined, target: string): boolean => {
  const from = majorOf(current);
  const to = majorOf(target);
  return from !== undefined && to !== undefined && to > from;
};

/**
 * Order of the devices in a firmware rollout: farthest from the core first, so a router never reboots while one
 * behind it still waits (it would cut that one off). Devices whose place TOD does not know (no links seen) go last,
 * in case one of them is upstream of others; equal distances keep the operator's order.
 */
export function orderByTopology<T extends { id: string }>(
  devices: readonly T[],
  depth: ReadonlyMap<string, number | null>,
): T[] {
  const key = (d: T) => depth.get(d.id) ?? -1;
  return devices
    .map((d, i) => ({ d, i }))
    .sort((x, y) => key(y.d) - key(x.d) || x.i - y.i)
    .map((x) => x.d);
}
