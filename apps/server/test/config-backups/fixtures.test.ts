import { diffExports, formatDiff } from '@tod/rsc';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportFiles, readExport } from '../../../../fixtures/index.js';
import { addSimDevice, type BackupEnv, backupNow, startBackupEnv } from './helpers.js';

// Every real export in the repository (fixtures/routeros/exports) loaded into a simulated router comes back through a
// TOD backup over SSH with zero semantic differences.

const fixtures = exportFiles();
// A router whose configuration turns SSH off cannot be backed up over it (v6.27-srv turns off ssh, api and api-ssl):
// as a technician would, SSH is turned on first, and the comparison is with the fixture changed the same way.
const loaded = (f: string) => readExport(f).replace(/^set ssh disabled=yes\r?\n/m, '');
let e: BackupEnv;
const ids: string[] = [];

beforeAll(async () => {
  e = await startBackupEnv(
    fixtures.map((f) => ({
      exportText: loaded(f),
      users: [{ name: 'admin', password: 'sim-pass' }],
    })),
    { BACKUP_CONCURRENCY: '4' },
  );
  for (let i = 0; i < fixtures.length; i++) ids.push(await addSimDevice(e, i));
}, 120_000);
afterAll(() => e?.stop());

describe('fixture exports through a TOD backup', () => {
  it('has fixtures to check', () => expect(fixtures.length).toBeGreaterThanOrEqual(10));

  for (const [i, f] of fixtures.entries()) {
    it(`${f}: zero semantic differences`, async () => {
      const r = await backupNow(e, ids[i]!);
      expect(r.job.status, `${r.job.error_code}: ${r.job.error_detail}`).toBe('succeeded');
      expect(r.version!.method).toBe('ssh');
      const res = await e.admin.get(`${e.base}/devices/${ids[i]}/config/backups/${r.version!.id}/export?secrets=true`);
      expect(res.statusCode).toBe(200);
      const d = diffExports(loaded(f), res.body);
      const menus = d.menus.filter((m) => m.added.length + m.removed.length + m.changed.length + m.moved.length > 0);
      expect(menus.length === 0 ? '' : formatDiff(d)).toBe('');
    });
  }
});
