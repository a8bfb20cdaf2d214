import { describe, expect, it } from 'vitest';
import { parseExport, serializeExport } from '../src/index.js';

describe('header', () => {
  it('reads the old date format and the identity comments', () => {
    const doc = parseExport(
      '# jan/02/1970 00:24:39 by RouterOS 6.43.8\n# software id = QA4R-B09A\n#\n# model = RB941-2nD\n# serial number = 661705E84C20\n/system identity\nset name=r1\n',
    );
    expect(doc.header).toMatchObject({
      date: '1970-01-02T00:24:39',
      rawDate: 'jan/02/1970 00:24:39',
      version: '6.43.8',
      softwareId: 'QA4R-B09A',
      model: 'RB941-2nD',
      serial: '661705E84C20',
    });
    expect(doc.header.comments).toHaveLength(5);
  });
  it('reads the ISO date format', () => {
    const doc = parseExport('# 2025-03-01 12:00:00 by RouterOS 7.18.2\n# software id = J2CB-D9EL\n');
    expect(doc.header).toMatchObject({
      date: '2025-03-01T12:00:00',
      rawDate: '2025-03-01 12:00:00',
      version: '7.18.2',
      softwareId: 'J2CB-D9EL',
    });
    expect(doc.sections).toEqual([]);
  });
});

describe('commands', () => {
  it('parses menus, selectors and properties', () => {
    const doc = parseExport(
      [
        '/interface ethernet',
        'set [ find default-name=ether1 ] comment="WAN link" name=ether1-gw',
        'set 0 arp=enabled',
        'set ether2 disabled=yes',
        'set "E-mail send" policy=read',
        '/system identity',
        'set name=router',
      ].join('\n'),
    );
    const [eth, ident] = doc.sections;
    expect(eth?.path).toBe('/interface/ethernet');
    expect(eth?.commands[0]).toMatchObject({
      verb: 'set',
      selector: {
        kind: 'find',
        raw: 'find default-name=ether1',
        conditions: [{ name: 'default-name', value: 'ether1' }],
      },
      args: [
        { name: 'comment', value: 'WAN link', quoted: true },
        { name: 'name', value: 'ether1-gw' },
      ],
      line: 2,
    });
    expect(eth?.commands[1]?.selector).toEqual({ kind: 'position', index: 0 });
    expect(eth?.commands[2]?.selector).toEqual({ kind: 'name', value: 'ether2' });
    expect(eth?.commands[3]?.selector).toEqual({ kind: 'name', value: 'E-mail send', quoted: true });
    expect(ident).toMatchObject({
      path: '/system/identity',
      commands: [{ verb: 'set', args: [{ name: 'name', value: 'router' }] }],
    });
    expect(ident?.commands[0]?.selector).toBeUndefined();
  });

  it('decodes every RouterOS escape', () => {
    const doc = parseExport('/x\nadd comment="q\\" b\\\\ n\\n r\\r t\\t d\\$ q\\? s\\_ h\\3F \\D2\\CA a\\a"\n');
    expect(doc.sections[0]?.commands[0]?.args[0]?.value).toBe('q" b\\ n\n r\r t\t d$ q? s  h? \xD2\xCA a\x07');
  });

  it('joins continuations between tokens and inside quoted strings, keeping escaped backslashes', () => {
    const text = [
      '/system script',
      'add name=s source="tool e-\\',
      '    mail send body=\\"SERVER \\',
      '    is down\\"\\r\\',
      '    \\n:put \\\\\\',
      '    \\nend" policy=\\',
      '    read,write',
    ].join('\n');
    const cmd = parseExport(text).sections[0]?.commands[0];
    expect(cmd?.args).toEqual([
      { name: 'name', value: 's' },
      { name: 'source', value: 'tool e-mail send body="SERVER is down"\r\n:put \\\nend', quoted: true },
      { name: 'policy', value: 'read,write' },
    ]);
  });

  it('parses terse lines into one section per run of the same menu', () => {
    const doc = parseExport(
      '/ip address add address=10.0.0.1/24 interface=ether1\n/ip address add address=10.0.1.1/24 interface=ether2\n/ip/route/add gateway=10.0.0.254\n',
    );
    expect(doc.style).toBe('terse');
    expect(doc.sections.map((s) => [s.path, s.commands.length])).toEqual([
      ['/ip/address', 2],
      ['/ip/route', 1],
    ]);
  });

  it('expands v7 dotted property abbreviations and writes them back abbreviated', () => {
    const text =
      '/interface wifi\nset [ find default-name=wifi1 ] configuration.country=Latvia .mode=ap .ssid=x disabled=no security.authentication-types=wpa2-psk .ft=yes\n';
    const doc = parseExport(text);
    expect(doc.sections[0]?.commands[0]?.args.map((a) => a.name)).toEqual([
      'configuration.country',
      'configuration.mode',
      'configuration.ssid',
      'disabled',
      'security.authentication-types',
      'security.ft',
    ]);
    expect(serializeExport(doc)).toBe(text);
  });

  it('keeps script statements and comments', () => {
    const text = '# header\n/system\n# about the global\n:global x 1\n{\n  :local y "a{b"\n  :put $y\n}\n# trailing\n';
    const doc = parseExport(text);
    const cmds = doc.sections[0]?.commands ?? [];
    expect(cmds.map((c) => c.script)).toEqual([':global x 1', '{\n  :local y "a{b"\n  :put $y\n}']);
    expect(cmds[0]?.comments).toEqual([' about the global']);
    expect(doc.trailingComments).toEqual([' trailing']);
    expect(serializeExport(doc)).toBe(text);
  });

  it('handles CRLF files and bare flags', () => {
    const doc = parseExport(
      '/ip firewall filter\r\nadd chain=input action=accept \\\r\n    comment=x\r\nunset [ find comment=x ] log-prefix\r\n',
    );
    expect(doc.sections[0]?.commands[0]?.args).toEqual([
      { name: 'chain', value: 'input' },
      { name: 'action', value: 'accept' },
      { name: 'comment', value: 'x' },
    ]);
    expect(doc.sections[0]?.commands[1]?.args).toEqual([{ name: 'log-prefix' }]);
  });

  it('serialises values so they read back identically', () => {
    const doc = parseExport('/x\nadd a="" b="with space" c=plain d="x\\$y" e="\\E2\\82\\AC"\n');
    const out = serializeExport(doc, { canonicalQuotes: true });
    expect(out).toBe('/x\nadd a="" b="with space" c=plain d="x\\$y" e="\\E2\\82\\AC"\n');
    expect(serializeExport(doc, { style: 'terse' })).toBe(
      '/x add a="" b="with space" c=plain d="x\\$y" e="\\E2\\82\\AC"\n',
    );
  });
});

describe('comments on terse lines', () => {
  it('belong to the command, also when the line opens a new menu', () => {
    const doc = parseExport(
      '/ip address add address=10.0.0.1/24 interface=ether1\n# note\n/ip route add gateway=10.0.0.254\n',
    );
    expect(doc.sections[1]?.comments).toBeUndefined();
    expect(doc.sections[1]?.commands[0]?.comments).toEqual([' note']);
    expect(parseExport(serializeExport(doc, { style: 'terse' })).sections[1]?.commands[0]?.comments).toEqual([' note']);
  });
});
