import type pg from 'pg';
import { assertCan, policiesFor } from '../../platform/auth/permissions.js';
import type { Actor, Principal } from '../../platform/auth/principal.js';
import { withTenant } from '../../platform/db/tx.js';
import { notFound } from '../../platform/http/errors.js';
import { jsonDates } from '../../platform/http/schemas.js';
import { recordAudit } from '../audit/audit.service.js';
import { randomToken, sha256 } from '../auth/tokens.js';
import { type ApiKeyRow, apiKeysRepo } from './api-keys.repo.js';

export const API_KEY_PREFIX = 'mktp_';
const KEY_FORMAT = /^mktp_[A-Za-z0-9_-]{43}$/;

export function createApiKeysService(deps: { appPool: pg.Pool; systemPool: pg.Pool }) {
  const out = (actor: Actor, k: ApiKeyRow) => ({
    ...jsonDates(k),
    policies: policiesFor(actor.principal, ['api_keys.revoke']),
  });

  return {
    async list(actor: Actor, f: { limit: number; offset: number; includeRevoked: boolean }) {
      assertCan(actor, 'api_keys.list');
      const r = await withTenant(deps.appPool, actor.tenantId, (db) => apiKeysRepo.list(db, f));
      return { items: r.rows.map((k) => out(actor, k)), total: r.total, limit: f.limit, offset: f.offset };
    },

    /** The plaintext key exists only in this response; the database keeps its SHA-256. */
    async create(actor: Actor, body: { name: string; expires_at?: Date }) {
      assertCan(actor, 'api_keys.create');
      const key = `${API_KEY_PREFIX}${randomToken(32)}`;
      const row = await withTenant(deps.appPool, actor.tenantId, async (db) => {
        const k = await apiKeysRepo.insert(db, {
          tenantId: actor.tenantId!,
          name: body.name,
          prefix: key.slice(0, 12),
          hash: sha256(key),
          createdBy: actor.principal.kind === 'user' ? actor.principal.userId : null,
          expiresAt: body.expires_at,
        });
        await recordAudit(db, actor, {
          action: 'api_key.create',
          targetType: 'api_key',
          targetId: k.id,
          details: { name: k.name, expires_at: k.expires_at },
        });
        return k;
      });
      return { ...out(actor, row), key };
    },

    async revoke(actor: Actor, id: string) {
      assertCan(actor, 'api_keys.revoke');
      await withTenant(deps.appPool, actor.tenantId, async (db) => {
        const k = await apiKeysRepo.revoke(db, id);
        if (!k) throw notFound('API key');
        await recordAudit(db, actor, {
          action: 'api_key.revoke',
          targetType: 'api_key',
          targetId: id,
          details: { name: k.name },
        });
      });
    },

    async authenticate(raw: string): Promise<Principal | undefined> {
      if (!KEY_FORMAT.test(raw)) return undefined;
      const k = await apiKeysRepo.findActiveByHash(deps.systemPool, sha256(raw));
      if (k?.stale) await apiKeysRepo.touch(deps.systemPool, k.id);
      return k ? { kind: 'api_key', keyId: k.id, tenantId: k.tenant_id, role: 'operator', name: k.name } : undefined;
    },

    /** Whether a key that authenticated earlier may go on (long-lived responses such as the SSE stream). */
    stillValid: (keyId: string): Promise<boolean> => apiKeysRepo.isActive(deps.systemPool, keyId),
  };
}
export type ApiKeysService = ReturnType<typeof createApiKeysService>;
