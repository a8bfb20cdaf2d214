import { describe, expect, it } from 'vitest';
import { formatDuration, formatValue } from '../../../src/features/alerts/notify/format.js';
import {
  MESSAGE_MAX_CHARS,
  renderMessage,
  renderTemplate,
  TEMPLATE_VARIABLES,
  validateTemplate,
} from '../../../src/features/alerts/notify/template.js';
import { NOW, notice } from './fixtures.js';

// Templates: a fixed list of variables, nothing evaluated, nothing reachable beyond the list.

describe('default messages', () => {
  it('says what fired, where, and for whom, on one line', () => {
    expect(renderMessage(null, notice(), NOW)).toBe('[CRITICAL] CPU load 95% > 90% on core-router-1 (Acme)');
  });

  it('names the interface and writes bit rates as people read them', () => {
    const n = notice({
      severity: 'warning',
      metric: 'interface_rx_bps',
      interface: 'ether1',
      value: 951_200_000,
      threshold: 900_000_000,
      unit: 'bps',
    });
    expect(renderMessage(null, n, NOW)).toBe(
      '[WARNING] Interface receive (ether1) 951 Mbps > 900 Mbps on core-router-1 (Acme)',
    );
  });

  it('a flag metric is its name alone', () => {
    const n = notice({ metric: 'device_offline', value: 1, threshold: 1, operator: '==', unit: null });
    expect(renderMessage(null, n, NOW)).toBe('[CRITICAL] Device offline on core-router-1 (Acme)');
  });

  it('a resolved alert says how long it lasted; an acknowledged one by whom', () => {
    const resolved = notice({
      event: 'alert.resolved',
      status: 'resolved',
      value: 40,
      resolvedAt: '2026-05-01T16:08:30.000Z',
    });
    expect(renderMessage(null, resolved, NOW)).toBe('[RESOLVED] CPU load on core-router-1 (Acme) after 2h 5m');
    const acked = notice({ event: 'alert.acknowledged', status: 'acknowledged', acknowledgedBy: 'ana@acme.test' });
    expect(renderMessage(null, acked, NOW)).toBe(
      '[ACKNOWLEDGED] CPU load 95% > 90% on core-router-1 (Acme), acknowledged by ana@acme.test',
    );
  });

  it('a site or sector alert names its site (and sector) where a device alert names the device', () => {
    const n = notice({
      device: null,
      site: { id: 'site-1', name: 'Tower North' },
      sector: { id: 'sec-1', name: 'East' },
      metric: 'sector_avg_signal',
      operator: '<',
      value: -79.4,
      threshold: -75,
      unit: 'dBm',
    });
    expect(renderMessage(null, n, NOW)).toBe(
      '[CRITICAL] Average client signal -79.4 dBm < -75 dBm on Tower North / East (Acme)',
    );
    expect(renderTemplate('{{site.name}}|{{sector.name}}|{{device.name}}|{{source}}', n, NOW)).toBe(
      'Tower North|East||Tower North / East',
    );
    const site = notice({ device: null, site: { id: 'site-1', name: 'Tower North' }, sector: null });
    expect(renderTemplate('{{source}}', site, NOW)).toBe('Tower North');
  });

  it('a test notification says so, with the default or a custom template', () => {
    expect(renderMessage(null, notice({ test: true }), NOW)).toMatch(/^\[TEST\] \[CRITICAL\] CPU load/);
    expect(renderMessage('{{device.name}}', notice({ test: true }), NOW)).toBe('[TEST] core-router-1');
  });
});

describe('custom templates', () => {
  it('fills dotted and plain variables, with or without spaces inside the braces', () => {
    const t =
      '{{ severity }}: {{rule.name}} on {{device.name}} ({{device.host}}) {{value}} vs {{ threshold }} for {{duration}} {{url}}';
    expect(validateTemplate(t)).toBeNull();
    expect(renderTemplate(t, notice(), NOW)).toBe(
      'critical: CPU high on core-router-1 (10.0.0.1) 95% vs 90% for 30m https://tod.example/alerts/alert-1',
    );
  });

  it('every listed variable renders', () => {
    const all = Object.keys(TEMPLATE_VARIABLES)
      .map((k) => `{{${k}}}`)
      .join('|');
    expect(validateTemplate(all)).toBeNull();
    const out = renderTemplate(
      all,
      notice({ interface: 'ether1', acknowledgedBy: 'ana', acknowledgedNote: 'on it' }),
      NOW,
    );
    expect(out).not.toContain('{{');
    expect(out).toContain('2026-05-01 14:03 UTC');
  });

  it('values are text, never template or replacement syntax', () => {
    const n = notice({ device: { id: 'd', name: '{{url}} $& $1 $$', host: 'h' } });
    expect(renderTemplate('{{device.name}}', n, NOW)).toBe('{{url}} $& $1 $$');
  });

  it('cuts a long message', () => {
    const n = notice({ device: { id: 'd', name: 'x'.repeat(5000), host: 'h' } });
    const out = renderTemplate('{{device.name}}', n, NOW);
    expect(out.length).toBe(MESSAGE_MAX_CHARS);
    expect(out.endsWith('…')).toBe(true);
  });
});

describe('validation', () => {
  it('refuses unknown variables, naming the first', () => {
    expect(validateTemplate('{{device.name}} {{device.serial}} {{nope}}')).toBe('unknown variable {{device.serial}}');
    expect(validateTemplate('{{device}}')).toBe('unknown variable {{device}}');
    expect(validateTemplate('{{}}')).toBe('unknown variable {{}}');
    expect(validateTemplate('{{process.env.SECRET}}')).toBe('unknown variable {{process.env.SECRET}}');
  });

  it('reaches no prototype: such names are refused, and left as typed if rendered', () => {
    for (const name of [
      'constructor',
      '__proto__',
      'toString',
      'device.constructor',
      'rule.__proto__',
      'hasOwnProperty',
    ]) {
      expect(validateTemplate(`{{${name}}}`)).toBe(`unknown variable {{${name}}}`);
      expect(renderTemplate(`a {{${name}}} b`, notice(), NOW)).toBe(`a {{${name}}} b`);
    }
  });

  it('refuses an unclosed placeholder, an empty template, control characters and more than 4 KB', () => {
    expect(validateTemplate('{{device.name')).toBe('a {{ is not closed by }}');
    expect(validateTemplate('   \n')).toBe('the template is empty');
    expect(validateTemplate('a\u0000b')).toBe('the template contains control characters');
    expect(validateTemplate('line one\nline\ttwo\r\n')).toBeNull();
    expect(validateTemplate('x'.repeat(4096))).toBeNull();
    expect(validateTemplate('x'.repeat(4097))).toBe('the template is longer than 4096 bytes');
    // Bytes, not characters: 1366 euro signs are 4098 bytes.
    expect(validateTemplate('€'.repeat(1366))).toBe('the template is longer than 4096 bytes');
  });

  it('a stray }} is text', () => {
    expect(validateTemplate('a }} b')).toBeNull();
  });
});

describe('figures', () => {
  it('formats values by unit', () => {
    expect(formatValue(950_000_000, 'bps')).toBe('950 Mbps');
    expect(formatValue(1_250_000_000, 'bps')).toBe('1.25 Gbps');
    expect(formatValue(812, 'bps')).toBe('812 bps');
    expect(formatValue(61.456, '°C')).toBe('61.46 °C');
    expect(formatValue(-67, 'dBm')).toBe('-67 dBm');
    expect(formatValue(24.1, 'V')).toBe('24.1 V');
    expect(formatValue(12, '/s')).toBe('12/s');
    expect(formatValue(99.95, '%')).toBe('99.95%');
    expect(formatValue(300, 's')).toBe('5m');
    expect(formatValue(7, null)).toBe('7');
    expect(formatValue(null, '%')).toBe('n/a');
  });

  it('formats durations', () => {
    expect(formatDuration(45)).toBe('45s');
    expect(formatDuration(42 * 60 + 5)).toBe('42m');
    expect(formatDuration(5 * 3600 + 12 * 60)).toBe('5h 12m');
    expect(formatDuration(3 * 86400 + 4 * 3600 + 59)).toBe('3d 4h');
  });
});
