// Line editing in the interactive console on a real SSH PTY: UTF-8 typed in pieces kept byte for byte (as RouterOS
// stores it: the API sends those bytes, an export escapes them), backspace taking back a whole character, pasted
// lines run in order, Ctrl-C (abandoning a line, interrupting a running command), Ctrl-D and quit, escape sequences
// swallowed, no echo without a PTY, the terminal width following a resize.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Fleet, startFleet } from '../src/index.js';
import { connect } from './helpers.js';
import { PROMPT, Terminal } from './shell-helpers.js';
import { exec, withSsh } from './ssh-helpers.js';

let fleet: Fleet;
const open: Terminal[] = [];
async function terminal(index: number, o: { pty?: boolean; cols?: number } = {}): Promise<Terminal> {
  const t = await Terminal.open(fleet.devices[index]!, o);
  open.push(t);
  return t;
}
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const prompts = (text: string) => text.split(/\[admin@[^\]]*\][^\r\n]*> /).length - 1;

beforeAll(async () => {
  fleet = await startFleet({
    tls: false,
    specs: [{ version: '7.16' }, { version: '7.16' }, { version: '6.49.10' }],
    base: { users: [{ name: 'admin', password: 'pw' }] },
  });
});
afterAll(async () => {
  for (const t of open) t.close();
  await fleet?.stop();
});

describe('UTF-8', () => {
  it('a name typed in UTF-8 (split between writes) round-trips: echo, prompt, API, export', async () => {
    const t = await terminal(0);
    const from = t.text().length;
    const line = Buffer.from('/system identity set name="Zürich-ü"\r', 'utf8');
    // Each byte on its own write: the two bytes of ü arrive apart.
    for (const b of line) t.type(Buffer.from([b]));
    const shown = await t.waitFor(PROMPT, from);
    expect(shown).toBe('/system identity set name="Zürich-ü"\r\n[admin@Zürich-ü] > ');
    // RouterOS keeps the bytes: a UTF-8 reader of the API gets the name back, a Windows-1252 reader the bytes as such.
    const d = fleet.devices[0]!;
    const utf8 = await connect(d, { username: 'admin', password: 'pw', encoding: 'utf8' });
    const win = await connect(d, { username: 'admin', password: 'pw' });
    try {
      expect((await utf8.command('/system/identity/print'))[0]?.name).toBe('Zürich-ü');
      expect((await win.command('/system/identity/print'))[0]?.name).toBe('ZÃ¼rich-Ã¼');
    } finally {
      await utf8.close();
      await win.close();
    }
    expect((await t.run('/system identity print')).output).toBe('  name: Zürich-ü\r\n');
    const exported = await withSsh(d, (c) => exec(c, '/system identity export'), { username: 'admin', password: 'pw' });
    expect(exported.out).toContain('set name="Z\\C3\\BCrich-\\C3\\BC"');
  });

  it('backspace (0x7f and 0x08) takes back a whole character, also a two- and three-byte one', async () => {
    const t = await terminal(1);
    const from = t.text().length;
    t.type(Buffer.from(':put "aü\x7fb✓\x08c"\r', 'utf8'));
    const shown = await t.waitFor(PROMPT, from);
    expect(shown.endsWith('abc\r\n[admin@MikroTik] > ')).toBe(true);
    expect(shown).toContain('\b \b');
  });
});

describe('input', () => {
  it('three pasted lines run one after another, each echoed before its output', async () => {
    const t = await terminal(1);
    const from = t.text().length;
    t.type('/ip address\r:put one\r/system identity print\r');
    const text = await t.waitFor(/identity print\r\n {2}name: MikroTik\r\n\[admin@MikroTik\] \/ip\/address> $/, from);
    expect(text).toBe(
      [
        '/ip address',
        '[admin@MikroTik] /ip/address> :put one',
        'one',
        '[admin@MikroTik] /ip/address> /system identity print',
        '  name: MikroTik',
        '[admin@MikroTik] /ip/address> ',
      ].join('\r\n'),
    );
  });

  it('Ctrl-C abandons the line; escape sequences (arrows, F1) leave nothing behind', async () => {
    const t = await terminal(1);
    let from = t.text().length;
    t.type('/ip addr\x03');
    expect(await t.waitFor(PROMPT, from)).toBe('/ip addr\r\ninterrupted\r\n[admin@MikroTik] > ');
    from = t.text().length;
    t.type('\x1b[A\x1b[D\x1bOP:put clean\x1b[C\r');
    expect(await t.waitFor(PROMPT, from)).toBe(':put clean\r\nclean\r\n[admin@MikroTik] > ');
  });

  it('Ctrl-C interrupts a command that runs until stopped', async () => {
    const t = await terminal(1);
    const from = t.text().length;
    t.type('/interface monitor-traffic interface=ether1\r');
    await t.waitFor(/rx-bits-per-second: \d+/, from);
    t.type('\x03');
    await t.waitFor(PROMPT, from);
    const settled = t.text().length;
    await sleep(1300); // monitor-traffic samples every second
    expect(t.text().length).toBe(settled);
    expect((await t.run(':put after')).output).toBe('after\r\n');
  });

  it('Ctrl-D on an empty line logs out (ignored on a line with text); so do /quit and quit', async () => {
    const a = await terminal(1);
    a.type(':put x\x04');
    await sleep(100);
    expect(a.closed).toBe(false);
    a.type('\x03\x04');
    await a.waitClosed();
    const b = await terminal(1);
    b.type('/quit\r');
    await b.waitClosed();
    const c = await terminal(1);
    await c.run('/ip');
    c.type('quit\r');
    await c.waitClosed();
  });

  it('without a PTY nothing is echoed', async () => {
    const t = await terminal(1, { pty: false });
    const from = t.text().length;
    t.type(':put quiet\n');
    expect(await t.waitFor(PROMPT, from)).toBe('quiet\r\n[admin@MikroTik] > ');
  });

  it('print detail wraps at the terminal width, which follows a resize', async () => {
    const t = await terminal(2, { cols: 80 });
    const narrow = (await t.run('/ip service print detail where name=www-ssl')).output;
    expect(narrow.split('\r\n').every((l) => l.length < 80)).toBe(true);
    t.channel.setWindow(24, 40, 0, 0);
    await sleep(100);
    const wrapped = (await t.run('/ip service print detail where name=www-ssl')).output;
    expect(wrapped.split('\r\n').length).toBeGreaterThan(narrow.split('\r\n').length);
    expect(wrapped.split('\r\n').every((l) => l.length < 40)).toBe(true);
    expect(prompts(t.text())).toBeGreaterThan(2);
  });
});
