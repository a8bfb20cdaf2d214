import type { FastifyInstance, FastifyReply } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { access, actorOf } from '../../platform/http/access.js';
import { errorResponses, tenantParams } from '../../platform/http/schemas.js';
import { auditCsv } from './audit.csv.js';
import type { AuditFilter } from './audit.repo.js';
import { auditListQuery, auditPageOut, auditVerifyOut } from './audit.schema.js';
import type { AuditService, AuditView } from './audit.service.js';

const CSV_MAX_ROWS = 100_000;

const auditEntryJson = ({ tenant_id: _t, entry_id: _e, ...r }: AuditView) => ({
  ...r,
  created_at: r.created_at.toISOString(),
  anonymised_at: r.anonymised_at?.toISOString() ?? null,
  hash: r.hash.toString('hex'),
});

type ListQuery = {
  action?: string;
  user_id?: string;
  from?: string;
  to?: string;
  before?: bigint;
  limit: number;
  format: 'json' | 'csv';
};
type Lister = (filter: AuditFilter) => Promise<AuditView[]>;

/** JSON pages, or the whole (filtered) trail as CSV, from one lister: a tenant's or the platform's. */
async function listReply(list: Lister, q: ListQuery, reply: FastifyReply) {
  const filter = {
    action: q.action,
    actorId: q.user_id,
    from: q.from ? new Date(q.from) : undefined,
    to: q.to ? new Date(q.to) : undefined,
    beforeSeq: q.before,
  };
  if (q.format === 'csv') {
    const rows: AuditView[] = [];
    let before = q.before;
    while (rows.length < CSV_MAX_ROWS) {
      const batch = await list({ ...filter, beforeSeq: before, limit: 1000 });
      rows.push(...batch);
      if (batch.length < 1000) break;
      before = BigInt(batch.at(-1)!.seq);
    }
    return reply
      .type('text/csv; charset=utf-8')
      .header('Content-Disposition', 'attachment; filename="audit-log.csv"')
      .serializer((x: unknown) => x as string)
      .send(auditCsv(rows) as never);
  }
  const rows = await list({ ...filter, limit: q.limit });
  return { items: rows.map(auditEntryJson), next_before: rows.length === q.limit ? rows.at(-1)!.seq : null };
}

const verifyReply = (v: {
  checked: number;
  firstBrokenSeq: number | null;
  headHash: string | null;
  anonymised: number;
  linkOnly: number;
}) => ({
  valid: v.firstBrokenSeq === null,
  checked: v.checked,
  first_broken_seq: v.firstBrokenSeq,
  head_hash: v.headHash,
  anonymised: v.anonymised,
  link_only: v.linkOnly,
});

export function auditRoutes(app: FastifyInstance, audit: AuditService) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['audit-logs'];
  r.get('/api/tenants/:tenant_id/audit-logs', {
    config: { access: access.can('audit.list') },
    schema: {
      tags,
      params: tenantParams,
      querystring: auditListQuery,
      response: { 200: auditPageOut, ...errorResponses },
    },
    handler: (req, reply) => listReply((f) => audit.list(actorOf(req), f), req.query, reply),
  });
  r.get('/api/tenants/:tenant_id/audit-logs/verify', {
    config: { access: access.can('audit.verify') },
    schema: { tags, params: tenantParams, response: { 200: auditVerifyOut, ...errorResponses } },
    handler: async (req) => verifyReply(await audit.verify(actorOf(req))),
  });
  r.get('/api/audit-logs', {
    config: { access: access.can('audit.global') },
    schema: {
      tags,
      description: "The platform's own trail (super_admin sign-ins, tenant creation, bootstrap): entries of no tenant.",
      querystring: auditListQuery,
      response: { 200: auditPageOut, ...errorResponses },
    },
    handler: (req, reply) => listReply((f) => audit.listGlobal(actorOf(req), f), req.query, reply),
  });
  r.get('/api/audit-logs/verify', {
    config: { access: access.can('audit.global') },
    schema: { tags, response: { 200: auditVerifyOut, ...errorResponses } },
    handler: async (req) => verifyReply(await audit.verifyGlobal(actorOf(req))),
  });
}
