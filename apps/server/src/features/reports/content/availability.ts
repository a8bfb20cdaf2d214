import type { Db } from '../../../platform/db/tx.js';
import { loadMemberships, scopeCovers } from '../../catalog/scope.js';
import { occurrencesBetween } from '../../maintenance-windows/occurrences.js';
import { availabilityQueries, type StatusSpan } from './availability.queries.js';
import type { Scope } from './scope.queries.js';

// Availability over a period, from the status history:
//  - down: time offline; up: online or degraded (a degraded device answers, slowly or in part);
//  - time before TOD first reached a device (status unknown: added during the period, never polled) is not counted;
//  - the period ends at `until` = min(to, now): the future is not counted either;
//  - time inside a maintenance window that covers the device is excluded from both (planned work is not an outage),
//    and reported as such. A downtime that straddles a window counts only its part outside it.
// availability = (counted time - counted downtime) / counted time.

type Interval = [number, number];

export type Downtime = { start: Date; end: Date; seconds: number; counted: number; ongoing: boolean };
export type DeviceAvailability = {
  monitored: number;
  down: number;
  maintenance: number;
  pct: number | null;
  downtimes: Downtime[];
};

const overlap = (a: Interval, list: readonly Interval[]) => {
  let n = 0;
  for (const [s, e] of list) n += Math.max(0, Math.min(a[1], e) - Math.max(a[0], s));
  return n;
};

function merge(list: Interval[]): Interval[] {
  const sorted = [...list].sort((a, b) => a[0] - b[0]);
  const out: Interval[] = [];
  for (const i of sorted) {
    const last = out.at(-1);
    if (last && i[0] <= last[1]) last[1] = Math.max(last[1], i[1]);
    else out.push([i[0], i[1]]);
  }
  return out;
}

/** Per device, the merged maintenance intervals in [from, until) of the windows that cover it. */
export async function maintenanceOf(db: Db, deviceIds: string[], from: Date, until: Date) {
  const out = new Map<string, Interval[]>();
  const windows = await availabilityQueries.windows(db, from, until);
  if (windows.length === 0 || deviceIds.length === 0) return out;
  const members = await loadMemberships(db, deviceIds);
  const occurrences = windows.map((w) => ({
    scopes: w.scopes,
    intervals: occurrencesBetween(
      { startsAt: w.starts_at, endsAt: w.ends_at, timezone: w.timezone, recurrence: w.recurrence },
      from,
      until,
    ).map((o): Interval => [Math.max(o.start.getTime(), from.getTime()), Math.min(o.end.getTime(), until.getTime())]),
  }));
  for (const [id, m] of members) {
    const mine = occurrences.filter((o) => o.scopes.some((s) => scopeCovers(s, m))).flatMap((o) => o.intervals);
    if (mine.length) out.set(id, merge(mine));
  }
  return out;
}

/** Folds status spans (ordered by device, then time) into availability per device. */
export function fold(spans: StatusSpan[], maintenance: Map<string, Interval[]>, until: Date) {
  const out = new Map<string, DeviceAvailability>();
  for (const s of spans) {
    let a = out.get(s.device_id);
    if (!a) {
      a = { monitored: 0, down: 0, maintenance: 0, pct: null, downtimes: [] };
      out.set(s.device_id, a);
    }
    if (s.status !== 'online' && s.status !== 'degraded' && s.status !== 'offline') continue;
    const span: Interval = [s.start_at.getTime(), s.end_at.getTime()];
    const held = overlap(span, maintenance.get(s.device_id) ?? []);
    const length = span[1] - span[0];
    a.monitored += (length - held) / 1000;
    a.maintenance += held / 1000;
    if (s.status !== 'offline') continue;
    a.down += (length - held) / 1000;
    // Consecutive offline spans (the reason changed while down) are one downtime.
    const last = a.downtimes.at(-1);
    if (last && last.end.getTime() === span[0]) {
      last.end = s.end_at;
      last.seconds += length / 1000;
      last.counted += (length - held) / 1000;
      last.ongoing = span[1] >= until.getTime();
    } else
      a.downtimes.push({
        start: s.start_at,
        end: s.end_at,
        seconds: length / 1000,
        counted: (length - held) / 1000,
        ongoing: span[1] >= until.getTime(),
      });
  }
  for (const a of out.values()) a.pct = a.monitored > 0 ? (100 * (a.monitored - a.down)) / a.monitored : null;
  return out;
}

/** Time-weighted availability of several devices together (a site, the organisation). */
export function combined(list: Iterable<DeviceAvailability | undefined>) {
  let monitored = 0;
  let down = 0;
  for (const a of list) {
    if (!a) continue;
    monitored += a.monitored;
    down += a.down;
  }
  return { monitored, down, pct: monitored > 0 ? (100 * (monitored - down)) / monitored : null };
}

/** Availability of the scope's devices over [from, min(to, now)). */
export async function availability(db: Db, scope: Scope, deviceIds: string[], from: Date, to: Date, now: Date) {
  const until = new Date(Math.min(to.getTime(), now.getTime()));
  if (until <= from) return { until, byDevice: new Map<string, DeviceAvailability>() };
  // One after the other: both run on the report's one transaction.
  const spans = await availabilityQueries.spans(db, scope, from, until);
  const maintenance = await maintenanceOf(db, deviceIds, from, until);
  return { until, byDevice: fold(spans, maintenance, until) };
}
