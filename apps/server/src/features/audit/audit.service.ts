import { randomUUID } from 'node:crypto';
import type pg from 'pg';
import { assertCan } from '../../platform/auth/permissions.js';
import type { Actor } from '../../platform/auth/principal.js';
import { actorId, actorLabel } from '../../platform/auth/principal.js';
import { type Db, withSystem, withTenant } from '../../platform/db/tx.js';
import { forbidden } from '../../platform/http/errors.js';
import type { Envelope } from '../../platform/kms/envelope.js';
import { type KeyUse, useBy } from '../../platform/kms/key-use.js';
import { type AuditEntry, type AuditFilter, type AuditRow, auditRepo } from './audit.repo.js';
import { AuditUnreadable, openDetails, registerAuditSealing, sealDetails } from './audit.seal.js';

export type AuditEvent = {
  action: string;
  targetType?: string;
  targetId?: string;
  details?: Record<string, unknown>;
};

/** Seals the details with the tenant's key (audit.seal.ts) and appends the entry to its chain. */
async function append(db: Db, entry: AuditEntry) {
  const entryId = randomUUID();
  const stored = await sealDetails(db, entry.tenantId, entryId, entry.details ?? {});
  await auditRepo.insert(db, { ...entry, entryId, ...stored });
}

/** The one way every feature records an audit event: inside the caller's transaction, so it lands with the change. */
export function recordAudit(db: Db, actor: Actor, event: AuditEvent, tenantId: string | null = actor.tenantId) {
  const p = actor.principal;
  return append(db, {
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
export const recordRawAudit = (db: Db, entry: AuditEntry) => append(db, entry);

/** A row as the API shows it: details opened (or marked unreadable), the sealed bytes and internal ids left out. */
export type AuditView = Omit<AuditRow, 'details' | 'details_sealed' | 'id'> & {
  details: Record<string, unknown>;
  details_unreadable: boolean;
};

async function openRows(envelope: Envelope, rows: AuditRow[], use: KeyUse): Promise<AuditView[]> {
  const out: AuditView[] = [];
  for (const { details_sealed, details, id: _id, ...r } of rows) {
    try {
      out.push({
        ...r,
        details: await openDetails(envelope, { ...r, details, details_sealed }, use),
        details_unreadable: false,
      });
    } catch (err) {
      if (!(err instanceof AuditUnreadable)) throw err;
      out.push({ ...r, details: {}, details_unreadable: true });
    }
  }
  return out;
}

export function createAuditService(deps: { appPool: pg.Pool; systemPool: pg.Pool; envelope: Envelope }) {
  registerAuditSealing([deps.appPool, deps.systemPool], deps.envelope);
  // Rows are read in a transaction and opened after it: opening may load a key, which must not wait on a pool
  // while holding one of its connections.
  const readable = async (actor: Actor, rows: Promise<AuditRow[]>) =>
    openRows(deps.envelope, await rows, useBy(actor, 'audit.read'));
  return {
    /** The platform's trail: super_admin sign-ins, tenant creation, bootstrap — rows of no tenant. */
    listGlobal(actor: Actor, filter: AuditFilter) {
      assertCan(actor, 'audit.global');
      return readable(
        actor,
        withSystem(deps.systemPool, (db) => auditRepo.list(db, { ...filter, globalOnly: true })),
      );
    },
    verifyGlobal(actor: Actor) {
      assertCan(actor, 'audit.global');
      return withSystem(deps.systemPool, (db) => auditRepo.verify(db));
    },
    list(actor: Actor, filter: AuditFilter) {
      assertCan(actor, 'audit.list');
      return readable(
        actor,
        withTenant(deps.appPool, actor.tenantId, (db) => auditRepo.list(db, filter)),
      );
    },
    verify(actor: Actor) {
      assertCan(actor, 'audit.verify');
      return withTenant(deps.appPool, actor.tenantId, (db) => auditRepo.verify(db));
    },

    /**
     * A person's own entries in every chain, opened, for their data export (features/account). Only their own:
     * no audit permission is needed to read what one did oneself.
     */
    async ownEntries(actor: Actor, limit: number) {
      const p = actor.principal;
      if (p.kind !== 'user') throw forbidden('only a person has their own audit entries');
      const rows = await withSystem(deps.systemPool, (db) =>
        auditRepo.listByPerson(db, { userId: p.userId, email: p.email, limit }),
      );
      return openRows(deps.envelope, rows, useBy(actor, 'audit.read'));
    },
  };
}
export type AuditService = ReturnType<typeof createAuditService>;
