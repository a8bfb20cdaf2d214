import type pg from 'pg';
import { hashPassword } from '../../platform/auth/passwords.js';
import { assertCan, policiesFor } from '../../platform/auth/permissions.js';
import type { Actor } from '../../platform/auth/principal.js';
import type { TenantRole } from '../../platform/auth/roles.js';
import { withTenant } from '../../platform/db/tx.js';
import { AppError, conflictFromPg, notFound } from '../../platform/http/errors.js';
import { jsonDates } from '../../platform/http/schemas.js';
import { recordAudit } from '../audit/audit.service.js';
import { type UserRow, usersRepo } from './users.repo.js';

const uniqueEmail = { users_email_key: ['email_taken', 'a user with this email exists'] } as const;
const isSelf = (actor: Actor, id: string) => actor.principal.kind === 'user' && actor.principal.userId === id;

export function createUsersService(deps: {
  appPool: pg.Pool;
  revokeUserSessions: (userId: string, reason: string) => Promise<void>;
}) {
  const out = (actor: Actor, u: UserRow) => ({
    ...jsonDates(u),
    policies: policiesFor(actor.principal, ['users.update', 'users.delete']),
  });
  const inTenant = <T>(actor: Actor, fn: (db: pg.PoolClient) => Promise<T>) =>
    withTenant(deps.appPool, actor.tenantId, fn);

  return {
    async list(actor: Actor, f: { limit: number; offset: number; search?: string; role?: string }) {
      assertCan(actor, 'users.list');
      const r = await inTenant(actor, (db) => usersRepo.list(db, f));
      return { items: r.rows.map((u) => out(actor, u)), total: r.total, limit: f.limit, offset: f.offset };
    },

    async get(actor: Actor, id: string) {
      assertCan(actor, 'users.read');
      const u = await inTenant(actor, (db) => usersRepo.get(db, id));
      if (!u) throw notFound('user');
      return out(actor, u);
    },

    async create(actor: Actor, body: { email: string; name: string; role: TenantRole; password: string }) {
      assertCan(actor, 'users.create');
      const passwordHash = await hashPassword(body.password);
      const u = await inTenant(actor, async (db) => {
        const row = await usersRepo
          .insert(db, { tenantId: actor.tenantId!, email: body.email, name: body.name, role: body.role, passwordHash })
          .catch((e) => conflictFromPg(e, uniqueEmail));
        await recordAudit(db, actor, {
          action: 'user.create',
          targetType: 'user',
          targetId: row.id,
          details: { email: row.email, role: row.role },
        });
        return row;
      });
      return out(actor, u);
    },

    async update(
      actor: Actor,
      id: string,
      body: { name?: string; role?: TenantRole; is_active?: boolean; password?: string },
    ) {
      assertCan(actor, 'users.update');
      // Locking yourself out (demoting or disabling your own account) needs another admin. Resetting your own
      // password here would let a stolen session take the account over without the SRP proof register-srp demands.
      if (isSelf(actor, id) && (body.role !== undefined || body.is_active === false))
        throw new AppError('cannot_modify_self', 'you cannot change your own role or disable yourself');
      if (isSelf(actor, id) && body.password !== undefined)
        throw new AppError('cannot_modify_self', 'change your own password with your current one (register-srp)');
      const passwordHash = body.password ? await hashPassword(body.password) : undefined;
      const u = await inTenant(actor, async (db) => {
        const row = await usersRepo.update(db, id, {
          name: body.name,
          role: body.role,
          isActive: body.is_active,
          passwordHash,
        });
        if (!row) throw notFound('user');
        const changed = Object.keys(body).filter((k) => k !== 'password');
        await recordAudit(db, actor, {
          action: 'user.update',
          targetType: 'user',
          targetId: id,
          details: {
            changed,
            ...(body.password ? { password_reset: true } : {}),
            role: body.role,
            is_active: body.is_active,
          },
        });
        return row;
      });
      // A disabled account, a changed role or a reset password ends the user's sessions everywhere.
      if (body.is_active === false || body.role !== undefined || body.password)
        await deps.revokeUserSessions(id, 'account_changed');
      return out(actor, u);
    },

    async remove(actor: Actor, id: string) {
      assertCan(actor, 'users.delete');
      if (isSelf(actor, id)) throw new AppError('cannot_modify_self', 'you cannot delete your own account here');
      await inTenant(actor, async (db) => {
        const u = await usersRepo.get(db, id);
        if (!u) throw notFound('user');
        await recordAudit(db, actor, {
          action: 'user.delete',
          targetType: 'user',
          targetId: id,
          details: { email: u.email },
        });
        await usersRepo.delete(db, id);
      });
    },
  };
}
export type UsersService = ReturnType<typeof createUsersService>;
