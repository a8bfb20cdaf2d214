import type pg from 'pg';
import { assertCan } from '../../platform/auth/permissions.js';
import type { Actor } from '../../platform/auth/principal.js';
import { actorId, actorLabel } from '../../platform/auth/principal.js';
import { type Db, withSystem, withTenant } from '../../platform/db/tx.js';
import { type AuditEntry, type AuditFilter, auditRepo } from './audit.repo.js';

export type AuditEvent = {
  action: string;
  targetType?: string;
  targetId?: string;
  details?: Record<string, unknown>;
};

/** The one way every feature records an audit event: inside the caller's transaction, so it lands with the change. */
export function recordAudit(db: Db, actor: Actor, event: AuditEvent, tenantId: string | null = actor.tenantId) {
  const p = actor.principal;
  return auditRepo.insert(db, {
    tenantId,
    actorType: p.kind,
    actorId: actorId(p),
    actorLabel: actorLabel(p),
    ip: actor.ip,
    requestId: actor.requestId,
    ...event,
  });
}

/** For events without a signed-in actor (failed sign-ins, bootstrap). */
export const recordRawAudit = (db: Db, entry: AuditEntry) => auditRepo.insert(db, entry);

export function createAuditService(deps: { appPool: pg.Pool; systemPool: pg.Pool }) {
  return {
    /** The platform's trail: super_admin sign-ins, tenant creation, bootstrap — rows of no tenant. */
    listGlobal(actor: Actor, filter: AuditFilter) {
      assertCan(actor, 'audit.global');
      return withSystem(deps.systemPool, (db) => auditRepo.list(db, { ...filter, globalOnly: true }));
    },
    verifyGlobal(actor: Actor) {
      assertCan(actor, 'audit.global');
      return withSystem(deps.systemPool, (db) => auditRepo.verify(db));
    },
    list(actor: Actor, filter: AuditFilter) {
      assertCan(actor, 'audit.list');
      return withTenant(deps.appPool, actor.tenantId, (db) => auditRepo.list(db, filter));
    },
    verify(actor: Actor) {
      assertCan(actor, 'audit.verify');
      return withTenant(deps.appPool, actor.tenantId, (db) => auditRepo.verify(db));
    },
  };
}
export type AuditService = ReturnType<typeof createAuditService>;
