import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { addSimDevice, backupNow, routerApi } from '../config-backups/helpers.js';
import { expectStatus } from '../helpers/api.js';
import { type ChangesEnv, startChangesEnv, submit, waitOperation } from './helpers.js';

// Restore with impact preview, emergency rollback, and an operation resumed by another runner after its own stopped.

vi.setConfig({ testTimeout: 120_000 });
let e: ChangesEnv;
let v7: string;
let v6: string;

beforeAll(async () => {
  e = await startChangesEnv([
    { version: '7.18.2', identity: 'restore-v7', safeModeTimeoutMs: 1500 },
    { version: '6.49.10', identity: 'restore-v6' },
  ]);
  v7 = await addSimDevice(e, 0);
  v6 = await addSimDevice(e, 1);
}, 60_000);
afterAll(() => e?.stop());

/** Another client changes the router (rules added, a property changed, the identity). */
async function driftRouter(index: number) {
  const c = await routerApi(e, index);
  try {
    await c.command('/ip/firewall/filter/add', {
      chain: 'input',
      action: 'drop',
      'src-address': '203.0.113.9',
      comment: 'drift',
    });
    await c.command('/ip/firewall/address-list/add', { list: 'blocked', address: '198.51.100.7' });
    await c.command('/system/identity/set', { name: `drifted-${index}` });
  } finally {
    await c.close();
  }
}

describe.each([
  ['v7', 0, () => v7],
  ['v6', 1, () => v6],
])('%s', (_n, index, id) => {
  it('preview then restore an older version: the device ends with zero differences from it', async () => {
    const before = await backupNow(e, id());
    const target = before.version!.id;
    await driftRouter(index);
    const now = await backupNow(e, id());
    expect(now.version!.id).not.toBe(target);

    const preview = expectStatus<{
      equal: boolean;
      commands: string[];
      risks: Array<{ code: string; severity: string }>;
      current_backup_id: string;
    }>(await e.admin.post(`${e.base}/devices/${id()}/config/preview-restore`, { backup_id: target }), 200);
    expect(preview.equal).toBe(false);
    expect(preview.current_backup_id).toBe(now.version!.id);
    expect(preview.commands.join('\n')).toMatch(/\/ip firewall filter remove \[ find .*comment=drift/);
    // Removing a drop rule and an address-list entry opens nothing that TOD needs: no danger.
    expect(preview.risks.filter((r) => r.severity === 'danger')).toEqual([]);

    const opId = expectStatus<{ operation_id: string }>(
      await e.admin.post(`${e.base}/devices/${id()}/config/restore`, { backup_id: target }),
      202,
    ).operation_id;
    const op = await waitOperation(e, id(), opId);
    expect(op.status, JSON.stringify(op)).toBe('confirmed');
    const after = await backupNow(e, id());
    expect(after.version!.id).toBe(target);
    const diff = expectStatus<{ equal: boolean; changes: number }>(
      await e.admin.get(`${e.base}/devices/${id()}/config/diff?from=${target}&to=${after.version!.id}`),
      200,
    );
    expect(diff.equal).toBe(true);
  });

  it('a replaced router takes the binary backup, only with the device name typed', async () => {
    const target = (await backupNow(e, id())).version!.id;
    await driftRouter(index);
    const url = `${e.base}/devices/${id()}/config/restore`;
    const wrong = await e.admin.post(url, { backup_id: target, method: 'binary', confirm_device_name: 'nope' });
    expect(wrong.statusCode).toBe(422);
    expect(wrong.json().code).toBe('confirmation_mismatch');
    const name = expectStatus<{ name: string }>(await e.admin.get(`${e.base}/devices/${id()}`), 200).name;
    const opId = expectStatus<{ operation_id: string }>(
      await e.admin.post(url, { backup_id: target, method: 'binary', confirm_device_name: name }),
      202,
    ).operation_id;
    const op = await waitOperation(e, id(), opId);
    expect(op.status, JSON.stringify(op.steps)).toBe('confirmed');
    expect(op.strategy).toBe('none');
    expect(op.steps.at(-1)?.note).toBe('the router has the backup’s configuration');
    expect((await backupNow(e, id())).version!.id).toBe(target);
    const c = await routerApi(e, index);
    try {
      expect((await c.command('/file/print')).filter((f) => /^tod-/.test(f.name ?? ''))).toEqual([]);
    } finally {
      await c.close();
    }
  });

  it('emergency rollback goes back to before the last change TOD kept', async () => {
    const start = (await backupNow(e, id())).version!.id;
    const opId = await submit(e, id(), {
      changes: [{ path: '/ip/dns/static', action: 'add', properties: { name: 'oops.example', address: '192.0.2.1' } }],
    });
    expect((await waitOperation(e, id(), opId)).status).toBe('confirmed');
    const rb = expectStatus<{ operation_id: string }>(
      await e.admin.post(`${e.base}/devices/${id()}/config/emergency-rollback`, {}),
      202,
    ).operation_id;
    const op = await waitOperation(e, id(), rb);
    expect(op.status, JSON.stringify(op)).toBe('confirmed');
    expect(op.commands.join('\n')).toMatch(/\/ip dns static remove/);
    expect((await backupNow(e, id())).version!.id).toBe(start);
  });
});

describe('resuming after the runner that held an operation stopped', () => {
  it('safe mode: the router undid the change when the session ended; the next runner proves it', async () => {
    const runner = e.ctx.services.changes.runner;
    const before = (await backupNow(e, v7)).version!.id;
    const opId = await submit(e, v7, {
      changes: [{ path: '/system/identity', action: 'set', properties: { name: 'in-flight' } }],
      mode: 'test',
    });
    await waitOperation(e, v7, opId, (o) => o.status === 'awaiting_confirmation');
    // Stop every runner of this process (as a process dying would end its sessions), then start a new one.
    await e.restartRunner();
    const op = await waitOperation(e, v7, opId);
    expect(op.status).toBe('reverted');
    expect(op.reverted_verified).toBe(true);
    expect((await backupNow(e, v7)).version!.id).toBe(before);
    expect(runner).toBeDefined();
  });

  it('watchdog: the change stays guarded and Keep still works after the resume', async () => {
    const opId = await submit(e, v6, {
      changes: [{ path: '/system/identity', action: 'set', properties: { name: 'kept-across' } }],
      mode: 'test',
      confirm_within_seconds: 120,
    });
    await waitOperation(e, v6, opId, (o) => o.status === 'awaiting_confirmation');
    await e.restartRunner();
    await waitOperation(e, v6, opId, (o) => o.status === 'awaiting_confirmation' && o.policies.confirm);
    expectStatus(await e.admin.post(`${e.base}/devices/${v6}/operations/${opId}/confirm`), 200);
    const op = await waitOperation(e, v6, opId);
    expect(op.status).toBe('confirmed');
    const c = await routerApi(e, 1);
    try {
      expect((await c.command('/system/identity/print'))[0]?.name).toBe('kept-across');
      expect((await c.command('/system/scheduler/print')).filter((r) => /^tod-/.test(r.name ?? ''))).toEqual([]);
    } finally {
      await c.close();
    }
  });
});
