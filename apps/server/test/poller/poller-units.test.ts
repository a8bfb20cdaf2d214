import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CircuitBreaker } from '../../src/features/poller/breaker.js';
import { parseHealth, parseInterfaces, parseResource } from '../../src/features/poller/parse.js';
import { applyRates, counterRate, MAX_BYTES_PER_SECOND } from '../../src/features/poller/rates.js';

const U64 = 2n ** 64n;

describe('counter rates', () => {
  it('is the plain difference when the counter grows', () => {
    expect(counterRate(1000n, 61_000n, 60, MAX_BYTES_PER_SECOND)).toBe(1000);
  });
  it('counts across a 64-bit wrap', () => {
    expect(counterRate(U64 - 500n, 500n, 1, MAX_BYTES_PER_SECOND)).toBe(1000);
  });
  it('gives no rate for a reset (reboot, cleared counters) or a zero interval', () => {
    expect(counterRate(5_000_000_000n, 10n, 60, MAX_BYTES_PER_SECOND)).toBeNull();
    expect(counterRate(1n, 2n, 0, MAX_BYTES_PER_SECOND)).toBeNull();
  });
  it('is never negative nor above the ceiling, for any pair of counters', () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: 0n, max: U64 - 1n }),
        fc.bigInt({ min: 0n, max: U64 - 1n }),
        fc.double({ min: 0.001, max: 86_400, noNaN: true }),
        (a, b, s) => {
          const r = counterRate(a, b, s, MAX_BYTES_PER_SECOND);
          return r === null || (r >= 0 && r <= MAX_BYTES_PER_SECOND);
        },
      ),
    );
  });
});

describe('interface error rates', () => {
  const row = (rxErr: string | undefined, txErr: string | undefined) => ({
    name: 'ether1',
    'rx-byte': '1000',
    'tx-byte': '1000',
    'rx-packet': '10',
    'tx-packet': '10',
    ...(rxErr === undefined ? {} : { 'rx-error': rxErr }),
    ...(txErr === undefined ? {} : { 'tx-error': txErr }),
  });
  it('are errors per second from the rx-error and tx-error counters, for the alert rules', () => {
    const first = parseInterfaces([row('100', '0')]);
    const snaps = applyRates(first, undefined, 0, false);
    const second = parseInterfaces([row('160', '30')]);
    applyRates(second, snaps, 60_000, false);
    expect(second[0]).toMatchObject({ rxErrorsPs: 1, txErrorsPs: 0.5 });
  });
  it('are unknown where the device does not report the counters', () => {
    const first = parseInterfaces([row(undefined, undefined)]);
    const snaps = applyRates(first, undefined, 0, false);
    const second = parseInterfaces([row(undefined, undefined)]);
    applyRates(second, snaps, 60_000, false);
    expect(second[0]?.rxErrorsPs).toBeNull();
  });
});

describe('parsing', () => {
  it('reads /system/resource', () => {
    const r = parseResource({
      uptime: '1w2d3h4m5s',
      version: '7.16 (stable)',
      'cpu-load': '7',
      'free-memory': '100',
      'total-memory': '200',
      'cpu-count': '4',
    });
    expect(r.version).toBe('7.16');
    expect(r.health.uptimeSeconds).toBe(9 * 86400 + 3 * 3600 + 4 * 60 + 5);
    expect(r.health).toMatchObject({ cpuLoad: 7, memoryFree: 100, memoryTotal: 200, diskFree: null });
    expect(r.cpuCount).toBe(4);
  });
  it('reads both /system/health shapes', () => {
    expect(parseHealth([{ voltage: '24.1', temperature: '41' }])).toEqual({ voltage: 24.1, temperature: 41 });
    expect(
      parseHealth([
        { '.id': '*D', name: 'voltage', value: '23.9', type: 'V' },
        { '.id': '*E', name: 'cpu-temperature', value: '52', type: 'C' },
      ]),
    ).toEqual({ voltage: 23.9, temperature: 52 });
    expect(parseHealth([])).toEqual({ voltage: null, temperature: null });
  });
});

describe('circuit breaker', () => {
  it('opens after N failures, backs off doubling up to the maximum, closes on success', () => {
    const b = new CircuitBreaker({ maxFailures: 3, baseMs: 30_000, maxMs: 900_000 });
    b.failure(0);
    b.failure(0);
    expect(b.isOpen(0)).toBe(false);
    b.failure(0);
    expect(b.isOpen(29_999)).toBe(true);
    expect(b.isOpen(30_000)).toBe(false);
    b.failure(0);
    expect(b.openUntil).toBe(60_000);
    for (let i = 0; i < 20; i++) b.failure(0);
    expect(b.openUntil).toBe(900_000);
    b.success();
    expect(b.isOpen(1)).toBe(false);
  });
});
