import type { AccessHelpers, AccessRow } from '../helpers/access.js';
import { headersFor, type SeededTenant } from '../helpers/seed.js';

// Who may reach a device's terminal and WinBox: operators and up open sessions and see them; ending someone else's
// session, reading transcripts and the settings are an admin's (ending one's own is tested in remote-access.test.ts).

const dev = (t: SeededTenant, id: string) => `/api/tenants/${t.id}/devices/${id}`;

/** A (closed) session of the super_admin's on a fresh device: a terminal token, or a WinBox tunnel. */
async function session(t: SeededTenant, h: AccessHelpers, kind: 'ssh' | 'winbox') {
  const device = await h.device(t);
  const r = await h.ctx.app.inject({
    method: 'POST',
    url: `${dev(t, device)}/${kind}-session`,
    headers: headersFor(h.seed, 'super_admin'),
    payload: kind === 'winbox' ? { allowed_addresses: ['192.0.2.1'] } : undefined,
  });
  if (r.statusCode !== 201) throw new Error(`${kind} session: ${r.body}`);
  const body = r.json();
  const id = (body.session_id ?? body.tunnel_id) as string;
  // Ended at once: the super_admin's open sessions would reach the per-person cap over the matrix's rows, and the
  // rules under test (who may end or read it) do not depend on its state.
  const end = await h.ctx.app.inject({
    method: 'DELETE',
    url: `${dev(t, device)}/sessions/${id}`,
    headers: headersFor(h.seed, 'super_admin'),
  });
  if (end.statusCode !== 204) throw new Error(`end: ${end.body}`);
  return { device, id };
}

export const accessRows: AccessRow[] = [
  {
    method: 'POST',
    path: '/api/tenants/{tenant_id}/devices/{device_id}/ssh-session',
    min: 'operator',
    ok: 201,
    tenantScoped: true,
    make: async (t, h) => ({ url: `${dev(t, await h.device(t))}/ssh-session` }),
  },
  {
    method: 'POST',
    path: '/api/tenants/{tenant_id}/devices/{device_id}/winbox-session',
    min: 'operator',
    ok: 201,
    tenantScoped: true,
    make: async (t, h) => ({
      url: `${dev(t, await h.device(t))}/winbox-session`,
      body: { allowed_addresses: ['192.0.2.1'] },
    }),
  },
  {
    method: 'DELETE',
    path: '/api/tenants/{tenant_id}/devices/{device_id}/winbox-session/{tunnel_id}',
    min: 'admin',
    ok: 204,
    tenantScoped: true,
    make: async (t, h) => {
      const s = await session(t, h, 'winbox');
      return { url: `${dev(t, s.device)}/winbox-session/${s.id}` };
    },
  },
  {
    method: 'GET',
    path: '/api/tenants/{tenant_id}/devices/{device_id}/sessions',
    min: 'operator',
    ok: 200,
    tenantScoped: true,
    make: async (t, h) => ({ url: `${dev(t, await h.device(t))}/sessions` }),
  },
  {
    method: 'DELETE',
    path: '/api/tenants/{tenant_id}/devices/{device_id}/sessions/{session_id}',
    min: 'admin',
    ok: 204,
    tenantScoped: true,
    make: async (t, h) => {
      const s = await session(t, h, 'ssh');
      return { url: `${dev(t, s.device)}/sessions/${s.id}` };
    },
  },
  {
    method: 'GET',
    path: '/api/tenants/{tenant_id}/devices/{device_id}/sessions/{session_id}/transcript',
    min: 'admin',
    ok: 200,
    tenantScoped: true,
    make: async (t, h) => {
      const s = await session(t, h, 'ssh');
      return { url: `${dev(t, s.device)}/sessions/${s.id}/transcript` };
    },
  },
  {
    method: 'GET',
    path: '/api/tenants/{tenant_id}/remote-access/settings',
    min: 'operator',
    ok: 200,
    tenantScoped: true,
    make: async (t) => ({ url: `/api/tenants/${t.id}/remote-access/settings` }),
  },
  {
    method: 'PUT',
    path: '/api/tenants/{tenant_id}/remote-access/settings',
    min: 'admin',
    ok: 200,
    tenantScoped: true,
    make: async (t) => ({ url: `/api/tenants/${t.id}/remote-access/settings`, body: { idle_timeout_seconds: 600 } }),
  },
];
