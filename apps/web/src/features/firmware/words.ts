import type { Channel, FirmwareDevice, Latest, Source } from '@/api/firmware';

// How firmware is put into words, and the few version rules the screens need before the server decides.

export const channelLabel: Record<string, string> = {
  stable: 'Stable',
  'long-term': 'Long-term',
  testing: 'Testing',
  development: 'Development',
  upgrade: 'Upgrade (6.49 → 7)',
};

export const sourceHelp: Record<Source, { label: string; help: string }> = {
  auto: {
    label: 'Automatic',
    help: "The router's own updater, or TOD's package cache when the router cannot reach MikroTik.",
  },
  device: { label: 'Internet', help: 'Each router downloads from MikroTik itself.' },
  cache: { label: "TOD's package cache", help: 'TOD uploads the packages over SFTP (for routers without internet).' },
};

/** The server's RouterOS version pattern (apps/server/src/features/firmware/versions.ts). */
export const VERSION = /^(\d{1,3})\.(\d{1,3})(?:\.(\d{1,3}))?(?:(alpha|beta|rc)(\d{1,3}))?$/;

export const majorOf = (v: string | null | undefined): number | undefined => {
  const m = v ? VERSION.exec(v.trim()) : null;
  return m ? Number(m[1]) : undefined;
};

const parts = (v: string) => {
  const m = VERSION.exec(v) as RegExpExecArray;
  const stage = m[4] ? { alpha: 0, beta: 1, rc: 2 }[m[4]] : 3;
  return [Number(m[1]), Number(m[2]), Number(m[3] ?? 0), stage ?? 3, Number(m[5] ?? 0)];
};

/** Newest first, as MikroTik releases them (7.17beta2 < 7.17rc1 < 7.17 < 7.17.1). */
export function byNewest(a: string, b: string): number {
  if (!VERSION.test(a) || !VERSION.test(b)) return 0;
  const x = parts(a);
  const y = parts(b);
  for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return (y[i] as number) - (x[i] as number);
  return 0;
}

/** What the server upgrades to for a channel when no version is given: the newest any device reported. */
export const channelTarget = (latest: Latest[], channel: Channel): string | undefined =>
  latest
    .filter((l) => l.channel === channel)
    .map((l) => l.version)
    .sort(byNewest)[0];

/** The devices for which `target` crosses a major version (6 → 7): the server asks to confirm those. */
export const majorJumps = (devices: FirmwareDevice[], target: string | undefined) => {
  const to = majorOf(target);
  if (to === undefined) return [];
  return devices.filter((d) => {
    const from = majorOf(d.version);
    return from !== undefined && to > from;
  });
};

/** The newest check any device reported (the page's "last checked"). */
export function lastChecked(devices: FirmwareDevice[]): string | null {
  let best: string | null = null;
  for (const d of devices) if (d.checked_at && (!best || d.checked_at > best)) best = d.checked_at;
  return best;
}

export const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
