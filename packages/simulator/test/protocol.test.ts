// The wire protocol over real TCP: login (both styles), not-logged-in, tags on every reply, /quit, unknown
// commands, /cancel, `!empty` by version. Raw sockets where the exact words matter, our client elsewhere.
import { AuthError, FatalError, RouterOSClient, TrapError } from '@tod/routeros';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Fleet, startFleet } from '../src/index.js';
import { connect, RawApi, rawLogin } from './helpers.js';

let fleet: Fleet;
const users = [{ name: 'admin', password: 's3cret' }];

beforeAll(async () => {
  fleet = await startFleet({
    tls: false,
    specs: [
      { version: '7.16', users },
      { version: '6.42.12', users },
      { version: '7.18.2', users },
      { version: '6.49.10', users },
    ],
  });
});
afterAll(() => fleet.stop());

describe('login', () => {
  it('7.x: /login =name= =password= succeeds in one step', async () => {
    const c = await connect(fleet.devices[0]!);
    expect(c.loginStyle).toBe('plain');
    await c.close();
  });

  it('pre-6.43: the first /login gets a challenge, the MD5 response logs in', async () => {
    const d = fleet.devices[1]!;
    const raw = await RawApi.open(d.address, d.port);
    raw.send('/login');
    const [challenge] = await raw.untilDone();
    expect(challenge?.[0]).toBe('!done');
    expect(challenge?.[1]).toMatch(/^=ret=[0-9a-f]{32}$/);
    raw.close();
    const c = await connect(d);
    expect(c.loginStyle).toBe('challenge');
    expect((await c.command('/system/identity/print'))[0]?.name).toBe('MikroTik');
    await c.close();
  });

  it('pre-6.43: a wrong challenge response is refused with "cannot log in"', async () => {
    await expect(connect(fleet.devices[1]!, { password: 'nope' })).rejects.toThrow(/cannot log in/);
  });

  it('wrong password: !trap invalid user name or password (6), then !done', async () => {
    const d = fleet.devices[0]!;
    const raw = await RawApi.open(d.address, d.port);
    raw.send('/login', '=name=admin', '=password=wrong', '.tag=7');
    const reply = await raw.untilDone('7');
    expect(reply).toEqual([
      ['!trap', '=message=invalid user name or password (6)', '.tag=7'],
      ['!done', '.tag=7'],
    ]);
    raw.close();
    await expect(connect(d, { password: 'wrong' })).rejects.toBeInstanceOf(AuthError);
    await expect(connect(d, { username: 'nobody' })).rejects.toBeInstanceOf(AuthError);
  });

  it('any other command before login: !fatal not logged in, and the connection closes', async () => {
    const d = fleet.devices[0]!;
    const raw = await RawApi.open(d.address, d.port);
    raw.send('/system/resource/print');
    expect(await raw.read()).toEqual(['!fatal', 'not logged in']);
    expect(await raw.read()).toBeUndefined();
    expect(raw.closed).toBe(true);
  });
});

describe('sentences', () => {
  it('every reply sentence carries the tag; untagged commands get untagged replies', async () => {
    const raw = await rawLogin(fleet.devices[0]!);
    raw.send('/interface/print', '.tag=abc');
    const tagged = await raw.untilDone('abc');
    expect(tagged.length).toBeGreaterThan(2);
    for (const s of tagged) expect(s.at(-1)).toBe('.tag=abc');
    raw.send('/system/identity/print');
    const untagged = await raw.untilDone();
    expect(untagged).toEqual([['!re', '=name=MikroTik'], ['!done']]);
    raw.close();
  });

  it('/quit: !fatal session terminated on request', async () => {
    const raw = await rawLogin(fleet.devices[0]!);
    raw.send('/quit', '.tag=1');
    expect(await raw.read()).toEqual(['!fatal', 'session terminated on request']);
    expect(await raw.read()).toBeUndefined();
  });

  it('unknown menu: no such command prefix; unknown verb in a known menu: no such command', async () => {
    const c = await connect(fleet.devices[0]!);
    await expect(c.command('/nothing/here/print')).rejects.toThrow(/no such command prefix/);
    const err = await c.command('/ip/address/frobnicate').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TrapError);
    expect((err as TrapError).trapMessage).toBe('no such command');
    await c.close();
  });

  it('the client sees a !fatal as FatalError', async () => {
    const c = await connect(fleet.devices[0]!);
    const fatal = c.command('/quit').catch((e: unknown) => e);
    expect(await fatal).toBeInstanceOf(FatalError);
  });

  it('v6/v7 wireless menus: v6 has /interface/wireless, v7 has /interface/wifi', async () => {
    const v7 = await connect(fleet.devices[0]!);
    const v6 = await connect(fleet.devices[3]!);
    await expect(v7.command('/interface/wifi/print')).resolves.toEqual([]);
    await expect(v7.command('/interface/wireless/print')).rejects.toThrow(/no such command prefix/);
    await expect(v6.command('/interface/wireless/print')).resolves.toEqual([]);
    await expect(v6.command('/interface/wifi/print')).rejects.toThrow(/no such command prefix/);
    await v7.close();
    await v6.close();
  });
});

describe('empty results', () => {
  it('7.18+ answers !empty then !done; older versions only !done', async () => {
    const newer = await rawLogin(fleet.devices[2]!);
    newer.send('/ip/address/print', '?address=9.9.9.9/32', '.tag=e');
    expect(await newer.untilDone('e')).toEqual([
      ['!empty', '.tag=e'],
      ['!done', '.tag=e'],
    ]);
    newer.close();
    const older = await rawLogin(fleet.devices[0]!);
    older.send('/ip/address/print', '?address=9.9.9.9/32', '.tag=e');
    expect(await older.untilDone('e')).toEqual([['!done', '.tag=e']]);
    older.close();
    const c = await connect(fleet.devices[2]!);
    const r = await c.run('/ip/address/print', undefined, { query: { op: 'eq', name: 'address', value: 'x' } });
    expect(r.empty).toBe(true);
    await c.close();
  });
});

describe('cancel', () => {
  it('/cancel =tag= ends the command with !trap category 2 interrupted, then !done', async () => {
    const raw = await rawLogin(fleet.devices[0]!);
    raw.send('/interface/listen', '.tag=L');
    raw.send('/cancel', '=tag=L', '.tag=C');
    const got: string[][] = [];
    while (got.filter((s) => s[0] === '!done').length < 2) got.push((await raw.read()) as string[]);
    expect(got).toContainEqual(['!trap', '=category=2', '=message=interrupted', '.tag=L']);
    expect(got).toContainEqual(['!done', '.tag=L']);
    expect(got).toContainEqual(['!done', '.tag=C']);
    const trapAt = got.findIndex((s) => s[0] === '!trap');
    const doneAt = got.findIndex((s) => s[0] === '!done' && s.includes('.tag=L'));
    expect(trapAt).toBeLessThan(doneAt);
    raw.close();
  });

  it('cancelling an unknown tag is a trap', async () => {
    const c = await connect(fleet.devices[0]!);
    await expect(c.command('/cancel', { tag: '999' })).rejects.toBeInstanceOf(TrapError);
    await c.close();
  });
});

describe('garbage', () => {
  it('a malformed length prefix drops the connection instead of hanging', async () => {
    const d = fleet.devices[0]!;
    const raw = await RawApi.open(d.address, d.port);
    raw.socket.write(Buffer.from([0xff, 0xff, 0xff, 0xff, 0xff, 0x00]));
    expect(await raw.read()).toBeUndefined();
    // The device still serves others.
    const c = await RouterOSClient.connect({
      host: d.address,
      port: d.port,
      tlsMode: 'plain',
      username: 'admin',
      password: 's3cret',
    });
    await c.close();
  });
});
