import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { access, actorOf } from '../../platform/http/access.js';
import { errorResponses, tenantParams } from '../../platform/http/schemas.js';
import { auditCsv } from './audit.csv.js';
import type { AuditRow } from './audit.repo.js';
import { auditListQuery, auditPageOut, auditVerifyOut } from './audit.schema.js';
import type { AuditService } from './audit.service.js';

const CSV_MAX_ROWS = 100_000;

const toJson = (r: AuditRow) => ({
  ...r,
  seq: Number(r.seq),
  created_at: r.created_at.toISOString(),
  hash: r.hash.toString('hex'),
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
    handler: async (req, reply) => {
      const q = req.query;
      const filter = {
        action: q.action,
        actorId: q.user_id,
        from: q.from ? new Date(q.from) : undefined,
        to: q.to ? new Date(q.to) : undefined,
        beforeSeq: q.before,
      };
      if (q.format === 'csv') {
        const rows: AuditRow[] = [];
        let before = q.before;
        while (rows.length < CSV_MAX_ROWS) {
          const batch = await audit.list(actorOf(req), { ...filter, beforeSeq: before, limit: 1000 });
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
      const rows = await audit.list(actorOf(req), { ...filter, limit: q.limit });
      return { items: rows.map(toJson), next_before: rows.length === q.limit ? Number(rows.at(-1)!.seq) : null };
    },
  });
  r.get('/api/tenants/:tenant_id/audit-logs/verify', {
    config: { access: access.can('audit.verify') },
    schema: { tags, params: tenantParams, response: { 200: auditVerifyOut, ...errorResponses } },
    handler: async (req) => {
      const v = await audit.verify(actorOf(req));
      return {
        valid: v.firstBrokenSeq === null,
        checked: v.checked,
        first_broken_seq: v.firstBrokenSeq,
        head_hash: v.headHash,
      };
    },
  });
}
