import type { Db } from '../../platform/db/tx.js';

export type AuditEntry = {
  tenantId: string | null;
  actorType: 'user' | 'api_key' | 'system' | 'anonymous';
  actorId: string | null;
  actorLabel: string | null;
  action: string;
  targetType?: string | null;
  targetId?: string | null;
  details?: Record<string, unknown>;
  ip?: string | null;
  requestId?: string | null;
};

/** An entry as it is inserted: details sealed (tenant entries) or plain (see audit.seal.ts). */
export type StoredAuditEntry = Omit<AuditEntry, 'details'> & {
  entryId: string;
  details: Record<string, unknown> | null;
  detailsSealed: Buffer | null;
};

export type AuditRow = {
  id: number;
  tenant_id: string | null;
  seq: number;
  entry_id: string | null;
  actor_type: string;
  actor_id: string | null;
  actor_label: string | null;
  action: string;
  target_type: string | null;
  target_id: string | null;
  /** Plain details (legacy rows, the platform's trail); null when sealed or erased. */
  details: Record<string, unknown> | null;
  details_sealed: Buffer | null;
  ip: string | null;
  request_id: string | null;
  created_at: Date;
  anonymised_at: Date | null;
  hash: Buffer;
};

const rowCols = `id, tenant_id, seq, entry_id, actor_type, actor_id, actor_label, action, target_type, target_id, details,
  details_sealed, host(ip) as ip, request_id, created_at, anonymised_at, hash`;

export type AuditFilter = {
  action?: string;
  actorId?: string;
  from?: Date;
  to?: Date;
  beforeSeq?: bigint;
  limit: number;
  /** System pool only: the platform's own trail (tenant_id is null), which no tenant's RLS shows. */
  globalOnly?: boolean;
};

const ZERO_HASH = `'\\x${'00'.repeat(32)}'::bytea`;

export const auditRepo = {
  async insert(db: Db, e: StoredAuditEntry) {
    // seq, created_at, prev_hash, hash and the digests are set by the chain trigger; placeholders satisfy NOT NULL.
    await db.query(
      `insert into audit_logs (tenant_id, seq, entry_id, actor_type, actor_id, actor_label, action, target_type,
                               target_id, details, details_sealed, ip, request_id, prev_hash, hash)
       values ($1, 0, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, ''::bytea, ''::bytea)`,
      [
        e.tenantId,
        e.entryId,
        e.actorType,
        e.actorId,
        e.actorLabel,
        e.action,
        e.targetType ?? null,
        e.targetId ?? null,
        e.details === null ? null : JSON.stringify(e.details),
        e.detailsSealed,
        e.ip ?? null,
        e.requestId ?? null,
      ],
    );
  },

  /** Newest first; `beforeSeq` pages backwards. Runs under RLS, so only the current tenant's rows exist. */
  async list(db: Db, f: AuditFilter): Promise<AuditRow[]> {
    const where: string[] = [];
    const args: unknown[] = [];
    const add = (sql: string, v: unknown) => {
      args.push(v);
      where.push(sql.replace('?', `$${args.length}`));
    };
    if (f.globalOnly) where.push('tenant_id is null');
    if (f.action) add('action = ?', f.action);
    if (f.actorId) add('actor_id = ?', f.actorId);
    if (f.from) add('created_at >= ?', f.from);
    if (f.to) add('created_at < ?', f.to);
    if (f.beforeSeq !== undefined) add('seq < ?', f.beforeSeq.toString());
    args.push(f.limit);
    const r = await db.query<AuditRow>(
      `select ${rowCols} from audit_logs ${where.length ? `where ${where.join(' and ')}` : ''}
        order by seq desc limit $${args.length}`,
      args,
    );
    return r.rows;
  },

  /**
   * System pool: one person's own entries in every chain (newest first), for their data export — by their id, or
   * anonymous entries naming their email (failed sign-ins). The same rows audit_anonymise_user erases.
   */
  async listByPerson(db: Db, p: { userId: string; email: string; limit: number }): Promise<AuditRow[]> {
    const r = await db.query<AuditRow>(
      `select ${rowCols} from audit_logs
        where actor_id = $1 or (actor_id is null and lower(actor_label) = lower($2))
        order by created_at desc, id desc limit $3`,
      [p.userId, p.email, p.limit],
    );
    return r.rows;
  },

  /** Erases a deleted account's personal data from every chain (migration 065); the chains still verify. */
  async anonymiseUser(db: Db, userId: string, email: string): Promise<{ byUser: number; aboutUser: number }> {
    const r = await db.query<{ by_user: number; about_user: number }>(
      'select by_user, about_user from audit_anonymise_user($1, $2)',
      [userId, email],
    );
    return { byUser: r.rows[0]!.by_user, aboutUser: r.rows[0]!.about_user };
  },

  /**
   * Recomputes every row's hash (version 1 as in 002, version 2 from its digests and commitment: no key needed)
   * and link; returns the first broken sequence number, if any, and how many rows were anonymised.
   */
  async verify(db: Db) {
    const r = await db.query<{
      checked: number;
      first_broken: number | null;
      head: Buffer | null;
      anonymised: number;
      link_only: number;
    }>(
      `with chain as (
         select a.seq, a.hash, a.anonymised_at, a.hash_version,
                audit_entry_ok(a) as hash_ok,
                a.prev_hash = coalesce(lag(a.hash) over w, ${ZERO_HASH}) as link_ok,
                a.seq = row_number() over w as seq_ok
           from audit_logs a where a.tenant_id is not distinct from current_tenant_id()
         window w as (order by a.seq))
       select count(*) as checked,
              min(seq) filter (where not (hash_ok and link_ok and seq_ok)) as first_broken,
              (select hash from chain order by seq desc limit 1) as head,
              count(*) filter (where anonymised_at is not null) as anonymised,
              count(*) filter (where anonymised_at is not null and hash_version = 1) as link_only
         from chain`,
    );
    const row = r.rows[0]!;
    return {
      checked: row.checked,
      firstBrokenSeq: row.first_broken,
      headHash: row.head ? row.head.toString('hex') : null,
      anonymised: row.anonymised,
      linkOnly: row.link_only,
    };
  },
};
