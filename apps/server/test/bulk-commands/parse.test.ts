import { describe, expect, it } from 'vitest';
import {
  type BulkCommand,
  MAX_COMMANDS,
  MAX_TEXT_BYTES,
  parseCommands,
} from '../../src/features/bulk-commands/parse.js';

function ok(text: string): BulkCommand[] {
  const r = parseCommands(text);
  expect(r.errors).toEqual([]);
  return r.commands;
}

function one(text: string): BulkCommand {
  const [c, ...rest] = ok(text);
  expect(rest).toEqual([]);
  return c as BulkCommand;
}

function errorsOf(text: string) {
  return parseCommands(text).errors;
}

describe('menus and verbs', () => {
  it('reads absolute menus with blanks or slashes', () => {
    for (const text of ['/ip address print', '/ip/address/print', '/ip/address print', '  /ip   address\tprint  ']) {
      expect(one(text)).toMatchObject({ path: '/ip/address', verb: 'print', args: [], line: 1 });
    }
  });

  it('runs root commands in /', () => {
    expect(one('/export')).toMatchObject({ path: '/', verb: 'export' });
    expect(one('/ping 192.0.2.1 count=3')).toMatchObject({ path: '/', verb: 'ping' });
  });

  it('moves into a menu given alone and runs the next commands there, as the terminal does', () => {
    const cs = ok(
      '/ip firewall filter\nadd chain=input action=accept\n.. nat\nprint\n..\naddress-list print\n/\nip route print',
    );
    expect(cs.map((c) => [c.line, c.path, c.verb])).toEqual([
      [2, '/ip/firewall/filter', 'add'],
      [4, '/ip/firewall/nat', 'print'],
      [6, '/ip/firewall/address-list', 'print'],
      [8, '/ip/route', 'print'],
    ]);
  });

  it('leaves the current menu alone when a command names its own', () => {
    const cs = ok('/interface\n/ip address print\nprint');
    expect(cs.map((c) => c.path)).toEqual(['/ip/address', '/interface']);
  });

  it('goes up with .. inside a path and stops at the root', () => {
    expect(ok('/ip firewall filter\n.. .. route print')[0]?.path).toBe('/ip/route');
    expect(ok('..\n.. .. system identity print')[0]?.path).toBe('/system/identity');
  });

  it('skips comments and blank lines, counting lines for positions', () => {
    const cs = ok('# fleet check\n\n   # indented comment\n/system identity print\n\n# done\n');
    expect(cs).toHaveLength(1);
    expect(cs[0]?.line).toBe(4);
  });

  it('joins \\ continuations, also inside quotes, and keeps the starting line', () => {
    const c = one('/interface set [ find default-name=ether1 ] \\\n    mtu=1500 \\\n    comment="up\\\n    link"');
    expect(c.line).toBe(1);
    expect(c.args.map((a) => [a.name, a.value])).toEqual([
      ['mtu', '1500'],
      ['comment', 'uplink'],
    ]);
    expect(c.raw).toBe('/interface set [ find default-name=ether1 ] mtu=1500 comment="uplink"');
  });

  it('handles CRLF line ends and a byte-order mark', () => {
    const cs = ok('\uFEFF/ip address print\r\n/interface print\r\n');
    expect(cs.map((c) => c.path)).toEqual(['/ip/address', '/interface']);
    expect(cs[0]?.raw).toBe('/ip address print');
  });
});

describe('quoting and escapes', () => {
  it('keeps spaces and escaped quotes inside a quoted value', () => {
    const c = one('/ip firewall filter add chain=input comment="a b \\"c\\"" action=accept');
    expect(c.args).toEqual([
      { name: 'chain', value: 'input', column: 25 },
      { name: 'comment', value: 'a b "c"', quoted: true, column: 37 },
      { name: 'action', value: 'accept', column: 57 },
    ]);
  });

  it('decodes RouterOS escapes: \\n \\t \\\\ \\$ \\? and hex bytes', () => {
    const c = one('/system note set note="line1\\nline2\\tx \\\\ cost \\$5 \\? \\C3\\A9"');
    expect(c.args[0]?.value).toBe('line1\nline2\tx \\ cost $5 ? \xC3\xA9');
  });

  it('refuses an unescaped $ (the device would substitute a variable) and bare variables', () => {
    expect(errorsOf('/system identity set name="cost $5"')[0]).toMatchObject({
      code: 'command_syntax',
      line: 1,
      column: 33,
      message: expect.stringContaining('\\$'),
    });
    expect(errorsOf('/system identity set name=$id')[0]?.message).toMatch(/variables/);
  });

  it('reports unterminated quotes and brackets with their position', () => {
    expect(errorsOf('/ip address print\n/interface set [ find name=x mtu=1')[0]).toMatchObject({ line: 2, column: 16 });
    expect(errorsOf('add comment="open')[0]).toMatchObject({
      line: 1,
      column: 13,
      message: 'unterminated quoted string',
    });
    expect(errorsOf('/interface set name=ether1 \\')[0]?.message).toMatch(/continuation/);
  });

  it('expands v7 dotted names', () => {
    const c = one('/interface wifi set wifi1 configuration.country=Latvia .mode=ap');
    expect(c.args.map((a) => a.name)).toEqual(['configuration.country', 'configuration.mode']);
  });
});

describe('selectors', () => {
  it('reads [ find … ] with and without where, in any spacing', () => {
    for (const text of [
      '/interface set [find default-name=ether1] mtu=1500',
      '/interface set [ find default-name=ether1 ] mtu=1500',
      '/interface set [ find where default-name=ether1 ] mtu=1500',
      '/interface set [find where default-name="ether1"] mtu=1500',
    ]) {
      expect(one(text).selector).toMatchObject({
        kind: 'find',
        condition: { op: 'eq', name: 'default-name', value: 'ether1' },
      });
    }
  });

  it('reads an empty find as every item', () => {
    expect(one('/ip firewall filter disable [ find ]').selector).toEqual({ kind: 'find', raw: 'find' });
  });

  it('reads names, quoted names and find in values', () => {
    expect(one('/interface set ether1 mtu=1500').selector).toEqual({ kind: 'name', value: 'ether1' });
    expect(one('/system script remove "my script"').selector).toEqual({
      kind: 'name',
      value: 'my script',
      quoted: true,
    });
    const add = one('/ip firewall filter add chain=input place-before=[ find comment="allow lan" ]');
    expect(add.args[1]?.find).toMatchObject({ condition: { op: 'eq', name: 'comment', value: 'allow lan' } });
  });

  it('refuses item numbers and ids with the reason', () => {
    for (const text of ['/interface set 0 mtu=1500', '/ip address remove 1,2', '/ip route remove 3-5']) {
      const [e] = errorsOf(text);
      expect(e?.code).toBe('command_syntax');
      expect(e?.message).toMatch(/item numbers differ from device to device.*\[ find/);
    }
    expect(errorsOf('/interface set *1A mtu=1500')[0]?.message).toMatch(/\.id values/);
    expect(errorsOf('/ip firewall filter add chain=x place-before=*5')[0]?.message).toMatch(/\.id values/);
  });

  it('keeps other [ … ] expressions as text (refused later)', () => {
    expect(one('/system identity set name=[/system resource get board-name]').args[0]).toMatchObject({
      name: 'name',
      expr: '/system resource get board-name',
    });
  });
});

describe('print where', () => {
  it('reads conditions with and, or, not, comparisons and parentheses', () => {
    const c = one(
      '/ip firewall nat print where chain=srcnat and !disabled or (action=masquerade && out-interface!=ether1)',
    );
    expect(c.where).toEqual({
      op: 'or',
      items: [
        {
          op: 'and',
          items: [
            { op: 'eq', name: 'chain', value: 'srcnat' },
            { op: 'not', item: { op: 'flag', name: 'disabled' } },
          ],
        },
        {
          op: 'and',
          items: [
            { op: 'eq', name: 'action', value: 'masquerade' },
            { op: 'ne', name: 'out-interface', value: 'ether1' },
          ],
        },
      ],
    });
  });

  it('reads terms side by side as and, and keeps print options before where', () => {
    const c = one('/interface print detail where type=ether running mtu>=1500 comment="a where b"');
    expect(c.args.map((a) => a.name)).toEqual(['detail']);
    expect(c.where).toEqual({
      op: 'and',
      items: [
        { op: 'eq', name: 'type', value: 'ether' },
        { op: 'flag', name: 'running' },
        { op: 'ge', name: 'mtu', value: '1500' },
        { op: 'eq', name: 'comment', value: 'a where b' },
      ],
    });
  });

  it('does not take a quoted or property "where" for the keyword', () => {
    const c = one('/ip address print where comment=where');
    expect(c.where).toEqual({ op: 'eq', name: 'comment', value: 'where' });
    expect(one('/ip address add address=10.0.0.1/24 interface=ether1 comment="where"').where).toBeUndefined();
  });

  it('refuses what the API cannot query, and where on other commands', () => {
    expect(errorsOf('/ip address print where address~"^10\\\\."')[0]?.message).toMatch(/regular-expression/);
    expect(errorsOf('/ip address print where address in 10.0.0.0/8')[0]?.message).toMatch(/"in" conditions/);
    expect(errorsOf('/ip address remove where interface=ether1')[0]?.message).toMatch(/find where/);
    expect(errorsOf('/ip address print where')[0]?.message).toMatch(/expected a condition/);
    expect(errorsOf('/ip address print where (a=b')[0]?.message).toBe('expected ")"');
    expect(errorsOf('/ip address print where a=b )')[0]?.message).toMatch(/unexpected text/);
  });
});

describe('scripts', () => {
  it('runs :put of a get or a count as that read', () => {
    const c = one(':put [/system resource get uptime]');
    expect(c).toMatchObject({ path: '/system/resource', verb: 'get', raw: ':put [/system resource get uptime]' });
    expect(one('/ip address\n:put [print count-only where disabled=no]')).toMatchObject({
      path: '/ip/address',
      verb: 'print',
      line: 2,
    });
  });

  it('refuses every other script statement, including blocks over several lines', () => {
    for (const text of [
      ':local x 1',
      ':put "hello"',
      ':put [/system reboot]',
      ':foreach i in=[/interface find] do={ /interface disable $i }',
      ':put [/interface print]',
    ]) {
      const [e, ...more] = errorsOf(text);
      expect(e?.message, text).toMatch(/script statements are not run/);
      expect(more).toEqual([]);
    }
    const r = parseCommands('{\n/system reboot\n}\n/system identity print');
    expect(r.errors).toHaveLength(1);
    expect(r.errors[0]).toMatchObject({ line: 1, message: expect.stringMatching(/script blocks/) });
    expect(r.commands.map((c) => c.path)).toEqual(['/system/identity']);
  });
});

describe('errors', () => {
  it('names an unknown command and keeps reading the other lines', () => {
    const r = parseCommands('/tool sniffer\n/system identity print\n/ip address frobnicate x=1');
    expect(r.errors).toEqual([
      { line: 3, column: 13, code: 'command_syntax', message: '"frobnicate" is not a command TOD knows' },
    ]);
    expect(r.commands.map((c) => c.line)).toEqual([2]);
  });

  it('refuses a text without commands', () => {
    expect(errorsOf('# nothing\n/ip address\n')).toEqual([
      { line: 1, column: 1, code: 'command_syntax', message: 'no command to run' },
    ]);
  });

  it('refuses control characters', () => {
    expect(errorsOf('/ip address print\u0001')[0]?.message).toMatch(/control character/);
  });

  it(`limits a text to ${MAX_COMMANDS} commands and ${MAX_TEXT_BYTES / 1024} KiB`, () => {
    const many = Array.from({ length: MAX_COMMANDS + 1 }, () => '/system identity print').join('\n');
    expect(errorsOf(many)).toEqual([
      { line: MAX_COMMANDS + 1, column: 1, code: 'commands_too_large', message: `at most ${MAX_COMMANDS} commands` },
    ]);
    expect(errorsOf(Array.from({ length: MAX_COMMANDS }, () => '/system identity print').join('\n'))).toEqual([]);
    const big = `/system identity set name="${'x'.repeat(MAX_TEXT_BYTES)}"`;
    expect(errorsOf(big)[0]?.code).toBe('commands_too_large');
  });
});
