import type { AccessHelpers, AccessRow } from '../helpers/access.js';
import type { SeededTenant } from '../helpers/seed.js';
import { siteAccessRows } from './site-access.js';

// Who may call each alerts and notification-channel route (test/access-matrix.test.ts runs them for every caller
// and against another tenant).

const base = (t: SeededTenant) => `/api/tenants/${t.id}`;
const rule = { name: 'CPU', metric: 'cpu_load', operator: '>', threshold: 90 };
const newRule = (t: SeededTenant, h: AccessHelpers) => h.create(t, 'alert-rules', rule);
const newChannel = (t: SeededTenant, h: AccessHelpers) =>
  h.create(t, 'notification-channels', {
    name: `hook ${Math.random()}`,
    kind: 'webhook',
    // Nothing listens there: the test send fails fast, which is still a 200 answer.
    config: { url: `http://127.0.0.1:${h.port()}/hook` },
    severities: ['critical'],
    template: null,
    enabled: true,
  });

/** An alert of a device of `t`, inserted directly (alerts come from poll results, not from the API). */
async function newAlert(t: SeededTenant, h: AccessHelpers, state = 'firing'): Promise<string> {
  const device = await h.device(t);
  const r = await h.ctx.pools.system.query<{ id: string }>(
    `insert into alert_events (id, tenant_id, device_id, rule_name, metric, operator, threshold, severity, state, value, started_at)
     values (gen_random_uuid(), $1, $2, 'CPU', 'cpu_load', '>', 90, 'warning', $3, 95, now()) returning id`,
    [t.id, device, state],
  );
  return r.rows[0]!.id;
}

export const accessRows: AccessRow[] = [
  {
    method: 'GET',
    path: '/api/tenants/{tenant_id}/alert-metrics',
    min: 'viewer',
    ok: 200,
    tenantScoped: true,
    make: async (t) => ({ url: `${base(t)}/alert-metrics` }),
  },
  {
    method: 'GET',
    path: '/api/tenants/{tenant_id}/alert-rules',
    min: 'viewer',
    ok: 200,
    tenantScoped: true,
    make: async (t) => ({ url: `${base(t)}/alert-rules` }),
  },
  {
    method: 'POST',
    path: '/api/tenants/{tenant_id}/alert-rules',
    min: 'operator',
    ok: 201,
    tenantScoped: true,
    make: async (t) => ({ url: `${base(t)}/alert-rules`, body: rule }),
  },
  {
    method: 'POST',
    path: '/api/tenants/{tenant_id}/alert-rules/preview',
    min: 'viewer',
    ok: 200,
    tenantScoped: true,
    make: async (t) => ({ url: `${base(t)}/alert-rules/preview`, body: rule }),
  },
  {
    method: 'GET',
    path: '/api/tenants/{tenant_id}/alert-rules/{rule_id}',
    min: 'viewer',
    ok: 200,
    tenantScoped: true,
    make: async (t, h) => ({ url: `${base(t)}/alert-rules/${await newRule(t, h)}` }),
  },
  {
    method: 'PATCH',
    path: '/api/tenants/{tenant_id}/alert-rules/{rule_id}',
    min: 'operator',
    ok: 200,
    tenantScoped: true,
    make: async (t, h) => ({ url: `${base(t)}/alert-rules/${await newRule(t, h)}`, body: { threshold: 95 } }),
  },
  {
    method: 'DELETE',
    path: '/api/tenants/{tenant_id}/alert-rules/{rule_id}',
    min: 'operator',
    ok: 204,
    tenantScoped: true,
    make: async (t, h) => ({ url: `${base(t)}/alert-rules/${await newRule(t, h)}` }),
  },
  {
    method: 'GET',
    path: '/api/tenants/{tenant_id}/alert-events',
    min: 'viewer',
    ok: 200,
    tenantScoped: true,
    make: async (t) => ({ url: `${base(t)}/alert-events?state=active` }),
  },
  {
    method: 'GET',
    path: '/api/tenants/{tenant_id}/alert-events/count',
    min: 'viewer',
    ok: 200,
    tenantScoped: true,
    make: async (t) => ({ url: `${base(t)}/alert-events/count` }),
  },
  {
    method: 'GET',
    path: '/api/tenants/{tenant_id}/alert-events/{alert_id}',
    min: 'viewer',
    ok: 200,
    tenantScoped: true,
    make: async (t, h) => ({ url: `${base(t)}/alert-events/${await newAlert(t, h)}` }),
  },
  {
    method: 'POST',
    path: '/api/tenants/{tenant_id}/alert-events/{alert_id}/acknowledge',
    min: 'operator',
    ok: 200,
    tenantScoped: true,
    make: async (t, h) => ({ url: `${base(t)}/alert-events/${await newAlert(t, h)}/acknowledge`, body: { note: 'x' } }),
  },
  {
    method: 'POST',
    path: '/api/tenants/{tenant_id}/alert-events/{alert_id}/resolve',
    min: 'operator',
    ok: 200,
    tenantScoped: true,
    make: async (t, h) => ({ url: `${base(t)}/alert-events/${await newAlert(t, h)}/resolve` }),
  },
  {
    method: 'GET',
    path: '/api/tenants/{tenant_id}/alert-silences',
    min: 'viewer',
    ok: 200,
    tenantScoped: true,
    make: async (t) => ({ url: `${base(t)}/alert-silences` }),
  },
  {
    method: 'POST',
    path: '/api/tenants/{tenant_id}/alert-silences',
    min: 'operator',
    ok: 201,
    tenantScoped: true,
    make: async (t, h) => ({
      url: `${base(t)}/alert-silences`,
      body: { device_id: await h.device(t), until: new Date(Date.now() + 3_600_000).toISOString() },
    }),
  },
  {
    method: 'DELETE',
    path: '/api/tenants/{tenant_id}/alert-silences/{silence_id}',
    min: 'operator',
    ok: 204,
    tenantScoped: true,
    make: async (t, h) => {
      const id = await h.create(t, 'alert-silences', {
        device_id: await h.device(t),
        until: new Date(Date.now() + 3_600_000).toISOString(),
      });
      return { url: `${base(t)}/alert-silences/${id}` };
    },
  },
  {
    method: 'GET',
    path: '/api/tenants/{tenant_id}/notification-channels/template-variables',
    min: 'viewer',
    ok: 200,
    tenantScoped: true,
    make: async (t) => ({ url: `${base(t)}/notification-channels/template-variables` }),
  },
  {
    method: 'GET',
    path: '/api/tenants/{tenant_id}/notification-channels',
    min: 'viewer',
    ok: 200,
    tenantScoped: true,
    make: async (t) => ({ url: `${base(t)}/notification-channels` }),
  },
  {
    method: 'POST',
    path: '/api/tenants/{tenant_id}/notification-channels',
    min: 'admin',
    ok: 201,
    tenantScoped: true,
    make: async (t) => ({
      url: `${base(t)}/notification-channels`,
      body: {
        name: `n ${Math.random()}`,
        kind: 'slack',
        config: { url: 'https://hooks.slack.test/services/x' },
        severities: ['critical'],
        template: null,
        enabled: true,
      },
    }),
  },
  {
    method: 'GET',
    path: '/api/tenants/{tenant_id}/notification-channels/{channel_id}',
    min: 'viewer',
    ok: 200,
    tenantScoped: true,
    make: async (t, h) => ({ url: `${base(t)}/notification-channels/${await newChannel(t, h)}` }),
  },
  {
    method: 'PATCH',
    path: '/api/tenants/{tenant_id}/notification-channels/{channel_id}',
    min: 'admin',
    ok: 200,
    tenantScoped: true,
    make: async (t, h) => ({
      url: `${base(t)}/notification-channels/${await newChannel(t, h)}`,
      body: { enabled: false },
    }),
  },
  {
    method: 'DELETE',
    path: '/api/tenants/{tenant_id}/notification-channels/{channel_id}',
    min: 'admin',
    ok: 204,
    tenantScoped: true,
    make: async (t, h) => ({ url: `${base(t)}/notification-channels/${await newChannel(t, h)}` }),
  },
  {
    method: 'POST',
    path: '/api/tenants/{tenant_id}/notification-channels/{channel_id}/test',
    min: 'operator',
    ok: 200,
    tenantScoped: true,
    make: async (t, h) => ({ url: `${base(t)}/notification-channels/${await newChannel(t, h)}/test` }),
  },
  ...siteAccessRows,
];
