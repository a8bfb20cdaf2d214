import type { AccessHelpers, AccessRow } from '../helpers/access.js';
import { headersFor, type SeededTenant } from '../helpers/seed.js';

const base = (t: SeededTenant) => `/api/tenants/${t.id}/bulk-commands`;

/** A read-only run on a throwaway device (closed port: its step fails, which no row here waits for). */
async function started(t: SeededTenant, h: AccessHelpers): Promise<string> {
  const r = await h.ctx.app.inject({
    method: 'POST',
    url: base(t),
    headers: headersFor(h.seed, 'super_admin'),
    payload: { targets: { device_ids: [await h.device(t)] }, commands: '/system identity print' },
  });
  if (r.statusCode !== 202) throw new Error(`bulk command: ${r.body}`);
  return r.json().rollout_id as string;
}

/** Who may call each route of bulk commands (test/access-matrix.test.ts runs them for every caller). */
export const accessRows: AccessRow[] = [
  {
    method: 'POST',
    path: '/api/tenants/{tenant_id}/bulk-commands',
    min: 'operator',
    ok: 202,
    tenantScoped: true,
    make: async (t, h) => ({
      url: base(t),
      body: { targets: { device_ids: [await h.device(t)] }, commands: '/ip address print where interface=ether1' },
    }),
  },
  {
    method: 'GET',
    path: '/api/tenants/{tenant_id}/bulk-commands/{rollout_id}/results',
    min: 'viewer',
    ok: 200,
    tenantScoped: true,
    make: async (t, h) => ({ url: `${base(t)}/${await started(t, h)}/results` }),
  },
];
