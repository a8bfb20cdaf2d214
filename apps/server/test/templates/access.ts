import type { AccessRow } from '../helpers/access.js';

const covered = 'test/templates/push.test.ts (viewer, operator, admin and another tenant, against simulated routers)';
const base = '/api/tenants/{tenant_id}/templates';
const body = {
  name: 'dns',
  body: '/ip dns set servers={{ dns }}',
  variables: [{ name: 'dns', type: 'ip', default: '9.9.9.9' }],
};

/** Who may call each route of templates (test/access-matrix.test.ts runs the tested ones for every caller). */
export const accessRows: AccessRow[] = [
  {
    method: 'GET',
    path: base,
    min: 'viewer',
    ok: 200,
    tenantScoped: true,
    make: async (t) => ({ url: `/api/tenants/${t.id}/templates` }),
  },
  {
    method: 'GET',
    path: '/api/tenants/{tenant_id}/template-starters',
    min: 'viewer',
    ok: 200,
    tenantScoped: true,
    make: async (t) => ({ url: `/api/tenants/${t.id}/template-starters` }),
  },
  {
    method: 'POST',
    path: base,
    min: 'operator',
    ok: 201,
    tenantScoped: true,
    make: async (t) => ({
      url: `/api/tenants/${t.id}/templates`,
      body: { ...body, name: `dns-${Math.random().toString(36).slice(2)}` },
    }),
  },
  ...(
    [
      ['GET', '', 'viewer', 200, undefined],
      ['PATCH', '', 'operator', 200, { description: 'changed' }],
      ['DELETE', '', 'operator', 204, undefined],
      ['GET', '/drift', 'viewer', 200, undefined],
      ['POST', '/drift/check', 'viewer', 200, undefined],
    ] as const
  ).map(
    ([method, tail, min, ok, payload]): AccessRow => ({
      method,
      path: `${base}/{template_id}${tail}`,
      min,
      ok,
      tenantScoped: true,
      make: async (t, h) => {
        const id = await h.create(t, 'templates', { ...body, name: `dns-${Math.random().toString(36).slice(2)}` });
        return { url: `/api/tenants/${t.id}/templates/${id}${tail}`, ...(payload ? { body: payload } : {}) };
      },
    }),
  ),
  { method: 'POST', path: `${base}/{template_id}/preview`, coveredBy: covered },
  { method: 'POST', path: `${base}/{template_id}/push`, coveredBy: covered },
];
