import type { DeviceSpec } from '@tod/simulator';
import { expect } from 'vitest';
import { type ChangesEnv, type OperationJson, startChangesEnv, waitOperation } from '../changes/helpers.js';
import { addSimDevice, routerApi } from '../config-backups/helpers.js';
import { expectStatus } from '../helpers/api.js';

// Simple Config against simulated routers: the safe-change environment (backups, the operation runner), devices
// added through the API, and applying a tab to the end of its operation.

export const USERS = [
  { name: 'admin', password: 'admin-password' },
  { name: 'ops', password: 'ops-old-password' },
];

export type Env = ChangesEnv & { ids: string[] };

export async function startEnv(specs: DeviceSpec[]): Promise<Env> {
  const e = await startChangesEnv(specs.map((s) => ({ users: USERS, ...s })));
  const ids: string[] = [];
  for (let i = 0; i < specs.length; i++) ids.push(await addSimDevice(e, i));
  return { ...e, ids };
}

export const tabUrl = (e: Env, index: number, tab: string) => `${e.base}/devices/${e.ids[index]}/simple-config/${tab}`;

export type View = {
  tab: string;
  version: string;
  v7: boolean;
  form: Record<string, unknown>;
  secrets: Record<string, { set: boolean }>;
  options: Record<string, unknown>;
  state: Record<string, unknown>;
  policies: { apply: boolean };
};

export async function getTab(e: Env, index: number, tab: string): Promise<View> {
  return expectStatus<View>(await e.admin.get(tabUrl(e, index, tab)), 200);
}

/** POSTs the form, waits for the operation, and expects it confirmed. */
export async function applyTab(
  e: Env,
  index: number,
  tab: string,
  form: object,
  extra: object = {},
): Promise<OperationJson> {
  const r = await e.admin.post(tabUrl(e, index, tab), { form, ...extra });
  const id = expectStatus<{ operation_id: string }>(r, 202).operation_id;
  const op = await waitOperation(e, e.ids[index] as string, id, undefined, 90_000);
  expect(op.status, JSON.stringify(op)).toBe('confirmed');
  return op;
}

/** A menu's rows read straight from the simulated router (as another client would). */
export async function deviceRows(e: Env, index: number, path: string) {
  const c = await routerApi(e, index);
  try {
    return await c.command(`${path}/print`);
  } finally {
    await c.close();
  }
}

/** Every place a secret could leak to in the database, as text. */
export async function databaseText(e: Env): Promise<string> {
  const parts: string[] = [];
  for (const table of ['change_operations', 'audit_logs', 'domain_events', 'config_jobs']) {
    const r = await e.ctx.pools.system.query<{ t: string }>(`select t::text as t from ${table} t`);
    parts.push(...r.rows.map((x) => x.t));
  }
  return parts.join('\n');
}
