import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RouterOSClient } from '@tod/routeros';
import type { DeviceSpec } from '@tod/simulator';
import { type Fleet, startFleet } from '@tod/simulator';
import { type Api, apiAs, expectStatus } from '../helpers/api.js';
import { createTestContext, type TestContext } from '../helpers/context.js';
import { type Seed, type SeededTenant, seed } from '../helpers/seed.js';

// Shared by the config-backup tests: TOD with the backup runner started, a simulated fleet with SSH, devices added
// through the API, and waiting for jobs.

export type BackupEnv = {
  ctx: TestContext;
  seed: Seed;
  fleet: Fleet;
  admin: Api;
  base: string;
  stop: () => Promise<void>;
};

export async function startBackupEnv(specs: DeviceSpec[], env: Record<string, string> = {}): Promise<BackupEnv> {
  const gitStore = await mkdtemp(join(tmpdir(), 'tod-git-'));
  const ctx = await createTestContext({
    GIT_STORE_PATH: gitStore,
    BACKUP_RETRY_BASE_SECONDS: '1',
    BACKUP_DEVICE_TIMEOUT_SECONDS: '30',
    BACKUP_REQUEST_WAIT_SECONDS: '20',
    ...env,
  });
  const s = await seed(ctx);
  const fleet = await startFleet({ specs });
  const runner = ctx.services.configBackups.runner.start();
  return {
    ctx,
    seed: s,
    fleet,
    admin: apiAs(ctx, s, 'admin'),
    base: `/api/tenants/${s.a.id}`,
    stop: async () => {
      await runner.stop();
      await fleet.stop();
      await ctx.close();
      await rm(gitStore, { recursive: true, force: true });
    },
  };
}

/** Adds simulated device `index` through the API (plain API port, its SSH port). */
export async function addSimDevice(e: BackupEnv, index: number, tenant: SeededTenant = e.seed.a): Promise<string> {
  const d = e.fleet.devices[index]!;
  const api = apiAs(e.ctx, e.seed, 'admin', tenant);
  const r = await api.post(`/api/tenants/${tenant.id}/devices?probe=false`, {
    name: `sim-${index}-${Math.random().toString(36).slice(2, 8)}`,
    host: d.address,
    port: d.port,
    tls_port: d.tlsPort ?? 1,
    tls_mode: 'plain',
    ssh_port: d.sshPort,
    username: d.username,
    password: d.password,
  });
  return expectStatus<{ id: string }>(r, 201).id;
}

export type VersionJson = {
  id: string;
  version_id: string;
  trigger: string;
  changes: number | null;
  method: string;
  checkpoint_name: string | null;
  unchanged_until: string;
  created_at: string;
  changed_by: string | null;
  secrets_included: boolean;
};
export type JobJson = {
  id: string;
  status: string;
  error_code: string | null;
  error_detail: string | null;
  version: string | null;
  unchanged: boolean | null;
  attempts: number;
};

/** "Back up now" and wait for the job to end (through GET /config/jobs/{id} when it answers 202). */
export async function backupNow(e: BackupEnv, deviceId: string, api: Api = e.admin, base = e.base) {
  const r = await api.post(`${base}/devices/${deviceId}/config/backups`);
  if (r.statusCode !== 200 && r.statusCode !== 202) throw new Error(`backup: ${r.statusCode} ${r.body}`);
  let body = r.json() as { job: JobJson; version: VersionJson | null };
  while (body.job.status === 'queued' || body.job.status === 'running') {
    await new Promise((res) => setTimeout(res, 200));
    body = expectStatus(await api.get(`${base}/config/jobs/${body.job.id}`), 200);
  }
  return body;
}

export async function versions(e: BackupEnv, deviceId: string): Promise<VersionJson[]> {
  return expectStatus<{ items: VersionJson[] }>(await e.admin.get(`${e.base}/devices/${deviceId}/config/backups`), 200)
    .items;
}

/** A RouterOS API session to simulated device `index`, as another client changing it would have. */
export function routerApi(e: BackupEnv, index: number, user?: { name: string; password: string }) {
  const d = e.fleet.devices[index]!;
  return RouterOSClient.connect({
    host: d.address,
    port: d.port,
    tlsMode: 'plain',
    username: user?.name ?? d.username,
    password: user?.password ?? d.password,
  });
}
