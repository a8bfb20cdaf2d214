import { describe, expect, it } from 'vitest';
import { tokenize } from '../src/features/backups/rsc-syntax';
import { sideBySide } from '../src/features/backups/side-by-side';
import { cronText, failureText, menuName } from '../src/features/backups/words';

// The backup screens' own logic: RouterOS highlighting, the side-by-side layout of a unified diff, and wording.

const kinds = (line: string) => tokenize(line).map((t) => [t.kind, t.text]);

describe('RouterOS syntax', () => {
  it('splits a terse line into menu path, verb, property names and values', () => {
    expect(kinds('/ip firewall filter add action=accept chain=input comment="allow ssh"')).toEqual([
      ['path', '/ip firewall filter '],
      ['verb', 'add'],
      ['text', ' '],
      ['name', 'action'],
      ['punct', '='],
      ['value', 'accept'],
      ['text', ' '],
      ['name', 'chain'],
      ['punct', '='],
      ['value', 'input'],
      ['text', ' '],
      ['name', 'comment'],
      ['punct', '='],
      ['string', '"allow ssh"'],
    ]);
  });

  it('reads a compact export: menu lines, commands with selectors, comments, continuations', () => {
    expect(kinds('/ip dns')).toEqual([['path', '/ip dns']]);
    expect(kinds('# 2024-05-01 12:00:00 by RouterOS 7.16')).toEqual([
      ['comment', '# 2024-05-01 12:00:00 by RouterOS 7.16'],
    ]);
    expect(kinds('set [ find default-name=ether1 ] comment=uplink \\')).toEqual([
      ['verb', 'set'],
      ['text', ' '],
      ['punct', '['],
      ['text', ' '],
      ['verb', 'find'],
      ['text', ' '],
      ['name', 'default-name'],
      ['punct', '='],
      ['value', 'ether1'],
      ['text', ' '],
      ['punct', ']'],
      ['text', ' '],
      ['name', 'comment'],
      ['punct', '='],
      ['value', 'uplink'],
      ['text', ' '],
      ['punct', '\\'],
    ]);
    // A verb's name is a verb only where a command's verb goes.
    expect(kinds('/ip firewall filter set 0 action=remove')).toEqual([
      ['path', '/ip firewall filter '],
      ['verb', 'set'],
      ['text', ' 0 '],
      ['name', 'action'],
      ['punct', '='],
      ['value', 'remove'],
    ]);
  });

  it('keeps every character, including escapes and an unclosed quote', () => {
    for (const line of [
      'add name="a \\"quoted\\" word" password=x',
      'set comment="unclosed',
      '    add address=10.0.0.1/24 interface=bridge',
      ':log info "hello"; :delay 1s',
      '=weird =',
      '',
    ])
      expect(
        tokenize(line)
          .map((t) => t.text)
          .join(''),
      ).toBe(line);
    expect(kinds('add name="a \\"q\\" b" x=1')[2]).toEqual(['name', 'name']);
    expect(kinds('add name="a \\"q\\" b" x=1')[4]).toEqual(['string', '"a \\"q\\" b"']);
  });
});

describe('side by side', () => {
  it('pairs removed and added lines, keeps context on both sides, numbers each side', () => {
    const unified = [
      '--- aaaa',
      '+++ bbbb',
      '@@ -3,4 +3,5 @@',
      ' /ip dns',
      '-set servers=8.8.8.8',
      '+set servers=9.9.9.9',
      '+add name=x',
      ' /ip route',
      '--- a line that starts with dashes',
      '',
    ].join('\n');
    expect(sideBySide(unified)).toEqual([
      { kind: 'hunk', text: '@@ -3,4 +3,5 @@' },
      {
        kind: 'line',
        left: { n: 3, text: '/ip dns', kind: 'same' },
        right: { n: 3, text: '/ip dns', kind: 'same' },
      },
      {
        kind: 'line',
        left: { n: 4, text: 'set servers=8.8.8.8', kind: 'del' },
        right: { n: 4, text: 'set servers=9.9.9.9', kind: 'add' },
      },
      { kind: 'line', left: null, right: { n: 5, text: 'add name=x', kind: 'add' } },
      {
        kind: 'line',
        left: { n: 5, text: '/ip route', kind: 'same' },
        right: { n: 6, text: '/ip route', kind: 'same' },
      },
      { kind: 'line', left: { n: 6, text: '-- a line that starts with dashes', kind: 'del' }, right: null },
    ]);
  });

  it('numbers an insertion into an empty range from the line after the one named', () => {
    const rows = sideBySide('--- a\n+++ b\n@@ -0,0 +1,1 @@\n+/ip dns\n');
    expect(rows[1]).toEqual({ kind: 'line', left: null, right: { n: 1, text: '/ip dns', kind: 'add' } });
    expect(sideBySide('')).toEqual([]);
  });
});

describe('wording', () => {
  it('says why a backup failed, falling back to the connection reasons and then the detail', () => {
    expect(failureText('backup_storage_full', 'x')).toMatch(/free storage/);
    expect(failureText('bad_credentials', null)).toMatch(/username or password/);
    expect(failureText('something_new', 'the server said so')).toBe('the server said so');
    expect(failureText('something_new', null)).toBe('something new');
  });

  it('reads common cron shapes and menu paths', () => {
    expect(cronText('0 2 * * *')).toBe('Daily at 02:00');
    expect(cronText('30 4 * * 1')).toBe('Weekly on Monday at 04:30');
    expect(cronText('15 * * * *')).toBe('Hourly at minute 15');
    expect(cronText('*/5 1-3 * * *')).toBe('*/5 1-3 * * *');
    expect(menuName('/ip/firewall/filter')).toBe('/ip firewall filter');
  });
});
