import { randomBytes } from 'node:crypto';
import type { RolloutDetail } from '../../src/api/rollouts';
import type { Body } from '../../src/api/types';
import { unwrap } from './api';
import { superAdminApi } from './fixtures';

// Rollouts for tests, started the way a person starts one: a template pushed over the API to the test's devices
// (the rollout engine then runs it against the simulated routers, or waits for its scheduled time).

type Options = Body<'/api/tenants/{tenant_id}/templates/{template_id}/push', 'post'>['rollout'];

/** A template setting the DNS servers, pushed to `deviceIds`: the rollout's id. */
export async function pushTemplate(orgId: string, deviceIds: string[], rollout: Options = {}) {
  const { api } = await superAdminApi();
  const tenant = { tenant_id: orgId };
  const t = await unwrap(
    api.POST('/api/tenants/{tenant_id}/templates', {
      params: { path: tenant },
      body: { name: `DNS ${randomBytes(3).toString('hex')}`, body: '/ip dns set servers=9.9.9.9\n' },
    }),
  );
  const r = await unwrap(
    api.POST('/api/tenants/{tenant_id}/templates/{template_id}/push', {
      params: { path: { ...tenant, template_id: t.id } },
      body: { targets: { device_ids: deviceIds }, rollout },
    }),
  );
  return { id: r.rollout_id, name: `Template “${t.name}”` };
}

/** An hour from now: a rollout scheduled then waits, so a test can pause, resume and cancel it at leisure. */
export const inAnHour = () => new Date(Date.now() + 3_600_000).toISOString();

export async function rolloutOf(orgId: string, id: string): Promise<RolloutDetail> {
  const { api } = await superAdminApi();
  return unwrap(
    api.GET('/api/tenants/{tenant_id}/rollouts/{rollout_id}', {
      params: { path: { tenant_id: orgId, rollout_id: id } },
    }),
  );
}

export async function cancelRollout(orgId: string, id: string) {
  const { api } = await superAdminApi();
  return unwrap(
    api.POST('/api/tenants/{tenant_id}/rollouts/{rollout_id}/cancel', {
      params: { path: { tenant_id: orgId, rollout_id: id } },
    }),
  );
}
