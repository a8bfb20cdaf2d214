import type { Alert, RuleDraft } from '../../src/api/alerts';
import { unwrap } from './api';
import { superAdminApi } from './fixtures';

// Alerts for tests, made the way TOD makes them: a rule over the API, then the shared TOD's poller (every 3 s) and
// ingest evaluate it against the simulated routers. Nothing is written behind the server's back.

const wait = (ms: number) => new Promise((ok) => setTimeout(ok, ms));

/**
 * Disables the organisation's default rules (its small-flash routers fill the storage rules at once), so a test
 * sees only the alerts of the rules it makes.
 */
export async function withoutDefaultRules(orgId: string) {
  const { api } = await superAdminApi();
  const path = { tenant_id: orgId };
  const rules = await unwrap(api.GET('/api/tenants/{tenant_id}/alert-rules', { params: { path } }));
  for (const r of rules.items.filter((x) => x.is_default && x.enabled))
    await unwrap(
      api.PATCH('/api/tenants/{tenant_id}/alert-rules/{rule_id}', {
        params: { path: { ...path, rule_id: r.id } },
        body: { enabled: false },
      }),
    );
}

export async function addRule(orgId: string, body: RuleDraft) {
  const { api } = await superAdminApi();
  return unwrap(api.POST('/api/tenants/{tenant_id}/alert-rules', { params: { path: { tenant_id: orgId } }, body }));
}

/** Waits until every device has been polled once (its CPU figure is known): what a preview reads. */
export async function polled(orgId: string, deviceIds: string[]) {
  const { api } = await superAdminApi();
  for (let i = 0; i < 120; i++) {
    const r = await unwrap(
      api.GET('/api/tenants/{tenant_id}/devices', {
        params: { path: { tenant_id: orgId }, query: { fields: 'cpu_load', limit: 100 } },
      }),
    );
    if (deviceIds.every((id) => r.items.some((d) => d.id === id && d.cpu_load != null))) return;
    await wait(500);
  }
  throw new Error('the devices were not polled in 60 s');
}

/** Waits for an alert of `ruleId` in `state` (the poller fires and resolves them) and returns it. */
export async function alertOf(
  orgId: string,
  ruleId: string,
  state: 'active' | 'resolved' = 'active',
  timeoutMs = 60_000,
): Promise<Alert> {
  const { api } = await superAdminApi();
  for (let i = 0; i < timeoutMs / 500; i++) {
    const r = await unwrap(
      api.GET('/api/tenants/{tenant_id}/alert-events', {
        params: { path: { tenant_id: orgId }, query: { rule_id: ruleId, state } },
      }),
    );
    if (r.items[0]) return r.items[0];
    await wait(500);
  }
  throw new Error(`no ${state} alert of rule ${ruleId} in ${timeoutMs / 1000} s`);
}
