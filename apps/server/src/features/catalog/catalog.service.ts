import type pg from 'pg';
import { assertCan, policiesFor } from '../../platform/auth/permissions.js';
import type { Actor } from '../../platform/auth/principal.js';
import { withTenant } from '../../platform/db/tx.js';
import { conflictFromPg, notFound } from '../../platform/http/errors.js';
import { jsonDates } from '../../platform/http/schemas.js';
import { recordAudit } from '../audit/audit.service.js';
import { type CatalogRow, catalogRepo } from './catalog.repo.js';
import type { CatalogBody, CatalogDef, CatalogItem, CatalogListQuery } from './catalog.schema.js';

export function createCatalogService(def: CatalogDef, appPool: pg.Pool) {
  const repo = catalogRepo(def);
  const unique = { [`${def.table}_name_key`]: ['name_taken', `a ${def.label} with this name exists`] } as const;
  const present = (actor: Actor, row: CatalogRow): CatalogItem =>
    ({
      ...jsonDates(row),
      policies: policiesFor(actor.principal, ['inventory.write', 'inventory.delete']),
    }) as unknown as CatalogItem;

  return {
    async list(actor: Actor, q: CatalogListQuery) {
      assertCan(actor, 'inventory.read');
      const r = await withTenant(appPool, actor.tenantId, (db) => repo.list(db, q));
      return { items: r.rows.map((row) => present(actor, row)), total: r.total, limit: q.limit, offset: q.offset };
    },

    async get(actor: Actor, id: string) {
      assertCan(actor, 'inventory.read');
      const row = await withTenant(appPool, actor.tenantId, (db) => repo.get(db, id));
      if (!row) throw notFound(def.label);
      return present(actor, row);
    },

    async create(actor: Actor, body: CatalogBody) {
      assertCan(actor, 'inventory.write');
      const row = await withTenant(appPool, actor.tenantId, async (db) => {
        const id = await repo.insert(db, actor.tenantId!, body).catch((e) => conflictFromPg(e, unique));
        await recordAudit(db, actor, {
          action: `${def.table}.create`,
          targetType: def.label,
          targetId: id,
          details: body,
        });
        return (await repo.get(db, id))!;
      });
      return present(actor, row);
    },

    async update(actor: Actor, id: string, body: CatalogBody) {
      assertCan(actor, 'inventory.write');
      const row = await withTenant(appPool, actor.tenantId, async (db) => {
        const found = await repo.update(db, id, body).catch((e) => conflictFromPg(e, unique));
        if (!found) throw notFound(def.label);
        await recordAudit(db, actor, {
          action: `${def.table}.update`,
          targetType: def.label,
          targetId: id,
          details: body,
        });
        return (await repo.get(db, id))!;
      });
      return present(actor, row);
    },

    async remove(actor: Actor, id: string) {
      assertCan(actor, 'inventory.delete');
      await withTenant(appPool, actor.tenantId, async (db) => {
        const name = await repo.delete(db, id);
        if (name === undefined) throw notFound(def.label);
        await recordAudit(db, actor, {
          action: `${def.table}.delete`,
          targetType: def.label,
          targetId: id,
          details: { name },
        });
      });
    },
  };
}
export type CatalogService = ReturnType<typeof createCatalogService>;
