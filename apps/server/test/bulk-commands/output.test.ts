import { describe, expect, it } from 'vitest';
import { readExport } from '../../../../fixtures/index.js';
import { combineOutputs, formatExport, formatReply, formatRows } from '../../src/features/bulk-commands/output.js';
import type { ReadStep } from '../../src/features/bulk-commands/translate.js';

const step = (result: ReadStep['result'], valueName?: string): ReadStep => ({
  kind: 'read',
  line: 1,
  cli: 'x',
  command: '/x/print',
  args: {},
  options: {},
  result,
  ...(valueName ? { valueName } : {}),
});

describe('rows', () => {
  it('writes one line per item, .id left out, properties sorted, values quoted as the terminal does', () => {
    const rows = [
      { '.id': '*1', interface: 'ether1', address: '10.0.0.1/24', comment: 'wan side', disabled: 'false' },
      { '.id': '*A', address: '10.1.0.1/24', interface: 'bridge', comment: 'say "hi"\nthere', disabled: 'true' },
    ];
    expect(formatRows('/ip/address', rows)).toBe(
      [
        'address=10.0.0.1/24 comment="wan side" disabled=false interface=ether1',
        'address=10.1.0.1/24 comment="say \\"hi\\"\\nthere" disabled=true interface=bridge',
      ].join('\n'),
    );
  });

  it('gives the same text for the same items whatever their ids and property order', () => {
    const a = [{ '.id': '*1', name: 'ether1', mtu: '1500' }];
    const b = [{ mtu: '1500', name: 'ether1', '.id': '*7F' }];
    expect(formatRows('/interface', a)).toBe(formatRows('/interface', b));
  });

  it('masks secrets, which the API shows to a login with the sensitive policy', () => {
    const rows = [{ '.id': '*1', name: 'u1', password: 'pw1', service: 'pppoe' }];
    expect(formatRows('/ppp/secret', rows)).toBe('name=u1 password=******** service=pppoe');
    expect(formatRows('/interface/wireless/security-profiles', [{ 'wpa2-pre-shared-key': 'k' }])).toBe(
      'wpa2-pre-shared-key=********',
    );
    const get = { ...step('value', 'password'), command: '/ppp/secret/print' };
    expect(formatReply(get, { rows: [{ password: 'pw1' }] })).toEqual({ output: '********' });
    expect(formatReply({ ...step('rows'), command: '/ppp/secret/print' }, { rows }).output).not.toContain('pw1');
  });

  it('shows nothing for no items', () => {
    expect(formatReply(step('rows'), { rows: [] })).toEqual({ output: '' });
  });
});

describe('formatReply', () => {
  it('shows the count of count-only', () => {
    expect(formatReply(step('count'), { rows: [], done: { ret: '7' } })).toEqual({ output: '7' });
  });

  it('shows the one value of get, and says when there is no item or more than one', () => {
    expect(formatReply(step('value', 'name'), { rows: [{ name: 'r1' }] })).toEqual({ output: 'r1' });
    expect(formatReply(step('value', 'comment'), { rows: [{ name: 'r1' }] })).toEqual({ output: '' });
    expect(formatReply(step('value', 'constructor'), { rows: [{ name: 'r1' }] })).toEqual({ output: '' });
    expect(formatReply(step('value', 'mtu'), { rows: [] })).toEqual({ output: '', error: 'no such item' });
    expect(formatReply(step('value', 'mtu'), { rows: [{ mtu: '1' }, { mtu: '2' }] }).error).toMatch(/2 items match/);
  });
});

describe('formatExport', () => {
  it('drops the header (date, serial, software id), so equal configurations give equal text', () => {
    const text = readExport('v7.18-office.rsc');
    const other = text
      .replace(/^# 2025-03-23 16:02:14/m, '# 2025-04-01 08:00:00')
      .replace(/serial number = \w+/, 'serial number = FFFF');
    const a = formatExport(text);
    expect(a.error).toBeUndefined();
    expect(a.output).not.toMatch(/serial number|software id|2025-03-23/);
    expect(a.output).toMatch(/^\/interface bridge/m);
    expect(formatExport(other).output).toBe(a.output);
  });

  it('masks secrets, which RouterOS 6 exports unasked', () => {
    const out = formatExport(readExport('v6.33-base.rsc')).output;
    expect(out).toMatch(/add name=admin password=\*{8} read-only=no/);
    expect(out).not.toContain('89242729134St');
  });

  it('reads terse and compact exports of one configuration as the same text', () => {
    const compact = '# by RouterOS 7.18\n/ip address\nadd address=10.0.0.1/24 interface=ether1\n';
    const terse = '/ip address add address=10.0.0.1/24 interface=ether1\r\n';
    expect(formatExport(terse).output).toBe(formatExport(compact).output);
  });

  it('reports an answer that is not an export', () => {
    expect(formatExport('bad command name export (line 1 column 5)')).toEqual({
      output: '',
      error: 'the device did not answer with an export: bad command name export (line 1 column 5)',
    });
    expect(formatExport('  \n').error).toMatch(/nothing/);
  });
});

describe('combineOutputs', () => {
  it('keeps a single answer as it is and puts several under their command lines', () => {
    expect(combineOutputs([{ cli: '/system identity get name', output: 'r1' }])).toBe('r1');
    expect(
      combineOutputs([
        { cli: '/system identity get name', output: 'r1' },
        { cli: '/ip address print', output: '' },
        { cli: '/ip route print count-only', output: '3' },
      ]),
    ).toBe('> /system identity get name\nr1\n> /ip address print\n> /ip route print count-only\n3');
  });
});
