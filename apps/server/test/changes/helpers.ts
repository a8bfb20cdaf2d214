import type { DeviceSpec } from '@tod/simulator';
import { type BackupEnv, startBackupEnv } from '../config-backups/helpers.js';
import { expectStatus } from '../helpers/api.js';

// Shared by the safe-change tests: the backup environment plus the operation runner, and waiting for operations.

export type ChangesEnv = BackupEnv & { restartRunner: () => Promise<void> };

export async function startChangesEnv(
  specs: DeviceSpec[],
  env: Record<string, string> = {},
  o: { runner?: boolean } = {},
): Promise<ChangesEnv> {
  const e = await startBackupEnv(specs, { CHANGE_LEASE_SECONDS: '5', CHANGE_REVERT_WAIT_SECONDS: '60', ...env });
  const idle = { stop: async () => {} };
  let runner = o.runner === false ? idle : e.ctx.services.changes.runner.start();
  const stop = e.stop;
  const restartRunner = async () => {
    await runner.stop();
    runner = e.ctx.services.changes.runner.start();
  };
  return {
    ...e,
    restartRunner,
    stop: async () => {
      await runner.stop();
      await stop();
    },
  };
}

export type OperationJson = {
  id: string;
  status: string;
  strategy: string | null;
  mode: string;
  steps: Array<{ status: string; at: string; note?: string }>;
  deadline: string | null;
  commands: string[];
  applied_count: number;
  error: { code: string; message: string } | null;
  revert_reason: string | null;
  reverted_verified: boolean | null;
  round_trips: number;
  policies: { confirm: boolean; revert: boolean };
};

export async function operation(e: ChangesEnv, deviceId: string, id: string): Promise<OperationJson> {
  return expectStatus<OperationJson>(await e.admin.get(`${e.base}/devices/${deviceId}/operations/${id}`), 200);
}

/** Polls the operation until `until` holds (default: it ended). */
export async function waitOperation(
  e: ChangesEnv,
  deviceId: string,
  id: string,
  until: (o: OperationJson) => boolean = (o) => ['confirmed', 'reverted', 'failed'].includes(o.status),
  timeoutMs = 60_000,
): Promise<OperationJson> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const o = await operation(e, deviceId, id);
    if (until(o)) return o;
    if (Date.now() > end) throw new Error(`operation still ${o.status}: ${JSON.stringify(o.steps)}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

export async function submit(e: ChangesEnv, deviceId: string, body: Record<string, unknown>): Promise<string> {
  const r = await e.admin.post(`${e.base}/devices/${deviceId}/config/changes`, body);
  return expectStatus<{ operation_id: string }>(r, 202).operation_id;
}
