import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Captured } from '../../src/features/config-backups/capture.js';
import { createCodec } from '../../src/features/config-backups/codec.js';
import { searchText } from '../../src/features/config-backups/search.js';
import { createStore } from '../../src/features/config-backups/store.js';
import { checkBinary, checkExport } from '../../src/features/config-backups/validate.js';
import { versionsRepo } from '../../src/features/config-backups/versions.repo.js';
import { withTenant } from '../../src/platform/db/tx.js';
import { useByWorker } from '../../src/platform/kms/key-use.js';
import { createTestContext, type TestContext } from '../helpers/context.js';
import { factories } from '../helpers/factories.js';
import { type Seed, seed } from '../helpers/seed.js';

// The store on its own: dedupe by content hash, encryption bound to device and version, retention, and the checks
// that keep a bad capture from becoming a version.

const header = (date: string) => `# ${date} by RouterOS 7.16\n# software id = ABCD-EFGH\n#\n`;
const exportOf = (dns: string, date = '2026-12-02 02:00:00') =>
  `${header(date)}/ip dns\nset servers=${dns}\n/ppp secret\nadd name=bob password=pw-${dns} service=pppoe\n`;
const binary = () => {
  const b = Buffer.alloc(64);
  b.writeUInt32LE(0xb1a1ac88, 0);
  b.writeUInt32LE(64, 4);
  return b;
};
const captured = (text: string): Captured => ({
  raw: Buffer.from(text),
  text,
  binary: binary(),
  binaryPassword: null,
  method: 'ssh',
  secretsIncluded: true,
  note: null,
});

let ctx: TestContext;
let s: Seed;
beforeAll(async () => {
  ctx = await createTestContext();
  s = await seed(ctx);
}, 60_000);
afterAll(() => ctx?.close());

describe('config store', () => {
  const save = async (deviceId: string, text: string, trigger: 'manual' | 'checkpoint' = 'manual') =>
    createStore({ appPool: ctx.pools.app, codec: createCodec(ctx.services.envelope) }).save({
      tenantId: s.a.id,
      deviceId,
      captured: captured(text),
      trigger,
      checkpointName: trigger === 'checkpoint' ? 'cp' : null,
      changedBy: null,
      changeLog: null,
      jobId: null,
      actor: null,
    });

  it('ignores the export date and volatile comments, so the same config is one version', async () => {
    const d = await factories(ctx, s).device();
    const a = await save(d.id, exportOf('8.8.8.8', '2026-12-01 02:00:00'));
    const b = await save(
      d.id,
      exportOf('8.8.8.8', '2026-12-02 02:00:00').replace('/ip dns\n', '/ip dns\n# inactive time\n'),
    );
    expect(a.unchanged).toBe(false);
    expect(b.unchanged).toBe(true);
    expect(b.version.sha256).toBe(a.version.sha256);
    const c = await save(d.id, exportOf('9.9.9.9'));
    expect(c.unchanged).toBe(false);
    expect(c.version.changes).toBe(2);
    // Back to the first config: a new version with the first one's hash, text stored once.
    const back = await save(d.id, exportOf('8.8.8.8'));
    expect(back.version.sha256).toBe(a.version.sha256);
    const counts = await ctx.pools.system.query(
      `select (select count(*) from config_versions where device_id = $1)::int as v,
              (select count(*) from config_contents where device_id = $1)::int as c`,
      [d.id],
    );
    expect(counts.rows[0]).toEqual({ v: 3, c: 2 });
  });

  it('binds ciphertexts to their device and version: a copied blob does not decrypt', async () => {
    const f = factories(ctx, s);
    const d1 = await f.device();
    const d2 = await f.device();
    const v1 = (await save(d1.id, exportOf('1.1.1.1'))).version;
    const v2 = (await save(d2.id, exportOf('2.2.2.2'))).version;
    await ctx.pools.system.query(
      `update config_versions set raw_export = (select raw_export from config_versions where id = $1) where id = $2`,
      [v1.version_id, v2.version_id],
    );
    const store = createStore({ appPool: ctx.pools.app, codec: createCodec(ctx.services.envelope) });
    await expect(
      withTenant(ctx.pools.app, s.a.id, (db) => store.raw(db, s.a.id, v2, useByWorker('test', 'read'))),
    ).rejects.toThrow(/decrypt/);
    const raw = await withTenant(ctx.pools.app, s.a.id, (db) => store.raw(db, s.a.id, v1, useByWorker('test', 'read')));
    expect(raw?.toString()).toContain('1.1.1.1');
  });

  it('prunes by policy but never a checkpoint or the latest version', async () => {
    const d = await factories(ctx, s).device();
    await save(d.id, exportOf('10.0.0.1'));
    await save(d.id, exportOf('10.0.0.2'), 'checkpoint');
    for (const n of [3, 4, 5, 6]) await save(d.id, exportOf(`10.0.0.${n}`));
    const gone = await withTenant(ctx.pools.app, s.a.id, (db) => versionsRepo.prune(db, 2, null));
    expect(gone).toBeGreaterThanOrEqual(3);
    const left = await ctx.pools.system.query(
      'select checkpoint_name from config_versions where device_id = $1 order by created_at',
      [d.id],
    );
    expect(left.rows.map((r) => r.checkpoint_name)).toEqual(['cp', null, null]);
    const orphans = await ctx.pools.system.query(
      `select count(*)::int as n from config_contents c where device_id = $1 and not exists
         (select 1 from config_versions v where v.device_id = c.device_id and v.sha256 = c.sha256)`,
      [d.id],
    );
    expect(orphans.rows[0].n).toBe(0);
  });
});

describe('capture checks', () => {
  it('refuses empty, truncated, refused and non-RouterOS output', () => {
    expect(() => checkExport(Buffer.from(''))).toThrow(expect.objectContaining({ failure: 'backup_empty' }));
    expect(() => checkExport(Buffer.from('expected end of command (line 1 column 8)\r\n'))).toThrow(
      expect.objectContaining({ failure: 'backup_command_failed' }),
    );
    expect(() => checkExport(Buffer.from('<html>hello</html>\n'))).toThrow(
      expect.objectContaining({ failure: 'backup_not_routeros' }),
    );
    const whole = exportOf('8.8.8.8');
    expect(() => checkExport(Buffer.from(whole.slice(0, whole.length - 10)))).toThrow(
      expect.objectContaining({ failure: 'backup_truncated' }),
    );
    expect(() => checkExport(Buffer.from(`${header('x')}/ip dns\nset servers=\\\n`))).toThrow(
      expect.objectContaining({ failure: 'backup_truncated' }),
    );
    expect(checkExport(Buffer.from(whole.replaceAll('\n', '\r\n')))).toBe(whole);
    expect(() => checkBinary(binary().subarray(0, 40))).toThrow(
      expect.objectContaining({ failure: 'backup_truncated' }),
    );
    expect(() => checkBinary(Buffer.from('not a backup file at all'))).toThrow(
      expect.objectContaining({ failure: 'backup_not_routeros' }),
    );
  });
});

describe('config search', () => {
  const text = `# by RouterOS 7.16\n/ip dns\nset servers=8.8.8.8\n/ppp secret\nadd name=bob password=8.8.8.8-secret service=pppoe\n/ip firewall filter\nadd action=accept chain=input src-address=8.8.8.8\n`;

  it('finds lines per menu path, and never through a secret for those who may not see secrets', () => {
    expect(searchText(text, '8.8.8.8', undefined, false).map((m) => m.path)).toEqual([
      '/ip dns',
      '/ip firewall filter',
    ]);
    expect(searchText(text, '8.8.8.8', '/ip dns', false)).toEqual([
      { path: '/ip dns', line: 3, text: 'set servers=8.8.8.8' },
    ]);
    expect(searchText(text, '8.8.8.8', 'ip/firewall', false)).toHaveLength(1);
    expect(searchText(text, 'bob', undefined, false)[0]?.text).not.toContain('secret');
    expect(searchText(text, '8.8.8.8', undefined, true).map((m) => m.path)).toEqual([
      '/ip dns',
      '/ppp secret',
      '/ip firewall filter',
    ]);
  });
});
