import type { ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { addSimDevice, backupNow, routerApi } from '../config-backups/helpers.js';
import { spawnWorker } from '../helpers/cli.js';
import { type ChangesEnv, startChangesEnv, waitOperation } from './helpers.js';

// A real `tod start --roles worker` runs the operations and is SIGKILLed in each state of one; the next process
// settles it from the device's actual state: never left open, never a half-changed router.

vi.setConfig({ testTimeout: 180_000 });
const LEASE_S = 5;
let e: ChangesEnv;
const ids: string[] = [];
const children: ChildProcess[] = [];
const gitStore = mkdtempSync(join(tmpdir(), 'tod-crash-git-'));

beforeAll(async () => {
  // No runner in this process: only the children run operations.
  e = await startChangesEnv(
    [
      { version: '7.18.2', identity: 'crash-v7', faults: { latencyMs: 150, sshLatencyMs: 20 } },
      { version: '6.49.10', identity: 'crash-v6', faults: { latencyMs: 150, sshLatencyMs: 20 } },
    ],
    { CHANGE_LEASE_SECONDS: String(LEASE_S), DEVICE_SESSION_LEASE_SECONDS: '6' },
    { runner: false },
  );
  ids.push(await addSimDevice(e, 0), await addSimDevice(e, 1));
}, 60_000);
afterAll(async () => {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  await e?.stop();
});

function worker(): ChildProcess {
  const child = spawnWorker(e.ctx, {
    GIT_STORE_PATH: gitStore,
    CHANGE_LEASE_SECONDS: String(LEASE_S),
    DEVICE_SESSION_LEASE_SECONDS: '6',
    CHANGE_REVERT_WAIT_SECONDS: '60',
  });
  children.push(child);
  return child;
}

async function details(id: string): Promise<string> {
  const r = await e.ctx.pools.system.query(
    'select steps, error_code, error_detail from change_operations where id = $1',
    [id],
  );
  return JSON.stringify(r.rows[0]);
}

const final = (s: string) => ['confirmed', 'reverted', 'failed'].includes(s);

const kill = async (c: ChildProcess) => {
  c.kill('SIGKILL');
  if (c.exitCode === null && c.signalCode === null) await new Promise((r) => c.once('exit', r));
};

async function statusOf(id: string): Promise<string> {
  const r = await e.ctx.pools.system.query<{ status: string }>('select status from change_operations where id = $1', [
    id,
  ]);
  return r.rows[0]?.status ?? 'missing';
}

async function reach(id: string, status: string, timeoutMs = 60_000) {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const s = await statusOf(id);
    if (s === status) return;
    if (['confirmed', 'reverted', 'failed'].includes(s) || Date.now() > end)
      throw new Error(`operation went to ${s} before ${status}: ${await details(id)}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

const entries = (tag: string) =>
  Array.from({ length: 6 }, (_, i) => ({
    path: '/ip/dns/static',
    action: 'add',
    properties: { name: `${tag}-${i}.crash.test`, address: `192.0.2.${i + 1}` },
  }));

async function dnsNames(index: number): Promise<string[]> {
  const c = await routerApi(e, index);
  try {
    return (await c.command('/ip/dns/static/print')).map((r) => r.name ?? '').filter((n) => n.endsWith('.crash.test'));
  } finally {
    await c.close();
  }
}

describe.each([
  ['v7 (safe mode)', 0],
  ['v6 (watchdog)', 1],
])('%s', (_n, index) => {
  it.each(['backing_up', 'arming', 'applying', 'verifying', 'awaiting_confirmation', 'reverting'])(
    'killed while %s: the next process settles it, the router is all or nothing',
    async (state) => {
      const device = ids[index]!;
      const tag = `${state.replace('_', '')}${index}`;
      const before = (await backupNow(e, device)).version!.id;
      const a = worker();
      const r = await e.admin.post(`${e.base}/devices/${device}/config/changes`, {
        changes: entries(tag),
        mode: 'test',
        confirm_within_seconds: 300,
      });
      expect(r.statusCode).toBe(202);
      const id = r.json().operation_id as string;
      if (state === 'reverting') {
        await reach(id, 'awaiting_confirmation');
        expect((await e.admin.post(`${e.base}/devices/${device}/operations/${id}/revert`)).statusCode).toBe(200);
      }
      await reach(id, state);
      await kill(a);
      const b = worker();
      // Settled, or (killed before anything was applied, or a watchdog still guarding it) waiting for Keep again.
      let op = await waitOperation(
        e,
        device,
        id,
        (o) => o.status === 'awaiting_confirmation' || final(o.status),
        120_000,
      );
      if (op.status === 'awaiting_confirmation') {
        // Keep, pressed whether or not a process holds it yet: the holder finishes the confirmation, or (safe mode
        // died with the killed process) finds the router already undid the change and says so.
        expect((await e.admin.post(`${e.base}/devices/${device}/operations/${id}/confirm`)).statusCode).toBe(200);
        op = await waitOperation(e, device, id, undefined, 120_000);
      }
      await kill(b);
      const names = await dnsNames(index);
      const mine = names.filter((n) => n.startsWith(`${tag}-`));
      if (op.status === 'confirmed') expect(mine).toHaveLength(6);
      else {
        expect(['reverted', 'failed'], JSON.stringify(op.steps)).toContain(op.status);
        expect(mine).toEqual([]);
        if (op.status === 'reverted') expect(op.reverted_verified, JSON.stringify(op.steps)).toBe(true);
      }
      // Nothing of TOD's left behind on the router, and the config equals a state TOD recorded.
      const c = await routerApi(e, index);
      try {
        expect((await c.command('/system/scheduler/print')).filter((x) => /^tod-/.test(x.name ?? ''))).toEqual([]);
      } finally {
        await c.close();
      }
      const now = (await backupNow(e, device)).version!.id;
      if (op.status !== 'confirmed') expect(now).toBe(before);
    },
  );
});
