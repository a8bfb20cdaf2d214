import {
  applyCommands,
  buildState,
  type Command,
  diffStates,
  type ExportDocument,
  formatDiff,
  isOrderedMenu,
  normalizeExport,
  parseExport,
  type Section,
} from '@tod/rsc';
import { describe, expect, it } from 'vitest';
import { exportFiles, readExport } from '../../../../fixtures/index.js';
import { cliOf, fromLines, type PlannedCommand, verbs } from '../../src/features/changes/commands.js';
import { planRestore, type RestorePlan, redactPlan } from '../../src/features/changes/restore-plan.js';

// A restore plan's commands, run by rsc's evaluator on the current configuration, must give the target exactly:
// real exports, each changed in the ways a device drifts from a stored version.

const fixtures = exportFiles().map((f) => ({ f, text: normalizeExport(readExport(f)).text }));

/** A normalised copy of `text` with `edit` applied to its parsed document. */
function mutate(text: string, edit: (doc: ExportDocument) => void): string {
  const doc = parseExport(text);
  edit(doc);
  return normalizeExport(doc).text;
}

const add = (args: Record<string, string>): Command => ({
  verb: 'add',
  args: Object.entries(args).map(([name, value]) => ({ name, value })),
  line: 0,
});

function section(doc: ExportDocument, path: string): Section {
  let s = doc.sections.find((x) => x.path === path);
  if (!s) {
    s = { path, commands: [], line: 0 };
    doc.sections.push(s);
  }
  return s;
}

/** Every `add` with plain arguments, as [section, index]. */
function adds(doc: ExportDocument): Array<[Section, number]> {
  const out: Array<[Section, number]> = [];
  for (const s of doc.sections)
    s.commands.forEach((c, i) => {
      if (c.verb === 'add' && c.args.length > 0 && c.args.every((a) => !a.expr)) out.push([s, i]);
    });
  return out;
}

const middle = <T>(list: T[]): T | undefined => list[Math.floor(list.length / 2)];

/** The ways a device drifts from a stored version; each returns undefined when the export has nothing to change. */
const mutations: Record<string, (doc: ExportDocument) => boolean> = {
  'an item removed': (doc) => {
    const at = middle(adds(doc));
    if (!at) return false;
    at[0].commands.splice(at[1], 1);
    return true;
  },
  'the first and last items removed': (doc) => {
    const all = adds(doc);
    const [first, last] = [all[0], all[all.length - 1]];
    if (!first || !last || first === last) return false;
    last[0].commands.splice(last[1], 1);
    first[0].commands.splice(first[1], 1);
    return true;
  },
  'an item added': (doc) => {
    section(doc, '/ip/firewall/address-list').commands.push(add({ address: '192.0.2.1', list: 'restore-test' }));
    return true;
  },
  'a rule inserted in an ordered menu': (doc) => {
    const s = doc.sections.find((x) => isOrderedMenu(x.path) && x.commands.length > 1);
    if (!s) return false;
    s.commands.splice(
      1,
      0,
      add({ action: 'drop', chain: 'input', comment: 'inserted', 'dst-port': '23', protocol: 'tcp' }),
    );
    return true;
  },
  'a property changed': (doc) => {
    const at = middle(adds(doc));
    const cmd = at?.[0].commands[at[1]];
    const arg = cmd?.args[cmd.args.length - 1];
    if (!arg) return false;
    arg.value = `${arg.value ?? ''}-changed`;
    return true;
  },
  'a comment added to every item of a menu': (doc) => {
    const s = doc.sections.find((x) => x.commands.filter((c) => c.verb === 'add').length > 2);
    if (!s) return false;
    for (const c of s.commands) if (c.verb === 'add') c.args.push({ name: 'comment', value: 'drifted "here"' });
    return true;
  },
  'a property dropped': (doc) => {
    const cmd = adds(doc)
      .map(([s, i]) => s.commands[i] as Command)
      .find((c) => c.args.length > 3);
    if (!cmd) return false;
    cmd.args.splice(cmd.args.length - 1, 1);
    return true;
  },
  'firewall rules reordered': (doc) => {
    const s = doc.sections.find((x) => x.path === '/ip/firewall/filter' && x.commands.length > 2);
    if (!s) return false;
    s.commands.reverse();
    return true;
  },
  'two rules swapped': (doc) => {
    const s = doc.sections.find((x) => x.path === '/ip/firewall/filter' && x.commands.length > 3);
    if (!s) return false;
    const [a, b] = [s.commands[1] as Command, s.commands[2] as Command];
    s.commands[1] = b;
    s.commands[2] = a;
    return true;
  },
  'a singleton changed': (doc) => {
    const s = section(doc, '/system/identity');
    s.commands = [{ verb: 'set', args: [{ name: 'name', value: 'drifted router' }], line: 0 }];
    return true;
  },
  'a singleton property added': (doc) => {
    section(doc, '/ip/dns').commands.push({
      verb: 'set',
      args: [{ name: 'cache-max-ttl', value: '3h' }],
      line: 0,
    });
    return true;
  },
  'a whole menu removed': (doc) => {
    const s = doc.sections.find((x) => x.commands.length > 1 && x.commands.every((c) => c.verb === 'add'));
    if (!s) return false;
    s.commands = [];
    return true;
  },
};

/** Apply the plan's commands (re-rendered from their structure) to `current`; nothing may differ from `target`. */
function expectReaches(current: string, target: string, what = ''): RestorePlan {
  const plan = planRestore(current, target);
  expect(plan.unsupported, what).toEqual([]);
  const script = parseExport(plan.commands.map((c) => cliOf(c)).join('\n'));
  const reached = applyCommands(buildState(parseExport(current)), script);
  const rest = diffStates(reached, buildState(parseExport(target)));
  expect(rest.equal ? '' : formatDiff(rest), what).toBe('');
  return plan;
}

describe('planRestore on real exports', () => {
  it('has fixtures to check', () => expect(fixtures.length).toBeGreaterThanOrEqual(10));

  for (const { f, text } of fixtures) {
    it(`${f}: a version against itself is equal and needs no command`, () => {
      const plan = planRestore(text, text);
      expect(plan).toMatchObject({ equal: true, changes: 0, commands: [], unsupported: [], risks: [] });
      expect(plan.semantic.menus).toEqual([]);
    });

    it(`${f}: every drift is undone exactly`, () => {
      let tried = 0;
      for (const [name, edit] of Object.entries(mutations)) {
        let changed = false;
        const drifted = mutate(text, (doc) => {
          changed = edit(doc);
        });
        if (!changed) continue;
        tried++;
        const plan = planRestore(drifted, text);
        expect(plan.equal, name).toBe(false);
        expect(plan.changes, name).toBeGreaterThan(0);
        expect(plan.commands.length, name).toBeGreaterThan(0);
        expectReaches(drifted, text, name);
      }
      expect(tried).toBeGreaterThanOrEqual(8);
    });
  }

  it('adds, changes and removes items with exact twins', () => {
    const base = fixtures.find((x) => x.f === 'v7-wifi-router1.rsc')?.text as string;
    const gre = { action: 'accept', chain: 'forward', protocol: 'gre' }; // no comment: no natural key
    const record = { address: '192.0.2.9', name: 'twin.example', type: 'A' };
    const withTwins = (n: number, edit?: (c: Command[]) => void) =>
      mutate(base, (doc) => {
        const rules = section(doc, '/ip/firewall/filter').commands;
        const dns = section(doc, '/ip/dns/static').commands;
        for (let i = 0; i < n; i++) {
          rules.splice(2, 0, add(gre));
          dns.push(add(record));
        }
        edit?.(rules);
      });
    const target = withTwins(2);
    // Both twins missing, one missing, one of them changed.
    expect(expectReaches(withTwins(0), target).commands.filter((c) => c.verb === 'add')).toHaveLength(4);
    expectReaches(withTwins(1), target);
    const changed = withTwins(2, (rules) => {
      rules[2]?.args.push({ name: 'log', value: 'yes' });
    });
    const plan = expectReaches(changed, target);
    expect(plan.commands.map((c) => c.cli)).toEqual([
      '/ip firewall filter unset [ find action=accept chain=forward protocol=gre log=yes ] value-name=log',
    ]);
    // Twins all removed share one command; a third twin cannot be told apart from the two to keep.
    expectReaches(target, withTwins(0));
    const three = planRestore(withTwins(3), target);
    expect(three.unsupported).toHaveLength(2);
    expect(
      three.unsupported.filter((l) => l.startsWith('cannot remove automatically in /ip dns static: ')),
    ).toHaveLength(1);
    expect(three.commands).toEqual([]);
  });

  it('reports a RouterOS upgrade in the semantic header and plans no command for it', () => {
    const text = fixtures.find((x) => x.f === 'v7.18-office.rsc')?.text as string;
    const upgraded = text.replace('by RouterOS 7.18.2', 'by RouterOS 7.19');
    const plan = planRestore(upgraded, text);
    expect(plan.equal).toBe(false);
    expect(plan.semantic.header).toEqual([{ name: 'version', old: '7.19', new: '7.18.2' }]);
    expect(plan.commands).toEqual([]);
  });

  it('never plans anything but the seven verbs, nor a reset or reboot', () => {
    for (const { text } of fixtures) {
      for (const plan of [planRestore('', text), planRestore(text, '')]) {
        for (const c of plan.commands) {
          expect(verbs).toContain(c.verb);
          expect(c.path).not.toMatch(/^\/system\/(reset-configuration|reboot|shutdown|backup)|^\/file/);
        }
      }
    }
  });
});

describe('commands round trip', () => {
  const roundTrips = (c: PlannedCommand) => {
    const again = fromLines([cliOf(c)]);
    expect(again.unsupported).toEqual([]);
    expect(again.commands).toEqual([{ ...c, cli: cliOf(c) }]);
    // The line rsc wrote parses to the same command too.
    expect(fromLines([c.cli]).commands).toEqual([c]);
  };

  it('the terminal line of every planned command parses back to the same command', () => {
    let n = 0;
    for (const { text } of fixtures) {
      const plans = [planRestore('', text), planRestore(text, '')];
      for (const [, edit] of Object.entries(mutations)) plans.push(planRestore(mutate(text, edit), text));
      for (const plan of plans)
        for (const c of plan.commands) {
          roundTrips(c);
          n++;
        }
    }
    expect(n).toBeGreaterThan(2000);
  });

  it('round-trips quoting, escapes, empty values, destinations and unsets', () => {
    const cases: Array<Omit<PlannedCommand, 'cli'>> = [
      {
        path: '/ip/firewall/filter',
        verb: 'add',
        properties: { action: 'drop', chain: 'input', comment: 'say "hi" \\ $x [y]', 'dst-port': '22,8291' },
        destination: { chain: 'input', comment: 'defconf: drop all' },
      },
      {
        path: '/ip/firewall/filter',
        verb: 'move',
        where: { chain: 'input', comment: 'a b' },
        destination: { chain: 'input', comment: 'c=d' },
      },
      { path: '/ip/firewall/filter', verb: 'move', where: { chain: 'input', comment: 'to the end' } },
      { path: '/system/identity', verb: 'set', properties: { name: 'router; one' } },
      { path: '/interface/ethernet', verb: 'set', where: { 'default-name': 'ether1' }, properties: { comment: '' } },
      { path: '/ip/dns', verb: 'unset', unset: ['servers', 'cache-size'] },
      {
        path: '/ip/address',
        verb: 'unset',
        where: { address: '10.0.0.1/24', interface: 'ether1' },
        unset: ['comment'],
      },
      { path: '/ip/address', verb: 'remove', where: { address: '10.0.0.1/24', interface: 'ether1' } },
      { path: '/interface', verb: 'disable', where: { name: 'ether2' } },
      { path: '/interface/wifi', verb: 'set', where: { name: 'wifi1' }, properties: { 'configuration.ssid': 'x y' } },
      { path: '/ip/hotspot/user', verb: 'add', properties: { name: 'ü-user', comment: 'tab\there\r\n' } },
    ];
    for (const c of cases) {
      const cmd = { ...c, cli: cliOf(c) };
      expect(fromLines([cmd.cli])).toEqual({ commands: [cmd], unsupported: [] });
    }
  });
});

describe('redactPlan', () => {
  const base = fixtures.find((x) => x.f === 'v7.8-wifi-telescope.rsc')?.text as string;

  it('hides every secret value a preview would show, and keeps the rest', () => {
    expect(base).toContain('wpa2-pre-shared-key=serviceobserv2m');
    const current = mutate(base, (doc) => {
      for (const s of doc.sections)
        for (const c of s.commands)
          for (const a of c.args) if (a.name.endsWith('pre-shared-key')) a.value = 'old-wifi-secret';
      section(doc, '/snmp/community').commands.push(add({ addresses: '10.0.0.0/8', name: 'community-secret' }));
      // Twins that differ only in a password: no natural key tells them apart but the password itself.
      section(doc, '/ppp/secret').commands.push(
        add({ name: 'twin', password: 'ppp-secret-1', service: 'pptp' }),
        add({ name: 'twin', password: 'ppp-secret-1', service: 'pptp' }),
        add({ name: 'twin', password: 'ppp-secret-1', service: 'pptp' }),
      );
    });
    const target = mutate(current, (doc) => {
      section(doc, '/snmp/community').commands = [];
      section(doc, '/ppp/secret').commands.splice(0, 1);
      section(doc, '/ppp/secret').commands[0]!.args[1]!.value = 'ppp-secret-2';
      section(doc, '/interface/wireguard/peers').commands.push(
        add({ 'allowed-address': '10.9.0.2/32', interface: 'wg0', 'preshared-key': 'wg-secret', 'public-key': 'pub=' }),
      );
      for (const s of doc.sections)
        for (const c of s.commands)
          for (const a of c.args) if (a.name.endsWith('pre-shared-key')) a.value = 'new-wifi-secret';
    });
    const plan = planRestore(current, target);
    const secrets = [
      'old-wifi-secret',
      'new-wifi-secret',
      'community-secret',
      'ppp-secret-1',
      'ppp-secret-2',
      'wg-secret',
    ];
    const full = JSON.stringify(plan);
    for (const s of secrets) expect(full, s).toContain(s);
    const shown = redactPlan(plan);
    const text = JSON.stringify(shown);
    for (const s of secrets) expect(text, s).not.toContain(s);
    expect(text).toContain('*****');
    // Not secret: still shown.
    expect(text).toContain('10.9.0.2/32');
    expect(text).toContain('pptp');
    // The commands still say what they do, with the placeholder in place of the value.
    const changes = shown.semantic.menus.flatMap((m) => m.changed.flatMap((c) => c.changes));
    expect(changes).toContainEqual(expect.objectContaining({ old: '*****', new: '*****' }));
    for (const c of shown.commands) expect(fromLines([c.cli]).commands[0]).toEqual(c);
    expect(shown.commands.length).toBe(plan.commands.length);
    expect(shown.risks).toEqual(plan.risks);
    // The original plan is left alone (the engine applies it).
    expect(JSON.stringify(plan)).toBe(full);
  });

  it('returns commands without secrets unchanged', () => {
    const plan = planRestore(
      mutate(base, (doc) => section(doc, '/system/identity').commands.splice(0)),
      base,
    );
    expect(redactPlan(plan)).toEqual(plan);
  });
});
