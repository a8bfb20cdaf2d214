import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ConfigStore } from '@tod/simulator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemActor } from '../../src/platform/auth/principal.js';
import { apiAs, expectStatus } from '../helpers/api.js';
import { addSimDevice, type BackupEnv, backupNow, routerApi, startBackupEnv, versions } from './helpers.js';

// Backups of simulated routers over real SSH (and the API fallback): versions, dedupe, diffs, secrets, files left on
// the device, failures, and who may do what.

const SECRET = 'Ppp-Secret-7f3a9c';
let e: BackupEnv;
const ids: string[] = [];

const fileNames = (i: number) =>
  (e.fleet.device(i).store.menu('/file', false)?.items ?? []).map((f) => ConfigStore.get(f, 'name') ?? '');

beforeAll(async () => {
  e = await startBackupEnv([
    { identity: 'v7-router', version: '7.16', users: [{ name: 'admin', password: 'sim-pass' }] },
    { identity: 'v6-router', version: '6.49.10', users: [{ name: 'admin', password: 'sim-pass' }] },
    { identity: 'no-ssh', version: '7.16', users: [{ name: 'admin', password: 'sim-pass' }] },
    { identity: 'full-disk', version: '7.16', freeHdd: 300, users: [{ name: 'admin', password: 'sim-pass' }] },
  ]);
  for (let i = 0; i < 4; i++) ids.push(await addSimDevice(e, i));
  const c = await routerApi(e, 0);
  await c.command('/ppp/secret/add', { name: 'bob', password: SECRET, service: 'pppoe' });
  await c.command('/ip/dns/set', { servers: '8.8.8.8' });
  await c.close();
}, 60_000);
afterAll(() => e?.stop());

describe('config backups over SSH', () => {
  it('backs up now: 200 with the version, over SSH, with secrets, and a binary backup', async () => {
    const r = await backupNow(e, ids[0]!);
    expect(r.job.status).toBe('succeeded');
    expect(r.version).toMatchObject({ trigger: 'manual', method: 'ssh', secrets_included: true, changes: null });
    expect(r.version!.id).toMatch(/^[0-9a-f]{64}$/);
    const list = await versions(e, ids[0]!);
    expect(list.map((v) => v.id)).toEqual([r.version!.id]);
    const bin = await e.admin.get(`${e.base}/devices/${ids[0]}/config/backups/${r.version!.id}/binary`);
    expect(bin.statusCode).toBe(200);
    expect(bin.rawPayload.readUInt32LE(0)).toBe(0xb1a1ac88);
  });

  it('gives no new version for an unchanged config however often it is captured', async () => {
    const before = await versions(e, ids[0]!);
    for (let n = 0; n < 3; n++) expect((await backupNow(e, ids[0]!)).job.unchanged).toBe(true);
    const after = await versions(e, ids[0]!);
    expect(after.map((v) => v.id)).toEqual(before.map((v) => v.id));
    expect(Date.parse(after[0]!.unchanged_until)).toBeGreaterThan(Date.parse(before[0]!.unchanged_until));
  });

  it('a change by another client gives exactly one new version whose diff names that change only', async () => {
    const [old] = await versions(e, ids[0]!);
    const c = await routerApi(e, 0);
    await c.command('/ip/dns/set', { servers: '9.9.9.9' });
    await c.close();
    const r = await backupNow(e, ids[0]!);
    expect(r.job.unchanged).toBe(false);
    expect(r.version!.changes).toBe(1);
    expect((await versions(e, ids[0]!)).length).toBe(2);
    const d = expectStatus<{
      semantic: { menus: Array<{ path: string; changed: Array<{ changes: unknown[] }> }> };
      unified: string;
      changes: number;
    }>(await e.admin.get(`${e.base}/devices/${ids[0]}/config/diff?from=${old!.id}`), 200);
    expect(d.changes).toBe(1);
    expect(d.semantic.menus.map((m) => m.path)).toEqual(['/ip/dns']);
    expect(d.semantic.menus[0]!.changed[0]!.changes).toEqual([{ name: 'servers', old: '8.8.8.8', new: '9.9.9.9' }]);
    expect(d.unified).toContain('+set servers=9.9.9.9');
    expect(d.unified).toContain('-set servers=8.8.8.8');
  });

  it('shows exports redacted unless an admin asks for secrets, which is audited', async () => {
    const [v] = await versions(e, ids[0]!);
    const url = `${e.base}/devices/${ids[0]}/config/backups/${v!.id}/export`;
    const operator = apiAs(e.ctx, e.seed, 'operator');
    const redacted = await operator.get(url);
    expect(redacted.statusCode).toBe(200);
    expect(redacted.headers['content-type']).toContain('text/plain');
    expect(redacted.body).toContain('/ppp secret');
    expect(redacted.body).not.toContain(SECRET);
    expect((await operator.get(`${url}?secrets=true`)).statusCode).toBe(403);
    expect((await operator.get(`${e.base}/devices/${ids[0]}/config/backups/${v!.id}/binary`)).statusCode).toBe(403);
    const full = await e.admin.get(`${url}?secrets=true`);
    expect(full.body).toContain(SECRET);
    const audit = await e.ctx.pools.system.query(
      `select action from audit_logs where tenant_id = $1 and action like 'config.download%'`,
      [e.seed.a.id],
    );
    expect(audit.rows.map((r) => r.action)).toContain('config.download_secrets');
  });

  it('takes a named checkpoint even when nothing changed', async () => {
    const r = await e.admin.post(`${e.base}/devices/${ids[0]}/config/checkpoint`, { name: 'before the VLAN work' });
    const body = expectStatus<{ version: { checkpoint_name: string; trigger: string; changes: number } }>(r, 200);
    expect(body.version).toMatchObject({ checkpoint_name: 'before the VLAN work', trigger: 'checkpoint', changes: 0 });
  });

  it('backs up RouterOS 6 without show-sensitive (which it lacks) and keeps its secrets', async () => {
    const r = await backupNow(e, ids[1]!);
    expect(r.job.status).toBe('succeeded');
    expect(r.version).toMatchObject({ method: 'ssh', secrets_included: true });
    expect(r.version!.id).toMatch(/^[0-9a-f]{64}$/);
  });

  it('leaves no file on the device', async () => {
    for (const i of [0, 1]) expect(fileNames(i).filter((n) => n.startsWith('tod-'))).toEqual([]);
  });

  it('a transfer cut mid-way is a failure with a reason, not a version, and leaves no file', async () => {
    const before = await versions(e, ids[0]!);
    e.fleet.device(0).setFault({ sshDropAfterBytes: 200 });
    try {
      const r = await backupNow(e, ids[0]!);
      expect(r.job.status).toBe('failed');
      expect(['backup_truncated', 'ssh_transfer_incomplete', 'connection_lost']).toContain(r.job.error_code);
      expect(r.job.attempts).toBe(3);
    } finally {
      e.fleet.device(0).setFault({ sshDropAfterBytes: undefined });
    }
    expect(await versions(e, ids[0]!)).toEqual(before);
    const fleet = expectStatus<{ items: Array<{ device_id: string; failing: boolean; last_error_code: string }> }>(
      await e.admin.get(`${e.base}/config/backups`),
      200,
    );
    expect(fleet.items[0]).toMatchObject({ device_id: ids[0], failing: true });
    expect((await backupNow(e, ids[0]!)).job.status).toBe('succeeded');
    expect(fileNames(0).filter((n) => n.startsWith('tod-'))).toEqual([]);
  });

  it('falls back to the API when SSH is off, and says so', async () => {
    e.fleet.device(2).setFault({ sshRefuse: true });
    const r = await backupNow(e, ids[2]!);
    expect(r.job.status, `${r.job.error_code}: ${r.job.error_detail}`).toBe('succeeded');
    expect(r.version).toMatchObject({ method: 'api', secrets_included: true });
    const fleet = expectStatus<{ items: Array<{ device_id: string; method: string; method_note: string }> }>(
      await e.admin.get(`${e.base}/config/backups`),
      200,
    );
    const row = fleet.items.find((d) => d.device_id === ids[2]);
    expect(row).toMatchObject({ method: 'api' });
    expect(row!.method_note).toContain('SSH unavailable');
    expect(fileNames(2).filter((n) => n.startsWith('tod-'))).toEqual([]);
  });

  it('a device with too little free storage is a clear failure, tried once, leaving nothing', async () => {
    const r = await backupNow(e, ids[3]!);
    expect(r.job).toMatchObject({ status: 'failed', error_code: 'backup_storage_full', attempts: 1 });
    expect(await versions(e, ids[3]!)).toEqual([]);
    expect(fileNames(3).filter((n) => n.startsWith('tod-'))).toEqual([]);
  });

  it('takes a pre-change backup in the caller’s process (what the safe-change engine calls)', async () => {
    const r = await e.ctx.services.configBackups.capture(
      { tenantId: e.seed.a.id, deviceId: ids[1]! },
      { trigger: 'pre_change', actor: systemActor('test', e.seed.a.id) },
    );
    expect(r.job).toMatchObject({ status: 'succeeded', trigger: 'pre_change' });
    expect(r.version?.id).toMatch(/^[0-9a-f]{64}$/);
  });

  it('captures of one device at once run one after another, so none removes another’s file', async () => {
    // A scheduled or config-change backup can meet a change's pre-change backup on the same router; each capture
    // first clears leftover tod-backup files, which would take the first one's file from under it. A slow SSH link
    // holds the first between saving its file and reading it while the second starts.
    const ref = { tenantId: e.seed.a.id, deviceId: ids[0]! };
    const actor = systemActor('test', e.seed.a.id);
    e.fleet.device(0).setFault({ sshLatencyMs: 300 });
    try {
      const first = e.ctx.services.configBackups.capture(ref, { trigger: 'pre_change', actor });
      const saved = Date.now() + 30_000;
      while (!fileNames(0).some((n) => n.endsWith('.backup')) && Date.now() < saved)
        await new Promise((r) => setTimeout(r, 10));
      const second = e.ctx.services.configBackups.capture(ref, { trigger: 'pre_change', actor });
      const runs = await Promise.all([first, second]);
      expect(runs.map((r) => [r.job.status, r.job.error_code])).toEqual([
        ['succeeded', null],
        ['succeeded', null],
      ]);
    } finally {
      e.fleet.device(0).setFault({ sshLatencyMs: undefined });
    }
    expect(fileNames(0).filter((n) => n.startsWith('tod-'))).toEqual([]);
  });

  it('sends job progress and new versions live as config.job and config.version', async () => {
    const rows = await e.ctx.pools.system.query(
      `select id, type, tenant_id, device_id, payload, occurred_at from domain_events
        where device_id = $1 and type like 'config.%' order by id`,
      [ids[0]],
    );
    const live = rows.rows
      .map((r) =>
        e.ctx.services.assembly.toLive({
          id: r.id,
          type: r.type,
          tenantId: r.tenant_id,
          deviceId: r.device_id,
          actor: null,
          payload: r.payload,
          occurredAt: r.occurred_at,
        }),
      )
      .filter((m) => m !== null) as Array<{ type: string; status?: string; deviceId?: string }>;
    const types = new Set(live.map((m) => m.type));
    expect(types).toEqual(new Set(['config.job', 'config.version']));
    expect(live.filter((m) => m.type === 'config.job').map((m) => m.status)).toEqual(
      expect.arrayContaining(['running', 'succeeded', 'failed']),
    );
    expect(live.every((m) => m.deviceId === ids[0])).toBe(true);
  });

  it('never stores the secrets in plain text in the database files', async () => {
    const c = await e.ctx.pools.system.query('select 1');
    expect(c.rowCount).toBe(1);
    const owner = new (await import('pg')).default.Client({ connectionString: e.ctx.ownerUrl });
    await owner.connect();
    try {
      await owner.query('checkpoint');
      const dir = (await owner.query('show data_directory')).rows[0].data_directory as string;
      const oid = (await owner.query('select oid from pg_database where datname = current_database()')).rows[0].oid;
      const needle = Buffer.from(SECRET);
      let scanned = 0;
      for (const sub of [join(dir, 'base', String(oid)), join(dir, 'pg_wal')]) {
        for (const f of await readdir(sub)) {
          const data = await readFile(join(sub, f)).catch(() => Buffer.alloc(0));
          scanned += data.length;
          expect(data.includes(needle), `${sub}/${f}`).toBe(false);
        }
      }
      expect(scanned).toBeGreaterThan(1_000_000);
    } finally {
      await owner.end();
    }
  });

  it('lets viewers read but not back up, and hides another tenant’s devices', async () => {
    const viewer = apiAs(e.ctx, e.seed, 'viewer');
    expect((await viewer.get(`${e.base}/devices/${ids[0]}/config/backups`)).statusCode).toBe(200);
    expect((await viewer.post(`${e.base}/devices/${ids[0]}/config/backups`)).statusCode).toBe(403);
    expect((await viewer.post(`${e.base}/devices/${ids[0]}/config/checkpoint`, { name: 'x' })).statusCode).toBe(403);
    expect((await viewer.post(`${e.base}/devices/${ids[0]}/config-snapshot/trigger`)).statusCode).toBe(403);
    const [v] = await versions(e, ids[0]!);
    expect((await viewer.get(`${e.base}/devices/${ids[0]}/config/diff?from=${v!.id}`)).statusCode).toBe(200);
    const other = apiAs(e.ctx, e.seed, 'admin', e.seed.b);
    const b = `/api/tenants/${e.seed.b.id}`;
    expect((await other.get(`${b}/devices/${ids[0]}/config/backups`)).statusCode).toBe(404);
    expect((await other.post(`${b}/devices/${ids[0]}/config/backups`)).statusCode).toBe(404);
    expect((await other.get(`${b}/devices/${ids[0]}/config/backups/${v!.id}/export`)).statusCode).toBe(404);
    expect((await other.get(`${b}/devices/${ids[0]}/config/backups/${v!.id}/binary`)).statusCode).toBe(404);
    expect((await other.get(`${b}/devices/${ids[0]}/config/diff?from=${v!.id}`)).statusCode).toBe(404);
    const jobs = expectStatus<{ items: Array<{ id: string }> }>(
      await e.admin.get(`${e.base}/devices/${ids[0]}/config/jobs`),
      200,
    );
    expect((await other.get(`${b}/config/jobs/${jobs.items[0]!.id}`)).statusCode).toBe(404);
    expect((await viewer.get(`${e.base}/config/jobs/${jobs.items[0]!.id}`)).statusCode).toBe(200);
  });

  it('finds which devices’ configs contain a string, under a menu path, without revealing secrets', async () => {
    const viewer = apiAs(e.ctx, e.seed, 'viewer');
    const hit = expectStatus<{ items: Array<{ device_id: string; matches: Array<{ path: string; text: string }> }> }>(
      await viewer.get(`${e.base}/config/search?q=9.9.9.9&path=/ip dns`),
      200,
    );
    expect(hit.items.map((i) => i.device_id)).toEqual([ids[0]]);
    expect(hit.items[0]!.matches[0]).toMatchObject({ path: '/ip dns' });
    const miss = expectStatus<{ items: unknown[] }>(
      await viewer.get(`${e.base}/config/search?q=9.9.9.9&path=/ip firewall`),
      200,
    );
    expect(miss.items).toEqual([]);
    const secret = expectStatus<{ items: unknown[] }>(await viewer.get(`${e.base}/config/search?q=${SECRET}`), 200);
    expect(secret.items).toEqual([]);
  });
});
