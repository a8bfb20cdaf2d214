import { describe, expect, it } from 'vitest';
import { normalizeTiming, type TimingInput } from '../../src/features/maintenance-windows/validate.js';
import { AppError } from '../../src/platform/http/errors.js';

const base: TimingInput = {
  starts_at: '2024-01-01T22:00:00+01:00',
  ends_at: '2024-01-02T00:00:00+01:00',
  timezone: 'Europe/Berlin',
  recurrence: null,
};
const codeOf = (input: Partial<TimingInput>) => {
  try {
    normalizeTiming({ ...base, ...input });
    return null;
  } catch (e) {
    if (!(e instanceof AppError)) throw e;
    return e.code;
  }
};

describe('window timing checks', () => {
  it('refuses an end at or before the start', () => {
    expect(codeOf({ ends_at: base.starts_at })).toBe('invalid_window');
    expect(codeOf({ ends_at: '2024-01-01T20:59:00Z' })).toBe('invalid_window');
  });

  it('refuses unknown zones and offsets, and stores the canonical name', () => {
    expect(codeOf({ timezone: 'Mars/Olympus' })).toBe('invalid_timezone');
    expect(codeOf({ timezone: '+01:00' })).toBe('invalid_timezone');
    expect(codeOf({ timezone: '' })).toBe('invalid_timezone');
    expect(normalizeTiming({ ...base, timezone: 'europe/berlin' }).timezone).toBe('Europe/Berlin');
  });

  it('refuses by_day on a daily window and an until before the first occurrence', () => {
    expect(codeOf({ recurrence: { freq: 'daily', by_day: ['mo'] } })).toBe('invalid_recurrence');
    expect(codeOf({ recurrence: { freq: 'daily', until: '2023-12-31' } })).toBe('invalid_recurrence');
    expect(codeOf({ recurrence: { freq: 'daily', until: '2024-01-01T20:59:59Z' } })).toBe('invalid_recurrence');
    expect(codeOf({ recurrence: { freq: 'daily', until: '2024-01-01' } })).toBeNull();
  });

  it('limits a daily window to 24 hours and a weekly one to 7 days, on the local clock', () => {
    const day = { starts_at: '2024-01-01T00:00:00+01:00', ends_at: '2024-01-02T00:00:00+01:00' };
    expect(codeOf({ ...day, recurrence: { freq: 'daily' } })).toBeNull();
    expect(codeOf({ ...day, ends_at: '2024-01-02T00:01:00+01:00', recurrence: { freq: 'daily' } })).toBe(
      'invalid_window',
    );
    // 27 October 2024 has 25 hours in Berlin: midnight to midnight is still one local day.
    expect(
      codeOf({
        starts_at: '2024-10-27T00:00:00+02:00',
        ends_at: '2024-10-28T00:00:00+01:00',
        recurrence: { freq: 'daily' },
      }),
    ).toBeNull();
    expect(codeOf({ ...day, ends_at: '2024-01-08T00:00:00+01:00', recurrence: { freq: 'weekly' } })).toBeNull();
    expect(codeOf({ ...day, ends_at: '2024-01-08T00:00:01+01:00', recurrence: { freq: 'weekly' } })).toBe(
      'invalid_window',
    );
    // A one-time window may last longer.
    expect(codeOf({ ...day, ends_at: '2024-03-01T00:00:00+01:00' })).toBeNull();
  });

  it('spells out weekly days (default: the local weekday of the first occurrence) and the series end', () => {
    // 22:00 on Monday 1 January in Berlin.
    const weekly = normalizeTiming({ ...base, recurrence: { freq: 'weekly' } });
    expect(weekly.recurrence).toEqual({ freq: 'weekly', by_day: ['mo'] });
    expect(weekly.seriesEnd).toBeNull();
    const days = normalizeTiming({ ...base, recurrence: { freq: 'weekly', by_day: ['fr', 'mo', 'fr'] } });
    expect(days.recurrence?.by_day).toEqual(['mo', 'fr']);
    const until = normalizeTiming({ ...base, recurrence: { freq: 'daily', until: '2024-01-05T22:00:00+01:00' } });
    expect(until.recurrence?.until).toBe('2024-01-05T21:00:00.000Z');
    expect(until.seriesEnd).toEqual(new Date('2024-01-05T23:00:00Z'));
    expect(normalizeTiming(base).seriesEnd).toEqual(new Date(base.ends_at));
  });
});
