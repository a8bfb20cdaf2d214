import type pg from 'pg';
import type { z } from 'zod';
import { assertCan, policiesFor } from '../../platform/auth/permissions.js';
import type { Actor } from '../../platform/auth/principal.js';
import { withTenant } from '../../platform/db/tx.js';
import { AppError, conflictFromPg, notFound } from '../../platform/http/errors.js';
import { jsonDates } from '../../platform/http/schemas.js';
import type { Envelope } from '../../platform/kms/envelope.js';
import { useBy } from '../../platform/kms/key-use.js';
import { recordAudit } from '../audit/audit.service.js';
import { profilePasswordContext } from '../devices/credentials.js';
import { devicesSharedRepo } from '../devices/devices.shared.repo.js';
import { type ProfileRow, credentialProfilesRepo as repo } from './credential-profiles.repo.js';
import type { profileCreateBody, profileListQuery, profileUpdateBody } from './credential-profiles.schema.js';

const unique = { credential_profiles_name_key: ['name_taken', 'a credential profile with this name exists'] } as const;

export function createCredentialProfilesService(deps: { appPool: pg.Pool; envelope: Envelope }) {
  const present = (actor: Actor, r: ProfileRow) => ({
    ...jsonDates(r),
    policies: policiesFor(actor.principal, ['credential_profiles.write', 'credential_profiles.delete']),
  });
  const inTenant = <T>(actor: Actor, fn: (db: pg.PoolClient) => Promise<T>) =>
    withTenant(deps.appPool, actor.tenantId, fn);

  return {
    async list(actor: Actor, q: z.infer<typeof profileListQuery>) {
      assertCan(actor, 'credential_profiles.read');
      const r = await inTenant(actor, (db) => repo.list(db, q));
      return { items: r.rows.map((p) => present(actor, p)), total: r.total, limit: q.limit, offset: q.offset };
    },

    async get(actor: Actor, id: string) {
      assertCan(actor, 'credential_profiles.read');
      const row = await inTenant(actor, (db) => repo.get(db, id));
      if (!row) throw notFound('credential profile');
      return present(actor, row);
    },

    async create(actor: Actor, body: z.infer<typeof profileCreateBody>) {
      assertCan(actor, 'credential_profiles.write');
      const row = await inTenant(actor, async (db) => {
        // The row id is the encryption context, so it is chosen before the password is encrypted.
        const id = await repo.newId(db);
        const passwordEnc = await deps.envelope.encrypt(
          actor.tenantId!,
          body.password,
          profilePasswordContext(id),
          useBy(actor, 'seal'),
        );
        await repo
          .insert(db, { id, tenantId: actor.tenantId!, name: body.name, username: body.username, passwordEnc })
          .catch((e) => conflictFromPg(e, unique));
        await recordAudit(db, actor, {
          action: 'credential_profile.create',
          targetType: 'credential_profile',
          targetId: id,
          details: { name: body.name, username: body.username },
        });
        return (await repo.get(db, id))!;
      });
      return present(actor, row);
    },

    async update(actor: Actor, id: string, body: z.infer<typeof profileUpdateBody>) {
      assertCan(actor, 'credential_profiles.write');
      const passwordEnc =
        body.password !== undefined
          ? await deps.envelope.encrypt(
              actor.tenantId!,
              body.password,
              profilePasswordContext(id),
              useBy(actor, 'seal'),
            )
          : null;
      const row = await inTenant(actor, async (db) => {
        const found = await repo
          .update(db, id, { name: body.name, username: body.username, passwordEnc })
          .catch((e) => conflictFromPg(e, unique));
        if (!found) throw notFound('credential profile');
        // Devices using the profile log in afresh at their next poll.
        if (body.username !== undefined || body.password !== undefined)
          await devicesSharedRepo.reconnectByProfile(db, id);
        await recordAudit(db, actor, {
          action: 'credential_profile.update',
          targetType: 'credential_profile',
          targetId: id,
          details: { name: body.name, username: body.username, password_changed: body.password !== undefined },
        });
        return (await repo.get(db, id))!;
      });
      return present(actor, row);
    },

    async remove(actor: Actor, id: string) {
      assertCan(actor, 'credential_profiles.delete');
      await inTenant(actor, async (db) => {
        const name = await repo.delete(db, id).catch((e) => {
          if ((e as { code?: string }).code === '23503')
            throw new AppError('in_use', 'devices still use this credential profile');
          throw e;
        });
        if (name === undefined) throw notFound('credential profile');
        await recordAudit(db, actor, {
          action: 'credential_profile.delete',
          targetType: 'credential_profile',
          targetId: id,
          details: { name },
        });
      });
    },
  };
}
export type CredentialProfilesService = ReturnType<typeof createCredentialProfilesService>;
