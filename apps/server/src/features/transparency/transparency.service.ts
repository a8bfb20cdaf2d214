import type pg from 'pg';
import { assertCan } from '../../platform/auth/permissions.js';
import type { Actor } from '../../platform/auth/principal.js';
import { withTenant } from '../../platform/db/tx.js';
import { transparencyRepo } from './transparency.repo.js';
import type { KeyAccessItem, TransparencyPage, TransparencyQuery } from './transparency.schema.js';

export function createTransparencyService(deps: { appPool: pg.Pool }) {
  return {
    /** Who used the organisation's keys, for what, and why: newest first, paged by id (`before`). */
    async events(actor: Actor, q: TransparencyQuery): Promise<TransparencyPage> {
      assertCan(actor, 'transparency.read');
      const rows = await withTenant(deps.appPool, actor.tenantId, (db) => transparencyRepo.list(db, q));
      const items = rows.map(
        (r): KeyAccessItem => ({
          ...r,
          id: Number(r.id),
          period_start: r.period_start.toISOString(),
          first_at: r.first_at.toISOString(),
          last_at: r.last_at.toISOString(),
          op: r.op as KeyAccessItem['op'],
          actor_kind: r.actor_kind as KeyAccessItem['actor_kind'],
          key: `${r.provider}:v${r.key_version}`,
        }),
      );
      return { items, next_before: rows.length === q.limit ? items.at(-1)!.id : null };
    },
  };
}
export type TransparencyService = ReturnType<typeof createTransparencyService>;
