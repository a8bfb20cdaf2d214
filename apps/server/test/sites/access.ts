import { randomUUID } from 'node:crypto';
import type { AccessHelpers, AccessRow } from '../helpers/access.js';
import type { SeededTenant } from '../helpers/seed.js';

// Who may call each route of sites (health, assignment) and sectors. GET /sites and GET /sites/{id} are served by
// features/sites too, but their rows stay in test/catalog/access.ts with the rest of the catalog's.

const base = (t: SeededTenant) => `/api/tenants/${t.id}`;
const newSite = (t: SeededTenant, h: AccessHelpers) => h.create(t, 'sites', { name: `s-${randomUUID()}` });
const sector = () => ({ name: `sec-${randomUUID()}`, azimuth: 90, width: 60 });
/** A site, one of its sectors, and a device in the site. */
async function siteWithSector(t: SeededTenant, h: AccessHelpers) {
  const site = await newSite(t, h);
  const sectorId = await h.create(t, `sites/${site}/sectors`, sector());
  const device = await h.create(t, 'devices?probe=false', { ...h.deviceBody(), site_id: site });
  return { site, sectorId, device };
}

export const accessRows: AccessRow[] = [
  {
    method: 'PUT',
    path: '/api/tenants/{tenant_id}/sites/{id}',
    min: 'operator',
    ok: 200,
    tenantScoped: true,
    make: async (t, h) => ({
      url: `${base(t)}/sites/${await newSite(t, h)}`,
      body: { name: `r-${randomUUID()}`, address: 'Tower road 1' },
    }),
  },
  {
    method: 'POST',
    path: '/api/tenants/{tenant_id}/sites/{site_id}/devices/bulk-assign',
    min: 'operator',
    ok: 200,
    tenantScoped: true,
    make: async (t, h) => ({
      url: `${base(t)}/sites/${await newSite(t, h)}/devices/bulk-assign`,
      body: { device_ids: [await h.device(t), await h.device(t)] },
    }),
  },
  {
    method: 'POST',
    path: '/api/tenants/{tenant_id}/sites/{site_id}/devices/{device_id}',
    min: 'operator',
    ok: 200,
    tenantScoped: true,
    make: async (t, h) => ({ url: `${base(t)}/sites/${await newSite(t, h)}/devices/${await h.device(t)}` }),
  },
  {
    method: 'DELETE',
    path: '/api/tenants/{tenant_id}/sites/{site_id}/devices/{device_id}',
    min: 'operator',
    ok: 204,
    tenantScoped: true,
    make: async (t, h) => {
      const { site, device } = await siteWithSector(t, h);
      return { url: `${base(t)}/sites/${site}/devices/${device}` };
    },
  },
  {
    method: 'GET',
    path: '/api/tenants/{tenant_id}/sites/{site_id}/sectors',
    min: 'viewer',
    ok: 200,
    tenantScoped: true,
    make: async (t, h) => ({ url: `${base(t)}/sites/${(await siteWithSector(t, h)).site}/sectors` }),
  },
  {
    method: 'POST',
    path: '/api/tenants/{tenant_id}/sites/{site_id}/sectors',
    min: 'operator',
    ok: 201,
    tenantScoped: true,
    make: async (t, h) => ({ url: `${base(t)}/sites/${await newSite(t, h)}/sectors`, body: sector() }),
  },
  {
    method: 'PUT',
    path: '/api/tenants/{tenant_id}/sites/{site_id}/sectors/{sector_id}',
    min: 'operator',
    ok: 200,
    tenantScoped: true,
    make: async (t, h) => {
      const { site, sectorId, device } = await siteWithSector(t, h);
      return {
        url: `${base(t)}/sites/${site}/sectors/${sectorId}`,
        body: { ...sector(), frequency: 5180, ap_device_id: device },
      };
    },
  },
  {
    method: 'DELETE',
    path: '/api/tenants/{tenant_id}/sites/{site_id}/sectors/{sector_id}',
    min: 'admin',
    ok: 204,
    tenantScoped: true,
    make: async (t, h) => {
      const { site, sectorId } = await siteWithSector(t, h);
      return { url: `${base(t)}/sites/${site}/sectors/${sectorId}` };
    },
  },
  {
    method: 'PUT',
    path: '/api/tenants/{tenant_id}/devices/{device_id}/sector',
    min: 'operator',
    ok: 200,
    tenantScoped: true,
    make: async (t, h) => {
      const { sectorId, device } = await siteWithSector(t, h);
      return { url: `${base(t)}/devices/${device}/sector`, body: { sector_id: sectorId } };
    },
  },
];
