import { describe, expect, it } from 'vitest';
import {
  coerceValue,
  coerceValues,
  type VariableDeclaration,
  variableSchema,
  variablesSchema,
} from '../../src/features/templates/variables.js';

const device = { id: '00000000-0000-4000-8000-000000000001', name: 'branch-1' };

describe('declarations', () => {
  it('accepts typed variables with valid defaults', () => {
    const ok = variablesSchema.safeParse([
      { name: 'ssid', type: 'string', default: 'Office', description: 'network name' },
      { name: 'vlan_id', type: 'integer', default: '10', required: true },
      { name: 'guest', type: 'boolean', default: 'yes' },
      { name: 'gateway', type: 'ip', default: '192.168.88.1' },
      { name: 'LAN', type: 'cidr', default: '192.168.88.1/24' },
      { name: 'dns', type: 'list', of: 'ip', default: ['1.1.1.1', '9.9.9.9'] },
      { name: 'ports', type: 'list' },
    ]);
    expect(ok.success).toBe(true);
  });

  it('rejects bad names, reserved names, duplicates and defaults of the wrong type', () => {
    const bad = (v: unknown) => variableSchema.safeParse(v).success;
    expect(bad({ name: '1abc', type: 'string' })).toBe(false);
    expect(bad({ name: 'a-b', type: 'string' })).toBe(false);
    expect(bad({ name: 'device', type: 'string' })).toBe(false);
    expect(bad({ name: 'Device', type: 'string' })).toBe(false);
    expect(bad({ name: '__proto__', type: 'string' })).toBe(false);
    expect(bad({ name: 'constructor', type: 'string' })).toBe(false);
    expect(bad({ name: 'forloop', type: 'string' })).toBe(false);
    expect(bad({ name: 'n', type: 'integer', default: 'ten' })).toBe(false);
    expect(bad({ name: 'n', type: 'ip', default: '10.0.0.300' })).toBe(false);
    expect(bad({ name: 'n', type: 'string', of: 'ip' })).toBe(false);
    expect(bad({ name: 'n', type: 'list', of: 'cidr', default: '10.0.0.0/8,bogus' })).toBe(false);
    const dup = variablesSchema.safeParse([
      { name: 'ssid', type: 'string' },
      { name: 'SSID', type: 'string' },
    ]);
    expect(dup.success).toBe(false);
    expect(JSON.stringify(dup.error?.issues)).toMatch(/declared twice/);
  });
});

describe('coercion', () => {
  it('turns form and CSV strings into typed values', () => {
    expect(coerceValue({ type: 'integer' }, ' 42 ')).toEqual({ ok: true, value: 42 });
    expect(coerceValue({ type: 'integer' }, '9007199254740993').ok).toBe(false);
    expect(coerceValue({ type: 'integer' }, 1.5).ok).toBe(false);
    expect(coerceValue({ type: 'integer' }, '1e3').ok).toBe(false);
    for (const t of ['true', 'YES', 'on', '1', 1, true])
      expect(coerceValue({ type: 'boolean' }, t)).toEqual({ ok: true, value: true });
    for (const f of ['false', 'No', 'off', '0', 0, false])
      expect(coerceValue({ type: 'boolean' }, f)).toEqual({ ok: true, value: false });
    expect(coerceValue({ type: 'boolean' }, 'maybe').ok).toBe(false);
    expect(coerceValue({ type: 'string' }, 7)).toEqual({ ok: true, value: '7' });
    expect(coerceValue({ type: 'list' }, 'ether2, ether3,\nether4,')).toEqual({
      ok: true,
      value: ['ether2', 'ether3', 'ether4'],
    });
    expect(coerceValue({ type: 'list', of: 'integer' }, ['10', 20])).toEqual({ ok: true, value: [10, 20] });
    expect(coerceValue({ type: 'list', of: 'integer' }, ['10', 'x'])).toEqual({
      ok: false,
      message: 'item 2: expected a whole number',
    });
  });

  it('validates addresses and networks and writes them as RouterOS does', () => {
    expect(coerceValue({ type: 'ip' }, ' 10.1.2.3 ')).toEqual({ ok: true, value: '10.1.2.3' });
    expect(coerceValue({ type: 'ip' }, 'FD00:0:0::1')).toEqual({ ok: true, value: 'fd00::1' });
    expect(coerceValue({ type: 'ip' }, '10.1.2.3/24').ok).toBe(false);
    expect(coerceValue({ type: 'ip' }, 'router.lan').ok).toBe(false);
    expect(coerceValue({ type: 'cidr' }, '192.168.88.1/24')).toEqual({ ok: true, value: '192.168.88.1/24' });
    expect(coerceValue({ type: 'cidr' }, '2001:DB8::/32')).toEqual({ ok: true, value: '2001:db8::/32' });
    expect(coerceValue({ type: 'cidr' }, '192.168.88.1').ok).toBe(false);
    expect(coerceValue({ type: 'cidr' }, '192.168.88.1/33').ok).toBe(false);
  });

  it('refuses text that would break out of its line', () => {
    expect(coerceValue({ type: 'string' }, 'x\n/user add name=evil group=full')).toEqual({
      ok: false,
      message: 'must be one line without control characters',
    });
    expect(coerceValue({ type: 'list' }, ['a\rb']).ok).toBe(false);
  });
});

describe('values for a device', () => {
  const declared: VariableDeclaration[] = [
    { name: 'ssid', type: 'string', default: 'Office' },
    { name: 'vlan_id', type: 'integer', required: true },
    { name: 'guest', type: 'boolean', default: false },
    { name: 'note', type: 'string' },
    { name: 'dns', type: 'list', of: 'ip', default: ['1.1.1.1'] },
  ];

  it('takes each value from the device, then the request, then the groups, then the default', () => {
    const r = coerceValues(
      declared,
      {
        device: { vlan_id: '30' },
        values: { vlan_id: 20, ssid: 'Shop', guest: '' },
        groups: [
          { guest: 'yes', ssid: 'Group' },
          { note: 'second group', ssid: 'Other' },
        ],
      },
      { device },
    );
    expect(r.errors).toEqual([]);
    expect(r.values).toEqual({ ssid: 'Shop', vlan_id: 30, guest: true, note: 'second group', dns: ['1.1.1.1'] });
    const defaults = coerceValues(declared, { values: { vlan_id: 1 } }, { device });
    expect(defaults.values).toEqual({ ssid: 'Office', vlan_id: 1, guest: false, note: null, dns: ['1.1.1.1'] });
  });

  it('names the variable and the device in every error', () => {
    const r = coerceValues(
      declared,
      { values: { ssid: 'x', colour: 'red' }, groups: [{ dns: '1.1.1.1,nope' }] },
      { device },
    );
    expect(r.errors).toEqual([
      {
        variable: 'colour',
        device_id: device.id,
        code: 'variable_unknown',
        message: '"colour" is not a variable of this template',
      },
      {
        variable: 'vlan_id',
        device_id: device.id,
        code: 'variable_required',
        message: '"vlan_id" is required and has no value for device branch-1',
      },
      {
        variable: 'dns',
        device_id: device.id,
        code: 'variable_invalid',
        message: '"dns" for device branch-1: the group value is invalid: item 2: expected an IPv4 or IPv6 address',
      },
    ]);
  });

  it('treats an empty required text as missing, and returns own properties only', () => {
    const r = coerceValues([{ name: 'ssid', type: 'string', required: true }], { values: { ssid: '' } });
    expect(r.errors.map((e) => e.code)).toEqual(['variable_required']);
    const p = coerceValues([{ name: 'x', type: 'string' }], { values: JSON.parse('{"__proto__": {"polluted": 1}}') });
    expect(p.errors.map((e) => e.code)).toEqual(['variable_unknown']);
    expect(Object.getPrototypeOf(p.values)).toBe(Object.prototype);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});
