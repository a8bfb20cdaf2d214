import type pg from 'pg';
import { assertCan, policiesFor } from '../../platform/auth/permissions.js';
import type { Actor } from '../../platform/auth/principal.js';
import { withTenant } from '../../platform/db/tx.js';
import { AppError, conflictFromPg, notFound } from '../../platform/http/errors.js';
import { jsonDates } from '../../platform/http/schemas.js';
import type { Envelope } from '../../platform/kms/envelope.js';
import { recordAudit } from '../audit/audit.service.js';
import { profilePasswordContext } from '../devices/credentials.js';

type Row = { id: string; name: string; username: string; device_count: number; created_at: Date; updated_at: Date };
const selectCols = `id, name, username, created_at, updated_at,
  (select count(*) from devices d where d.credential_profile_id = credential_profiles.id)::int as device_count`;
const select = `select ${selectCols} from credential_profiles`;
const unique = { credential_profiles_name_key: ['name_taken', 'a credential profile with this name exists'] } as const;

export function createCredentialProfilesService(deps: { appPool: pg.Pool; envelope: Envelope }) {
  const present = (actor: Actor, r: Row) => ({
    ...jsonDates(r),
    policies: policiesFor(actor.principal, ['credential_profiles.write', 'credential_profiles.delete']),
  });
  const inTenant = <T>(actor: Actor, fn: (db: pg.PoolClient) => Promise<T>) =>
    withTenant(deps.appPool, actor.tenantId, fn);

  return {
    async list(actor: Actor, q: { limit: number; offset: number }) {
      assertCan(actor, 'credential_profiles.read');
      const rows = await inTenant(
        actor,
        async (db) =>
          (
            await db.query<Row & { total: string }>(
              `select ${selectCols}, count(*) over () as total from credential_profiles order by lower(name) limit $1 offset $2`,
              [q.limit, q.offset],
            )
          ).rows,
      );
      return {
        items: rows.map((r) => present(actor, r)),
        total: Number(rows[0]?.total ?? 0),
        limit: q.limit,
        offset: q.offset,
      };
    },

    async get(actor: Actor, id: string) {
      assertCan(actor, 'credential_profiles.read');
      const row = await inTenant(actor, async (db) => (await db.query<Row>(`${select} where id = $1`, [id])).rows[0]);
      if (!row) throw notFound('credential profile');
      return present(actor, row);
    },

    async create(actor: Actor, body: { name: string; username: string; password: string }) {
      assertCan(actor, 'credential_profiles.write');
      const row = await inTenant(actor, async (db) => {
        // The row id is the encryption context, so it is chosen before the password is encrypted.
        const id = (await db.query<{ id: string }>('select gen_random_uuid() as id')).rows[0]!.id;
        const enc = await deps.envelope.encrypt(actor.tenantId!, body.password, profilePasswordContext(id));
        await db
          .query(
            'insert into credential_profiles (id, tenant_id, name, username, password_enc) values ($1, $2, $3, $4, $5)',
            [id, actor.tenantId, body.name, body.username, enc],
          )
          .catch((e) => conflictFromPg(e, unique));
        await recordAudit(db, actor, {
          action: 'credential_profile.create',
          targetType: 'credential_profile',
          targetId: id,
          details: { name: body.name, username: body.username },
        });
        return (await db.query<Row>(`${select} where id = $1`, [id])).rows[0]!;
      });
      return present(actor, row);
    },

    async update(actor: Actor, id: string, body: { name?: string; username?: string; password?: string }) {
      assertCan(actor, 'credential_profiles.write');
      const enc =
        body.password !== undefined
          ? await deps.envelope.encrypt(actor.tenantId!, body.password, profilePasswordContext(id))
          : null;
      const row = await inTenant(actor, async (db) => {
        const r = await db
          .query(
            `update credential_profiles set name = coalesce($2, name), username = coalesce($3, username),
                    password_enc = coalesce($4, password_enc) where id = $1`,
            [id, body.name ?? null, body.username ?? null, enc],
          )
          .catch((e) => conflictFromPg(e, unique));
        if (r.rowCount === 0) throw notFound('credential profile');
        // Devices using the profile log in afresh at their next poll.
        if (body.username !== undefined || body.password !== undefined)
          await db.query(
            'update devices set config_version = config_version + 1, updated_at = now() where credential_profile_id = $1',
            [id],
          );
        await recordAudit(db, actor, {
          action: 'credential_profile.update',
          targetType: 'credential_profile',
          targetId: id,
          details: { name: body.name, username: body.username, password_changed: body.password !== undefined },
        });
        return (await db.query<Row>(`${select} where id = $1`, [id])).rows[0]!;
      });
      return present(actor, row);
    },

    async remove(actor: Actor, id: string) {
      assertCan(actor, 'credential_profiles.delete');
      await inTenant(actor, async (db) => {
        const r = await db
          .query<{ name: string }>('delete from credential_profiles where id = $1 returning name', [id])
          .catch((e) => {
            if ((e as { code?: string }).code === '23503')
              throw new AppError('in_use', 'devices still use this credential profile');
            throw e;
          });
        if (r.rowCount === 0) throw notFound('credential profile');
        await recordAudit(db, actor, {
          action: 'credential_profile.delete',
          targetType: 'credential_profile',
          targetId: id,
          details: { name: r.rows[0]!.name },
        });
      });
    },
  };
}
export type CredentialProfilesService = ReturnType<typeof createCredentialProfilesService>;
