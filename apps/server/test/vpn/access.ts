import { randomUUID } from 'node:crypto';
import type { AccessHelpers, AccessRow } from '../helpers/access.js';
import { headersFor, type SeededTenant } from '../helpers/seed.js';

// Who may call each route of the WireGuard hub: everyone in the organisation reads it (public keys and status only),
// admins make and remove peers (the answer holds a router's private key). API keys act as operators: read only.

const base = (t: SeededTenant) => `/api/tenants/${t.id}/vpn`;

/** The hub with an endpoint routers can dial, made as the super_admin (PUT /vpn is idempotent). */
async function hub(t: SeededTenant, h: AccessHelpers) {
  const r = await h.ctx.app.inject({
    method: 'PUT',
    url: base(t),
    headers: headersFor(h.seed, 'super_admin'),
    payload: { endpoint_host: 'vpn.example.net' },
  });
  if (r.statusCode !== 200) throw new Error(`hub: ${r.body}`);
}

async function peer(t: SeededTenant, h: AccessHelpers): Promise<string> {
  await hub(t, h);
  const r = await h.ctx.app.inject({
    method: 'POST',
    url: `${base(t)}/peers`,
    headers: headersFor(h.seed, 'super_admin'),
    payload: { device_id: await h.device(t) },
  });
  if (r.statusCode !== 201) throw new Error(`peer: ${r.body}`);
  return r.json().peer_id;
}

export const accessRows: AccessRow[] = [
  {
    method: 'GET',
    path: '/api/tenants/{tenant_id}/vpn',
    min: 'viewer',
    ok: 200,
    tenantScoped: true,
    make: async (t) => ({ url: base(t) }),
  },
  {
    method: 'PUT',
    path: '/api/tenants/{tenant_id}/vpn',
    min: 'admin',
    ok: 200,
    tenantScoped: true,
    make: async (t) => ({ url: base(t), body: { keepalive_seconds: 25 } }),
  },
  {
    method: 'GET',
    path: '/api/tenants/{tenant_id}/vpn/peers',
    min: 'viewer',
    ok: 200,
    tenantScoped: true,
    make: async (t) => ({ url: `${base(t)}/peers` }),
  },
  {
    method: 'POST',
    path: '/api/tenants/{tenant_id}/vpn/peers',
    min: 'admin',
    ok: 201,
    tenantScoped: true,
    make: async (t, h) => {
      await hub(t, h);
      return { url: `${base(t)}/peers`, body: { device_id: await h.device(t) } };
    },
  },
  {
    method: 'DELETE',
    path: '/api/tenants/{tenant_id}/vpn/peers/{peer_id}',
    min: 'admin',
    ok: 204,
    tenantScoped: true,
    make: async (t, h) => ({ url: `${base(t)}/peers/${await peer(t, h)}` }),
  },
  {
    method: 'POST',
    path: '/api/tenants/{tenant_id}/vpn/onboard',
    min: 'admin',
    ok: 201,
    tenantScoped: true,
    make: async (t, h) => {
      await hub(t, h);
      return { url: `${base(t)}/onboard`, body: { name: `wg-${randomUUID()}`, username: 'admin', password: 'x' } };
    },
  },
];
