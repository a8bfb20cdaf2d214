// Every real export in the fixtures loads into a device and comes back from `/export` (over the API, via a file)
// with zero semantic differences; secrets, header dates and styles follow the device's version.

import type { RouterOSClient } from '@tod/routeros';
import { diffExports, findSecrets, parseExport } from '@tod/rsc';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Fleet, startFleet } from '../src/index.js';
import { connect, exportFixtures, RawApi, rawLogin } from './helpers.js';

const fixtures = exportFixtures();
let fleet: Fleet;
const users = [{ name: 'admin', password: 'pw' }];

beforeAll(async () => {
  fleet = await startFleet({ tls: false, specs: fixtures.map((f) => ({ exportText: f.text, users })) });
});
afterAll(() => fleet.stop());

/** `/export` into a file, then read it back the way a client must (print contents, or /file/read when large). */
async function exportViaApi(
  c: RouterOSClient,
  args: Record<string, string> = {},
  path = '',
  index?: number,
): Promise<string> {
  const name = `tod-${Math.random().toString(36).slice(2)}`;
  const r = await c.run(`${path}/export`, { file: name, ...args });
  expect(r.rows).toEqual([]);
  const [file] = await c.command('/file/print', [`?name=${name}.rsc`]);
  expect(file?.type).toBe('script');
  if (file?.contents !== undefined) return file.contents;
  if (index !== undefined && !fleet.devices[index]?.version.startsWith('7')) {
    // v6 shows contents only up to 4 KB and has no /file/read: real clients fetch such files over FTP/SFTP.
    await expect(c.command('/file/read', { file: `${name}.rsc` })).rejects.toThrow(/no such command/);
    return fleet.device(index).fileContents(`${name}.rsc`) ?? '';
  }
  let text = '';
  for (let offset = 0; ; offset += 32768) {
    const [chunk] = await c.command('/file/read', {
      file: `${name}.rsc`,
      offset: String(offset),
      'chunk-size': '32768',
    });
    text += chunk?.data ?? '';
    if ((chunk?.data ?? '').length < 32768) return text;
  }
}

describe('fixtures round-trip through /export', () => {
  fixtures.forEach((f, i) => {
    it(`${f.name}`, async () => {
      const d = fleet.devices[i]!;
      const c = await connect(d);
      const v7 = d.version.startsWith('7');
      const text = await exportViaApi(c, v7 ? { 'show-sensitive': '' } : {}, '', i);
      const diff = diffExports(f.text, text);
      const changed = diff.menus.map(
        (m) => `${m.path}: +${m.added.length} -${m.removed.length} ~${m.changed.length} moved ${m.moved.length}`,
      );
      expect(changed).toEqual([]);
      // Header fields may only differ where the original has none (one fixture had its header stripped).
      for (const h of diff.header) expect(h.old, `header ${h.name}`).toBeUndefined();
      await c.close();
    });
  });
});

describe('export by version', () => {
  const byName = (n: string) => fleet.devices[fixtures.findIndex((f) => f.name === n)]!;

  it('v7 hides secrets unless show-sensitive', async () => {
    const original = fixtures.find((f) => f.name === 'v7.8-wifi-telescope.rsc')!;
    expect(findSecrets(parseExport(original.text)).length).toBeGreaterThan(0);
    const c = await connect(byName('v7.8-wifi-telescope.rsc'));
    expect(findSecrets(parseExport(await exportViaApi(c)))).toEqual([]);
    expect(findSecrets(parseExport(await exportViaApi(c, { 'show-sensitive': '' }))).length).toBeGreaterThan(0);
    await c.close();
  });

  it('v6 shows secrets unless hide-sensitive', async () => {
    const name = fixtures.find((f) => f.name.startsWith('v6') && findSecrets(parseExport(f.text)).length > 0)?.name;
    expect(name).toBeDefined();
    const index = fixtures.findIndex((f) => f.name === name);
    const c = await connect(fleet.devices[index]!);
    expect(findSecrets(parseExport(await exportViaApi(c, {}, '', index))).length).toBeGreaterThan(0);
    expect(findSecrets(parseExport(await exportViaApi(c, { 'hide-sensitive': '' }, '', index)))).toEqual([]);
    await c.close();
  });

  it('header date: jan/02/1970 style before 7.10, ISO after', async () => {
    const old = await connect(byName('v7.8-wifi-telescope.rsc'));
    expect((await exportViaApi(old)).split('\n')[0]).toMatch(
      /^# [a-z]{3}\/\d\d\/\d{4} \d\d:\d\d:\d\d by RouterOS 7\.8$/,
    );
    await old.close();
    const iso = await connect(byName('v7.18-office.rsc'));
    const head = (await exportViaApi(iso)).split('\n');
    expect(head[0]).toMatch(/^# \d{4}-\d\d-\d\d \d\d:\d\d:\d\d by RouterOS 7\.18\.2$/);
    expect(head).toContain('# model = RBD52G-5HacD2HnD');
    expect(head).toContain('# serial number = A97A092E75F7');
    await iso.close();
  });

  it('terse puts the menu on every line; verbose adds defaults; a menu path exports only its subtree', async () => {
    const c = await connect(byName('v7.18-office.rsc'));
    const terse = (await exportViaApi(c, { terse: '' })).split('\n').filter((l) => l !== '' && !l.startsWith('#'));
    for (const line of terse) expect(line.startsWith('/')).toBe(true);
    const verbose = await exportViaApi(c, { verbose: '' });
    expect(verbose).toMatch(/disabled=no/);
    const fw = await exportViaApi(c, {}, '/ip');
    const menus = parseExport(fw).sections.map((s) => s.path);
    expect(menus.length).toBeGreaterThan(0);
    for (const m of menus) expect(m.startsWith('/ip/')).toBe(true);
    await c.close();
  });

  it('/export without file= answers a bare !done, as RouterOS does over the API', async () => {
    const raw = await rawLogin(byName('v7.18-office.rsc'));
    raw.send('/export', '.tag=x');
    expect(await raw.untilDone('x')).toEqual([['!done', '.tag=x']]);
    raw.close();
  });

  it('a read-only user cannot export to a file', async () => {
    const d = fleet.devices[0]!;
    const c = await connect(d);
    await c.command('/user/add', { name: 'ro', group: 'read', password: 'ro' });
    await c.close();
    const ro = await connect({ ...d, username: 'ro', password: 'ro' });
    await expect(ro.command('/export', { file: 'x' })).rejects.toThrow(/not enough permissions/);
    await ro.close();
    expect(RawApi).toBeDefined();
  });
});
