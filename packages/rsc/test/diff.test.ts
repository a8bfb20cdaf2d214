import { describe, expect, it } from 'vitest';
import { exportFiles, readExport } from '../../../fixtures/index.js';
import {
  applyCommands,
  buildState,
  diffExports,
  diffStates,
  diffToCommands,
  diffToJSON,
  type ExportDiff,
  normalizeExport,
  parseExport,
  serializeExport,
} from '../src/index.js';

/** Run the generated commands on A's state with the evaluator; the result must have no difference to B. */
function expectCommandsReachB(a: string, b: string): string[] {
  const diff = diffExports(a, b);
  const commands = diffToCommands(diff);
  const script = parseExport(commands.filter((l) => !l.startsWith('#')).join('\n'));
  const reached = applyCommands(buildState(normalizeExport(a).doc), script);
  const rest = diffStates(reached, buildState(normalizeExport(b).doc));
  expect(rest.menus.map((m) => m.path)).toEqual([]);
  return commands;
}

function menu(diff: ExportDiff, path: string) {
  const m = diff.menus.find((x) => x.path === path);
  if (!m) throw new Error(`no diff for ${path}`);
  return m;
}

const base = readExport('v7-wifi-router1.rsc');

/** Edit one line of the export text (exact match) to build B. */
function edit(text: string, from: string, to: string): string {
  if (!text.includes(from)) throw new Error(`fixture lacks ${from}`);
  return text.replace(from, to);
}

describe('semantic diff', () => {
  it('finds nothing between an export and its re-wrapped, re-dated, terse self', () => {
    const doc = parseExport(readExport('v6.43-verbose-router-a1.rsc'));
    doc.header.comments[0] = ' feb/03/2000 10:00:00 by RouterOS 6.43.8';
    const d = diffExports(readExport('v6.43-verbose-router-a1.rsc'), serializeExport(doc, { style: 'terse' }));
    expect(d.equal).toBe(true);
  });

  it('matches items by natural key, not position, in unordered menus', () => {
    const lines = base.split('\n');
    const i = lines.indexOf('/ip address');
    [lines[i + 1], lines[i + 2]] = [lines[i + 2] as string, lines[i + 1] as string];
    expect(diffExports(base, lines.join('\n')).equal).toBe(true);
  });

  it('reports property changes, additions, removals and singleton changes', () => {
    let b = edit(
      base,
      'add address=192.168.2.1/24 comment="bridge2 (Wireless)"',
      'add address=192.168.2.1/24 comment="bridge2 (WiFi)"',
    );
    b = edit(b, 'add address=185.199.109.153 name=alwaldend.com ttl=5m type=A\n', '');
    b = edit(b, '/ip dns static\n', '/ip dns static\nadd address=10.0.0.9 name=new.example type=A\n');
    b = edit(
      b,
      'comment="defconf: drop invalid" connection-state=invalid log-prefix=drop-invalid',
      'comment="defconf: drop invalid" connection-state=invalid',
    );
    b = edit(b, '/system identity\nset name=', '/system identity\nset name=renamed-');
    const d = diffExports(base, b);
    const addr = menu(d, '/ip/address');
    expect(addr.changed).toHaveLength(1);
    expect(addr.changed[0]?.a.key).toBe('address=192.168.2.1/24 interface=bridge2');
    expect(addr.changed[0]?.changes).toEqual([{ name: 'comment', old: 'bridge2 (Wireless)', new: 'bridge2 (WiFi)' }]);
    const dns = menu(d, '/ip/dns/static');
    expect(dns.removed.map((i) => i.props.get('address'))).toEqual(['185.199.109.153']);
    expect(dns.added.map((i) => i.props.get('name'))).toEqual(['new.example']);
    expect(dns.changed).toEqual([]);
    const filter = menu(d, '/ip/firewall/filter');
    expect(filter.changed[0]?.changes).toEqual([{ name: 'log-prefix', old: 'drop-invalid' }]);
    expect(filter.moved).toEqual([]);
    expect(menu(d, '/system/identity').changed[0]?.changes[0]).toMatchObject({ name: 'name' });
    const commands = expectCommandsReachB(base, b);
    expect(commands).toContain(
      '/ip address set [ find address=192.168.2.1/24 interface=bridge2 ] comment="bridge2 (WiFi)"',
    );
    expect(commands).toContain(
      '/ip firewall filter unset [ find chain=input comment="defconf: drop invalid" ] value-name=log-prefix',
    );
    expect(
      commands.some((l) => l.startsWith('/ip dns static remove [ find ') && l.includes('address=185.199.109.153')),
    ).toBe(true);
  });

  it('reports moves in ordered menus and generates commands that restore the order', () => {
    const lines = base.split('\n');
    const i = lines.indexOf('/ip firewall filter');
    const moved = lines.splice(i + 2, 1)[0] as string; // "drop invalid" goes after "accept ICMP" + loopback
    lines.splice(i + 4, 0, moved);
    const b = lines.join('\n');
    const d = diffExports(base, b);
    const filter = menu(d, '/ip/firewall/filter');
    expect(filter.moved).toHaveLength(1);
    expect(filter.moved[0]?.b.key).toBe('chain=input comment="defconf: drop invalid"');
    expect([filter.moved[0]?.from, filter.moved[0]?.to]).toEqual([1, 3]);
    const commands = expectCommandsReachB(base, b);
    expect(commands.filter((l) => l.includes(' move '))).toEqual([
      '/ip firewall filter move [ find chain=input comment="defconf: drop invalid" ] destination=[ find chain=input comment="defconf: drop all not coming from LAN" ]',
    ]);
  });

  it('places new rules between the right neighbours', () => {
    const b = edit(
      base,
      'add action=accept chain=input comment="defconf: accept ICMP"',
      'add action=drop chain=input comment="new: drop telnet" dst-port=23 protocol=tcp\nadd action=accept chain=input comment="defconf: accept ICMP"',
    );
    const commands = expectCommandsReachB(base, b);
    expect(commands).toContain(
      '/ip firewall filter add action=drop chain=input comment="new: drop telnet" dst-port=23 protocol=tcp place-before=[ find chain=input comment="defconf: accept ICMP" ]',
    );
  });

  it('pairs twins in order: one twin changed back is a change, not a move', () => {
    const twin = 'add action=accept chain=forward protocol=gre';
    const at = 'add action=accept chain=input comment="defconf: accept ICMP"';
    const b = edit(base, at, `${twin}\n${twin}\n${at}`);
    const a = edit(base, at, `${twin} log=yes\n${twin}\n${at}`);
    for (const [x, y] of [
      [a, b],
      [b, a],
    ] as const) {
      const filter = menu(diffExports(x, y), '/ip/firewall/filter');
      expect(filter.moved).toEqual([]);
      expect(filter.changed.map((c) => c.changes)).toEqual([
        [x === a ? { name: 'log', old: 'yes' } : { name: 'log', new: 'yes' }],
      ]);
    }
    // From A the changed twin can be told apart from its look-alike; from B it cannot.
    expect(expectCommandsReachB(a, b)).toEqual([
      '/ip firewall filter unset [ find action=accept chain=forward protocol=gre log=yes ] value-name=log',
    ]);
    expect(diffToCommands(diffExports(b, a))).toEqual([
      '# cannot change automatically in /ip firewall filter: action=accept chain=forward protocol=gre',
    ]);
  });

  it('generates commands that turn every fixture into every related fixture', () => {
    const pairs: Array<[string, string]> = [
      ['v6.33-base.rsc', 'v6.33-client.rsc'],
      ['v7.18-office.rsc', 'v7.18-tvroom.rsc'],
      ['v6.43-verbose-router-a1.rsc', 'v6.43-verbose-router-b3.rsc'],
      ['v7.20-ccr2116.rsc', 'v7.23-terse-bkk00.rsc'],
      ['v6.27-srv.rsc', 'v6.33-base.rsc'],
      ['v7-wifi-router1.rsc', 'v7.8-wifi-telescope.rsc'],
    ];
    const files = new Set(exportFiles());
    for (const [x, y] of pairs) {
      expect(files.has(x) && files.has(y)).toBe(true);
      expectCommandsReachB(readExport(x), readExport(y));
      expectCommandsReachB(readExport(y), readExport(x));
    }
  });

  it('an export against an empty config is all additions, and back is all removals', () => {
    const text = readExport('v7.20-ccr2116.rsc');
    const d = diffExports('', text);
    expect(d.menus.every((m) => m.removed.length === 0 && m.changed.length === 0)).toBe(true);
    expectCommandsReachB('', text);
    expectCommandsReachB(text, '');
  });
});

describe('diff of normalised texts', () => {
  it('gives the same diff without normalising again', () => {
    const [a, b] = exportFiles().slice(-2).map(readExport) as [string, string];
    const normal = diffToJSON(diffExports(a, b));
    const fast = diffToJSON(diffExports(normalizeExport(a).text, normalizeExport(b).text, { normalized: true }));
    expect(fast).toEqual(normal);
  });
});
