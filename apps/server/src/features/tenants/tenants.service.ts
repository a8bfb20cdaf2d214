import type pg from 'pg';
import { assertCan, policiesFor } from '../../platform/auth/permissions.js';
import type { Actor } from '../../platform/auth/principal.js';
import { retryOnDeadlock, withSystem, withTenant } from '../../platform/db/tx.js';
import { conflictFromPg, notFound } from '../../platform/http/errors.js';
import { jsonDates } from '../../platform/http/schemas.js';
import { recordAudit } from '../audit/audit.service.js';
import { type TenantRow, tenantsRepo } from './tenants.repo.js';

const isSuperAdmin = (a: Actor) => a.principal.role === 'super_admin';
const uniqueName = { tenants_name_key: ['tenant_name_taken', 'a tenant with this name exists'] } as const;

const EXISTS_TTL_MS = 30_000;

export function createTenantsService(deps: { appPool: pg.Pool; systemPool: pg.Pool }) {
  /** Tenant id → until when it is known to exist. */
  const known = new Map<string, number>();
  const withPolicies = (actor: Actor, t: TenantRow) => ({
    ...jsonDates(t),
    policies: policiesFor(actor.principal, ['tenants.update', 'tenants.delete', 'users.list', 'api_keys.list']),
  });

  return {
    /** super_admin sees every tenant (a global role); everyone else sees their own, through RLS. */
    async list(actor: Actor, limit: number, offset: number) {
      assertCan(actor, 'tenants.list');
      const r = isSuperAdmin(actor)
        ? await withSystem(deps.systemPool, (db) => tenantsRepo.list(db, limit, offset))
        : await withTenant(deps.appPool, actor.principal.tenantId, (db) => tenantsRepo.list(db, limit, offset));
      return { items: r.rows.map((t) => withPolicies(actor, t)), total: r.total, limit, offset };
    },

    async get(actor: Actor, id: string) {
      assertCan(actor, 'tenants.read');
      const t = await withTenant(deps.appPool, id, (db) => tenantsRepo.get(db, id));
      if (!t) throw notFound('tenant');
      return withPolicies(actor, t);
    },

    async create(actor: Actor, body: { name: string; description: string }) {
      assertCan(actor, 'tenants.create');
      const t = await withSystem(deps.systemPool, async (db) => {
        const row = await tenantsRepo.insert(db, body).catch((e) => conflictFromPg(e, uniqueName));
        await recordAudit(
          db,
          actor,
          { action: 'tenant.create', targetType: 'tenant', targetId: row.id, details: body },
          row.id,
        );
        return row;
      });
      return withPolicies(actor, t);
    },

    async update(actor: Actor, id: string, body: { name?: string; description?: string }) {
      assertCan(actor, 'tenants.update');
      const t = await withTenant(deps.appPool, id, async (db) => {
        const row = await tenantsRepo.update(db, id, body).catch((e) => conflictFromPg(e, uniqueName));
        if (!row) throw notFound('tenant');
        await recordAudit(db, actor, { action: 'tenant.update', targetType: 'tenant', targetId: id, details: body });
        return row;
      });
      return withPolicies(actor, t);
    },

    async remove(actor: Actor, id: string) {
      assertCan(actor, 'tenants.delete');
      // Ingest and alert evaluation may hold locks on this tenant's rows while it goes: a deadlock is retried.
      await retryOnDeadlock(() =>
        withSystem(deps.systemPool, async (db) => {
          const t = await tenantsRepo.get(db, id);
          if (!t) throw notFound('tenant');
          // The trail outlives the tenant: the deletion is its last entry.
          await recordAudit(
            db,
            actor,
            { action: 'tenant.delete', targetType: 'tenant', targetId: id, details: { name: t.name } },
            id,
          );
          await tenantsRepo.delete(db, id);
        }),
      );
      known.delete(id);
    },

    /**
     * Whether a tenant exists (a super_admin's requests name any tenant): asked on every such request, so a tenant
     * seen to exist is remembered for EXISTS_TTL_MS. One deleted meanwhile by another process only leaves its routes
     * answering empty lists and 404s for that long: its rows are gone.
     */
    async exists(id: string) {
      const until = known.get(id);
      if (until !== undefined && until > Date.now()) return true;
      const ok = await tenantsRepo.exists(deps.systemPool, id);
      if (ok) {
        if (known.size >= 10_000) known.clear();
        known.set(id, Date.now() + EXISTS_TTL_MS);
      } else known.delete(id);
      return ok;
    },
  };
}
export type TenantsService = ReturnType<typeof createTenantsService>;
