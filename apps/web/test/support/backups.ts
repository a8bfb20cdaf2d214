import { type Fleet, runScript } from '@tod/simulator';
import { expect } from 'vitest';
import { unwrap } from './api';
import { superAdminApi } from './fixtures';

// Configuration backups for tests: a backup taken over the API (as a schedule would), and a change made on a
// simulated router by another client (its own CLI), which TOD only learns about from the next backup.

/** Backs the device up (or takes a named checkpoint) and returns the finished job and its version. */
export async function backUp(orgId: string, deviceId: string, checkpoint?: string) {
  const { api } = await superAdminApi();
  const path = { tenant_id: orgId, device_id: deviceId };
  const r = checkpoint
    ? await unwrap(
        api.POST('/api/tenants/{tenant_id}/devices/{device_id}/config/checkpoint', {
          params: { path },
          body: { name: checkpoint },
        }),
      )
    : await unwrap(api.POST('/api/tenants/{tenant_id}/devices/{device_id}/config/backups', { params: { path } }));
  let { job, version } = r;
  // A backup that outlasts the request (202) is followed until it ends.
  for (let i = 0; (job.status === 'queued' || job.status === 'running') && i < 120; i++) {
    await new Promise((ok) => setTimeout(ok, 500));
    ({ job, version } = await unwrap(
      api.GET('/api/tenants/{tenant_id}/config/jobs/{job_id}', {
        params: { path: { tenant_id: orgId, job_id: job.id } },
      }),
    ));
  }
  return { job, version };
}

/** Runs RouterOS commands on simulated router `index` as its admin, e.g. `/ip dns set servers=9.9.9.9`. */
export function changeRouter(routers: Fleet, index: number, script: string) {
  expect(runScript(routers.device(index), script, 'admin').error).toBeUndefined();
}

let next = Math.floor(Math.random() * 254);
/** A documentation address no earlier test of the file used, so each test's change is a change. */
export const someAddress = () => `198.51.100.${1 + (next++ % 254)}`;
