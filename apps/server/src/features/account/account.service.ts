import type pg from 'pg';
import type { z } from 'zod';
import type { Actor, Principal } from '../../platform/auth/principal.js';
import { withSystem } from '../../platform/db/tx.js';
import { AppError, forbidden, notFound } from '../../platform/http/errors.js';
import { jsonDates } from '../../platform/http/schemas.js';
import { apiKeysRepo } from '../api-keys/api-keys.repo.js';
import { auditRepo } from '../audit/audit.repo.js';
import { type AuditService, recordAudit, recordRawAudit } from '../audit/audit.service.js';
import type { AuthService } from '../auth/auth.service.js';
import type { SrpProof, SrpService } from '../srp/srp.service.js';
import { tenantsRepo } from '../tenants/tenants.repo.js';
import { usersRepo } from '../users/users.repo.js';
import { type AccountRow, accountRepo } from './account.repo.js';
import type { accountExportOut } from './account.schema.js';
import { makeReceipt, type Removed } from './receipt.js';

/** Like the CSV export of the audit trail: beyond this the export says it is truncated. */
const EXPORT_MAX_AUDIT = 100_000;

type UserPrincipal = Extract<Principal, { kind: 'user' }>;

/** Only a person has an account to export or delete; an API key is not one. */
function self(actor: Actor): UserPrincipal {
  const p = actor.principal;
  if (p.kind !== 'user') throw forbidden('an API key has no personal account: sign in as the person');
  return p;
}

/**
 * The last super_admin would leave TOD without anyone to manage organisations; the last active admin of an
 * organisation would leave it without anyone to manage its users (only a super_admin could then). Both are refused
 * with their own codes: another admin is made first, or a super_admin removes the account or the organisation.
 */
function assertNotLast(user: AccountRow, peers: { id: string; is_active: boolean }[]) {
  if (user.role !== 'super_admin' && user.role !== 'admin') return;
  if (peers.some((p) => p.id !== user.id && p.is_active)) return;
  if (user.role === 'super_admin')
    throw new AppError('last_super_admin', 'you are the last super_admin: make another one before deleting yourself');
  throw new AppError(
    'last_organisation_admin',
    'you are the last admin of your organisation: make another admin before deleting yourself',
  );
}

export function createAccountService(deps: {
  systemPool: pg.Pool;
  auth: AuthService;
  srp: SrpService;
  audit: AuditService;
}) {
  return {
    /** Everything TOD holds about the caller, as JSON (GDPR art. 15 and 20). Audited. */
    async exportData(actor: Actor): Promise<z.infer<typeof accountExportOut>> {
      const p = self(actor);
      const held = await withSystem(deps.systemPool, async (db) => {
        const user = await accountRepo.get(db, p.userId);
        if (!user) throw notFound('account');
        const tenant = user.tenant_id ? await tenantsRepo.get(db, user.tenant_id) : undefined;
        const out = {
          user,
          tenant,
          sessions: await deps.auth.sessionsOf(db, user.id),
          keys: await accountRepo.apiKeysCreatedBy(db, user.id),
          views: await accountRepo.deviceViews(db, user.id),
          resets: await accountRepo.resetLinks(db, user.id),
        };
        await recordAudit(
          db,
          actor,
          { action: 'account.export', targetType: 'user', targetId: user.id },
          user.tenant_id,
        );
        return out;
      });
      const entries = await deps.audit.ownEntries(actor, EXPORT_MAX_AUDIT + 1);
      const { user, tenant } = held;
      return {
        format: 'tod.personal-data/1',
        exported_at: new Date().toISOString(),
        account: {
          ...jsonDates(user),
          organisation: tenant ? { id: tenant.id, name: tenant.name } : null,
        },
        sessions: held.sessions.map(jsonDates),
        password_reset_links: held.resets.map(jsonDates),
        api_keys: held.keys.map(({ tenant_id, ...k }) => ({ ...jsonDates(k), organisation_id: tenant_id })),
        preferences: { device_views: held.views.map(jsonDates) },
        audit_entries: entries.slice(0, EXPORT_MAX_AUDIT).map(({ tenant_id, entry_id: _e, hash: _h, ...e }) => ({
          ...jsonDates(e),
          organisation_id: tenant_id,
        })),
        audit_entries_truncated: entries.length > EXPORT_MAX_AUDIT,
      };
    },

    /**
     * Deletes the caller's account in one transaction (GDPR art. 17), after a fresh SRP proof of the current
     * password and the email typed as confirmation. The users row is deleted — its foreign keys cascade to
     * sessions and refresh tokens (every access token stops at its next request), SRP handshakes, reset links and
     * view preferences —, API keys it created are revoked (they keep working otherwise: they are not tied to a
     * session), its audit entries are anonymised (the chains still verify), and a receipt is kept and returned.
     */
    async deleteAccount(actor: Actor, input: { proof: SrpProof; confirm: string }) {
      const p = self(actor);
      if (input.confirm.trim().toLowerCase() !== p.email.toLowerCase())
        throw new AppError('deletion_not_confirmed', 'type your email address exactly to confirm the deletion');
      const outcome = await withSystem(deps.systemPool, async (db) => {
        // An admin's peers first (in id order, self included), then self: every deletion locks in the same order.
        const admin = p.role === 'admin' || p.role === 'super_admin';
        const peers = admin ? await accountRepo.lockPeers(db, { role: p.role, tenant_id: p.tenantId }) : [];
        const user = await accountRepo.get(db, p.userId, true);
        if (!user) throw notFound('account');
        if (user.role !== p.role) throw new AppError('conflict', 'your role changed meanwhile; reload and try again');
        // Decided before the proof is spent, so a refusal leaves the proof unused and nothing recorded.
        assertNotLast(user, peers);
        if (!(await deps.srp.reauthenticate(db, actor, input.proof))) return undefined; // commit the audit row, then refuse

        const sessions = await deps.auth.sessionsOf(db, user.id);
        const keys = (await accountRepo.apiKeysCreatedBy(db, user.id)).filter((k) => k.revoked_at === null);
        for (const k of keys) await apiKeysRepo.revoke(db, k.id);
        const views = await accountRepo.deviceViews(db, user.id);
        const resets = await accountRepo.resetLinks(db, user.id);
        await usersRepo.delete(db, user.id);
        const audit = await auditRepo.anonymiseUser(db, user.id, user.email);

        const removed: Removed = {
          account: 1,
          sessions: sessions.length,
          refresh_tokens: sessions.reduce((n, s) => n + s.live_refresh_tokens, 0),
          api_keys_revoked: keys.length,
          device_view_preferences: views.length,
          password_reset_links: resets.length,
          audit_entries_anonymised: audit.byUser,
          audit_entries_about_redacted: audit.aboutUser,
        };
        const { receipt, salt } = makeReceipt(
          { userId: user.id, email: user.email, tenantId: user.tenant_id },
          removed,
        );
        await accountRepo.insertReceipt(db, receipt);
        // Recorded after the erasure, by TOD rather than the person (whose name must not come back), with no IP.
        await recordRawAudit(db, {
          tenantId: user.tenant_id,
          actorType: 'system',
          actorId: null,
          actorLabel: 'account-deletion',
          action: 'account.deleted',
          targetType: 'account_deletion_receipt',
          targetId: receipt.id,
          details: { role: user.role, removed, receipt_hash: receipt.receiptHash.toString('hex') },
          requestId: actor.requestId,
        });
        return { receipt, salt };
      });
      if (!outcome) throw new AppError('reauthentication_failed', 'the current password or Secret Key is wrong');
      const { receipt, salt } = outcome;
      return {
        id: receipt.id,
        organisation_id: receipt.tenantId,
        deleted_at: receipt.deletedAt.toISOString(),
        removed: receipt.removed,
        subject_hash: receipt.subjectHash.toString('hex'),
        subject_salt: salt.toString('hex'),
        receipt_hash: receipt.receiptHash.toString('hex'),
      };
    },
  };
}
export type AccountService = ReturnType<typeof createAccountService>;
