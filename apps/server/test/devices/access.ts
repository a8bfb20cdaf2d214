import { randomUUID } from 'node:crypto';
import type { AccessRow } from '../helpers/access.js';

/** Who may call each route of this feature (test/access-matrix.test.ts runs them for every caller). */
export const accessRows: AccessRow[] = [
  {
    method: 'GET',
    path: '/api/tenants/{tenant_id}/devices',
    min: 'viewer',
    ok: 200,
    tenantScoped: true,
    make: async (t) => ({ url: `/api/tenants/${t.id}/devices` }),
  },
  {
    method: 'POST',
    path: '/api/tenants/{tenant_id}/devices',
    min: 'operator',
    ok: 201,
    tenantScoped: true,
    make: async (t, h) => ({ url: `/api/tenants/${t.id}/devices?probe=false`, body: h.deviceBody() }),
  },
  {
    method: 'POST',
    path: '/api/tenants/{tenant_id}/devices/probe',
    min: 'operator',
    ok: 200,
    tenantScoped: true,
    make: async (t) => ({
      url: `/api/tenants/${t.id}/devices/probe`,
      body: { host: '127.0.0.1', port: 1, tls_port: 1, username: 'admin', password: '' },
    }),
  },
  {
    method: 'POST',
    path: '/api/tenants/{tenant_id}/devices/bulk',
    min: 'operator',
    ok: 200,
    tenantScoped: true,
    make: async (t, h) => ({
      url: `/api/tenants/${t.id}/devices/bulk`,
      body: { action: 'disable', device_ids: [await h.device(t)] },
    }),
  },
  {
    method: 'POST',
    path: '/api/tenants/{tenant_id}/devices/import',
    min: 'operator',
    ok: 200,
    tenantScoped: true,
    make: async (t, h) => ({
      url: `/api/tenants/${t.id}/devices/import`,
      body: {
        csv: `name,host,port,username,password\nimp-${randomUUID()},10.0.0.1,${20000 + h.port()},admin,x\n`,
      },
    }),
  },
  {
    method: 'POST',
    path: '/api/tenants/{tenant_id}/devices/scan',
    min: 'operator',
    ok: 200,
    tenantScoped: true,
    make: async (t) => ({
      url: `/api/tenants/${t.id}/devices/scan`,
      body: { cidr: '127.0.0.1/32', port: 1, tls_port: 1, timeout_ms: 200 },
    }),
  },
  {
    method: 'POST',
    path: '/api/tenants/{tenant_id}/devices/bulk-add',
    min: 'operator',
    ok: 200,
    tenantScoped: true,
    make: async (t, h) => ({
      url: `/api/tenants/${t.id}/devices/bulk-add`,
      body: {
        devices: [{ host: '10.9.8.7', port: 40000 + h.port() }],
        username: 'admin',
        password: '',
      },
    }),
  },
  {
    method: 'GET',
    path: '/api/tenants/{tenant_id}/devices/{device_id}',
    min: 'viewer',
    ok: 200,
    tenantScoped: true,
    make: async (t, h) => ({ url: `/api/tenants/${t.id}/devices/${await h.device(t)}` }),
  },
  {
    method: 'PATCH',
    path: '/api/tenants/{tenant_id}/devices/{device_id}',
    min: 'operator',
    ok: 200,
    tenantScoped: true,
    make: async (t, h) => ({ url: `/api/tenants/${t.id}/devices/${await h.device(t)}`, body: { notes: 'edited' } }),
  },
  {
    method: 'DELETE',
    path: '/api/tenants/{tenant_id}/devices/{device_id}',
    min: 'admin',
    ok: 204,
    tenantScoped: true,
    make: async (t, h) => ({ url: `/api/tenants/${t.id}/devices/${await h.device(t)}` }),
  },
  {
    method: 'POST',
    path: '/api/tenants/{tenant_id}/devices/{device_id}/probe',
    min: 'operator',
    ok: 200,
    tenantScoped: true,
    make: async (t, h) => ({ url: `/api/tenants/${t.id}/devices/${await h.device(t)}/probe` }),
  },
  {
    method: 'POST',
    path: '/api/tenants/{tenant_id}/devices/{device_id}/ssh-host-key/reset',
    min: 'admin',
    ok: 200,
    tenantScoped: true,
    make: async (t, h) => ({ url: `/api/tenants/${t.id}/devices/${await h.device(t)}/ssh-host-key/reset` }),
  },
];
