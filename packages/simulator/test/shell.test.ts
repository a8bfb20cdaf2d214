// The interactive RouterOS console over SSH, driven by ssh2's Client with a PTY (as TOD's browser terminal opens
// it): banner and prompt, menus, print (table, detail, where, count-only) in v6 and v7 shapes, changes made in the
// shell seen by the API and the other way round, console item numbers, RouterOS's error words, reboot's question,
// :put, and the exec path sharing the same commands.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Fleet, startFleet } from '../src/index.js';
import { connect, waitFor } from './helpers.js';
import { Terminal } from './shell-helpers.js';
import { exec, withSsh } from './ssh-helpers.js';

const CONFIG = `/ip address
add address=192.168.88.1/24 comment=defconf interface=ether2 network=192.168.88.0
add address=10.0.0.1/30 interface=ether1 network=10.0.0.0
`;

const SPECS = {
  v7: { version: '7.16', exportText: CONFIG },
  v6: { version: '6.49.10', exportText: CONFIG },
  edits: { version: '7.16', exportText: CONFIG },
  reboot: { version: '7.16', rebootDelayMs: 400 },
};
type Name = keyof typeof SPECS;
const names = Object.keys(SPECS) as Name[];
let fleet: Fleet;
const info = (n: Name) => fleet.devices[names.indexOf(n)]!;
const device = (n: Name) => fleet.device(names.indexOf(n));
const open: Terminal[] = [];
async function terminal(n: Name, login: { username?: string; password?: string } = {}): Promise<Terminal> {
  const t = await Terminal.open(info(n), login);
  open.push(t);
  return t;
}

beforeAll(async () => {
  fleet = await startFleet({
    tls: false,
    specs: names.map((n) => SPECS[n]),
    base: {
      users: [
        { name: 'admin', password: 'pw' },
        { name: 'reader', password: 'pw3', group: 'read' },
      ],
    },
  });
});
afterAll(async () => {
  for (const t of open) t.close();
  await fleet?.stop();
});

describe('login', () => {
  it('v7: the banner with the version and F1 help, then the prompt', async () => {
    const t = await terminal('v7');
    const text = t.text();
    expect(text).toContain('MMMM    MMMM');
    expect(text).toMatch(/ {2}MikroTik RouterOS 7\.16 \(c\) 1999-\d{4} +https:\/\/www\.mikrotik\.com\/\r\n/);
    expect(text).toContain('Press F1 for help\r\n');
    expect(text.endsWith('\r\n[admin@MikroTik] > ')).toBe(true);
  });

  it('v6: the banner with its help lines', async () => {
    const t = await terminal('v6');
    expect(t.text()).toContain('MikroTik RouterOS 6.49.10 (c) 1999-');
    expect(t.text()).toContain('..              Move up one level\r\n');
    expect(t.text().endsWith('[admin@MikroTik] > ')).toBe(true);
  });
});

describe('print', () => {
  it('v7: a table with Columns:, flags only when an item has one, comments on their own line', async () => {
    const t = await terminal('v7');
    expect((await t.run('/ip address print')).output).toBe(
      [
        'Columns: ADDRESS, NETWORK, INTERFACE',
        '# ADDRESS          NETWORK       INTERFACE',
        ';;; defconf',
        '0 192.168.88.1/24  192.168.88.0  ether2',
        '1 10.0.0.1/30      10.0.0.0      ether1',
        '',
      ].join('\r\n'),
    );
    await t.run('/ip address disable 1');
    const shown = (await t.run('/ip address print')).output.split('\r\n');
    expect(shown.slice(0, 3)).toEqual([
      'Flags: X - DISABLED',
      'Columns: ADDRESS, NETWORK, INTERFACE',
      '#   ADDRESS          NETWORK       INTERFACE',
    ]);
    expect(shown[5]).toBe('1 X 10.0.0.1/30      10.0.0.0      ether1');
    await t.run('/ip address enable 1');
    expect((await t.run('/ip address print')).output).not.toContain('Flags:');
  });

  it('v6: every flag named, a blank before the numbers, the comment on the number line', async () => {
    const t = await terminal('v6');
    expect((await t.run('/ip address print')).output).toBe(
      [
        'Flags: X - disabled, I - invalid, D - dynamic',
        ' #   ADDRESS            NETWORK         INTERFACE',
        ' 0   ;;; defconf',
        '     192.168.88.1/24    192.168.88.0    ether2',
        ' 1   10.0.0.1/30        10.0.0.0        ether1',
        '',
      ].join('\r\n'),
    );
  });

  it('detail, terse, where (=, ~, !=, and), count-only; numbers stay those of the whole list', async () => {
    const t = await terminal('v7');
    const detail = (await t.run('/ip address print detail')).output;
    expect(detail).toBe(
      [
        'Flags: X - disabled, I - invalid; D - dynamic',
        ' 0    ;;; defconf',
        '      address=192.168.88.1/24 network=192.168.88.0 interface=ether2',
        '      actual-interface=ether2',
        '',
        ' 1    address=10.0.0.1/30 network=10.0.0.0 interface=ether1',
        '      actual-interface=ether1',
        '',
        '',
      ].join('\r\n'),
    );
    expect((await t.run('/ip address print terse')).output).toContain(
      ' 1    address=10.0.0.1/30 network=10.0.0.0 interface=ether1 actual-interface=ether1\r\n',
    );
    const one = (await t.run('/ip address print where interface=ether1')).output;
    expect(one).toContain('1 10.0.0.1/30');
    expect(one).not.toContain('192.168.88.1');
    expect((await t.run('/ip address print count-only where address~"^192\\.168"')).output).toBe('1\r\n');
    expect((await t.run('/ip address print count-only where interface!=ether1 and comment=defconf')).output).toBe(
      '1\r\n',
    );
    expect((await t.run('/ip address print count-only where interface=ether1 or interface=ether2')).output).toBe(
      '2\r\n',
    );
    expect((await t.run('/ip address print count-only where !disabled')).output).toBe('2\r\n');
  });

  it('a menu of one item prints name: value lines', async () => {
    const t = await terminal('v7');
    expect((await t.run('/system identity print')).output).toBe('  name: MikroTik\r\n');
    const resource = (await t.run('/system resource print')).output;
    expect(resource).toMatch(/^ +uptime: \S+\r\n/);
    expect(resource).toContain('  write-sect-since-reboot: ');
  });
});

describe('menus', () => {
  it('moves into menus, up with .., to the root with /; relative paths inside a menu', async () => {
    const t = await terminal('v7');
    expect((await t.run('/ip address')).prompt).toBe('[admin@MikroTik] /ip/address> ');
    expect((await t.run('print count-only')).output).toBe('2\r\n');
    expect((await t.run('..')).prompt).toBe('[admin@MikroTik] /ip> ');
    expect((await t.run('address print count-only')).output).toBe('2\r\n');
    expect((await t.run('/system identity print')).prompt).toBe('[admin@MikroTik] /ip> ');
    expect((await t.run('/')).prompt).toBe('[admin@MikroTik] > ');
    expect((await t.run('ip/address')).prompt).toBe('[admin@MikroTik] /ip/address> ');
  });

  it('v6 shows the menu with blanks and reads menus with blanks only', async () => {
    const t = await terminal('v6');
    expect((await t.run('/ip address')).prompt).toBe('[admin@MikroTik] /ip address> ');
    expect((await t.run('..')).prompt).toBe('[admin@MikroTik] /ip> ');
    expect((await t.run('/ip/address print')).output).toBe('bad command name ip/address (line 1 column 2)\r\n');
  });

  it('export of the current menu', async () => {
    const t = await terminal('v7');
    await t.run('/ip address');
    const out = (await t.run('export')).output;
    expect(out).toMatch(/^# .* by RouterOS 7\.16\r\n/);
    expect(out).toContain('/ip address\r\nadd address=192.168.88.1/24 comment=defconf interface=ether2');
    expect(out).not.toContain('/interface');
  });
});

describe('changes', () => {
  it('identity set: the prompt follows, the API reads it, the log says who', async () => {
    const t = await terminal('edits');
    const r = await t.run('/system identity set name=edge-7');
    expect(r).toEqual({ output: '', prompt: '[admin@edge-7] > ' });
    const api = await connect(info('edits'), { username: 'admin', password: 'pw' });
    try {
      expect((await api.command('/system/identity/print'))[0]?.name).toBe('edge-7');
      // And the other way round: a change over the API is what the shell prints.
      await api.command('/system/identity/set', { name: 'edge-8' });
      expect((await t.run('/system identity print')).output).toBe('  name: edge-8\r\n');
      expect((await t.run('')).prompt).toBe('[admin@edge-8] > ');
    } finally {
      await api.close();
    }
    expect(device('edits').logs.some((l) => l.message === 'system identity changed by admin')).toBe(true);
  });

  it('add, set by number, disable, remove; numbers are the last print’s; the API sees each step', async () => {
    const d = info('edits');
    const t = await terminal('edits');
    const api = await connect(d, { username: 'admin', password: 'pw' });
    const addresses = async () => await api.command('/ip/address/print');
    try {
      expect((await t.run('/ip address add address=10.9.9.1/24 interface=ether3')).output).toBe('');
      const added = (await addresses()).find((a) => a.address === '10.9.9.1/24');
      expect(added?.interface).toBe('ether3');
      // The network RouterOS works out from the address, also when the add did not give it.
      expect((await t.run('/ip address print where interface=ether3')).output).toMatch(
        /\n2 10\.9\.9\.1\/24 +10\.9\.9\.0 +ether3\r\n/,
      );
      await t.run('/ip address set 2 comment=lab');
      expect((await addresses()).find((a) => a['.id'] === added?.['.id'])?.comment).toBe('lab');
      await t.run('/ip address disable 2');
      expect((await addresses()).find((a) => a['.id'] === added?.['.id'])?.disabled).toBe('true');
      expect((await t.run('/ip address print detail where comment=lab')).output).toContain(' 2 X  ;;; lab\r\n');
      // An item added over the API meanwhile does not renumber this session's items until the next print.
      await api.command('/ip/address/add', { address: '10.7.7.1/24', interface: 'ether4' });
      await t.run('/ip address remove 2');
      expect((await addresses()).some((a) => a['.id'] === added?.['.id'])).toBe(false);
      expect((await t.run('/ip address set 2 comment=again')).output).toBe('no such item\r\n');
      // The next print numbers the API's item.
      expect((await t.run('/ip address print where interface=ether4')).output).toContain('2 10.7.7.1/24');
      // Names, and [ find ].
      await t.run('/interface set ether5 comment=uplink');
      expect((await api.command('/interface/print')).find((i) => i.name === 'ether5')?.comment).toBe('uplink');
      await t.run('/ip address remove [find interface=ether4]');
      expect((await addresses()).some((a) => a.interface === 'ether4')).toBe(false);
    } finally {
      await api.close();
    }
    expect(device('edits').logs.some((l) => l.message === 'ip address added by admin')).toBe(true);
  });

  it('numbers work without a print in a fresh session, as if one had run', async () => {
    const t = await terminal('edits');
    await t.run('/ip address set 0 comment=first');
    const api = await connect(info('edits'), { username: 'admin', password: 'pw' });
    try {
      const first = (await api.command('/ip/address/print'))[0];
      expect(first?.comment).toBe('first');
    } finally {
      await api.close();
    }
  });

  it('the API’s errors: an unknown interface, a duplicate name, a built-in item', async () => {
    const t = await terminal('edits');
    expect((await t.run('/ip address add address=10.1.1.1/24 interface=nope')).output).toBe(
      'input does not match any value of interface\r\n',
    );
    expect((await t.run('/interface vlan add name=ether1 vlan-id=5 interface=ether1')).output).toBe(
      'failure: interface with such name already exists\r\n',
    );
    expect((await t.run('/interface ethernet remove ether1')).output).toBe('failure: can not remove builtin item\r\n');
  });

  it('a user whose group lacks write: not enough permissions (9); print still works', async () => {
    const t = await terminal('edits', { username: 'reader', password: 'pw3' });
    expect(t.text()).toMatch(/\[reader@[^\]]+\] > $/);
    expect((await t.run('/ip address add address=10.2.2.1/24 interface=ether1')).output).toBe(
      'not enough permissions (9)\r\n',
    );
    expect((await t.run('/system identity set name=nope')).output).toBe('not enough permissions (9)\r\n');
    expect((await t.run('/ip address remove 0')).output).toBe('not enough permissions (9)\r\n');
    expect((await t.run('/ip address print count-only')).output).toMatch(/^\d+\r\n$/);
    expect(device('edits').identity).not.toBe('nope');
  });
});

describe('errors', () => {
  it('RouterOS’s words with the column', async () => {
    const t = await terminal('v7');
    expect((await t.run('foo')).output).toBe('bad command name foo (line 1 column 1)\r\n');
    expect((await t.run('/ip frewall print')).output).toBe('bad command name frewall (line 1 column 5)\r\n');
    expect((await t.run('/ip address prnt')).output).toBe('bad command name prnt (line 1 column 13)\r\n');
    expect((await t.run('/ip address print foo')).output).toBe('expected end of command (line 1 column 19)\r\n');
    expect((await t.run('/system identity set name="x')).output).toBe('syntax error (line 1 column 22)\r\n');
    expect((await t.run('/ip address set 99 comment=x')).output).toBe('no such item\r\n');
    expect((await t.run('/ip address print where (interface=ether1')).output).toMatch(/^syntax error \(line 1/);
  });
});

describe(':put', () => {
  it('a string, a number, a command’s value', async () => {
    const t = await terminal('v7');
    expect((await t.run(':put "hello world"')).output).toBe('hello world\r\n');
    expect((await t.run(':put 42')).output).toBe('42\r\n');
    expect((await t.run(':put [/system identity get name]')).output).toBe('MikroTik\r\n');
    expect((await t.run(':put [/interface get ether1 mtu]')).output).toBe('1500\r\n');
    expect((await t.run(':put [/ip address print count-only]')).output).toBe('2\r\n');
    const id = (await t.run(':put [/ip address find interface=ether1]')).output;
    expect(id).toMatch(/^\*[0-9A-F]+\r\n$/);
    expect((await t.run(':foo')).output).toBe('bad command name foo (line 1 column 2)\r\n');
  });
});

describe('reboot', () => {
  it('asks; anything but y cancels; y reboots the device and closes the session', async () => {
    const t = await terminal('reboot');
    let from = t.text().length;
    t.type('/system reboot\r');
    await t.waitFor(/Reboot, yes\? \[y\/N\]: $/, from);
    from = t.text().length;
    t.type('n');
    expect(await t.waitFor(/> $/, from)).toBe('n\r\naction cancelled\r\n[admin@MikroTik] > ');
    expect(device('reboot').accepting).toBe(true);

    from = t.text().length;
    t.type('/system reboot\r');
    await t.waitFor(/Reboot, yes\? \[y\/N\]: $/, from);
    t.type('y');
    await t.waitClosed();
    expect(t.text()).toContain('y\r\nsystem will reboot shortly\r\n');
    await waitFor(() => !device('reboot').accepting, 'the device going down', 2000);
    await waitFor(() => device('reboot').accepting, 'the device coming back', 5000);
  });
});

describe('exec', () => {
  it('runs the same commands as the shell', async () => {
    await withSsh(
      info('v7'),
      async (c) => {
        expect((await exec(c, '/system identity print')).out).toBe('  name: MikroTik\r\n');
        expect((await exec(c, '/ip address print count-only')).out).toBe('2\r\n');
        expect((await exec(c, '/ip address\nprint count-only')).out).toBe('2\r\n');
      },
      { username: 'admin', password: 'pw' },
    );
  });
});
