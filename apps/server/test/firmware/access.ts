import type { AccessRow } from '../helpers/access.js';

const base = '/api/tenants/{tenant_id}/firmware';

/** Who may call each route of firmware (test/access-matrix.test.ts runs the tested ones for every caller). */
export const accessRows: AccessRow[] = [
  {
    method: 'GET',
    path: base,
    min: 'viewer',
    ok: 200,
    tenantScoped: true,
    make: async (t) => ({ url: `/api/tenants/${t.id}/firmware` }),
  },
  {
    method: 'POST',
    path: `${base}/check`,
    // Rate limited per organisation (4 a minute): the matrix's six callers would run into it.
    coveredBy: 'test/firmware/firmware.test.ts (viewer 403, operator 200, the rate limit, another organisation)',
  },
  {
    method: 'POST',
    path: `${base}/upgrades`,
    min: 'operator',
    ok: 202,
    tenantScoped: true,
    make: async (t, h) => ({
      url: `/api/tenants/${t.id}/firmware/upgrades`,
      body: {
        targets: { device_ids: [await h.device(t)] },
        version: '7.20.4',
        rollout: { scheduled_at: new Date(Date.now() + 86_400_000).toISOString() },
      },
    }),
  },
  {
    method: 'GET',
    path: `${base}/packages`,
    min: 'viewer',
    ok: 200,
    tenantScoped: true,
    make: async (t) => ({ url: `/api/tenants/${t.id}/firmware/packages` }),
  },
  {
    method: 'POST',
    path: `${base}/packages`,
    // The body is a package file (application/octet-stream), which the matrix does not send.
    coveredBy: 'test/firmware/firmware.test.ts (admin 201, operator 403, another organisation’s cache)',
  },
  {
    method: 'POST',
    path: `${base}/packages/download`,
    // Reaches out to a download server, which only download.test.ts starts (on loopback).
    coveredBy: 'test/firmware/download.test.ts (admin 201, operator and viewer 403, another organisation’s cache)',
  },
];
