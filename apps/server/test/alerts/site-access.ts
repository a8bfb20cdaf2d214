import { randomUUID } from 'node:crypto';
import type { AccessHelpers, AccessRow } from '../helpers/access.js';
import type { SeededTenant } from '../helpers/seed.js';

// Who may call the site alert routes (rules over a site or its sectors, a site's alerts); access.ts adds these
// rows to the alerts' own.

const base = (t: SeededTenant) => `/api/tenants/${t.id}`;
const rule = { name: 'Half the tower down', metric: 'site_offline_pct', operator: '>', threshold: 40 };
const newSite = (t: SeededTenant, h: AccessHelpers) => h.create(t, 'sites', { name: `s-${randomUUID()}` });
/** A site and one of its rules. */
async function siteRule(t: SeededTenant, h: AccessHelpers) {
  const site = await newSite(t, h);
  const id = await h.create(t, `sites/${site}/alert-rules`, rule);
  return `${base(t)}/sites/${site}/alert-rules/${id}`;
}

export const siteAccessRows: AccessRow[] = [
  {
    method: 'GET',
    path: '/api/tenants/{tenant_id}/sites/{site_id}/alert-rules',
    min: 'viewer',
    ok: 200,
    tenantScoped: true,
    make: async (t, h) => ({ url: `${base(t)}/sites/${await newSite(t, h)}/alert-rules` }),
  },
  {
    method: 'POST',
    path: '/api/tenants/{tenant_id}/sites/{site_id}/alert-rules',
    min: 'operator',
    ok: 201,
    tenantScoped: true,
    make: async (t, h) => ({ url: `${base(t)}/sites/${await newSite(t, h)}/alert-rules`, body: rule }),
  },
  {
    method: 'GET',
    path: '/api/tenants/{tenant_id}/sites/{site_id}/alert-rules/{rule_id}',
    min: 'viewer',
    ok: 200,
    tenantScoped: true,
    make: async (t, h) => ({ url: await siteRule(t, h) }),
  },
  {
    method: 'PUT',
    path: '/api/tenants/{tenant_id}/sites/{site_id}/alert-rules/{rule_id}',
    min: 'operator',
    ok: 200,
    tenantScoped: true,
    make: async (t, h) => ({ url: await siteRule(t, h), body: { ...rule, threshold: 60 } }),
  },
  {
    method: 'DELETE',
    path: '/api/tenants/{tenant_id}/sites/{site_id}/alert-rules/{rule_id}',
    min: 'operator',
    ok: 204,
    tenantScoped: true,
    make: async (t, h) => ({ url: await siteRule(t, h) }),
  },
  {
    method: 'GET',
    path: '/api/tenants/{tenant_id}/sites/{site_id}/alert-events',
    min: 'viewer',
    ok: 200,
    tenantScoped: true,
    make: async (t, h) => ({ url: `${base(t)}/sites/${await newSite(t, h)}/alert-events?state=active` }),
  },
];
