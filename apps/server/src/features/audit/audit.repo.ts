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

export type AuditRow = {
  id: number;
  seq: number;
  actor_type: string;
  actor_id: string | null;
  actor_label: string | null;
  action: string;
  target_type: string | null;
  target_id: string | null;
  details: Record<string, unknown>;
  ip: string | null;
  request_id: string | null;
  created_at: Date;
  hash: Buffer;
};

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
  async insert(db: Db, e: AuditEntry) {
    // seq, created_at, prev_hash and hash are set by the chain trigger; the placeholders satisfy NOT NULL.
    await db.query(
      `insert into audit_logs (tenant_id, seq, actor_type, actor_id, actor_label, action, target_type, target_id,
                               details, ip, request_id, prev_hash, hash)
       values ($1, 0, $2, $3, $4, $5, $6, $7, $8, $9, $10, ''::bytea, ''::bytea)`,
      [
        e.tenantId,
        e.actorType,
        e.actorId,
        e.actorLabel,
        e.action,
        e.targetType ?? null,
        e.targetId ?? null,
        JSON.stringify(e.details ?? {}),
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
      `select id, seq, actor_type, actor_id, actor_label, action, target_type, target_id, details, host(ip) as ip,
              request_id, created_at, hash
         from audit_logs ${where.length ? `where ${where.join(' and ')}` : ''}
        order by seq desc limit $${args.length}`,
      args,
    );
    return r.rows;
  },

  /** Recomputes every row's hash and link; returns the first broken sequence number, if any. */
  async verify(db: Db) {
    const r = await db.query<{ checked: number; first_broken: number | null; head: Buffer | null }>(
      `with chain as (
         select seq, hash,
                hash = audit_row_hash(prev_hash, tenant_id, seq, actor_type, actor_id, actor_label, action,
                                      target_type, target_id, details, ip, request_id, created_at) as hash_ok,
                prev_hash = coalesce(lag(hash) over w, ${ZERO_HASH}) as link_ok,
                seq = row_number() over w as seq_ok
           from audit_logs where tenant_id is not distinct from current_tenant_id()
         window w as (order by seq))
       select count(*) as checked,
              min(seq) filter (where not (hash_ok and link_ok and seq_ok)) as first_broken,
              (select hash from chain order by seq desc limit 1) as head
         from chain`,
    );
    const row = r.rows[0]!;
    return {
      checked: row.checked,
      firstBrokenSeq: row.first_broken,
      headHash: row.head ? row.head.toString('hex') : null,
    };
  },
};
