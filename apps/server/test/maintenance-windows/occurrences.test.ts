import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  nextBoundaryAfter,
  nextOccurrenceAfter,
  occurrenceAt,
  occurrencesBetween,
  type Recurrence,
  seriesEnd,
  type WindowTiming,
  wallOf,
  windowActive,
} from '../../src/features/maintenance-windows/occurrences.js';

const d = (iso: string) => new Date(iso);
const win = (starts: string, ends: string, timezone: string, recurrence: Recurrence | null = null): WindowTiming => ({
  startsAt: d(starts),
  endsAt: d(ends),
  timezone,
  recurrence,
});
/** The occurrence at `at` as UTC strings, or null. */
const at = (w: WindowTiming, iso: string) => {
  const o = occurrenceAt(w, d(iso));
  return o && [o.start.toISOString(), o.end.toISOString()];
};

describe('one-time windows', () => {
  const w = win('2024-05-01T22:00:00+02:00', '2024-05-02T01:00:00+02:00', 'Europe/Berlin');

  it('is open from its start (inclusive) to its end (exclusive), across midnight', () => {
    expect(at(w, '2024-05-01T19:59:59.999Z')).toBeNull();
    expect(at(w, '2024-05-01T20:00:00Z')).toEqual(['2024-05-01T20:00:00.000Z', '2024-05-01T23:00:00.000Z']);
    expect(windowActive(w, d('2024-05-01T22:30:00Z'))).toBe(true);
    expect(windowActive(w, d('2024-05-01T23:00:00Z'))).toBe(false);
    expect(at(w, '2024-05-02T20:30:00Z')).toBeNull();
  });

  it('has two boundaries and then none; its series ends with it', () => {
    expect(nextBoundaryAfter(w, d('2024-04-01T00:00:00Z'))).toEqual(d('2024-05-01T20:00:00Z'));
    expect(nextBoundaryAfter(w, d('2024-05-01T20:00:00Z'))).toEqual(d('2024-05-01T23:00:00Z'));
    expect(nextBoundaryAfter(w, d('2024-05-01T23:00:00Z'))).toBeNull();
    expect(nextOccurrenceAfter(w, d('2024-05-01T21:00:00Z'))).toBeNull();
    expect(seriesEnd(w)).toEqual(d('2024-05-01T23:00:00Z'));
  });
});

describe('daily windows', () => {
  it('repeat at the same local time; one spanning midnight belongs to the day it started', () => {
    const w = win('2024-01-10T23:00:00+01:00', '2024-01-11T01:00:00+01:00', 'Europe/Berlin', { freq: 'daily' });
    expect(at(w, '2024-01-12T23:30:00Z')).toEqual(['2024-01-12T22:00:00.000Z', '2024-01-13T00:00:00.000Z']);
    expect(at(w, '2024-01-13T00:00:00Z')).toBeNull();
    // In summer the same local hours are an hour earlier in UTC.
    expect(at(w, '2024-07-01T21:30:00Z')).toEqual(['2024-07-01T21:00:00.000Z', '2024-07-01T23:00:00.000Z']);
    expect(at(w, '2024-01-10T21:59:00Z')).toBeNull();
    expect(nextBoundaryAfter(w, d('2024-01-12T12:00:00Z'))).toEqual(d('2024-01-12T22:00:00Z'));
    expect(nextOccurrenceAfter(w, d('2024-01-12T22:30:00Z'))).toEqual({
      start: d('2024-01-13T22:00:00Z'),
      end: d('2024-01-14T00:00:00Z'),
    });
    expect(seriesEnd(w)).toBeNull();
  });

  it('Europe/Berlin 02:00–04:00 stays 02:00–04:00 local across both clock changes', () => {
    const w = win('2024-03-28T02:00:00+01:00', '2024-03-28T04:00:00+01:00', 'Europe/Berlin', { freq: 'daily' });
    expect(at(w, '2024-03-30T01:30:00Z')).toEqual(['2024-03-30T01:00:00.000Z', '2024-03-30T03:00:00.000Z']);
    // 31 March: the clocks jump from 02:00 to 03:00 CEST (01:00Z); what exists of 02:00–04:00 is 03:00–04:00.
    expect(at(w, '2024-03-31T00:59:59Z')).toBeNull();
    expect(at(w, '2024-03-31T01:30:00Z')).toEqual(['2024-03-31T01:00:00.000Z', '2024-03-31T02:00:00.000Z']);
    expect(at(w, '2024-03-31T02:00:00Z')).toBeNull();
    // Summer: 02:00 CEST = 00:00Z.
    expect(at(w, '2024-04-01T00:00:00Z')).toEqual(['2024-04-01T00:00:00.000Z', '2024-04-01T02:00:00.000Z']);
    // 27 October: 03:00 CEST becomes 02:00 CET (01:00Z); 02:00 is the first pass, 04:00 CET the end: three hours.
    expect(at(w, '2024-10-27T02:30:00Z')).toEqual(['2024-10-27T00:00:00.000Z', '2024-10-27T03:00:00.000Z']);
    expect(at(w, '2024-10-28T01:00:00Z')).toEqual(['2024-10-28T01:00:00.000Z', '2024-10-28T03:00:00.000Z']);
    expect(at(w, '2024-10-28T00:30:00Z')).toBeNull();
  });

  it('America/New_York: an hour in the spring gap is empty that night, and the fall-back hour counts twice', () => {
    const w = win('2024-03-08T02:00:00-05:00', '2024-03-08T03:00:00-05:00', 'America/New_York', { freq: 'daily' });
    expect(at(w, '2024-03-09T07:30:00Z')).toEqual(['2024-03-09T07:00:00.000Z', '2024-03-09T08:00:00.000Z']);
    // 10 March 02:00–03:00 EST does not exist (the clocks jump to 03:00 EDT at 07:00Z): no occurrence that night.
    for (const t of ['2024-03-10T06:59:00Z', '2024-03-10T07:00:00Z', '2024-03-10T07:30:00Z'])
      expect(at(w, t)).toBeNull();
    expect(nextBoundaryAfter(w, d('2024-03-10T05:00:00Z'))).toEqual(d('2024-03-11T06:00:00Z'));
    expect(at(w, '2024-03-11T06:30:00Z')).toEqual(['2024-03-11T06:00:00.000Z', '2024-03-11T07:00:00.000Z']);

    const late = win('2024-10-30T01:30:00-04:00', '2024-10-30T02:30:00-04:00', 'America/New_York', {
      freq: 'daily',
    });
    // 3 November: 01:30 happens at 05:30Z (EDT) and 06:30Z (EST); from the first to 02:30 EST (07:30Z).
    expect(at(late, '2024-11-03T05:30:00Z')).toEqual(['2024-11-03T05:30:00.000Z', '2024-11-03T07:30:00.000Z']);
    expect(at(late, '2024-11-03T06:45:00Z')).toEqual(['2024-11-03T05:30:00.000Z', '2024-11-03T07:30:00.000Z']);
    expect(at(late, '2024-11-04T06:30:00Z')).toEqual(['2024-11-04T06:30:00.000Z', '2024-11-04T07:30:00.000Z']);
    // 10 March: 01:30 EST exists, 02:30 does not: until the change at 03:00 EDT (07:00Z).
    const spring = { ...late, startsAt: d('2024-03-01T01:30:00-05:00'), endsAt: d('2024-03-01T02:30:00-05:00') };
    expect(at(spring, '2024-03-10T06:45:00Z')).toEqual(['2024-03-10T06:30:00.000Z', '2024-03-10T07:00:00.000Z']);
  });

  it('until a date includes that local day; until an instant includes an occurrence starting then', () => {
    const byDate = win('2024-01-01T22:00:00Z', '2024-01-01T23:00:00Z', 'UTC', { freq: 'daily', until: '2024-01-03' });
    expect(windowActive(byDate, d('2024-01-03T22:30:00Z'))).toBe(true);
    expect(windowActive(byDate, d('2024-01-04T22:30:00Z'))).toBe(false);
    expect(seriesEnd(byDate)).toEqual(d('2024-01-03T23:00:00Z'));
    expect(nextBoundaryAfter(byDate, d('2024-01-03T23:00:00Z'))).toBeNull();

    const byInstant: WindowTiming = { ...byDate, recurrence: { freq: 'daily', until: '2024-01-02T22:00:00.000Z' } };
    expect(windowActive(byInstant, d('2024-01-02T22:30:00Z'))).toBe(true);
    expect(windowActive(byInstant, d('2024-01-03T22:30:00Z'))).toBe(false);
    expect(seriesEnd(byInstant)).toEqual(d('2024-01-02T23:00:00Z'));

    // A local date in the window's zone, not UTC's: Auckland's 3 January ends at 2 January 11:00Z.
    const nz = win('2024-01-01T09:00:00+13:00', '2024-01-01T10:00:00+13:00', 'Pacific/Auckland', {
      freq: 'daily',
      until: '2024-01-03',
    });
    expect(seriesEnd(nz)).toEqual(d('2024-01-02T21:00:00Z'));
  });
});

describe('weekly windows', () => {
  // Monday 1 January 2024, 22:00–23:30 UTC.
  const mwf = win('2024-01-01T22:00:00Z', '2024-01-01T23:30:00Z', 'UTC', {
    freq: 'weekly',
    by_day: ['mo', 'we', 'fr'],
  });

  it('open on the days in by_day only', () => {
    expect(windowActive(mwf, d('2024-01-02T22:15:00Z'))).toBe(false);
    expect(at(mwf, '2024-01-03T22:15:00Z')).toEqual(['2024-01-03T22:00:00.000Z', '2024-01-03T23:30:00.000Z']);
    expect(windowActive(mwf, d('2024-01-05T23:29:00Z'))).toBe(true);
    expect(windowActive(mwf, d('2024-01-06T22:15:00Z'))).toBe(false);
    expect(windowActive(mwf, d('2024-01-08T22:15:00Z'))).toBe(true);
    expect(nextBoundaryAfter(mwf, d('2024-01-02T12:00:00Z'))).toEqual(d('2024-01-03T22:00:00Z'));
    expect(nextBoundaryAfter(mwf, d('2024-01-05T23:30:00Z'))).toEqual(d('2024-01-08T22:00:00Z'));
  });

  it('the first occurrence counts even on a day outside by_day', () => {
    const w: WindowTiming = { ...mwf, recurrence: { freq: 'weekly', by_day: ['tu'] } };
    expect(windowActive(w, d('2024-01-01T22:15:00Z'))).toBe(true);
    expect(windowActive(w, d('2024-01-02T22:15:00Z'))).toBe(true);
    expect(windowActive(w, d('2024-01-08T22:15:00Z'))).toBe(false);
  });

  it("without by_day: the first occurrence's local weekday", () => {
    // Monday 09:00 in Auckland is Sunday 20:00 in UTC.
    const w = win('2024-01-01T09:00:00+13:00', '2024-01-01T10:00:00+13:00', 'Pacific/Auckland', { freq: 'weekly' });
    expect(windowActive(w, d('2024-01-07T20:30:00Z'))).toBe(true);
    expect(windowActive(w, d('2024-01-08T20:30:00Z'))).toBe(false);
  });

  it('overlapping occurrences: the one containing the instant that ends last', () => {
    const w = win('2024-01-01T00:00:00Z', '2024-01-04T00:00:00Z', 'UTC', { freq: 'weekly', by_day: ['mo', 'we'] });
    expect(at(w, '2024-01-10T12:00:00Z')).toEqual(['2024-01-10T00:00:00.000Z', '2024-01-13T00:00:00.000Z']);
    expect(at(w, '2024-01-09T12:00:00Z')).toEqual(['2024-01-08T00:00:00.000Z', '2024-01-11T00:00:00.000Z']);
  });

  it('a daily window whose local times span more than a day overlaps the next occurrence, as asked', () => {
    const w = win('2024-03-30T04:00:00+01:00', '2024-03-31T04:50:00+02:00', 'Europe/Berlin', { freq: 'daily' });
    const list = occurrencesBetween(w, d('2024-03-30T03:00:00Z'), d('2024-04-02T03:00:00Z'));
    expect(list.map((o) => [o.start.toISOString(), o.end.toISOString()]).slice(0, 2)).toEqual([
      ['2024-03-30T03:00:00.000Z', '2024-03-31T02:50:00.000Z'],
      ['2024-03-31T02:00:00.000Z', '2024-04-01T02:50:00.000Z'],
    ]);
  });

  it('a week-long window that never closes', () => {
    const w = win('2024-01-01T00:00:00Z', '2024-01-08T00:00:00Z', 'UTC', { freq: 'weekly' });
    expect(windowActive(w, d('2024-03-17T23:59:59Z'))).toBe(true);
    expect(windowActive(w, d('2024-03-18T00:00:00Z'))).toBe(true);
  });
});

describe('properties', () => {
  const zones = ['Europe/Berlin', 'America/New_York', 'Australia/Lord_Howe', 'Asia/Kolkata', 'Pacific/Chatham'];
  const DAY = 86_400_000;
  const arb = fc.record({
    zone: fc.constantFrom(...zones),
    start: fc
      .integer({ min: Date.UTC(2023, 0, 1), max: Date.UTC(2026, 0, 1) })
      .map((t) => Math.floor(t / 60_000) * 60_000),
    // Up to 22 h: a longer daily window can span 24 h or more of wall-clock time when its first occurrence crosses a
    // clock change (04:00 CET to 04:50 CEST is 23 h 50 min), and then each occurrence, kept at the same local times,
    // overlaps the next by design — the operator asked for more than a day (a probe found it; see the example below).
    minutes: fc.integer({ min: 1, max: 22 * 60 }),
    offset: fc.integer({ min: 0, max: 60 * DAY }),
  });
  const daily = (s: { zone: string; start: number; minutes: number }) =>
    win(new Date(s.start).toISOString(), new Date(s.start + s.minutes * 60_000).toISOString(), s.zone, {
      freq: 'daily',
    });

  it('an occurrence contains the instant asked about, and nothing changes before the next boundary', () => {
    fc.assert(
      fc.property(arb, (s) => {
        const w = daily(s);
        const t = new Date(s.start + s.offset);
        const o = occurrenceAt(w, t);
        if (o) expect(o.start <= t && t < o.end).toBe(true);
        const b = nextBoundaryAfter(w, t);
        expect(b).not.toBeNull();
        expect(b!.getTime()).toBeGreaterThan(t.getTime());
        expect(windowActive(w, new Date(b!.getTime() - 1))).toBe(o !== null);
      }),
      { numRuns: 300 },
    );
  });

  it("daily occurrences do not overlap and start at the first one's local time unless the clocks changed", () => {
    fc.assert(
      fc.property(arb, (s) => {
        const w = daily(s);
        const tod = wallOf(s.start, s.zone) % DAY;
        const list = occurrencesBetween(w, new Date(s.start + s.offset), new Date(s.start + s.offset + 10 * DAY));
        for (let i = 1; i < list.length; i++) expect(list[i - 1]!.end <= list[i]!.start).toBe(true);
        for (const o of list) {
          const t = o.start.getTime();
          const changed = wallOf(t - DAY, s.zone) - (t - DAY) !== wallOf(t + DAY, s.zone) - (t + DAY);
          if (!changed) expect(wallOf(t, s.zone) % DAY).toBe(tod);
        }
      }),
      { numRuns: 300 },
    );
  });
});
