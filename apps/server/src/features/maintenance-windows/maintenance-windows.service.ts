import type pg from 'pg';
import { assertCan, can } from '../../platform/auth/permissions.js';
import type { Actor } from '../../platform/auth/principal.js';
import { type Db, withTenant } from '../../platform/db/tx.js';
import { eventActor, recordEvent } from '../../platform/events/record.js';
import type { JsonValue } from '../../platform/events/types.js';
import { AppError, notFound } from '../../platform/http/errors.js';
import { recordAudit } from '../audit/audit.service.js';
import { type Scope, scopeExists } from '../catalog/scope.js';
import { type MaintenanceWindow, maintenanceRepo as repo, type WindowWrite } from './maintenance-windows.repo.js';
import {
  UPCOMING_DAYS,
  type WindowCreate,
  type WindowItem,
  type WindowListQuery,
  type WindowUpdate,
} from './maintenance-windows.schema.js';
import { nextOccurrenceAfter, type Occurrence, occurrenceAt, occurrencesBetween } from './occurrences.js';
import { normalizeTiming } from './validate.js';

/** Each write's audit action and domain event type. */
const writes = {
  create: { audit: 'maintenance_window.create', event: 'maintenance.window_created' },
  update: { audit: 'maintenance_window.update', event: 'maintenance.window_updated' },
  delete: { audit: 'maintenance_window.delete', event: 'maintenance.window_deleted' },
} as const;

const occurrenceJson = (o: Occurrence | null) =>
  o && { starts_at: o.start.toISOString(), ends_at: o.end.toISOString() };

/** Scopes as stored: `scope` and `scopes` together, each once; the organisation makes the others redundant. */
function mergeScopes(scope: Scope | undefined, scopes: Scope[] | undefined): Scope[] {
  const all = [...(scope ? [scope] : []), ...(scopes ?? [])];
  if (all.some((s) => s.kind === 'organisation')) return [{ kind: 'organisation' }];
  const seen = new Set<string>();
  return all.filter((s) => {
    const key = `${s.kind}:${s.id}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

async function checkScopes(db: Db, scopes: Scope[]) {
  for (const s of scopes)
    if (!(await scopeExists(db, s))) throw new AppError('scope_not_found', `no ${s.kind} ${s.id} in this organisation`);
}

const eventPayload = (w: MaintenanceWindow): JsonValue => ({
  window_id: w.id,
  name: w.name,
  starts_at: w.startsAt.toISOString(),
  ends_at: w.endsAt.toISOString(),
  series_ends_at: w.seriesEnd?.toISOString() ?? null,
  scopes: w.scopes as JsonValue,
});

export function createMaintenanceWindowsService(deps: { appPool: pg.Pool; now?: () => Date }) {
  const now = deps.now ?? (() => new Date());
  const inTenant = <T>(actor: Actor, fn: (db: pg.PoolClient) => Promise<T>) =>
    withTenant(deps.appPool, actor.tenantId, fn);

  const present = (actor: Actor, w: MaintenanceWindow, at = now()): WindowItem => {
    const current = occurrenceAt(w, at);
    const write = can(actor.principal, 'maintenance.write');
    return {
      id: w.id,
      name: w.name,
      starts_at: w.startsAt.toISOString(),
      ends_at: w.endsAt.toISOString(),
      recurrence: w.recurrence,
      timezone: w.timezone,
      scope: w.scopes[0]!,
      scopes: w.scopes,
      series_ends_at: w.seriesEnd?.toISOString() ?? null,
      active: current !== null,
      current: occurrenceJson(current),
      next: occurrenceJson(nextOccurrenceAfter(w, at)),
      upcoming: occurrencesBetween(w, at, new Date(at.getTime() + UPCOMING_DAYS * 86_400_000))
        .filter((o) => o.start > at)
        .map((o) => occurrenceJson(o)!),
      created_at: w.createdAt.toISOString(),
      updated_at: w.updatedAt.toISOString(),
      policies: { update: write, delete: write },
    };
  };

  /** Audit and domain event of one write, in its transaction. */
  async function record(
    db: Db,
    actor: Actor,
    kind: keyof typeof writes,
    w: MaintenanceWindow,
    details: Record<string, unknown>,
  ) {
    const { audit, event } = writes[kind];
    await recordAudit(db, actor, { action: audit, targetType: 'maintenance_window', targetId: w.id, details });
    await recordEvent(db, { type: event, tenantId: w.tenantId, actor: eventActor(actor), payload: eventPayload(w) });
  }

  return {
    async list(actor: Actor, q: WindowListQuery) {
      assertCan(actor, 'maintenance.read');
      const r = await inTenant(actor, (db) => repo.list(db, q));
      const at = now();
      return { items: r.rows.map((w) => present(actor, w, at)), total: r.total, limit: q.limit, offset: q.offset };
    },

    async get(actor: Actor, id: string) {
      assertCan(actor, 'maintenance.read');
      const w = await inTenant(actor, (db) => repo.get(db, id));
      if (!w) throw notFound('maintenance window');
      return present(actor, w);
    },

    async create(actor: Actor, body: WindowCreate) {
      assertCan(actor, 'maintenance.write');
      const write: WindowWrite = {
        name: body.name,
        ...normalizeTiming(body),
        scopes: mergeScopes(body.scope, body.scopes),
      };
      const w = await inTenant(actor, async (db) => {
        await checkScopes(db, write.scopes);
        const w = await repo.insert(db, actor.tenantId!, write);
        await record(db, actor, 'create', w, body);
        return w;
      });
      return present(actor, w);
    },

    async update(actor: Actor, id: string, body: WindowUpdate) {
      assertCan(actor, 'maintenance.write');
      const w = await inTenant(actor, async (db) => {
        const old = await repo.getForUpdate(db, id);
        if (!old) throw notFound('maintenance window');
        const timing = normalizeTiming({
          starts_at: body.starts_at ?? old.startsAt.toISOString(),
          ends_at: body.ends_at ?? old.endsAt.toISOString(),
          timezone: body.timezone ?? old.timezone,
          recurrence: body.recurrence === undefined ? old.recurrence : body.recurrence,
        });
        const rescoped = body.scope !== undefined || body.scopes !== undefined;
        const scopes = rescoped ? mergeScopes(body.scope, body.scopes) : old.scopes;
        if (rescoped) await checkScopes(db, scopes);
        const w = (await repo.update(db, id, { name: body.name ?? old.name, ...timing, scopes }))!;
        await record(db, actor, 'update', w, body);
        return w;
      });
      return present(actor, w);
    },

    async remove(actor: Actor, id: string) {
      assertCan(actor, 'maintenance.write');
      await inTenant(actor, async (db) => {
        const w = await repo.delete(db, id);
        if (!w) throw notFound('maintenance window');
        await record(db, actor, 'delete', w, { name: w.name });
      });
    },
  };
}
export type MaintenanceWindowsService = ReturnType<typeof createMaintenanceWindowsService>;
