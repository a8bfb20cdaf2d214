import { text } from 'node:stream/consumers';
import type { Logger } from 'pino';
import { z } from 'zod';
import { recordRawAudit } from '../features/audit/audit.service.js';
import { hashPassword } from '../platform/auth/passwords.js';
import type { Config } from '../platform/config/config.js';
import { withSystem } from '../platform/db/tx.js';
import { withCliDatabase } from './cli-database.js';

const input = z.object({
  email: z.email('--email must be an email address'),
  name: z.string().min(1).max(200).default('Administrator'),
  tenant: z.uuid('--tenant must be a tenant id (uuid)').optional(),
  role: z.enum(['admin', 'operator', 'viewer']).optional(),
  password: z.string().min(12, 'the password must be at least 12 characters').max(1024),
});

/** `tod create-admin`: for the 3 a.m. case where nobody can sign in. */
export async function createAdmin(
  config: Config,
  log: Logger,
  args: Record<string, string | undefined>,
): Promise<number> {
  const password = process.env.TOD_NEW_USER_PASSWORD ?? (process.stdin.isTTY ? '' : (await text(process.stdin)).trim());
  const parsed = input.safeParse({ ...args, password });
  if (!parsed.success) {
    for (const i of parsed.error.issues) console.error(`tod create-admin: ${i.message}`);
    return 2;
  }
  const v = parsed.data;
  if (v.tenant && !v.role) v.role = 'admin';
  if (v.role && !v.tenant) {
    console.error('tod create-admin: --role needs --tenant');
    return 2;
  }
  return withCliDatabase(config, log, async (pools) => {
    try {
      const hash = await hashPassword(v.password);
      const id = await withSystem(pools.system, async (c) => {
        const r = await c.query<{ id: string }>(
          `insert into users (tenant_id, email, name, role, password_hash)
         values ($1, lower($2), $3, $4, $5) returning id`,
          [v.tenant ?? null, v.email, v.name, v.role ?? 'super_admin', hash],
        );
        await recordRawAudit(c, {
          tenantId: v.tenant ?? null,
          actorType: 'system',
          actorId: null,
          actorLabel: 'cli:create-admin',
          action: 'user.create',
          targetType: 'user',
          targetId: r.rows[0]!.id,
          details: { email: v.email, role: v.role ?? 'super_admin' },
        });
        return r.rows[0]!.id;
      });
      console.log(`created ${v.role ?? 'super_admin'} ${v.email} (${id})`);
      return 0;
    } catch (err) {
      const e = err as { code?: string; constraint?: string };
      if (e.code === '23505') console.error(`tod create-admin: a user with email ${v.email} exists`);
      else if (e.code === '23503') console.error('tod create-admin: no such tenant');
      else throw err;
      return 1;
    }
  });
}
