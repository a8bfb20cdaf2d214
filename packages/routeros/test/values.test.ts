import { describe, expect, it } from 'vitest';
import { restFiles, restRows } from '../../../fixtures/index.js';
import {
  parseBitrate,
  parseBool,
  parseCounter,
  parseCounterPair,
  parseDate,
  parseDateIso,
  parseDuration,
  parseIntValue,
  parseList,
  parseSignal,
  parseStrengthAtRates,
} from '../src/values.js';

const allRows = () => restFiles().flatMap((f) => restRows(f));

describe('fixtures are present', () => {
  it('finds the REST 7.16 replies in the repository', () => {
    // A missing fixture must fail, never skip.
    expect(restFiles().length).toBeGreaterThanOrEqual(8);
  });
});

describe('values from real RouterOS 7.16 replies', () => {
  const BOOL_KEYS = [
    'disabled',
    'running',
    'dynamic',
    'invalid',
    'slave',
    'blocked',
    'radius',
    'routerboard',
    'ap',
    'wds',
  ];
  const COUNTER_SUFFIX = /(-byte|-packet|-drop|-error|^bytes|^packets|-sect-.*|-memory|-hdd-space)$/;
  const DURATION_KEYS = ['uptime', 'last-activity', 'expires-after', 'last-seen'];
  const DATE_KEYS = ['last-link-up-time', 'build-time', 'last-started'];

  it('every boolean-looking field parses as a boolean', () => {
    let n = 0;
    for (const row of allRows()) {
      for (const k of BOOL_KEYS) {
        if (row[k] === undefined) continue;
        expect(parseBool(row[k]), `${k}=${row[k]}`).toBeTypeOf('boolean');
        n++;
      }
    }
    expect(n).toBeGreaterThan(20);
  });

  it('counters parse as bigint and exceed 2^32 where the router says so', () => {
    const [ether1] = restRows('interface');
    expect(parseCounter(ether1?.['rx-byte'])).toBe(194632346152n);
    expect(parseCounter(ether1?.['rx-byte'])! > 2n ** 32n).toBe(true);
    for (const row of restRows('interface')) {
      for (const [k, v] of Object.entries(row)) {
        if (COUNTER_SUFFIX.test(k)) expect(parseCounter(v), `${k}=${v}`).toBeTypeOf('bigint');
      }
    }
    const [res] = restRows('system_resource');
    expect(parseCounter(res?.['total-memory'])).toBe(134217728n);
    expect(parseIntValue(res?.['cpu-count'])).toBe(4);
  });

  it('durations parse to milliseconds', () => {
    const [res] = restRows('system_resource');
    expect(parseDuration(res?.uptime)).toBe(7 * 86_400_000 + 3_600_000 + 10 * 60_000 + 14_000); // 1w1h10m14s
    const [reg] = restRows('interface_wireless_registration');
    expect(parseDuration(reg?.['last-activity'])).toBe(1530); // 1s530ms
    expect(parseDuration(reg?.uptime)).toBe(6 * 86_400_000 + 4 * 3_600_000 + 45 * 60_000 + 3000); // 6d4h45m3s
    let n = 0;
    for (const row of allRows()) {
      for (const k of DURATION_KEYS) {
        if (row[k] === undefined) continue;
        expect(parseDuration(row[k]), `${k}=${row[k]}`).toBeTypeOf('number');
        n++;
      }
    }
    expect(n).toBeGreaterThan(5);
  });

  it('dates parse to ISO and Date', () => {
    const [ether1] = restRows('interface');
    expect(parseDateIso(ether1?.['last-link-up-time'])).toBe('2024-10-19T21:54:32');
    expect(parseDate(ether1?.['last-link-up-time'])?.toISOString()).toBe('2024-10-19T21:54:32.000Z');
    for (const row of allRows()) {
      for (const k of DATE_KEYS) {
        if (row[k] === undefined) continue;
        expect(parseDate(row[k]), `${k}=${row[k]}`).toBeInstanceOf(Date);
      }
    }
  });

  it('tx,rx pairs, signal@rate and strength-at-rates', () => {
    const [reg] = restRows('interface_wireless_registration');
    expect(parseCounterPair(reg?.bytes)).toEqual({ tx: 5919271457n, rx: 2570329671n });
    expect(parseCounterPair(reg?.packets)).toEqual({ tx: 6387817n, rx: 5106449n });
    expect(parseSignal(reg?.['signal-strength'])).toEqual({ signal: -62, rate: '6Mbps', rateBps: 6_000_000 });
    expect(parseSignal(reg?.['signal-strength-ch0'])).toEqual({ signal: -64, rate: '', rateBps: undefined });
    expect(parseStrengthAtRates(reg?.['strength-at-rates'])).toEqual([
      { signal: -62, rate: '6Mbps', rateBps: 6_000_000, ageMs: 3300 },
      { signal: -62, rate: '24Mbps', rateBps: 24_000_000, ageMs: 1530 },
    ]);
    expect(parseBitrate(reg?.['tx-rate'])).toBe(866_600_000);
    expect(parseBitrate(reg?.['rx-rate'])).toBe(585_000_000);
  });
});

describe('value helpers on hand-written inputs', () => {
  it('booleans', () => {
    expect([parseBool('yes'), parseBool('no'), parseBool('true'), parseBool('false')]).toEqual([
      true,
      false,
      true,
      false,
    ]);
    expect(parseBool('1')).toBeUndefined();
    expect(parseBool(undefined)).toBeUndefined();
  });

  it('durations in every RouterOS shape', () => {
    expect(parseDuration('1w2d3h4m5s')).toBe(((((7 + 2) * 24 + 3) * 60 + 4) * 60 + 5) * 1000);
    expect(parseDuration('453us')).toBeCloseTo(0.453);
    expect(parseDuration('00:05:00')).toBe(300_000);
    expect(parseDuration('2d10:11:12')).toBe(2 * 86_400_000 + ((10 * 60 + 11) * 60 + 12) * 1000);
    expect(parseDuration('10:11:12.250')).toBe(((10 * 60 + 11) * 60 + 12) * 1000 + 250);
    expect(parseDuration('0s')).toBe(0);
    expect(parseDuration('5m3s')).toBe(303_000);
    for (const bad of ['', 'never', '5', '3s5m', '1s1s', '10:61:00', '1h10:00:00', 's', '1x']) {
      expect(parseDuration(bad), bad).toBeUndefined();
    }
  });

  it('dates in old, ISO and date-only forms, with validation', () => {
    expect(parseDateIso('jan/02/1970 00:24:39')).toBe('1970-01-02T00:24:39');
    expect(parseDateIso('Dec/31/2023')).toBe('2023-12-31');
    expect(parseDateIso('2024-01-31 10:20:30')).toBe('2024-01-31T10:20:30');
    expect(parseDate('jan/02/1970')?.toISOString()).toBe('1970-01-02T00:00:00.000Z');
    expect(parseDate('2024-01-31 10:20:30', 120)?.toISOString()).toBe('2024-01-31T08:20:30.000Z');
    for (const bad of ['feb/30/2024', 'foo/01/2024', '2024-13-01', '2024-01-01 24:00:00', 'yesterday']) {
      expect(parseDateIso(bad), bad).toBeUndefined();
    }
    expect(parseDateIso('feb/29/2024')).toBe('2024-02-29');
  });

  it('lists and counters', () => {
    expect(parseList('read,write')).toEqual(['read', 'write']);
    expect(parseList('')).toEqual([]);
    expect(parseCounter('18446744073709551615')).toBe(18446744073709551615n);
    expect(parseCounter('1.5')).toBeUndefined();
    expect(parseCounterPair('1,x')).toBeUndefined();
    expect(parseSignal('strong')).toBeUndefined();
  });
});
