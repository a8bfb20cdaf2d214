import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { diffExports, formatDiff } from '@tod/rsc';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectStatus } from '../helpers/api.js';
import { addSimDevice, type BackupEnv, backupNow, startBackupEnv } from './helpers.js';

// Every real export in the repository (packages/simulator/test/*.rsc, copied from the shared fixtures) loaded into a
// simulated router comes back through a TOD backup over SSH with zero semantic differences.

const dir = join(dirname(fileURLToPath(import.meta.url)), '../../../../packages/simulator/test');
const fixtures = readdirSync(dir)
  .filter((f) => f.endsWith('.rsc'))
  .sort();
let e: BackupEnv;
const ids: string[] = [];

beforeAll(async () => {
  e = await startBackupEnv(
    fixtures.map((f) => ({
      exportText: readFileSync(join(dir, f), 'utf8'),
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
      const text = expectStatus<undefined>(res, 200) ?? res.body;
      const d = diffExports(readFileSync(join(dir, f), 'utf8'), res.body);
      const menus = d.menus.filter((m) => m.added.length + m.removed.length + m.changed.length + m.moved.length > 0);
      expect(menus.length === 0 ? '' : formatDiff(d)).toBe('');
      expect(typeof text).toBe('string');
    });
  }
});
