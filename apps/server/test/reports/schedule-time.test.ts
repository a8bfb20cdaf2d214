import { describe, expect, it } from 'vitest';
import { canonicalZone, cronProblem, nextRunAfter, periodEnding } from '../../src/features/reports/schedule.js';

// When report schedules run and which period a run covers (schedule.ts): local clock, DST, month ends.

const at = (iso: string) => new Date(iso);

describe('the period of a scheduled run', () => {
  it('a day is the same local time the day before: 23 hours across the spring DST change', () => {
    // 06:00 in Berlin on 31 March 2025 (CEST) ← 06:00 on 30 March (CET until 02:00 that day).
    const p = periodEnding(at('2025-03-31T04:00:00Z'), 'day', 'Europe/Berlin');
    expect(p.from.toISOString()).toBe('2025-03-30T04:00:00.000Z');
    const q = periodEnding(at('2025-03-30T04:00:00Z'), 'day', 'Europe/Berlin');
    expect(q.from.toISOString()).toBe('2025-03-29T05:00:00.000Z');
    expect((q.to.getTime() - q.from.getTime()) / 3_600_000).toBe(23);
  });

  it('a week is seven local days (25 hours longer or shorter across a DST change stays on the wall clock)', () => {
    const p = periodEnding(at('2025-11-03T06:00:00Z'), 'week', 'Europe/Berlin'); // Monday 07:00 CET
    expect(p.from.toISOString()).toBe('2025-10-27T06:00:00.000Z'); // Monday 07:00 CET
    const q = periodEnding(at('2025-10-27T06:00:00Z'), 'week', 'Europe/Berlin'); // Monday 07:00 CET
    expect(q.from.toISOString()).toBe('2025-10-20T05:00:00.000Z'); // Monday 07:00 CEST
  });

  it('a month is the same local day and time a calendar month before, the 31st falling back to the last day', () => {
    expect(periodEnding(at('2025-01-01T00:00:00Z'), 'month', 'UTC').from.toISOString()).toBe(
      '2024-12-01T00:00:00.000Z',
    );
    expect(periodEnding(at('2025-03-31T06:00:00Z'), 'month', 'UTC').from.toISOString()).toBe(
      '2025-02-28T06:00:00.000Z',
    );
    expect(periodEnding(at('2024-03-31T06:00:00Z'), 'month', 'UTC').from.toISOString()).toBe(
      '2024-02-29T06:00:00.000Z',
    );
    // 1 April 08:00 in New York (EDT) ← 1 March 08:00 (EST).
    expect(periodEnding(at('2025-04-01T12:00:00Z'), 'month', 'America/New_York').from.toISOString()).toBe(
      '2025-03-01T13:00:00.000Z',
    );
  });
});

describe('cron and zones', () => {
  it('accepts five fields at most hourly, and says what is wrong otherwise', () => {
    expect(cronProblem('0 6 * * 1')).toBeNull();
    expect(cronProblem('0 * * * *')).toBeNull();
    expect(cronProblem('0 6 1 * *', 'Europe/Berlin')).toBeNull();
    expect(cronProblem('*/30 * * * *')).toMatch(/once an hour/);
    expect(cronProblem('0 0 6 * * 1')).toMatch(/five fields/);
    expect(cronProblem('0 25 * * *')).toMatch(/not a valid cron/);
    expect(cronProblem('mondays')).toMatch(/five fields/);
  });

  it('knows IANA zones only', () => {
    expect(canonicalZone('Europe/Berlin')).toBe('Europe/Berlin');
    expect(canonicalZone('UTC')).toBe('UTC');
    expect(canonicalZone('Europe/Atlantis')).toBeNull();
    expect(canonicalZone('+02:00')).toBeNull();
    expect(canonicalZone('')).toBeNull();
  });

  it('the next run is the first strictly after, in the zone', () => {
    expect(nextRunAfter('0 6 * * *', 'Europe/Berlin', at('2025-03-29T12:00:00Z'))?.toISOString()).toBe(
      '2025-03-30T04:00:00.000Z',
    );
    expect(nextRunAfter('0 6 * * *', 'UTC', at('2025-03-29T06:00:00Z'))?.toISOString()).toBe(
      '2025-03-30T06:00:00.000Z',
    );
  });
});
