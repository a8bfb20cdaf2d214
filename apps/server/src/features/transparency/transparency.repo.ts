import type { Db } from '../../platform/db/tx.js';
import { keyActorKinds, type TransparencyQuery } from './transparency.schema.js';

// Reads of `key_access_log` (migration 064). Its rows are written by platform/kms/access-log.ts (the system role);
// requests read them under RLS, so only the organisation's own rows exist here.

export type KeyAccessRow = {
  id: string;
  period_start: Date;
  first_at: Date;
  last_at: Date;
  count: number;
  op: string;
  actor_kind: string;
  actor_id: string | null;
  actor_label: string;
  provider: string;
  key_version: number;
  object: string;
  purpose: string;
};

const likePrefix = (s: string) => `${s.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

export const transparencyRepo = {
  /** Newest first, paged by id (`before`). */
  async list(db: Db, q: TransparencyQuery): Promise<KeyAccessRow[]> {
    const where: string[] = [];
    const args: unknown[] = [];
    const add = (sql: string, ...values: unknown[]) => {
      let i = 0;
      where.push(
        sql.replace(/\?/g, () => {
          args.push(values[i++]);
          return `$${args.length}`;
        }),
      );
    };
    // Rows whose uses overlap [from, to).
    if (q.from) add('last_at >= ?::timestamptz', q.from);
    if (q.to) add('first_at < ?::timestamptz', q.to);
    if (q.actor) {
      if ((keyActorKinds as readonly string[]).includes(q.actor)) add('actor_kind = ?', q.actor);
      else add('(actor_id = ? or actor_label = ?)', q.actor, q.actor);
    }
    if (q.key) {
      // `v3` or `3`: a version; `transit`, `transit:v2`: a provider, and a version.
      const m = /^(?:v?(\d+)|([a-z][a-z0-9_-]*)(?::v?(\d+))?)$/.exec(q.key)!;
      if (m[2]) add('provider = ?', m[2]);
      const version = m[1] ?? m[3];
      if (version) add('key_version = ?', Number(version));
    }
    if (q.object) add(`object like ? escape '\\'`, likePrefix(q.object));
    if (q.op) add('op = ?', q.op);
    if (q.before) add('id < ?', q.before);
    args.push(q.limit);
    const r = await db.query<KeyAccessRow>(
      `select id, period_start, first_at, last_at, count, op, actor_kind, actor_id, actor_label, provider, key_version,
              object, purpose
         from key_access_log ${where.length ? `where ${where.join(' and ')}` : ''}
        order by id desc limit $${args.length}`,
      args,
    );
    return r.rows;
  },
};
