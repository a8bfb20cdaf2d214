// Files over SSH: `/export file=` then SFTP download and `/file remove`; binary backups that round-trip through
// SFTP and restore with `backup load` (API and SSH); wrong passwords, damaged files, a full disk.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeBackup, MAGIC_AES, MAGIC_PLAIN, MAGIC_RC4 } from '../src/backup-file.js';
import { fileBytes, findFile } from '../src/files.js';
import { type Fleet, startFleet } from '../src/index.js';
import { connect } from './helpers.js';
import { exec, readdir, readFile, SECRETS_CONFIG, sftpOf, withSsh, writeFile } from './ssh-helpers.js';

let fleet: Fleet;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

beforeAll(async () => {
  fleet = await startFleet({
    tls: false,
    specs: [
      { version: '7.16', exportText: SECRETS_CONFIG },
      { version: '6.49.10', exportText: SECRETS_CONFIG },
      { version: '7.16', exportText: SECRETS_CONFIG, freeHdd: 3000 },
      { version: '6.40', exportText: SECRETS_CONFIG },
    ],
    base: { users: [{ name: 'admin', password: 'pw' }], rebootDelayMs: 200 },
  });
});
afterAll(() => fleet?.stop());

/** Until the device has rebooted (its boot time moved) and takes connections again. */
async function rebooted(i: number, bootAt: number): Promise<void> {
  const d = fleet.device(i);
  for (let n = 0; n < 100 && (d.bootAt === bootAt || !d.accepting); n++) await sleep(50);
  await sleep(50);
}

describe('export to a file, SFTP, /file remove', () => {
  it('export file= prints nothing and writes name.rsc; SFTP lists, stats and reads it; remove takes it away', async () => {
    await withSsh(fleet.devices[0]!, async (c) => {
      const r = await exec(c, '/export terse show-sensitive file=tod-1');
      expect(r.out).toBe('');
      const s = await sftpOf(c);
      expect(await readdir(s, '/')).toContain('tod-1.rsc');
      const bytes = await readFile(s, '/tod-1.rsc');
      expect(bytes.toString('latin1')).toContain('password=s3cret-ppp');
      expect(bytes.toString('latin1')).toContain('/ip firewall filter add action=accept chain=input comment=fw1');
      const size = await new Promise<number>((res, rej) => s.stat('tod-1.rsc', (e, a) => (e ? rej(e) : res(a.size))));
      expect(size).toBe(bytes.length);
      expect(fleet.device(0).fileContents('tod-1.rsc')).toBe(bytes.toString('latin1'));
      const list = await exec(c, '/file print');
      expect(list.out).toMatch(/tod-1\.rsc +script +\d+/);
      await exec(c, '/file remove tod-1.rsc');
      expect(await readdir(s, '/')).not.toContain('tod-1.rsc');
      expect((await exec(c, '/file remove tod-1.rsc')).out).toBe('no such item\r\n');

      await exec(c, '/export file=tod-2');
      await exec(c, '/export file=tod-3');
      expect((await exec(c, '/file remove [find name=tod-2.rsc]')).out).toBe('');
      expect(findFile(fleet.device(0), 'tod-2.rsc')).toBeUndefined();
      expect(findFile(fleet.device(0), 'tod-3.rsc')).toBeDefined();
      // Regular expressions in find, as tools clean up their own leftovers.
      await exec(c, '/export file=tod-x-1');
      await exec(c, '/export file=tod-x-2');
      expect((await exec(c, '/file remove [find where name~"^tod-x-"]')).out).toBe('');
      expect(findFile(fleet.device(0), 'tod-x-1.rsc') ?? findFile(fleet.device(0), 'tod-x-2.rsc')).toBeUndefined();
      expect(findFile(fleet.device(0), 'tod-3.rsc')).toBeDefined();
      // SFTP remove and rename.
      await new Promise<void>((res, rej) => s.rename('tod-3.rsc', 'tod-4.rsc', (e) => (e ? rej(e) : res())));
      await new Promise<void>((res, rej) => s.unlink('tod-4.rsc', (e) => (e ? rej(e) : res())));
      await expect(readFile(s, 'tod-4.rsc')).rejects.toThrow(/No such file/);
      expect(await readdir(s, '/')).toEqual([]);
    });
  });

  it('/file/read over the API still reads an exported file', async () => {
    await withSsh(fleet.devices[0]!, (c) => exec(c, '/export file=api-read'));
    const api = await connect(fleet.devices[0]!);
    const [chunk] = await api.command('/file/read', { file: 'api-read.rsc', offset: '0', 'chunk-size': '64' });
    expect(chunk?.data).toMatch(/^# .* by RouterOS 7\.16/);
    await api.command('/file/remove', { numbers: 'api-read.rsc' });
    await api.close();
  });

  it('an SFTP upload lands in /file (text as text, binary as bytes)', async () => {
    await withSsh(fleet.devices[0]!, async (c) => {
      const s = await sftpOf(c);
      await writeFile(s, '/up.rsc', Buffer.from('/system identity set name=uploaded\n'));
      const bin = Buffer.from([0, 1, 2, 255, 0, 128]);
      await writeFile(s, 'up.bin', bin);
      expect(fleet.device(0).fileContents('up.rsc')).toBe('/system identity set name=uploaded\n');
      expect(fileBytes(findFile(fleet.device(0), 'up.bin')!)).toEqual(bin);
      expect(await readFile(s, 'up.bin')).toEqual(bin);
      await exec(c, '/file remove up.rsc,up.bin');
    });
  });
});

describe('binary backups', () => {
  it('save → download → change → upload → load (SSH) restores, after a reboot', async () => {
    const d = fleet.device(0);
    let backup: Buffer = Buffer.alloc(0);
    await withSsh(fleet.devices[0]!, async (c) => {
      expect((await exec(c, '/system backup save name=tod-b password=sekret')).out).toBe(
        'Configuration backup saved\r\n',
      );
      backup = await readFile(await sftpOf(c), 'tod-b.backup');
      await exec(c, '/file remove tod-b.backup');
    });
    expect(backup.readUInt32LE(0)).toBe(MAGIC_AES);
    expect(backup.readUInt32LE(4)).toBe(backup.length);
    expect(() => decodeBackup(backup, 'wrong')).toThrow(/wrong_password/);

    // Another client changes the configuration.
    const api = await connect(fleet.devices[0]!);
    await api.command('/ip/firewall/filter/add', { chain: 'forward', action: 'drop', comment: 'later' });
    await api.close();
    expect((await withSsh(fleet.devices[0]!, (c) => exec(c, '/export'))).out).toContain('comment=later');

    await withSsh(fleet.devices[0]!, async (c) => {
      await writeFile(await sftpOf(c), 'restore.backup', backup);
      expect((await exec(c, '/system backup load name=restore.backup password=wrong', 'y')).out).toBe(
        'Restore and reboot? [y/N]: \r\nfailure: wrong password\r\n',
      );
      expect((await exec(c, '/system backup load name=restore.backup password=sekret', 'n')).out).toContain(
        'action cancelled',
      );
      const bootAt = d.bootAt;
      const r = await exec(c, '/system backup load name=restore.backup password=sekret', 'y');
      expect(r.out).toContain('rebooting');
      await rebooted(0, bootAt);
    });
    const out = (await withSsh(fleet.devices[0]!, (c) => exec(c, '/export'))).out;
    expect(out).toContain('comment=fw1');
    expect(out).not.toContain('comment=later');
    expect(d.logs.some((l) => l.message.startsWith('configuration restored from backup'))).toBe(true);
    // Files survive a restore.
    expect(findFile(d, 'restore.backup')).toBeDefined();
  });

  it('over the API too: save writes a real plain file; load of an uploaded file restores; refusals', async () => {
    const api = await connect(fleet.devices[1]!);
    await api.command('/system/backup/save', { name: 'plain', 'dont-encrypt': 'yes' });
    const bytes = fileBytes(findFile(fleet.device(1), 'plain.backup')!);
    expect(bytes.readUInt32LE(0)).toBe(MAGIC_PLAIN);
    await api.command('/ip/firewall/filter/add', { chain: 'forward', action: 'drop', comment: 'later' });
    // A damaged copy is refused and changes nothing.
    await withSsh(fleet.devices[1]!, async (c) =>
      writeFile(await sftpOf(c), 'cut.backup', bytes.subarray(0, bytes.length - 10)),
    );
    await expect(api.command('/system/backup/load', { name: 'cut.backup' })).rejects.toThrow(
      /backup file is corrupted/,
    );
    await withSsh(fleet.devices[1]!, async (c) => writeFile(await sftpOf(c), 'copy.backup', bytes));
    const bootAt = fleet.device(1).bootAt;
    api.command('/system/backup/load', { name: 'copy.backup' }).catch(() => {});
    await rebooted(1, bootAt);
    const out = (await withSsh(fleet.devices[1]!, (c) => exec(c, '/export'))).out;
    expect(out).not.toContain('comment=later');
    expect(out).toContain('comment=fw1');
  });

  it("before 6.43 a backup is RC4-encrypted with the password (or the user's own)", async () => {
    await withSsh(fleet.devices[3]!, async (c) => {
      await exec(c, '/system backup save name=old');
      const bytes = await readFile(await sftpOf(c), 'old.backup');
      expect(bytes.readUInt32LE(0)).toBe(MAGIC_RC4);
      expect(decodeBackup(bytes, 'pw').menus.length).toBeGreaterThan(0);
      // dont-encrypt does not exist before 6.43.
      expect((await exec(c, '/system backup save name=x dont-encrypt=yes')).out).toMatch(/^expected end of command/);
    });
  });
});

describe('free storage', () => {
  it('a backup or an export that does not fit fails and writes nothing; free-hdd-space counts files', async () => {
    const d = fleet.device(2);
    const api = await connect(fleet.devices[2]!);
    const [before] = await api.command('/system/resource/print');
    expect(before?.['free-hdd-space']).toBe('3000');
    await withSsh(fleet.devices[2]!, async (c) => {
      for (let i = 0; i < 80; i++)
        await api.command('/ip/firewall/filter/add', { chain: 'forward', action: 'drop', comment: `rule number ${i}` });
      expect((await exec(c, '/export file=big')).out).toBe('failure: not enough disk space\r\n');
      expect(findFile(d, 'big.rsc')).toBeUndefined();
      await exec(c, '/system backup save name=small');
      const size = Number(findFile(d, 'small.backup')?.props.get('size'));
      const [after] = await api.command('/system/resource/print');
      expect(after?.['free-hdd-space']).toBe(String(3000 - size));
      await expect(api.command('/export', { file: 'big2' })).rejects.toThrow(/not enough disk space/);
      // Fill the rest with an upload; then even a small backup does not fit.
      const s = await sftpOf(c);
      await writeFile(s, 'fill.bin', Buffer.alloc(3000 - size - 10));
      expect((await exec(c, '/system backup save name=more')).out).toBe('failure: not enough disk space\r\n');
      expect(findFile(d, 'more.backup')).toBeUndefined();
      await expect(writeFile(s, 'more.bin', Buffer.alloc(100))).rejects.toThrow();
      expect(findFile(d, 'more.bin')).toBeUndefined();
    });
    await api.close();
  });
});
