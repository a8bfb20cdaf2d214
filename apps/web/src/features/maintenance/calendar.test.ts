import { describe, expect, test } from 'vitest';
import type { MaintenanceWindow } from '@/api/maintenance-windows';
import { calendar } from './calendar';
import { fromLocalInput, toLocalInput } from './zoned';

// The calendar-like list groups what the server answers (open now, upcoming occurrences); the form reads local
// times in the window's zone as the server does.

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
      // As the server lists them: the next 14 nights.
      upcoming: Array.from({ length: 14 }, (_, i) => ({
        starts_at: new Date(Date.parse('2026-05-05T01:00:00.000Z') + i * 86_400_000).toISOString(),
        ends_at: new Date(Date.parse('2026-05-05T02:00:00.000Z') + i * 86_400_000).toISOString(),
      })),
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
      upcoming: [],
    };
    const c = calendar([daily, open]);
    expect(c.open.map((s) => s.window.name)).toEqual(['Core swap']);
    const slots = c.days.flatMap((d) => d.slots);
    expect(slots).toHaveLength(14);
    expect(slots.every((s) => s.window.name === 'Nightly')).toBe(true);
    expect(new Date(slots[0]!.start).toISOString()).toBe('2026-05-05T01:00:00.000Z');
  });
});
