import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { addSimDevice, backupNow } from '../config-backups/helpers.js';
import { apiAs, expectStatus } from '../helpers/api.js';
import { type ChangesEnv, startChangesEnv, submit, waitOperation } from './helpers.js';

// Every safe-change route per role, and from another organisation (which must not learn the device exists).

vi.setConfig({ testTimeout: 120_000 });
let e: ChangesEnv;
let device: string;
let opId: string;
let sha: string;

beforeAll(async () => {
  e = await startChangesEnv([{ version: '7.18.2', identity: 'roles' }]);
  device = await addSimDevice(e, 0);
  sha = (await backupNow(e, device)).version!.id;
  opId = await submit(e, device, {
    changes: [{ path: '/system/identity', action: 'set', properties: { name: 'roles-kept' } }],
    mode: 'test',
    confirm_within_seconds: 300,
  });
  await waitOperation(e, device, opId, (o) => o.status === 'awaiting_confirmation');
}, 90_000);
afterAll(() => e?.stop());

const d = () => `${e.base}/devices/${device}`;
const change = { changes: [{ path: '/system/identity', action: 'set', properties: { name: 'x' } }] };

describe('viewer', () => {
  it('reads: browse, preview, operations; writes nothing', async () => {
    const viewer = apiAs(e.ctx, e.seed, 'viewer');
    const tree = expectStatus<{ menus: Array<{ path: string }>; policies: { change: boolean } }>(
      await viewer.get(`${d()}/config/browse`),
      200,
    );
    expect(tree.menus.some((m) => m.path === '/ip/firewall/filter')).toBe(true);
    expect(tree.policies.change).toBe(false);
    const rows = expectStatus<{ rows: Array<{ properties: Record<string, string> }> }>(
      await viewer.get(`${d()}/config/browse?path=/system/identity`),
      200,
    );
    expect(rows.rows[0]?.properties.name).toBe('roles-kept');
    expectStatus(await viewer.post(`${d()}/config/preview-restore`, { backup_id: sha }), 200);
    const op = expectStatus<{ policies: { confirm: boolean } }>(await viewer.get(`${d()}/operations/${opId}`), 200);
    expect(op.policies.confirm).toBe(false);
    expectStatus(await viewer.get(`${e.base}/operations/${opId}`), 200);
    for (const [url, body] of [
      [`${d()}/config/changes`, change],
      [`${d()}/config/restore`, { backup_id: sha }],
      [`${d()}/config/emergency-rollback`, {}],
      [`${d()}/operations/${opId}/confirm`, undefined],
      [`${d()}/operations/${opId}/revert`, undefined],
    ] as const) {
      expect((await viewer.post(url, body)).statusCode, url).toBe(403);
    }
  });
});

describe('another organisation', () => {
  it('gets 404 for the device, its operations and every write', async () => {
    const other = apiAs(e.ctx, e.seed, 'admin', e.seed.b);
    const base = `/api/tenants/${e.seed.b.id}`;
    const od = `${base}/devices/${device}`;
    expect((await other.get(`${od}/config/browse`)).statusCode).toBe(404);
    expect((await other.get(`${od}/operations/${opId}`)).statusCode).toBe(404);
    expect((await other.get(`${base}/operations/${opId}`)).statusCode).toBe(404);
    expect((await other.post(`${od}/config/changes`, change)).statusCode).toBe(404);
    expect((await other.post(`${od}/config/preview-restore`, { backup_id: sha })).statusCode).toBe(404);
    expect((await other.post(`${od}/config/restore`, { backup_id: sha })).statusCode).toBe(404);
    expect((await other.post(`${od}/operations/${opId}/confirm`)).statusCode).toBe(404);
    const list = expectStatus<{ items: unknown[] }>(await other.get(`${base}/operations`), 200);
    expect(list.items).toEqual([]);
  });
});

describe('operator', () => {
  it('dry-runs, keeps the change, and validation errors are clear', async () => {
    const op = apiAs(e.ctx, e.seed, 'operator');
    const dry = expectStatus<{ operation_id: null; commands: string[] }>(
      await op.post(`${d()}/config/changes`, { ...change, dry_run: true }),
      200,
    );
    expect(dry.commands).toEqual(['/system identity set name=x']);
    const bad = await op.post(`${d()}/config/changes`, { changes: [{ path: 'ip firewall', action: 'set' }] });
    expect(bad.statusCode).toBe(422);
    expect(bad.body).toContain('menu path');
    expect((await op.post(`${d()}/config/changes`, change)).statusCode).toBe(409);
    expectStatus(await op.post(`${d()}/operations/${opId}/confirm`), 200);
    expect((await waitOperation(e, device, opId)).status).toBe('confirmed');
    expect((await op.post(`${d()}/operations/${opId}/revert`)).statusCode).toBe(409);
  });
});
