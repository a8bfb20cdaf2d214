import { describe, expect, test } from 'vitest';
import type { MaintenanceWindow, Weekday } from '@/api/maintenance-windows';
// The server's rules, to hold the app's copy to them (a test may read server code; the app may not ship it).
import * as server from '../../../../server/src/features/maintenance-windows/occurrences';
import { calendar } from './calendar';
import { occurrencesBetween } from './occurrences';
import { fromLocalInput, toLocalInput } from './zoned';

// The app works out a window's occurrences over the next 14 days for its calendar-like list; these must be the
// server's, across clock changes, weekdays and `until` in every form.

const zones = ['Europe/Berlin', 'America/New_York', 'Australia/Sydney', 'Asia/Kolkata', 'UTC', 'America/Santiago'];
const days: Weekday[] = ['mo', 'tu', 'we', 'th', 'fr', 'sa', 'su'];
const HOUR = 3_600_000;

/** A small seeded generator, so a failure is the same on every run. */
function random(seed: number) {
  let s = seed;
  return () => {
    s = (s * 1_103_515_245 + 12_345) % 2 ** 31;
    return s / 2 ** 31;
  };
}

type Timing = Pick<MaintenanceWindow, 'starts_at' | 'ends_at' | 'timezone' | 'recurrence'>;

function someWindow(r: () => number): Timing {
  const timezone = zones[Math.floor(r() * zones.length)]!;
  // Starts in 2026, at a whole quarter hour, often near the night's clock changes.
  const start = Date.UTC(2026, 0, 1) + Math.floor(r() * 365) * 24 * HOUR + Math.floor(r() * 96) * 15 * 60_000;
  const freq = r() < 0.2 ? null : r() < 0.5 ? 'daily' : 'weekly';
  const length = Math.ceil(r() * (freq === 'weekly' ? 72 : 24) * 4) * 15 * 60_000;
  const recurrence: Timing['recurrence'] = freq
    ? {
        freq,
        ...(freq === 'weekly' ? { by_day: days.filter(() => r() < 0.4).concat(r() < 0.5 ? ['mo'] : ['sa']) } : {}),
        ...(r() < 0.3
          ? { until: new Date(start + Math.floor(r() * 90) * 24 * HOUR).toISOString().slice(0, 10) }
          : r() < 0.3
            ? { until: new Date(start + Math.floor(r() * 90) * 24 * HOUR).toISOString() }
            : {}),
      }
    : null;
  if (recurrence?.by_day) recurrence.by_day = [...new Set(recurrence.by_day)];
  return {
    starts_at: new Date(start).toISOString(),
    ends_at: new Date(start + length).toISOString(),
    timezone,
    recurrence,
  };
}

const serverOccurrences = (w: Timing, from: number, to: number) =>
  server
    .occurrencesBetween(
      {
        startsAt: new Date(w.starts_at),
        endsAt: new Date(w.ends_at),
        timezone: w.timezone,
        recurrence: w.recurrence as server.Recurrence | null,
      },
      new Date(from),
      new Date(to),
    )
    .map((o) => ({ start: o.start.getTime(), end: o.end.getTime() }));

describe('occurrences', () => {
  test('match the server’s for 400 windows over 14-day ranges across the year', () => {
    const r = random(13);
    let compared = 0;
    for (let i = 0; i < 400; i++) {
      const w = someWindow(r);
      const from = Date.parse(w.starts_at) + Math.floor((r() - 0.2) * 200) * 24 * HOUR;
      const to = from + 14 * 24 * HOUR;
      const expected = serverOccurrences(w, from, to);
      compared += expected.length;
      expect(occurrencesBetween(w, from, to), JSON.stringify({ w, from })).toEqual(expected);
    }
    // The cases are not all empty ranges.
    expect(compared).toBeGreaterThan(1000);
  });

  test('a weekly window in Berlin keeps 02:00 local across the spring clock change', () => {
    const w: Timing = {
      starts_at: '2026-03-16T01:00:00.000Z', // Monday 02:00 CET
      ends_at: '2026-03-16T03:00:00.000Z',
      timezone: 'Europe/Berlin',
      recurrence: { freq: 'weekly', by_day: ['mo'] },
    };
    const got = occurrencesBetween(w, Date.parse('2026-03-20T00:00:00Z'), Date.parse('2026-04-03T00:00:00Z'));
    // 02:00 CEST is 00:00 UTC after the change on 29 March.
    expect(got.map((o) => new Date(o.start).toISOString())).toEqual([
      '2026-03-23T01:00:00.000Z',
      '2026-03-30T00:00:00.000Z',
    ]);
  });
});

describe('the form’s local times', () => {
  test('a datetime-local value is read in the window’s zone and shown back the same', () => {
    expect(fromLocalInput('2026-07-01T02:30', 'Europe/Berlin')).toBe('2026-07-01T00:30:00.000Z');
    expect(fromLocalInput('2026-01-01T02:30', 'America/New_York')).toBe('2026-01-01T07:30:00.000Z');
    expect(toLocalInput('2026-07-01T00:30:00.000Z', 'Europe/Berlin')).toBe('2026-07-01T02:30');
    // A time the spring-forward skips is the moment the clocks change, as the server reads it.
    expect(fromLocalInput('2026-03-29T02:30', 'Europe/Berlin')).toBe('2026-03-29T01:00:00.000Z');
    expect(fromLocalInput('', 'UTC')).toBeNull();
  });
});

describe('calendar', () => {
  const base = {
    scope: { kind: 'organisation' as const },
    scopes: [{ kind: 'organisation' as const }],
    series_ends_at: null,
    created_at: '2026-01-01T00:00:00.000Z',
    updated_at: '2026-01-01T00:00:00.000Z',
    policies: { update: true, delete: true },
  };
  test('open windows first, then each occurrence of the next 14 days by local day', () => {
    const now = Date.parse('2026-05-04T12:00:00Z'); // a Monday
    const daily: MaintenanceWindow = {
      ...base,
      id: 'a',
      name: 'Nightly',
      starts_at: '2026-05-01T01:00:00.000Z',
      ends_at: '2026-05-01T02:00:00.000Z',
      timezone: 'UTC',
      recurrence: { freq: 'daily' },
      active: false,
      current: null,
      next: { starts_at: '2026-05-05T01:00:00.000Z', ends_at: '2026-05-05T02:00:00.000Z' },
    };
    const open: MaintenanceWindow = {
      ...base,
      id: 'b',
      name: 'Core swap',
      starts_at: '2026-05-04T11:00:00.000Z',
      ends_at: '2026-05-04T13:00:00.000Z',
      timezone: 'UTC',
      recurrence: null,
      active: true,
      current: { starts_at: '2026-05-04T11:00:00.000Z', ends_at: '2026-05-04T13:00:00.000Z' },
      next: null,
    };
    const c = calendar([daily, open], now);
    expect(c.open.map((s) => s.window.name)).toEqual(['Core swap']);
    const slots = c.days.flatMap((d) => d.slots);
    expect(slots).toHaveLength(14);
    expect(slots.every((s) => s.window.name === 'Nightly')).toBe(true);
    expect(new Date(slots[0]!.start).toISOString()).toBe('2026-05-05T01:00:00.000Z');
  });
});
